import Foundation
import Toy

/// The JSON document of a sweep (schema `toy-w2sd.sweep/1`): the base experiment (its `--config`
/// format, so `--config` of this document reruns the base), the axes, the metrics shown, the seeds,
/// and every cell's results: per method, every `RunMetrics` metric over the repeats (per-seed values,
/// mean, standard deviation, 95% interval). A shard's document (`--shard K/N`) holds only its cells and
/// a `shard` object; `toy-w2sd merge` combines the shards into the document one unsharded run writes.
/// No thread count or timing is recorded, so the same study gives the same bytes anywhere.
public struct SweepDocument: Codable, Sendable, Equatable {
    public static let schemaName = "toy-w2sd.sweep/1"

    public struct Cell: Codable, Sendable, Equatable {
        /// j, in the fixed cell order.
        public var index: Int
        /// The value of each axis.
        public var values: [String]
        public var methods: [MethodMetrics]
        /// The learned models' evaluations in this cell against their trained ranges (absent without learned models).
        public var learnedModels: [TrainedRangeUse]? = nil
    }

    public var schema: String
    public var version: String
    /// The version and build that wrote the document (shards to merge must agree).
    public var toolkit: Toolkit
    public var command: String
    public var experiment: ExperimentSpec
    public var axes: [SweepAxis]
    public var cellCount: Int
    /// The metrics of the table and the figure (every metric is in `cells`).
    public var metrics: [String]
    public var repeats: StudyRepeats
    public var cells: [Cell]
    public var shard: ShardInfo?

    public init(command: String, sweep: Sweep, metrics: [String], cells: [Cell], shard: ShardInfo?) {
        schema = Self.schemaName
        version = ToolVersion.current
        toolkit = Toolkit.current
        self.command = command
        experiment = sweep.base
        axes = sweep.axes
        cellCount = sweep.cellCount
        self.metrics = metrics
        repeats = StudyRepeats(spec: sweep.base)
        self.cells = cells
        self.shard = shard
    }

    public func encoded() throws -> Data { try ReportEncoding.encode(self) }

    /// The methods, in run order.
    public var methods: [String] { experiment.methods.map(\.rawValue) }

    /// The summary of a metric of a method in a cell.
    public func summary(cell: Cell, method: String, metric: String) -> MetricSummary? {
        cell.methods.first { $0.method == method }?.metrics[metric]
    }

    // MARK: text

    /// The table: one row per cell (axis values), one column per method and shown metric, each cell
    /// mean +- half-width of the 95% interval; then each method's best cell per metric against strong.
    public func text() -> String { blocks().text }

    /// The text of `text()` as blocks (shared with the HTML report).
    public func blocks() -> [ReportBlock] {
        let axisText = axes.map { "\($0.name) (\($0.values.count) values)" }.joined(separator: " x ")
        let seeds = repeats.seeds
        var blocks: [ReportBlock] = [.line("sweep of \(axisText) = \(cellCount) cells\(shard.map { ", shard \($0.index)/\($0.count) holding \($0.cells.count)" } ?? ""); "
            + "\(repeats.count) repeat\(repeats.count == 1 ? "" : "s") (seeds \(seeds.first ?? 0) ... \(seeds.last ?? 0)); each entry: mean +- half-width of the 95% interval")]
        let headers = axes.map(\.name) + methods.flatMap { m in metrics.map { "\(m) \($0)" } }
        let rows = cells.map { cell in
            cell.values + methods.flatMap { m in metrics.map { summary(cell: cell, method: m, metric: $0)?.text ?? "undefined" } }
        }
        blocks.append(.table(TextTable(headers: headers, rows: rows, alignments: axes.map { _ in .left } + Array(repeating: .right, count: headers.count - axes.count),
                                       rule: true), trimmed: false))
        return blocks + bestLines().map(ReportBlock.line)
            + TrainedRangeUse.total(cells.compactMap(\.learnedModels)).map { .line($0.note + " (all cells)") }
    }

    /// Per method and metric: the best cell (by `MetricGoal`) with its interval, and there the paired
    /// difference to strong (same seeds).
    func bestLines() -> [String] {
        var lines: [String] = []
        for metric in metrics {
            let goal = MetricGoal(metric: metric, spec: experiment)
            for method in methods where method != "strong" {
                guard let (cell, s) = best(method: method, metric: metric) else { continue }
                var line = "best \(method) \(metric) (\(goal.description)): \(s.text) at \(Sweep.label(values: cell.values, axes: axes))"
                if let strong = summary(cell: cell, method: "strong", metric: metric) {
                    line += "; strong there \(strong.text)"
                    if let paired = pairedToStrong(cell: cell, method: method, metric: metric), strong.mean != nil {
                        line += "; paired \(method) - strong \(RepeatTable.interval(paired))"
                    }
                }
                lines.append(line)
            }
        }
        return lines
    }

    /// The cell where `method`'s mean of `metric` is best (first on ties).
    public func best(method: String, metric: String) -> (Cell, MetricSummary)? {
        let goal = MetricGoal(metric: metric, spec: experiment)
        var found: (cell: Cell, summary: MetricSummary, badness: Double)?
        for cell in cells {
            guard let s = summary(cell: cell, method: method, metric: metric), let mean = s.mean else { continue }
            let bad = goal.badness(mean)
            if bad < found?.badness ?? .infinity { found = (cell, s, bad) }
        }
        return found.map { ($0.cell, $0.summary) }
    }

    /// The paired difference method - strong of a metric in a cell: per seed the method's value minus
    /// strong's (the same seeds), summarised (`RepeatSummary.paired`); nil without both, or for strong.
    public func pairedToStrong(cell: Cell, method: String, metric: String) -> RepeatSummary? {
        guard method != "strong", let a = summary(cell: cell, method: method, metric: metric)?.values,
              let b = summary(cell: cell, method: "strong", metric: metric)?.values else { return nil }
        return try? RepeatSummary.paired(a, minus: b)
    }

    // MARK: CSV

    /// Long format: one row per cell, method and metric (every metric): the axis values, method,
    /// metric, n, mean, sd, lower, upper (empty when undefined).
    public func csv() -> String {
        var lines = [(axes.map(\.name) + ["method", "metric", "n", "mean", "sd", "lower", "upper"]).map(CSV.field).joined(separator: ",")]
        let names = RunMetrics.names(modeNames: experiment.modeNames)
        for cell in cells {
            for method in cell.methods {
                for metric in names + method.metrics.keys.sorted().filter({ !names.contains($0) }) {
                    guard let s = method.metrics[metric] else { continue }
                    lines.append((cell.values + [method.method, metric] + CSV.summaryFields(s)).map(CSV.field).joined(separator: ","))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The CSV conventions of the study files: RFC 4180 quoting (a field with a comma, quote or line break
/// is quoted, quotes doubled) and numbers in Swift's shortest round-trip form.
enum CSV {
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func number(_ v: Double?) -> String { v.map { $0.isFinite ? "\($0)" : NumberFormat.fixed($0, 0) } ?? "" }

    /// n, mean, sd, lower, upper.
    static func summaryFields(_ s: MetricSummary) -> [String] {
        [String(s.n), number(s.mean), number(s.standardDeviation), number(s.lower), number(s.upper)]
    }
}
