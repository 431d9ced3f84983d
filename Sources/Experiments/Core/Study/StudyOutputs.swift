import Foundation
import Plot

/// The outputs of a study (sweep, frontier, or their merge), all made from its document alone: the
/// text table, the JSON, the long CSV and the figure. A merged document therefore gives the same
/// bytes as an unsharded run.
public enum StudyOutputs {
    public enum Document: Sendable, Equatable {
        case sweep(SweepDocument)
        case frontier(FrontierDocument)
        case tunedFrontier(TunedFrontierDocument)

        public func text() -> String {
            switch self {
            case let .sweep(d): return d.text()
            case let .frontier(d): return d.text()
            case let .tunedFrontier(d): return d.text()
            }
        }

        public func json() throws -> Data {
            switch self {
            case let .sweep(d): return try d.encoded()
            case let .frontier(d): return try d.encoded()
            case let .tunedFrontier(d): return try d.encoded()
            }
        }

        public func csv() -> String {
            switch self {
            case let .sweep(d): return d.csv()
            case let .frontier(d): return d.csv()
            case let .tunedFrontier(d): return d.csv()
            }
        }

        public func figure() -> Figure {
            switch self {
            case let .sweep(d): return SweepFigure.figure(d)
            case let .frontier(d): return FrontierFigure.figure(d)
            case let .tunedFrontier(d): return d.figure()
            }
        }

        public var metrics: [String] {
            switch self {
            case let .sweep(d): return d.metrics
            case let .frontier(d): return d.metrics
            case let .tunedFrontier(d): return d.metrics
            }
        }

        public var modeNames: [String] {
            switch self {
            case let .sweep(d): return d.experiment.modeNames
            case let .frontier(d): return d.experiment.modeNames
            case let .tunedFrontier(d): return d.experiment.modeNames
            }
        }

        /// The same document showing other metrics.
        public func showing(_ metrics: [String]) -> Document {
            switch self {
            case var .sweep(d): d.metrics = metrics; return .sweep(d)
            case var .frontier(d): d.metrics = metrics; return .frontier(d)
            case var .tunedFrontier(d): d.metrics = metrics; return .tunedFrontier(d)
            }
        }
    }

    /// Checks the output paths (extension, writable folder, distinct files); `report` is the HTML
    /// report of `sweep` and `frontier` (not of `merge`).
    public static func check(json: String?, csv: String?, plot: String?, report: String? = nil) throws -> (json: String?, csv: String?, plot: String?, report: String?) {
        if let json { try OutputPaths.check(json, option: "json", extensions: [".json"], allowStdout: true) }
        if let csv { try OutputPaths.check(csv, option: "csv", extensions: [".csv"]) }
        if let plot { try OutputPaths.check(plot, option: "plot", extensions: OutputOptions.plotExtensions) }
        if let report { try OutputPaths.check(report, option: OutputOptions.report.name, extensions: OutputOptions.reportExtensions) }
        try OutputPaths.checkDistinct([("json", json), ("csv", csv), ("plot", plot), ("report", report)].compactMap { o, p in p.map { (o, $0) } })
        return (json, csv, plot, report)
    }

    /// Everything to print and write, rendered in memory: stdout (the table, or the JSON for
    /// `--json -`) and each file's bytes, the figure sized by `figure`. Throws `RunError` when the
    /// figure cannot be rendered.
    public static func render(_ document: Document, json: String?, csv: String?, plot: String?,
                              figure: FigureOptions = FigureOptions()) throws -> (stdout: Data, files: [(path: String, bytes: [UInt8])]) {
        let encoded = try document.json()
        var files: [(path: String, bytes: [UInt8])] = []
        if let json, json != "-" { files.append((json, Array(encoded))) }
        if let csv { files.append((csv, Array(document.csv().utf8))) }
        if let plot {
            do { files.append((plot, try figure.bytes(document.figure(), path: plot))) } catch {
                throw RunError(message: "the figure could not be rendered: \(error)")
            }
        }
        return (json == "-" ? encoded : Data((document.text() + "\n").utf8), files)
    }
}
