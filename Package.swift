// swift-tools-version:6.0
import PackageDescription

// toy-w2sd: Weak-to-Strong Diffusion with Reflection, measured on exact Gaussian-mixture toys.
// No package dependencies: only the Swift toolchain (Foundation, Dispatch, Swift Testing).
//
// Toy (mathematics) and Plot (figures) know nothing of each other; Experiments (specification, option
// declarations, runner, typed results, figure builders, report writers) joins them; the command line
// and the notebooks are thin clients of Experiments.
let package = Package(
    name: "toy-w2sd",
    products: [
        .library(name: "Toy", targets: ["Toy"]),
        .library(name: "Plot", targets: ["Plot"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .executable(name: "toy-w2sd", targets: ["toy-w2sd"]),
        .executable(name: "notebooks", targets: ["notebooks"]),
    ],
    targets: [
        .target(name: "Toy"),
        .target(name: "Plot"),
        .target(name: "Experiments", dependencies: ["Toy", "Plot"]),
        .executableTarget(name: "toy-w2sd", dependencies: ["Experiments"]),
        .executableTarget(name: "notebooks", dependencies: ["Experiments"], path: "Notebooks-as-scripts",
                          exclude: ["README.md"]),
        .target(name: "TestSupport", dependencies: ["Toy"], path: "Tests/TestSupport"),
        .testTarget(name: "ToyTests", dependencies: ["Toy", "TestSupport", "Experiments"]),  // Experiments: the difference cases
        .testTarget(name: "PlotTests", dependencies: ["Plot", "TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
