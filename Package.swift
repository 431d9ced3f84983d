// swift-tools-version:6.0
import Foundation
import PackageDescription

// toy-w2sd: Weak-to-Strong Diffusion with Reflection, measured on exact Gaussian-mixture toys.
// No package dependencies: only the Swift toolchain (Foundation, Dispatch, Swift Testing).
//
// Toy (mathematics) and Plot (figures) know nothing of each other; Experiments (specification, option
// declarations, runner, typed results, figure builders, report writers) joins them; the command line
// and the notebooks are thin clients of Experiments.
//
// Release builds on x86-64 and arm64 (Linux, macOS) generate code for the build machine's CPU
// (`-target-cpu native`: AVX2 / AVX-512 where present), since the package is built from source: about
// 2x the kernel speed of the baseline x86-64 (SSE2) target, with the same numbers (Benchmarks/README.md).
// TOY_W2SD_PORTABLE=1 in the environment of `swift build` gives a portable binary instead (any x86-64 /
// arm64 CPU, and needed when the package is a versioned dependency: SwiftPM refuses unsafe flags there).
// Debug builds (`swift test`) never use it.
#if arch(x86_64) || arch(arm64)
let hostCPU = ProcessInfo.processInfo.environment["TOY_W2SD_PORTABLE"] != "1"
#else
let hostCPU = false
#endif
let hostCPUSettings: [SwiftSetting] = hostCPU ? [
    .unsafeFlags(["-target-cpu", "native"], .when(platforms: [.linux, .macOS], configuration: .release)),
    .define("TOY_NATIVE_CPU", .when(platforms: [.linux, .macOS], configuration: .release)),
] : []

// Toy (the mathematics) is compiled with optimisation in debug builds too: its lane arithmetic (SIMD8)
// runs 30-100x slower unoptimised, which made `swift test` spend minutes in the statistics of small
// runs; the tests then check the code as it ships. Under TOY_W2SD_PORTABLE=1 it is left out with the
// other unsafe flags.
// TOY_OPTIMIZED_DEBUG tells the run-time estimate (Experiments) which kind of debug build it is in.
let optimizedDebugSettings: [SwiftSetting] = hostCPU ? [.unsafeFlags(["-O"], .when(configuration: .debug))] : []
let optimizedDebugDefine: [SwiftSetting] = hostCPU ? [.define("TOY_OPTIMIZED_DEBUG", .when(configuration: .debug))] : []

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
        .target(name: "Toy", exclude: ["README.md"], swiftSettings: hostCPUSettings + optimizedDebugSettings),
        .target(name: "Plot", exclude: ["README.md"]),
        .target(name: "Experiments", dependencies: ["Toy", "Plot"], exclude: ["README.md"], swiftSettings: hostCPUSettings + optimizedDebugDefine),
        .executableTarget(name: "toy-w2sd", dependencies: ["Experiments"], swiftSettings: hostCPUSettings),
        .executableTarget(name: "notebooks", dependencies: ["Experiments"], path: "Notebooks-as-scripts",
                          exclude: ["README.md"], swiftSettings: hostCPUSettings),
        .target(name: "TestSupport", dependencies: ["Toy"], path: "Tests/TestSupport"),
        .testTarget(name: "ToyTests", dependencies: ["Toy", "TestSupport", "Experiments"]),  // Experiments: the difference cases
        .testTarget(name: "PlotTests", dependencies: ["Plot", "TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
