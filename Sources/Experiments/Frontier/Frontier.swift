import Foundation
import Toy

/// The equal-budget frontier (W2SD-NOTES section 8): for each budget B of score evaluations per
/// particle and each method variant, the largest T >= 2 whose exact evaluation count per particle
/// does not exceed B, then that variant's metrics at that T. Cells are budget-major: cell
/// j = (budget index) x (variant count) + (variant index). A budget below a variant's count at T = 2
/// makes that cell unavailable.
///
/// Counting: the evaluations per particle of T steps are counted by running one particle (what every
/// particle of the full run spends, for every method whose count does not depend on the particle;
/// `exact` inversion's Newton iterations can differ per particle, and the run's own `evals/particle`
/// metric then shows the mean). The count is not linear in T, and not always monotone: steps cost
/// more inside a guidance interval or a reflection window, and how many of the T Karras levels fall
/// into a sigma interval is within 1 of a linear function of T (likewise floor(f T) for lambda = fT).
/// So count(T) = L(T) + e(T) with L non-decreasing and 0 <= e(T) <= E, E at most a few per-step costs,
/// and count(T') >= count(T) - E for every T' > T. The search bisects between T = 2 and
/// T = min(B + 1, 10^6) for a T with count(T) <= B < count(T + 1), then goes on upward while
/// count(T) <= B + 8 c_max (c_max the largest evaluations of one step seen), taking any larger T that
/// fits: the largest T with count(T) <= B, exactly.
///
/// The stochastic baselines' fresh noise does not change their count, which is (times the field's cost)
/// 2 T - 1 for `edm-churn` and 2 T - 1 + 2 K N for `restart` (K restarts of N Heun steps, whatever T:
/// a budget below 3 + 2 K N leaves the cell unavailable); `z-sampling` counts as W2SD with two guided
/// fields of cost 2 (Euler, `paper` inversion, lambda = T - 1: 2 T + 4 (T - 1)).
public struct Frontier: Sendable, Equatable {
    public var base: ExperimentSpec
    public var budgets: [Int]
    public var variants: [FrontierVariant]
    /// Per cell: the chosen T and its exact evaluations per particle; nil when unavailable.
    public var choices: [Choice?]

    public struct Choice: Sendable, Equatable {
        public var steps: Int
        public var evaluationsPerParticle: Int
    }

    public static let maxSteps = 1_000_000

    /// Chooses T for every cell; throws when the base's lambda is a step count (T varies: give a
    /// fraction of T) or when no cell fits its budget.
    public init(base: ExperimentSpec, budgets: [Int], variants: [FrontierVariant]) throws {
        guard !budgets.isEmpty, !variants.isEmpty else {
            throw UsageError(message: "frontier needs --budgets, e.g. --budgets 25,50,100,200")
        }
        if case let .steps(l)? = base.lambda {
            throw UsageError(message: "lambda \(l) (from --lambda or --config) is a step count, and the frontier chooses T per budget; accepted: lambda as a fraction of T (e.g. --lambda 0.5T)")
        }
        self.base = base
        self.budgets = budgets
        self.variants = variants
        var choices: [Choice?] = []
        for budget in budgets {
            for variant in variants {
                let spec = try Self.spec(base, variant)
                choices.append(try Self.largestSteps(spec, budget: budget))
            }
        }
        self.choices = choices
        guard choices.contains(where: { $0 != nil }) else {
            let minimum = try variants.map { "\($0.name) needs \(try Self.evaluationsPerParticle(Self.spec(base, $0), steps: 2))" }
            throw UsageError(message: "no variant fits any budget (\(budgets.map(String.init).joined(separator: ", "))) at T = 2: \(minimum.joined(separator: ", ")) evaluations per particle; accepted: larger budgets")
        }
    }

    public var cellCount: Int { budgets.count * variants.count }

    /// (budget index, variant index) of cell j.
    public func indices(ofCell j: Int) -> (budget: Int, variant: Int) { (j / variants.count, j % variants.count) }

    /// The base with the variant applied (its method alone, its settings), errors as `UsageError`.
    static func spec(_ base: ExperimentSpec, _ variant: FrontierVariant) throws -> ExperimentSpec {
        var spec = base
        do { try variant.apply(to: &spec) } catch let error as InvalidValue {
            throw UsageError(message: "--variants: \(error.detail ?? variant.name)")
        }
        return spec
    }

    /// The experiment of cell j at its chosen T; nil when unavailable.
    public func spec(ofCell j: Int) throws -> ExperimentSpec? {
        guard let choice = choices[j] else { return nil }
        var spec = try Self.spec(base, variants[indices(ofCell: j).variant])
        spec.steps = choice.steps
        return spec
    }

    /// Score evaluations per particle of `spec`'s (one) method with T = `steps`, counted on one particle.
    public static func evaluationsPerParticle(_ spec: ExperimentSpec, steps: Int) throws -> Int {
        try evaluationsPerStep(spec, steps: steps).reduce(0, +)
    }

    /// Score evaluations of each step (its reflection included) of `spec`'s (one) method with T = `steps`,
    /// counted on one particle (`SamplingRun.evaluationsPerStep`).
    static func evaluationsPerStep(_ spec: ExperimentSpec, steps: Int) throws -> [Int] {
        var one = spec
        one.steps = steps
        one.samples = 1
        do {
            try one.validate()
            let models = try one.models()
            let run = try MethodCatalogue.run(one.methods[0], models: models, spec: one, threads: 1, trajectories: 0, keepSamples: false)
            return try run.evaluationsPerStep()
        } catch let error as ExperimentSpec.Conflict {
            throw UsageError(message: "\(one.methods[0].rawValue) at T = \(steps): \(error.message)")
        } catch let error as ToyError {
            throw UsageError(message: "\(one.methods[0].rawValue) at T = \(steps): \(error)")
        }
    }

    /// The largest T in 2 ... 10^6 with count(T) <= budget, or nil when count(2) > budget: bisection,
    /// then the upward check that makes it exact where the count is not monotone (see the type's comment).
    public static func largestSteps(_ spec: ExperimentSpec, budget: Int) throws -> Choice? {
        var largestStep = 0
        func count(_ steps: Int) throws -> Int {
            let perStep = try evaluationsPerStep(spec, steps: steps)
            largestStep = max(largestStep, perStep.max() ?? 0)
            return perStep.reduce(0, +)
        }
        let low = try count(2)
        guard low <= budget else { return nil }
        var lo = 2, loCount = low
        var hi = min(budget + 1, maxSteps)
        let hiCount = try count(hi)
        if hiCount <= budget { return Choice(steps: hi, evaluationsPerParticle: hiCount) }
        // Invariant: count(lo) <= budget < count(hi).
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            let c = try count(mid)
            if c <= budget { (lo, loCount) = (mid, c) } else { hi = mid }
        }
        // Past a dip of the count: any T' > T has count(T') >= count(T) - E, E <= 8 c_max.
        var steps = lo + 1
        while steps <= min(budget + 1, maxSteps) {
            let c = try count(steps)
            if c <= budget { (lo, loCount) = (steps, c) } else if c > budget + 8 * largestStep { break }
            steps += 1
        }
        return Choice(steps: lo, evaluationsPerParticle: loCount)
    }

    /// Runs the available cells (all, or those of `shard`) and returns the document of their results.
    public func run(command: String, metrics: [String], shard: StudyShard? = nil, executor: StudyExecutor,
                    progress: ProgressReporter? = nil) throws -> FrontierDocument {
        let held = shard?.cells(of: cellCount) ?? Array(0..<cellCount)
        let runnable = try held.compactMap { j in try spec(ofCell: j).map { (j, $0) } }
        progress?.begin("\(runnable.count) cells", whenDone: "done")
        let runs = try executor.run(runnable.map(\.1)) { done, total in progress?.update(done, total) }
        var byCell: [Int: RepeatedRuns] = [:]
        for ((j, _), r) in zip(runnable, runs) { byCell[j] = r }
        let cells = held.map { j -> FrontierDocument.Cell in
            let (b, v) = indices(ofCell: j)
            return FrontierDocument.Cell(index: j, budget: budgets[b], variant: variants[v].name, steps: choices[j]?.steps,
                                         evaluationsPerParticle: choices[j]?.evaluationsPerParticle,
                                         metrics: byCell[j].flatMap { MethodMetrics.from($0).first?.metrics },
                                         learnedModels: byCell[j].flatMap { $0.learnedModels.isEmpty ? nil : $0.learnedModels })
        }
        return FrontierDocument(command: command, frontier: self, metrics: metrics, cells: cells,
                                shard: shard.map { ShardInfo(index: $0.index, count: $0.count, cells: held) })
    }
}
