// swift-tools-version:6.0
import PackageDescription

// toy-w2sd: Weak-to-Strong Diffusion with Reflection, measured on exact Gaussian-mixture toys.
// No package dependencies: only the Swift toolchain (Foundation, Dispatch, Swift Testing).
let package = Package(
    name: "toy-w2sd",
    products: [
        .library(name: "Toy", targets: ["Toy"]),
        .library(name: "Plot", targets: ["Plot"]),
        .executable(name: "toy-w2sd", targets: ["toy-w2sd"]),
    ],
    targets: [
        .target(name: "Toy"),
        .target(name: "Plot"),
        .executableTarget(name: "toy-w2sd", dependencies: ["Toy", "Plot"]),
        .target(name: "TestSupport", dependencies: ["Toy"], path: "Tests/TestSupport"),
        .testTarget(name: "ToyTests", dependencies: ["Toy", "TestSupport"]),
        .testTarget(name: "PlotTests", dependencies: ["Plot", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
