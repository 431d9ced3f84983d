import Foundation
import Plot
import Toy

/// The document of `frontier --tune` (schema `toy-w2sd.frontier-tuned/1`): the tuning and held-out
/// seed lists, how many configurations each family tried, and per budget and family every candidate's
/// T, cost and tuning mean, the chosen candidate, its held-out metrics and its paired difference to
/// strong; per budget the held-out ranking and whether the first is shown better than the runner-up.
public struct TunedFrontierDocument: Codable, Sendable, Equatable {
    public static let schemaName = "toy-w2sd.frontier-tuned/1"

    public struct Candidate: Codable, Sendable, Equatable {
        public var variant: String
        public var steps: Int?
        public var evaluationsPerParticle: Int?
        /// The selection metric's mean over the tuning seeds (null where the budget does not allow it).
        public var tuningMean: Double?
    }

    /// A difference with its 95% interval, over paired seeds.
    public struct Paired: Codable, Sendable, Equatable {
        public var mean: Double
        public var lower: Double?
        public var upper: Double?

        init?(_ summary: RepeatSummary?) {
            guard let summary else { return nil }
            (mean, lower, upper) = (summary.mean, summary.confidenceInterval?.lowerBound, summary.confidenceInterval?.upperBound)
        }

        /// Whether the interval excludes 0.
        public var excludesZero: Bool { (lower ?? 0) > 0 || (upper ?? 0) < 0 }

        var text: String {
            guard let lower, let upper else { return "\(NumberFormat.significant(mean, 3)) (no interval)" }
            return "\(NumberFormat.significant(mean, 3)) [\(NumberFormat.significant(lower, 3)), \(NumberFormat.significant(upper, 3))]"
                + (excludesZero ? "" : " no difference shown")
        }
    }

    public struct Family: Codable, Sendable, Equatable {
        public var family: String
        public var candidates: [Candidate]
        public var chosen: String?
        public var steps: Int?
        public var evaluationsPerParticle: Int?
        /// Every metric over the held-out seeds.
        public var heldOut: [String: MetricSummary]?
        /// The selection metric, this family minus strong, per held-out seed.
        public var pairedToStrong: Paired?
    }

    public struct Budget: Codable, Sendable, Equatable {
        public var budget: Int
        public var families: [Family]
        /// Families by held-out mean of the selection metric, best first.
        public var ranking: [String]
        /// The first minus the runner-up over the held-out seeds.
        public var firstMinusRunnerUp: Paired?
        /// The first, when its interval to the runner-up excludes 0; else null ("no difference shown").
        public var best: String?
    }

    public var schema = TunedFrontierDocument.schemaName
    public var version = ToolVersion.current
    public var toolkit = Toolkit.current
    public var command: String
    public var experiment: ExperimentSpec
    public var metric: String
    public var metrics: [String]
    public var tuningSeeds: [UInt64]
    public var heldOutSeeds: [UInt64]
    public var configurationsPerFamily: Int
    public var budgets: [Budget]
    /// The learned models' evaluations over all tuning and held-out runs against their trained ranges
    /// (absent without learned models).
    public var learnedModels: [TrainedRangeUse]?

    init(command: String, tuning: FrontierTuning, metrics: [String], choices: [[[Frontier.Choice?]]], tuningMeans: [[[Double?]]],
         chosen: [(budget: Int, family: Int, candidate: Int, runs: RepeatedRuns)], learnedModels: [TrainedRangeUse] = []) {
        self.learnedModels = learnedModels.isEmpty ? nil : learnedModels
        self.command = command
        experiment = tuning.base
        metric = tuning.metric
        self.metrics = metrics
        tuningSeeds = Array(tuning.tuningSeeds)
        heldOutSeeds = Array(tuning.heldOutSeeds)
        configurationsPerFamily = tuning.configurations
        let goal = MetricGoal(metric: tuning.metric, spec: tuning.base)
        budgets = tuning.budgets.enumerated().map { b, budget in
            let runsOf = { (f: Int) in chosen.first { $0.budget == b && $0.family == f } }
            let values = { (f: Int) -> [Double]? in runsOf(f).map { $0.runs.metrics[0].map { $0[tuning.metric] ?? .nan } } }
            let strong = tuning.families.firstIndex { $0.method == .strong }.flatMap(values)
            let families = tuning.families.enumerated().map { f, family -> Family in
                let tried = tuning.tried(family)
                let candidates = tried.indices.map { c in
                    Candidate(variant: tried[c].name, steps: choices[b][f][c]?.steps, evaluationsPerParticle: choices[b][f][c]?.evaluationsPerParticle,
                              tuningMean: tuningMeans[b][f][c])
                }
                guard let run = runsOf(f), let mine = values(f) else {
                    return Family(family: family.method.rawValue, candidates: candidates)
                }
                let paired = family.method == .strong ? nil : strong.flatMap { Paired(try? RepeatSummary.paired(mine, minus: $0)) }
                return Family(family: family.method.rawValue, candidates: candidates, chosen: tried[run.candidate].name,
                              steps: choices[b][f][run.candidate]?.steps, evaluationsPerParticle: choices[b][f][run.candidate]?.evaluationsPerParticle,
                              heldOut: MethodMetrics.from(run.runs).first?.metrics, pairedToStrong: paired)
            }
            // Rank by the held-out mean's badness; compare the first two over the same seeds.
            let ranked = tuning.families.indices.compactMap { f -> (Int, Double)? in
                guard let v = values(f), v.allSatisfy(\.isFinite) else { return nil }
                return (f, goal.badness(v.reduce(0, +) / Double(v.count)))
            }.sorted { $0.1 < $1.1 }
            var difference: Paired?
            if ranked.count >= 2, let first = values(ranked[0].0), let second = values(ranked[1].0) {
                // Badness per seed, so that "lower is better" holds for targets too.
                difference = Paired(try? RepeatSummary.paired(first.map(goal.badness), minus: second.map(goal.badness)))
            }
            return Budget(budget: budget, families: families, ranking: ranked.map { tuning.families[$0.0].method.rawValue },
                          firstMinusRunnerUp: difference,
                          best: difference?.excludesZero == true ? tuning.families[ranked[0].0].method.rawValue : nil)
        }
    }

    public func encoded() throws -> Data { try ReportEncoding.encode(self) }

    /// Per budget: a table of the families (chosen candidate, T, cost, held-out metrics, paired
    /// difference to strong) and the verdict on the first.
    public func text() -> String { blocks().text }

    /// The text of `text()` as blocks (shared with the HTML report).
    public func blocks() -> [ReportBlock] {
        let tuning = "\(tuningSeeds.first ?? 0)...\(tuningSeeds.last ?? 0)", heldOut = "\(heldOutSeeds.first ?? 0)...\(heldOutSeeds.last ?? 0)"
        let opening = "Tuned frontier: each family tried \(configurationsPerFamily) configurations of its own settings on seeds \(tuning) (selected by \(metric)), "
        var lines: [ReportBlock] = [.line(opening + "reported on the held-out seeds \(heldOut) (n = \(heldOutSeeds.count)); differences to strong are paired by seed, with 95% intervals.")]
        for budget in budgets {
            let rows = budget.families.map { f -> [String] in
                let head: [String] = [f.family, f.chosen ?? "unavailable", f.steps.map(String.init) ?? "-", f.evaluationsPerParticle.map(String.init) ?? "-"]
                let held: [String] = metrics.map { f.heldOut?[$0]?.text ?? "-" }
                let paired: String = f.family == "strong" ? "(reference)" : f.pairedToStrong?.text ?? "-"
                return head + held + [paired]
            }
            lines += [.line(""), .line("Budget \(budget.budget) evaluations per particle:"),
                      .table(TextTable(headers: ["family", "chosen", "T", "evals/particle"] + metrics.map { "\($0) (held out)" } + ["\(metric) minus strong [95%]"],
                                       rows: rows), trimmed: true)]
            if let first = budget.ranking.first, budget.ranking.count >= 2, let d = budget.firstMinusRunnerUp {
                lines.append(.line(budget.best != nil
                    ? "  best: \(first) (\(metric) minus the runner-up \(budget.ranking[1]): \(d.text), which excludes 0)"
                    : "  no family shown best: \(first) minus the runner-up \(budget.ranking[1]) is \(d.text) (the interval contains 0)"))
            }
        }
        lines += (learnedModels ?? []).map { .line($0.note + " (all runs)") }
        return lines
    }

    /// Long format: one row per budget, family and metric over the held-out seeds.
    public func csv() -> String {
        var rows = ["budget,family,chosen,steps,evaluations_per_particle,metric,n,mean,sd,lower,upper,minus_strong,minus_strong_lower,minus_strong_upper"]
        func number(_ v: Double?) -> String { v.map { "\($0)" } ?? "" }
        for budget in budgets {
            for f in budget.families {
                for name in metrics {
                    let m = f.heldOut?[name]
                    let paired = name == metric ? f.pairedToStrong : nil
                    rows.append([String(budget.budget), f.family, f.chosen ?? "", f.steps.map(String.init) ?? "", f.evaluationsPerParticle.map(String.init) ?? "",
                                 name, m.map { String($0.n) } ?? "", number(m?.mean), number(m?.standardDeviation), number(m?.lower), number(m?.upper),
                                 number(paired?.mean), number(paired?.lower), number(paired?.upper)].joined(separator: ","))
                }
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// The selection metric's held-out mean and 95% interval against the chosen candidate's cost, one
    /// line per family.
    public func figure() -> Figure {
        let goal = MetricGoal(metric: metric, spec: experiment)
        // Room above the highest interval for the legend, so that it covers no line (a lower-is-better metric from 0).
        let highest = budgets.flatMap { $0.families.compactMap { $0.heldOut?[metric]?.upper } }.max() ?? 1
        let limits = goal.target == nil && highest > 0 ? AxisLimits(0, 1.45 * highest) : nil
        var panel = Panel(title: "\(metric) on held-out seeds (n = \(heldOutSeeds.count)) after tuning \(configurationsPerFamily) configurations per family",
                          xAxis: Axis(label: "score evaluations per particle", scale: .log),
                          yAxis: Axis(label: metric + " (" + goal.description + " is best)", limits: limits),
                          legend: limits == nil ? .automatic : .topRight)
        let names = budgets.first?.families.map(\.family) ?? []
        let dashes: [[Double]] = [[], [], [], [7, 4], [2, 3], [9, 3, 2, 3]]
        for (v, name) in names.enumerated() {
            let points = budgets.compactMap { b -> (Double, MetricSummary)? in
                guard let f = b.families.first(where: { $0.family == name }), let cost = f.evaluationsPerParticle, let m = f.heldOut?[metric] else { return nil }
                return (Double(cost), m)
            }
            let color = MethodName(rawValue: name).map(MethodStyle.color) ?? Color.categorical(v)
            let x = points.map(\.0), mean = points.map { $0.1.mean ?? .nan }
            panel.add(.band(Band(x: x, lower: points.map { $0.1.lower ?? .nan }, upper: points.map { $0.1.upper ?? .nan }, color: color, opacity: 0.16)))
            panel.add(.lines(Lines(x: x, y: mean, style: LineStyle(color: color, width: 2, dash: dashes[v % dashes.count]), label: name)))
            panel.add(.scatter(Scatter(x: x, y: mean, shape: .dot, color: color, size: 6)))
        }
        return Figure(title: "Tuned equal-budget frontier: \(experiment.dimension)D, \(experiment.particles) particles", width: 820, height: 560,
                      rows: 1, columns: 1, panels: [panel])
    }
}
