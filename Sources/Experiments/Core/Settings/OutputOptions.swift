import Plot
import Foundation

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
    public static let report = ValueOption("report", readers: .noResult, value: "PATH.html",
                                           help: "one self-contained HTML file: the tables with their notes, the figure (inline SVG), command line, configuration, version, seeds and timing; a sweep's or frontier's cell is picked by a click or the URL fragment (#gamma=1)",
                                           default: "none", accepted: "a path ending in .html", parse: Parse.text)
    public static let reportExtensions = [".html"]
    public static let timings = SwitchOption("timings", readers: .noResult, help: "add per-method seconds to the JSON (it then differs between runs)")
    public static let samplesOut = ValueOption("samples-out", readers: .noResult, value: "FILE",
                                               help: "the final samples in long format (method, repeat, particle, x1..xd); .npy adds a JSON sidecar naming columns and methods",
                                               default: "none", accepted: "a path ending in .csv or .npy", parse: Parse.text)
    public static let trajectoriesOut = ValueOption("trajectories-out", readers: .noResult, value: "FILE",
                                                    help: "the recorded trajectories (method, repeat, particle, level, sigma, phase, x1..xd)",
                                                    default: "none", accepted: "a path ending in .csv or .npy", parse: Parse.text)

    public static let size = ValueOption("size", readers: .noResult, value: "SIZE",
                                         help: "the figure's size: column (3.25 in wide) or page (6.75 in) for print, the height following the layout; WxHin or WxHpt physical; WxH in pixels (PDF 0.75 pt per pixel)",
                                         default: "PDF: page; SVG and PNG: the composite's own pixels (900x620 for one panel)",
                                         accepted: "column, page, WxH with integers from \(FigureSize.pixelRange.lowerBound) to \(FigureSize.pixelRange.upperBound), or WxHin / WxHpt with sides from 1 in (72 pt) to 20 in (1440 pt)",
                                         parse: { text in
                                             guard let size = FigureSize.parse(text) else { throw InvalidValue() }
                                             return size
                                         })
    public static let fontSize = ValueOption("font-size", readers: .noResult, value: "PX",
                                             help: "tick-label size in pixels (0.75 pt each); every text of the figure scales with it",
                                             default: "11", accepted: "a number from \(SweepAxis.shortText(FigureOptions.minimumFontSize)) (the smallest that prints at 7 pt) to 88",
                                             parse: { text in
                                                 guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite, v <= 88 else { throw InvalidValue() }
                                                 guard v >= FigureOptions.minimumFontSize else {
                                                     throw InvalidValue("prints at \(SweepAxis.shortText(v * Figure.pointsPerPixel)) pt, below \(SweepAxis.shortText(Figure.minimumTextPoints)) pt; the smallest allowed is \(SweepAxis.shortText(FigureOptions.minimumFontSize))")
                                                 }
                                                 return v
                                             })
    public static let dpi = ValueOption("dpi", readers: .noResult, value: "N", help: "dots per inch of a PNG or PPM at a print --size",
                                        default: "300", accepted: "a number from 50 to 1200", parse: Parse.number(where: { (50...1200).contains($0) }))

    /// The figure options every command that draws a figure takes.
    public static let figureOptions: [any CommandOption] = [size, fontSize, dpi]

    /// `--size`, `--font-size` and `--dpi`, with the panels chosen (`--panels`, experiment commands
    /// only), checked against the figure paths: each needs one (`UsageError` otherwise, before any work).
    public static func figureOptions(_ args: ParsedArguments, panels: [String]? = nil, paths: [String]) throws -> FigureOptions {
        let options = FigureOptions(panels: panels, size: try args.value(size), fontSize: try args.value(fontSize), dpi: try args.value(dpi))
        if paths.isEmpty, let given = figureOptions.first(where: { args.has($0) }) {
            throw UsageError(message: "--\(given.name) shapes the figure; give --plot PATH (or --ppm PATH, or --report PATH.html, where the command has them) as well")
        }
        try options.check(paths: paths)
        return options
    }

    /// `--report`, checked (a writable path ending in .html), or nil when not given.
    public static func reportPath(_ args: ParsedArguments) throws -> String? {
        let path = try args.value(report)
        if let path { try OutputPaths.check(path, option: report.name, extensions: reportExtensions) }
        return path
    }

    /// `--json`, checked (a writable path ending in .json, or - for stdout), or nil when not given.
    public static func jsonPath(_ args: ParsedArguments) throws -> String? {
        let path = try args.value(json)
        if let path { try OutputPaths.check(path, option: json.name, extensions: [".json"], allowStdout: true) }
        return path
    }
}
