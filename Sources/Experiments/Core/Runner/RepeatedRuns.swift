import Toy

/// The metrics of every method over repeated runs with seeds seed, seed + 1, ..., seed + n - 1. Every
/// method of one repeat starts from the same prior draws, so differences to the strong sampler are
/// paired per seed (the variation the runs share cancels).
public struct RepeatedRuns: Sendable {
    public var seeds: [UInt64]
    public var methods: [MethodName]
    /// [method][repeat]
    public var metrics: [[RunMetrics]]
    /// The learned models' evaluations during these runs against their trained ranges (empty without learned models).
    public var learnedModels: [TrainedRangeUse] = []

    public init(seeds: [UInt64], methods: [MethodName], metrics: [[RunMetrics]]) {
        self.seeds = seeds
        self.methods = methods
        self.metrics = metrics
    }

    /// The metric's values over the repeats; nil when any is not finite (e.g. MMD of a single sample).
    public func values(_ method: MethodName, _ metric: String) -> [Double]? {
        guard let m = methods.firstIndex(of: method) else { return nil }
        let values = metrics[m].compactMap { $0[metric] }
        return values.count == seeds.count && values.allSatisfy(\.isFinite) ? values : nil
    }

    /// Mean, spread and 95% interval of a metric; nil when undefined.
    public func summary(_ method: MethodName, _ metric: String) -> RepeatSummary? {
        values(method, metric).flatMap { try? RepeatSummary($0) }
    }

    /// The per-seed difference method - strong, summarised; nil without a strong row or for strong itself.
    public func pairedToStrong(_ method: MethodName, _ metric: String) -> RepeatSummary? {
        guard method != .strong, let a = values(method, metric), let b = values(.strong, metric) else { return nil }
        return try? RepeatSummary.paired(a, minus: b)
    }

    /// The metric names (those of the first method's first repeat).
    public var metricNames: [String] { metrics.first?.first?.names ?? [] }
}

extension ExperimentRunner {
    /// Runs every method for `repeats` seeds. The first repeat's results are returned (for the table,
    /// figures and exports), with their samples only when `holdSamples` (otherwise each method's samples
    /// are dropped as soon as its statistics are taken, so memory holds one method's at a time); later
    /// repeats keep only their metrics.
    public func runRepeats(_ repeats: Int, modeNames: [String], holdSamples: Bool = true,
                           progress: ProgressReporter? = nil) throws -> (first: [MethodResult], runs: RepeatedRuns) {
        let (results, runs) = try runRepeats(repeats, modeNames: modeNames, holding: holdSamples ? 1 : 0, progress: progress)
        return (results[0], runs)
    }

    /// Runs every method for `repeats` seeds and returns every repeat's results with their samples and
    /// trajectories (`results[r][m]`: repeat r, method m), for exports that hold every repeat.
    public func runEveryRepeat(_ repeats: Int, modeNames: [String],
                               progress: ProgressReporter? = nil) throws -> (results: [[MethodResult]], runs: RepeatedRuns) {
        try runRepeats(repeats, modeNames: modeNames, holding: max(1, repeats), progress: progress)
    }

    /// The repeats, keeping the samples of the first `holding` repeats (results of later repeats are
    /// not returned; without samples, the first repeat's results are).
    private func runRepeats(_ repeats: Int, modeNames: [String], holding: Int,
                            progress: ProgressReporter?) throws -> (results: [[MethodResult]], runs: RepeatedRuns) {
        let seeds = (0..<UInt64(max(1, repeats))).map { spec.seed &+ $0 }
        var kept: [[MethodResult]] = []
        var metrics = [[RunMetrics]](repeating: [], count: spec.methods.count)
        let before = TrainedRangeUse.snapshot(spec: spec, models: models)
        for (r, seed) in seeds.enumerated() {
            var repeatResults: [MethodResult] = []
            for (m, method) in spec.methods.enumerated() {
                progress?.begin("\(method.rawValue) (\(m + 1)/\(spec.methods.count))" + (seeds.count > 1 ? ", seed \(seed) (\(r + 1)/\(seeds.count))" : ""))
                var update: (@Sendable (Int, Int) -> Void)?
                if let reporter = progress { update = { done, total in reporter.update(done, total) } }
                var result = try run(method, seed: seed, progress: update)
                metrics[m].append(RunMetrics(result, modeNames: modeNames))
                if r >= max(1, holding) { continue }
                if holding == 0 { result.samples = [] }
                repeatResults.append(result)
            }
            if r < max(1, holding) { kept.append(repeatResults) }
        }
        var runs = RepeatedRuns(seeds: seeds, methods: spec.methods, metrics: metrics)
        runs.learnedModels = TrainedRangeUse.made(since: before, spec: spec, models: models)
        return (kept, runs)
    }
}
