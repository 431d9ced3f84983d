import Plot

/// The version of toy-w2sd (declared here and nowhere else) and how this binary was built. `--version`
/// prints `description`; every JSON document carries `Toolkit.current` as its `toolkit` object; every
/// figure file carries `figureMetadata` (an SVG comment, the PDF's /Info /Creator, a PNG tEXt chunk).
public enum ToolVersion {
    public static let current = "0.4.0"

    /// Whether the code was generated for the build machine's CPU (`-target-cpu native`, release builds
    /// on x86-64 and arm64 unless TOY_W2SD_PORTABLE=1; see Package.swift).
    public static var isHostCPU: Bool {
        #if TOY_NATIVE_CPU
        true
        #else
        false
        #endif
    }

    /// The build configuration: "release, host CPU", "release, portable", "debug, portable, Toy at -O"
    /// (the default debug build: the mathematics optimised, Package.swift) or "debug, portable".
    public static var build: String {
        #if DEBUG
        #if TOY_OPTIMIZED_DEBUG
        "debug, portable, Toy at -O"
        #else
        "debug, portable"
        #endif
        #else
        isHostCPU ? "release, host CPU" : "release, portable"
        #endif
    }

    /// "toy-w2sd 0.4.0 (release, host CPU)": what `--version` prints and every figure records.
    public static var description: String { "toy-w2sd \(current) (\(build))" }

    /// The metadata every figure file written by the toolkit carries.
    public static var figureMetadata: FigureMetadata { FigureMetadata(software: description) }
}

/// The `toolkit` object of every JSON document: the version and the build that wrote it.
public struct Toolkit: Codable, Sendable, Equatable {
    public var version: String
    public var build: String

    public static var current: Toolkit { Toolkit(version: ToolVersion.current, build: ToolVersion.build) }
}
