import Foundation
import Toy

/// `frontier --tune`: every method family tuned the same way at every budget, then reported on seeds
/// it was not tuned on, so that a tuned W2SD meets tuned baselines (W2SD-NOTES section 8; the
/// controls-before-conclusions rule):
///
/// 1. For each budget B and family f, each of the family's first `configurations` candidate
///    configurations (`TuningFamily.candidates`: its own declared settings) runs at the largest T whose
///    exact evaluation count fits B (`Frontier.largestSteps`) on the tuning seeds.
/// 2. The configuration with the best mean selection metric (`MetricGoal` of the first `--metric`) on the
///    tuning seeds is chosen (the first listed on a tie); candidates no budget allows are skipped. The
///    tuning runs compute only the distances that metric needs (`RunMetrics.distances(for:)`): nothing
///    else of them is read or reported.
/// 3. The chosen configuration runs on the held-out seeds (disjoint from the tuning seeds), and so does
///    strong's chosen one: every family is reported as the paired difference to strong over the held-out
///    seeds (same seeds, so the same prior draws) with a 95% Student-t interval.
/// 4. Families are ranked by their held-out mean; the first is called best only when its paired interval
///    to the runner-up excludes 0.
public struct FrontierTuning: Sendable, Equatable {
    public var base: ExperimentSpec
    public var budgets: [Int]
    public var families: [TuningFamily]
    /// How many candidates every family tries (the same for all: a fair search).
    public var configurations: Int
    /// Contiguous seed ranges: the run of seed s uses prior draws of stream s.
    public var tuningSeeds: ClosedRange<UInt64>
    public var heldOutSeeds: ClosedRange<UInt64>
    /// The metric that selects (the first of `--metric`).
    public var metric: String

    public static let defaultTuningSeeds: ClosedRange<UInt64> = 0...4
    public static let defaultHeldOutSeeds: ClosedRange<UInt64> = 100...109
    public static let defaultConfigurations = 9

    public init(base: ExperimentSpec, budgets: [Int], families: [TuningFamily], configurations: Int = defaultConfigurations,
                tuningSeeds: ClosedRange<UInt64> = defaultTuningSeeds, heldOutSeeds: ClosedRange<UInt64> = defaultHeldOutSeeds,
                metric: String = "W1") throws {
        guard families.contains(where: { $0.method == .strong }) else {
            throw UsageError(message: "--tune reports every family against strong; accepted: a --families list with strong")
        }
        guard !tuningSeeds.overlaps(heldOutSeeds) else {
            throw UsageError(message: "--tuning-seeds \(tuningSeeds.lowerBound)..\(tuningSeeds.upperBound) and --held-out-seeds \(heldOutSeeds.lowerBound)..\(heldOutSeeds.upperBound) overlap; accepted: disjoint ranges (a result is reported on seeds it was not selected on)")
        }
        guard heldOutSeeds.count >= 2 else {
            throw UsageError(message: "--held-out-seeds gives one seed; accepted: at least two (an interval needs a spread)")
        }
        let fewest = families.map(\.candidates.count).min() ?? 0
        guard (1...fewest).contains(configurations) else {
            throw UsageError(message: "--tune-configurations \(configurations) is not valid; accepted: 1 to \(fewest) (the smallest family's candidate count)")
        }
        if case let .steps(l)? = base.lambda {
            throw UsageError(message: "lambda \(l) is a step count, and the frontier chooses T per budget; accepted: lambda as a fraction of T (e.g. --lambda 0.5T)")
        }
        (self.base, self.budgets, self.families, self.configurations) = (base, budgets, families, configurations)
        (self.tuningSeeds, self.heldOutSeeds, self.metric) = (tuningSeeds, heldOutSeeds, metric)
    }

    /// The candidates a family tries.
    public func tried(_ family: TuningFamily) -> [FrontierVariant] { Array(family.candidates.prefix(configurations)) }

    /// The experiment of one candidate at T = `steps` over a seed range.
    func spec(_ variant: FrontierVariant, steps: Int, seeds: ClosedRange<UInt64>) throws -> ExperimentSpec {
        var spec = try Frontier.spec(base, variant)
        spec.steps = steps
        spec.seed = seeds.lowerBound
        spec.repeats = seeds.count
        return spec
    }

    /// Every candidate's T at every budget (nil where T = 2 already exceeds it), budget-major.
    public func choices() throws -> [[[Frontier.Choice?]]] {
        try budgets.map { budget in try families.map { family in try tried(family).map { try Frontier.largestSteps(try Frontier.spec(base, $0), budget: budget) } } }
    }

    /// Every run the tuning stage makes, and an upper bound of the held-out stage (each family's
    /// costliest candidate), for the run-time estimate; `choices` as `choices()` returns them (computed
    /// when nil).
    public func plannedRuns(choices known: [[[Frontier.Choice?]]]? = nil) throws -> [ExperimentSpec] {
        let choices = try known ?? self.choices()
        var specs: [ExperimentSpec] = []
        for (b, _) in budgets.enumerated() {
            for (f, family) in families.enumerated() {
                let candidates = zip(tried(family), choices[b][f]).compactMap { v, c in c.map { (v, $0) } }
                specs += try candidates.map { try spec($0.0, steps: $0.1.steps, seeds: tuningSeeds) }
                if let costliest = candidates.max(by: { $0.1.evaluationsPerParticle < $1.1.evaluationsPerParticle }) {
                    specs.append(try spec(costliest.0, steps: costliest.1.steps, seeds: heldOutSeeds))
                }
            }
        }
        return specs
    }

    /// Runs both stages on `executor` and returns the document; `choices` as `choices()` returns them
    /// (computed when nil: a caller that has them, e.g. from `plannedRuns`, saves their single-particle runs).
    public func run(command: String, metrics: [String], executor: StudyExecutor, progress: ProgressReporter? = nil,
                    choices known: [[[Frontier.Choice?]]]? = nil) throws -> TunedFrontierDocument {
        let goal = MetricGoal(metric: metric, spec: base)
        let choices = try known ?? self.choices()
        // Stage 1: every candidate on the tuning seeds, all budgets at once.
        var tuningRuns: [(b: Int, f: Int, c: Int, spec: ExperimentSpec)] = []
        for b in budgets.indices {
            for (f, family) in families.enumerated() {
                for (c, variant) in tried(family).enumerated() {
                    guard let choice = choices[b][f][c] else { continue }
                    tuningRuns.append((b, f, c, try spec(variant, steps: choice.steps, seeds: tuningSeeds)))
                }
            }
        }
        progress?.begin("tuning: \(tuningRuns.count) runs on seeds \(tuningSeeds.lowerBound)...\(tuningSeeds.upperBound)", whenDone: "done")
        let tuned = try executor.run(tuningRuns.map(\.spec), distances: RunMetrics.distances(for: [metric])) { progress?.update($0, $1) }
        var tuningMeans: [[[Double?]]] = budgets.map { _ in families.map { tried($0).map { _ in nil } } }
        for (run, result) in zip(tuningRuns, tuned) {
            let values = result.metrics[0].map { $0[metric] ?? .nan }
            tuningMeans[run.b][run.f][run.c] = values.allSatisfy(\.isFinite) ? values.reduce(0, +) / Double(values.count) : nil
        }
        // Stage 2: each family's chosen candidate on the held-out seeds.
        var chosen: [(b: Int, f: Int, c: Int, spec: ExperimentSpec)] = []
        for b in budgets.indices {
            for (f, family) in families.enumerated() {
                let scored = tuningMeans[b][f].enumerated().compactMap { c, mean in mean.map { (c, goal.badness($0)) } }
                guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }), let choice = choices[b][f][best.0] else { continue }
                chosen.append((b, f, best.0, try spec(tried(family)[best.0], steps: choice.steps, seeds: heldOutSeeds)))
            }
        }
        progress?.begin("held out: \(chosen.count) runs on seeds \(heldOutSeeds.lowerBound)...\(heldOutSeeds.upperBound)", whenDone: "done")
        let heldOut = try executor.run(chosen.map(\.spec)) { progress?.update($0, $1) }
        return TunedFrontierDocument(command: command, tuning: self, metrics: metrics, choices: choices, tuningMeans: tuningMeans,
                                     chosen: zip(chosen, heldOut).map { (budget: $0.0.b, family: $0.0.f, candidate: $0.0.c, runs: $0.1) },
                                     learnedModels: TrainedRangeUse.total((tuned + heldOut).map(\.learnedModels)))
    }
}

/// A method family of `frontier --tune`: the method and its candidate configurations of its own
/// declared settings, in the order tried (the first `configurations` of them).
public struct TuningFamily: Sendable, Equatable {
    public var method: MethodName
    public var candidates: [FrontierVariant]

    /// The families with a declared search, by method.
    public static func named(_ method: MethodName) -> TuningFamily? {
        guard let texts = grids[method] else { return nil }
        return TuningFamily(method: method, candidates: texts.compactMap { try? FrontierVariant.parse($0) })
    }

    /// The default families.
    public static let defaultMethods: [MethodName] = [.strong, .w2sd, .autoguidance, .edmChurn, .restart]

    /// Nine candidates per family, each a variant of the method's own settings around its defaults:
    /// strong over the solver and the schedule's rho; W2SD over gamma and where it reflects (every step,
    /// the first half of T, or sigma in [2, 20]); autoguidance over its weight w and where it guides
    /// (every step, sigma_i in [5, 80], or sigma_i in [0.5, 10]: guidance in a limited interval); EDM churn
    /// over S_churn and its window [S_tmin, S_tmax]; Restart over the number of restarts and its interval.
    public static let grids: [MethodName: [String]] = [
        .strong: ["strong:solver=euler", "strong:solver=heun", "strong:solver=euler:rho=3", "strong:solver=heun:rho=3",
                  "strong:solver=euler:rho=12", "strong:solver=heun:rho=12", "strong:solver=euler:rho=5", "strong:solver=heun:rho=5",
                  "strong:solver=euler:rho=9"],
        .w2sd: ["w2sd:gamma=1", "w2sd:gamma=0.5", "w2sd:gamma=2", "w2sd:gamma=1:lambda=0.5T", "w2sd:gamma=0.5:lambda=0.5T",
                "w2sd:gamma=2:lambda=0.5T", "w2sd:gamma=1:reflect-sigma=2:20", "w2sd:gamma=0.5:reflect-sigma=2:20",
                "w2sd:gamma=2:reflect-sigma=2:20"],
        .autoguidance: ["autoguidance:w=2", "autoguidance:w=1.5", "autoguidance:w=3",
                        "autoguidance:w=2:guidance-interval=5:80", "autoguidance:w=1.5:guidance-interval=5:80", "autoguidance:w=3:guidance-interval=5:80",
                        "autoguidance:w=2:guidance-interval=0.5:10", "autoguidance:w=1.5:guidance-interval=0.5:10", "autoguidance:w=3:guidance-interval=0.5:10"],
        .edmChurn: ["edm-churn:s-churn=10", "edm-churn:s-churn=5", "edm-churn:s-churn=20",
                    "edm-churn:s-churn=10:s-tmin=0.5:s-tmax=10", "edm-churn:s-churn=5:s-tmin=0.5:s-tmax=10", "edm-churn:s-churn=20:s-tmin=0.5:s-tmax=10",
                    "edm-churn:s-churn=10:s-tmin=0.05:s-tmax=2", "edm-churn:s-churn=5:s-tmin=0.05:s-tmax=2", "edm-churn:s-churn=20:s-tmin=0.05:s-tmax=2"],
        .restart: ["restart:restarts=2", "restart:restarts=1", "restart:restarts=4",
                   "restart:restarts=2:restart-interval=0.5:5", "restart:restarts=1:restart-interval=0.5:5", "restart:restarts=4:restart-interval=0.5:5",
                   "restart:restarts=2:restart-interval=0.05:1", "restart:restarts=1:restart-interval=0.05:1", "restart:restarts=4:restart-interval=0.05:1"],
    ]
}
