/// The output options, declared once and shared by every command that writes them: where results go
/// never changes a result.
public enum OutputOptions {
    public static let json = ValueOption("json", readers: .noResult, value: "PATH",
                                         help: "the results as JSON (schemas in Documentation/json-reports.md); - writes them to stdout instead of the text",
                                         default: "none", accepted: "a path ending in .json, or -", parse: Parse.text)
    public static let plot = ValueOption("plot", readers: .noResult, value: "PATH", help: "the figure, as SVG, PDF (vector, base-14 fonts) or PNG by the extension",
                                         default: "none", accepted: "a path ending in .svg, .pdf or .png", parse: Parse.text)
    public static let plotExtensions = [".svg", ".pdf", ".png"]
    public static let ppm = ValueOption("ppm", readers: .noResult, value: "PATH.ppm", help: "the figure as a binary PPM raster (with text, like --plot PATH.png)",
                                        default: "none", accepted: "a path ending in .ppm", parse: Parse.text)
    public static let csv = ValueOption("csv", readers: .noResult, value: "PATH", help: "long format: one row per cell, method and metric (n, mean, sd, 95% interval)",
                                        default: "none", accepted: "a path ending in .csv", parse: Parse.text)
    public static let timings = SwitchOption("timings", readers: .noResult, help: "add per-method seconds to the JSON (it then differs between runs)")
    public static let samplesOut = ValueOption("samples-out", readers: .noResult, value: "FILE",
                                               help: "the final samples in long format (method, repeat, particle, x1..xd); .npy adds a JSON sidecar naming columns and methods",
                                               default: "none", accepted: "a path ending in .csv or .npy", parse: Parse.text)
    public static let trajectoriesOut = ValueOption("trajectories-out", readers: .noResult, value: "FILE",
                                                    help: "the recorded trajectories (method, repeat, particle, level, sigma, phase, x1..xd)",
                                                    default: "none", accepted: "a path ending in .csv or .npy", parse: Parse.text)

    /// `--json`, checked (a writable path ending in .json, or - for stdout), or nil when not given.
    public static func jsonPath(_ args: ParsedArguments) throws -> String? {
        let path = try args.value(json)
        if let path { try OutputPaths.check(path, option: json.name, extensions: [".json"], allowStdout: true) }
        return path
    }
}
