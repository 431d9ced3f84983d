import Foundation
import Toy

/// A method the experiment commands can run.
enum MethodName: String, CaseIterable {
    case ideal, strong, weak, w2sd, s2wd, autoguidance, resampling
    case advancedResampling = "advanced-resampling"
}

/// The result of one method on one experiment.
struct MethodResult {
    var method: MethodName
    var statistics: SampleStatistics
    var evaluations: Int
    var seconds: Double
    var samples: [Double]
    var trajectories: [Trajectory]
}

/// Runs methods on a model triple with shared settings: every method starts from the same prior
/// draws (same seed), so their outcomes differ only through the method.
struct ExperimentRunner {
    var models: ModelTriple
    var settings: SamplerSettings
    var particles: Int
    var seed: UInt64
    var threads: Int
    var trajectories: Int
    var guidance: Double
    /// k of the paper's Table 13: W2SD inverts with the weak score plus k eps.
    var inversionError = 0.0
    var prior: Prior = .gaussian
    var keepSamples = true

    func sampler(for method: MethodName) throws -> Sampler {
        switch method {
        case .ideal: return try .standard(models.ideal, settings: settings, name: "ideal")
        case .strong: return try .standard(models.strong, settings: settings, name: "strong")
        case .weak: return try .standard(models.weak, settings: settings, name: "weak")
        case .w2sd:
            let weak: any ScoreField = inversionError > 0 ? try PerturbedScore(models.weak, strength: inversionError) : models.weak
            return try .w2sd(strong: models.strong, weak: weak, settings: settings)
        case .s2wd: return try .s2wd(strong: models.strong, weak: models.weak, settings: settings)
        case .autoguidance: return try .autoguidance(strong: models.strong, weak: models.weak, weight: guidance, settings: settings)
        case .resampling: return try .resampling(strong: models.strong, settings: settings)
        case .advancedResampling: return try .advancedResampling(strong: models.strong, weak: models.weak, settings: settings)
        }
    }

    func run(_ method: MethodName, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> MethodResult {
        let run = SamplingRun(sampler: try sampler(for: method), prior: prior, particles: particles, seed: seed,
                              threads: threads, trajectories: trajectories, keepSamples: keepSamples, ideal: models.ideal)
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try run.run(progress: progress)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard let statistics = result.statistics else {
            throw ToyError.invalid(input: "statistics", accepted: "a run with an ideal model")
        }
        return MethodResult(method: method, statistics: statistics, evaluations: result.evaluations,
                            seconds: seconds, samples: result.samples, trajectories: result.trajectories)
    }
}
