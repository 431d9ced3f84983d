import Foundation
import Toy

/// The result of one method on one experiment.
public struct MethodResult: Sendable {
    public var method: MethodName
    public var statistics: SampleStatistics
    public var evaluations: Int
    public var seconds: Double
    /// Final samples, flat [i * d + j]; empty when the run kept statistics only.
    public var samples: [Double]
    public var trajectories: [Trajectory]

    public init(method: MethodName, statistics: SampleStatistics, evaluations: Int, seconds: Double, samples: [Double], trajectories: [Trajectory]) {
        self.method = method
        self.statistics = statistics
        self.evaluations = evaluations
        self.seconds = seconds
        self.samples = samples
        self.trajectories = trajectories
    }
}

/// Runs the methods of an experiment: every method starts from the same prior draws (same seed), so
/// their outcomes differ only through the method.
///
///     let spec = ExperimentSpec.preset(dimension: 1)
///     let results = try ExperimentRunner(spec: spec).runAll()
///     print(SummaryTable.render(results, modeNames: spec.modeNames))
public struct ExperimentRunner: Sendable {
    public var spec: ExperimentSpec
    public var models: ScoreModels
    public var threads: Int
    /// Particles whose paths are recorded (the first K).
    public var trajectories: Int
    /// false: statistics stream (memory independent of the particle count; W1 from histograms).
    public var keepSamples: Bool
    /// Results shared with other runners (`RunCache`); used only when the models are the spec's own
    /// (built from its declarations), since the cache knows a run by the spec.
    public private(set) var cache: RunCache?
    /// false: results carry no samples (their statistics are taken first), for callers that keep only
    /// metrics, so that a cache holds no samples for them either.
    public var returnsSamples = true
    /// The costly distances each run's statistics include (`SampleStatistics.Distances`): all by default;
    /// fewer for callers that read only some metrics (`RunMetrics.distances(for:)`); the others are NaN.
    public var distances: SampleStatistics.Distances = .all

    /// A runner on the spec's models; with `cache`, a run whose request it already holds is not run again.
    public init(spec: ExperimentSpec, threads: Int = ProcessInfo.processInfo.activeProcessorCount, trajectories: Int = 0,
                keepSamples: Bool = true, cache: RunCache? = nil) throws {
        self.init(spec: spec, models: try spec.models(), threads: threads, trajectories: trajectories, keepSamples: keepSamples)
        self.cache = cache
    }

    /// A runner on models built in code (any score fields as strong and weak, e.g. a trained network in
    /// memory); `spec` gives the sampler settings, methods and mode names.
    public init(spec: ExperimentSpec, models: ScoreModels, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                trajectories: Int = 0, keepSamples: Bool = true) {
        self.spec = spec
        self.models = models
        self.threads = threads
        self.trajectories = trajectories
        self.keepSamples = keepSamples
    }

    /// Checks that every method of the spec can be built (a bad combination is the user's input).
    public func validateMethods() throws {
        for method in spec.methods {
            if method.isExact { _ = try MethodCatalogue.exactModel(method, models: models) } else { _ = try MethodCatalogue.sampler(method, models: models, spec: spec) }
        }
    }

    /// One method at the spec's seed (or `seed`).
    public func run(_ method: MethodName, seed: UInt64? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> MethodResult {
        guard let cache, let key = RunCache.key(method, seed: seed ?? spec.seed, spec: spec, keepSamples: keepSamples,
                                                returnsSamples: returnsSamples, trajectories: trajectories, distances: distances) else {
            return try compute(method, seed: seed, progress: progress)
        }
        return try cache.result(for: key) { try compute(method, seed: seed, progress: progress) }
    }

    /// One method's run, computed.
    private func compute(_ method: MethodName, seed: UInt64?, progress: (@Sendable (Int, Int) -> Void)?) throws -> MethodResult {
        var run = try MethodCatalogue.run(method, models: models, spec: spec, threads: threads, trajectories: trajectories,
                                          keepSamples: keepSamples, seed: seed)
        run.distances = distances
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try run.run(progress: progress)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard let statistics = result.statistics else {
            throw ToyError.invalid(input: "statistics", accepted: "a run with an ideal model")
        }
        return MethodResult(method: method, statistics: statistics, evaluations: result.evaluations,
                            seconds: seconds, samples: returnsSamples ? result.samples : [], trajectories: result.trajectories)
    }

    /// Every method of the spec, in order.
    public func runAll() throws -> [MethodResult] {
        try spec.methods.map { try run($0) }
    }
}
