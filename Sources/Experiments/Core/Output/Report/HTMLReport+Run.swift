import Foundation
import Plot

extension HTMLReport {
    /// The report of `1d`, `2d` or `run`: the summary (and repeat) tables, the run's figure (as `--plot`
    /// draws it, `figureOptions` applied), seeds, per-method seconds and the experiment.
    public static func run(_ run: ExperimentRun, command: String, figure: Figure, context: Context) throws -> HTMLReport {
        let spec = run.spec
        let repeats = max(1, spec.repeats)
        let timing = run.results.map { "\($0.method.rawValue) \(NumberFormat.fixed($0.seconds, 2)) s" }.joined(separator: ", ")
        return HTMLReport(
            title: "toy-w2sd \(command): \(spec.dimension)D" + (run.source.map { ", " + $0 } ?? ""),
            context: context,
            seeds: seedText(first: spec.seed, count: repeats),
            timingDetail: "per method " + timing + (repeats > 1 ? " (first of \(repeats) repeats)" : ""),
            blocks: run.textBlocks(), figure: ReportFigure(figure: figure),
            configuration: try configurationText(spec), selection: nil)
    }

    /// "0" or "0 ... 2 (3 repeats)".
    static func seedText(first: UInt64, count: Int) -> String {
        count <= 1 ? "\(first)" : "\(first) ... \(first &+ UInt64(count - 1)) (\(count) repeats, one seed each)"
    }

    /// The experiment as the JSON reports write it (their `experiment` key, the `--config` format).
    static func configurationText(_ spec: ExperimentSpec) throws -> String {
        String(decoding: try ReportEncoding.encode(spec), as: UTF8.self)
    }
}
