import Foundation
import Toy

/// How well Delta1 = s_strong - s_weak stands in for Delta2 = s_ideal - s_strong on one experiment: per
/// noise level, aggregated over a sigma grid (the proxy-score analysis), and optionally across a family
/// of weak models, each also run through W2SD so the proxy can be compared with the outcome.
public struct DeltaStudy: Sendable {
    public var spec: ExperimentSpec
    public var models: ScoreModels
    /// Levels of the per-sigma table.
    public var sigmas: [Double]
    /// Levels of the proxy inner product.
    public var proxySigmas: [Double]
    /// The weak family: the varied mode's weight from `lower` to `upper` in `count` values.
    public var family: WeakFamily?
    public var threads: Int
    /// Points per axis of the 2D trapezoid grid (the error estimate compares it with 2 n - 1); 1D and
    /// d > 2 ignore it. Smaller grids trade accuracy (shown in the error column) for speed.
    public var gridPoints: Int
    /// Draws of p*(x; sigma_i) per level for the reflection's decomposition (`ReflectionDecomposition`).
    public var reflectionSamples = 4000

    public struct WeakFamily: Sendable, Equatable {
        public var lower: Double, upper: Double, count: Int
        public init(lower: Double, upper: Double, count: Int) { (self.lower, self.upper, self.count) = (lower, upper, count) }
        /// The i-th weight of the family.
        public func weight(_ i: Int) -> Double { lower + (upper - lower) * Double(i) / Double(count - 1) }
    }

    /// One weak model of the family: its weight, its proxy numbers and W2SD's outcome with it.
    public struct Member: Sendable {
        public var weight: Double
        public var proxy: ProxyAnalysis
        public var w2sdWasserstein: Double
        public var w2sdModeMasses: [Double]
    }

    public struct Result: Sendable {
        public var levels: [DeltaAlignment]
        /// Per level, the reflection's parts; nil where the level is not a step of the run's schedule
        /// (or is its last, to sigma = 0), or where an exact inversion of the weak model is not available.
        public var reflection: [ReflectionDecomposition?]
        /// Why `reflection` is empty of values, when it is (e.g. a score field without a Hessian).
        public var reflectionNote: String?
        public var proxy: ProxyAnalysis
        public var family: [Member]
        /// The learned models' evaluations in this study against their trained ranges (empty without learned models).
        public var learnedModels: [TrainedRangeUse] = []
    }

    public init(spec: ExperimentSpec, models: ScoreModels, sigmas: [Double]? = nil, proxySigmas: [Double] = ProxyAnalysis.defaultSigmas,
                family: WeakFamily? = nil, threads: Int = ProcessInfo.processInfo.activeProcessorCount, gridPoints: Int = 161) {
        self.spec = spec
        self.models = models
        self.sigmas = sigmas ?? Array(spec.samplerSettings.sigmas.dropLast())
        self.proxySigmas = proxySigmas
        self.family = family
        self.threads = threads
        self.gridPoints = gridPoints
    }

    /// The weak family's mixtures: the weak model must be a mixture.
    func familyModels() throws -> ModelTriple {
        guard let mixtures = models.mixtures else {
            throw UsageError(message: "--weak-family reweights the weak model's modes, and the strong or weak model here is a score field (guided, saturated or learned); accepted: an experiment whose strong and weak models are mixtures")
        }
        return mixtures
    }

    /// The varied component of the weak family: the weak model's missing one, else in 1D the first.
    public func familyTarget() throws -> Int {
        let weak = try familyModels().weak
        guard weak.components.count >= 2 else {
            throw UsageError(message: "--weak-family needs a weak model of at least two modes (it has \(weak.components.count))")
        }
        guard let target = weak.components.firstIndex(where: { $0.weight == 0 }) ?? (spec.dimension == 1 ? 0 : nil) else {
            throw UsageError(message: "--weak-family varies the weak model's missing mode, and it has none; accepted: give --missing MODE (or a weak weight of 0) to choose it")
        }
        return target
    }

    public func run(progress: ProgressReporter = ProgressReporter(enabled: false)) throws -> Result {
        let before = TrainedRangeUse.snapshot(spec: spec, models: models)
        let levels = integrate(models, sigmas: sigmas, progress, label: "noise levels")
        let (reflection, reflectionNote) = decompose(progress)
        let proxy = ProxyAnalysis(levels: integrate(models, sigmas: proxySigmas, progress, label: "proxy levels"))
        var members: [Member] = []
        if let family {
            let target = try familyTarget()
            let triple = try familyModels(), weak = triple.weak
            for i in 0..<family.count {
                let w = family.weight(i)
                // The chosen component gets weight w; the others share 1 - w in their present proportions.
                let weights = MixtureSpec.reweighted(weak.components.map(\.weight), component: target, to: w)
                var member = triple
                do {
                    member.weak = try weak.withWeights(weights)
                } catch {
                    throw UsageError(message: "--weak-family: weak model with weight \(NumberFormat.significant(w, 4)) on mode \(target): \(error)")
                }
                let memberProxy = ProxyAnalysis(levels: integrate(ScoreModels(member), sigmas: proxySigmas, progress,
                                                                  label: "weak model \(i + 1)/\(family.count): proxy levels"))
                progress.begin("weak model \(i + 1)/\(family.count): W2SD")
                let prior: Prior = spec.prior == .exact ? .exact(member.ideal) : .gaussian
                let run = SamplingRun(sampler: try .w2sd(strong: member.strong, weak: member.weak, settings: spec.samplerSettings),
                                      prior: prior, particles: spec.particles, seed: spec.seed, threads: threads,
                                      keepSamples: false, ideal: member.ideal)
                let stats = try run.run { progress.update($0, $1) }.statistics
                members.append(Member(weight: w, proxy: memberProxy, w2sdWasserstein: stats?.wasserstein ?? .nan,
                                      w2sdModeMasses: stats?.modes.map(\.mass) ?? []))
            }
        }
        return Result(levels: levels, reflection: reflection, reflectionNote: reflectionNote, proxy: proxy, family: members,
                      learnedModels: TrainedRangeUse.made(since: before, spec: spec, models: models))
    }

    /// The reflection's decomposition at every level that is a step sigma_i -> sigma_{i+1} > 0 of the
    /// run's schedule, with the run's solver; the draws of level i come from stream seed + i. The levels
    /// are measured concurrently on `threads` workers (each is deterministic, so the rows do not depend
    /// on the thread count); the first failure in level order is the one reported.
    func decompose(_ progress: ProgressReporter) -> ([ReflectionDecomposition?], String?) {
        let grid = spec.samplerSettings.sigmas
        let (models, solver, samples, seed) = (self.models, spec.solver, reflectionSamples, spec.seed)
        progress.begin("reflection decomposition", whenDone: "measured")
        let finished = FinishedCount(), total = sigmas.count
        let rows: [Swift.Result<ReflectionDecomposition?, Error>] = sigmas.concurrentMap(threads: threads) { sigma in
            defer { progress.update(finished.increment(), total) }
            guard let i = grid.firstIndex(of: sigma), i + 1 < grid.count, grid[i + 1] > 0 else { return .success(nil) }
            return Swift.Result {
                try ReflectionDecomposition.measure(strong: models.strong, weak: models.weak, ideal: models.ideal, sigma: sigma,
                                                    next: grid[i + 1], solver: solver, samples: samples, seed: seed &+ UInt64(i))
            }
        }
        do {
            return (try rows.map { try $0.get() }, nil)
        } catch {
            return (sigmas.map { _ in nil }, "the reflection decomposition needs an exact inversion of the weak model, which failed here: \(error)")
        }
    }

    /// The alignment rows of `sigmas`, with progress.
    func integrate(_ models: ScoreModels, sigmas: [Double], _ progress: ProgressReporter, label: String) -> [DeltaAlignment] {
        progress.begin(label, whenDone: "integrated")
        return DeltaAlignment.compute(models, sigmas: sigmas, threads: threads, gridPoints: gridPoints) { progress.update($0, sigmas.count) }
    }
}
