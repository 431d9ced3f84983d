import Foundation
import Toy

/// The JSON document of a frontier (schema `toy-w2sd.frontier/1`): the base experiment, the budgets,
/// the variants, the metrics shown, the seeds, and per cell (budget x variant) the chosen T, its exact
/// evaluations per particle and every `RunMetrics` metric over the repeats, or `available: false`
/// when the budget is below the variant's count at T = 2. Shards and merging as for sweeps.
public struct FrontierDocument: Codable, Sendable, Equatable {
    public static let schemaName = "toy-w2sd.frontier/1"

    public struct Cell: Codable, Sendable, Equatable {
        public var index: Int
        public var budget: Int
        public var variant: String
        public var available: Bool
        public var steps: Int?
        public var evaluationsPerParticle: Int?
        public var metrics: [String: MetricSummary]?
        /// The learned models' evaluations in this cell against their trained ranges (absent without learned models).
        public var learnedModels: [TrainedRangeUse]?

        public init(index: Int, budget: Int, variant: String, steps: Int?, evaluationsPerParticle: Int?, metrics: [String: MetricSummary]?,
                    learnedModels: [TrainedRangeUse]? = nil) {
            self.index = index
            self.budget = budget
            self.variant = variant
            available = steps != nil
            self.steps = steps
            self.evaluationsPerParticle = evaluationsPerParticle
            self.metrics = metrics
            self.learnedModels = learnedModels
        }
    }

    public var schema: String
    public var version: String
    /// The version and build that wrote the document (shards to merge must agree).
    public var toolkit: Toolkit
    public var command: String
    public var experiment: ExperimentSpec
    public var budgets: [Int]
    public var variants: [String]
    public var cellCount: Int
    public var metrics: [String]
    public var repeats: StudyRepeats
    public var cells: [Cell]
    public var shard: ShardInfo?

    public init(command: String, frontier: Frontier, metrics: [String], cells: [Cell], shard: ShardInfo?) {
        schema = Self.schemaName
        version = ToolVersion.current
        toolkit = Toolkit.current
        self.command = command
        experiment = frontier.base
        budgets = frontier.budgets
        variants = frontier.variants.map(\.name)
        cellCount = frontier.cellCount
        self.metrics = metrics
        repeats = StudyRepeats(spec: frontier.base)
        self.cells = cells
        self.shard = shard
    }

    public func encoded() throws -> Data { try ReportEncoding.encode(self) }

    /// The available cells on the Pareto front of (evaluations per particle, metric): no other
    /// available cell has at most the evaluations and at most the badness (`MetricGoal`) with one of
    /// them strictly less. Cell indices, in cell order.
    public func paretoFront(metric: String) -> [Int] {
        let goal = MetricGoal(metric: metric, spec: experiment)
        let points = cells.compactMap { cell -> (Int, Double, Double)? in
            guard let e = cell.evaluationsPerParticle, let mean = cell.metrics?[metric]?.mean else { return nil }
            return (cell.index, Double(e), goal.badness(mean))
        }
        return points.filter { p in
            !points.contains { q in q.1 <= p.1 && q.2 <= p.2 && (q.1 < p.1 || q.2 < p.2) }
        }.map(\.0)
    }

    /// The table: one row per budget and variant with T, the exact evaluations per particle and the
    /// shown metrics as mean +- half-width of the 95% interval; then the Pareto front per metric.
    public func text() -> String { blocks().text }

    /// The text of `text()` as blocks (shared with the HTML report).
    public func blocks() -> [ReportBlock] {
        let seeds = repeats.seeds
        var lines: [ReportBlock] = [.line("frontier of \(variants.count) variants at budgets \(budgets.map(String.init).joined(separator: ", ")) (score evaluations per particle)"
            + "\(shard.map { ", shard \($0.index)/\($0.count) holding \($0.cells.count) of \(cellCount) cells" } ?? ""); "
            + "\(repeats.count) repeat\(repeats.count == 1 ? "" : "s") (seeds \(seeds.first ?? 0) ... \(seeds.last ?? 0)); each entry: mean +- half-width of the 95% interval")]
        let headers = ["budget", "variant", "T", "evals/particle"] + metrics
        let rows = cells.map { cell -> [String] in
            guard cell.available else { return [String(cell.budget), cell.variant, "unavailable", "-"] + metrics.map { _ in "-" } }
            return [String(cell.budget), cell.variant, cell.steps.map(String.init) ?? "-", cell.evaluationsPerParticle.map(String.init) ?? "-"]
                + metrics.map { cell.metrics?[$0]?.text ?? "undefined" }
        }
        lines.append(.table(TextTable(headers: headers, rows: rows, alignments: [.right, .left, .right, .right] + metrics.map { _ in .right }, rule: true), trimmed: false))
        for metric in metrics {
            let front = Set(paretoFront(metric: metric))
            let named = cells.filter { front.contains($0.index) }.map { "\($0.variant) at \($0.evaluationsPerParticle ?? 0)" }
            lines.append(.line("Pareto front of (evals/particle, \(metric), \(MetricGoal(metric: metric, spec: experiment).description)): " + named.joined(separator: "; ")))
        }
        if cells.contains(where: { !$0.available }) {
            lines.append(.line("unavailable: the budget is below the variant's evaluations per particle at T = 2"))
        }
        lines += TrainedRangeUse.total(cells.compactMap(\.learnedModels)).map { .line($0.note + " (all cells)") }
        return lines
    }

    /// Long format: one row per cell and metric: budget, variant, T, evals/particle, available, metric,
    /// n, mean, sd, lower, upper (an unavailable cell: one row with an empty metric).
    public func csv() -> String {
        var lines = ["budget,variant,steps,evaluationsPerParticle,available,metric,n,mean,sd,lower,upper"]
        let names = RunMetrics.names(modeNames: experiment.modeNames)
        for cell in cells {
            let head = [String(cell.budget), cell.variant, cell.steps.map(String.init) ?? "", cell.evaluationsPerParticle.map(String.init) ?? "",
                        cell.available ? "true" : "false"]
            guard let metrics = cell.metrics else {
                lines.append((head + ["", "", "", "", "", ""]).map(CSV.field).joined(separator: ","))
                continue
            }
            for metric in names + metrics.keys.sorted().filter({ !names.contains($0) }) {
                guard let s = metrics[metric] else { continue }
                lines.append((head + [metric] + CSV.summaryFields(s)).map(CSV.field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
