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
    public func text() -> String {
        let axisText = axes.map { "\($0.name) (\($0.values.count) values)" }.joined(separator: " x ")
        let seeds = repeats.seeds
        var lines = ["sweep of \(axisText) = \(cellCount) cells\(shard.map { ", shard \($0.index)/\($0.count) holding \($0.cells.count)" } ?? ""); "
            + "\(repeats.count) repeat\(repeats.count == 1 ? "" : "s") (seeds \(seeds.first ?? 0) ... \(seeds.last ?? 0)); each entry: mean +- half-width of the 95% interval"]
        let headers = axes.map(\.name) + methods.flatMap { m in metrics.map { "\(m) \($0)" } }
        let rows = cells.map { cell in
            cell.values + methods.flatMap { m in metrics.map { summary(cell: cell, method: m, metric: $0)?.text ?? "undefined" } }
        }
        lines.append(TextTable(headers: headers, rows: rows, alignments: axes.map { _ in .left } + Array(repeating: .right, count: headers.count - axes.count),
                               rule: true).text())
        lines += bestLines()
        return lines.joined(separator: "\n")
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
                    if let paired = try? RepeatSummary.paired(s.values, minus: strong.values), strong.mean != nil {
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

    /// Whether `method` beats strong in `cell` on `metric`: the 95% interval of the per-seed difference
    /// of badness (`MetricGoal`; for lower-is-better metrics the difference of values) lies below 0.
    public func beatsStrong(cell: Cell, method: String, metric: String) -> Bool {
        let goal = MetricGoal(metric: metric, spec: experiment)
        guard let a = summary(cell: cell, method: method, metric: metric)?.values,
              let b = summary(cell: cell, method: "strong", metric: metric)?.values,
              let paired = try? RepeatSummary.paired(a.map(goal.badness), minus: b.map(goal.badness)),
              let upper = paired.confidenceInterval?.upperBound else { return false }
        return upper < 0
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
