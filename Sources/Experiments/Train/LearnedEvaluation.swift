import Foundation
import Toy

/// How well a learned field samples: plain probability-flow sampling of the learned score against the
/// same sampler on the exact ideal score, and the exact ideal samples that give each metric's
/// finite-sample floor, all with the same particles, seed and settings, measured against the ideal mixture.
/// The two sampled runs start from the same prior draws (particle i from stream i of `seed`, N(0, sigma_0^2 I))
/// and take the same deterministic Euler steps, so they differ only by the score field.
///
/// JSON: `steps`, `particles`, `seed`, `rows`, and `wasserstein` = {`learned`, `idealScore`, `ratio`}: the
/// W1 values of rows 2 and 1 and their quotient, the accuracy measure of a strong model (a strong preset
/// should reach ratio <= `LearnedEvaluation.strongTarget`).
public struct LearnedEvaluation: Sendable, Encodable {
    public var steps: Int
    public var particles: Int
    public var seed: UInt64
    /// exact ideal samples, ideal score sampled with T steps, learned score sampled with T steps.
    public var rows: [SamplerOutcome]

    /// W1 of the learned sampler divided by that of the exact-score sampler.
    public var wassersteinRatio: Double { rows[2].wasserstein / rows[1].wasserstein }

    /// The ratio a strong preset should reach: its learned field samples within 20% of the exact ideal
    /// score's W1, both with the same sampler and prior draws.
    public static let strongTarget = 1.2

    enum CodingKeys: String, CodingKey { case steps, particles, seed, rows, wasserstein }
    enum RatioKeys: String, CodingKey { case learned, idealScore, ratio }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(steps, forKey: .steps)
        try container.encode(particles, forKey: .particles)
        try container.encode(seed, forKey: .seed)
        try container.encode(rows, forKey: .rows)
        var ratio = container.nestedContainer(keyedBy: RatioKeys.self, forKey: .wasserstein)
        try ratio.encode(rows[2].wasserstein, forKey: .learned)
        try ratio.encode(rows[1].wasserstein, forKey: .idealScore)
        try ratio.encode(wassersteinRatio, forKey: .ratio)
    }

    /// Score evaluations per second of the learned field (from the learned run's time).
    public var learnedEvaluationsPerSecond: Double { rows[2].evaluationsPerParticle * Double(particles) / max(rows[2].seconds, 1e-9) }

    /// Samples `model` and the ideal score with the standard (strong-only) sampler of `settings`.
    public static func evaluate(_ model: LearnedDenoiser, ideal: GaussianMixture, settings: SamplerSettings = SamplerSettings(),
                                particles: Int, seed: UInt64 = 0, threads: Int) throws -> LearnedEvaluation {
        guard model.dimension == ideal.dimension else {
            throw ToyError.invalid(input: "model", accepted: "a model of dimension \(ideal.dimension) like the ideal mixture (got \(model.dimension))")
        }
        // Each run is timed without its statistics (which in 2D take longer than the sampling), so that
        // `seconds` and the evaluation rate measure the sampler alone; the statistics follow from the samples.
        func row(_ name: String, _ run: SamplingRun) throws -> SamplerOutcome {
            var timed = run
            timed.ideal = nil
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try timed.run()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let s = SampleStatistics(samples: result.samples, ideal: ideal)
            return SamplerOutcome(name: name, statistics: s, evaluations: result.evaluations, seconds: seconds)
        }
        let rows = [
            try row("exact ideal samples", .exactReference(of: ideal, particles: particles, seed: seed, threads: threads, ideal: ideal)),
            try row("ideal score, T = \(settings.steps)", SamplingRun(sampler: try .standard(ideal, settings: settings), particles: particles,
                                                                     seed: seed, threads: threads, ideal: ideal)),
            try row("learned score, T = \(settings.steps)", SamplingRun(sampler: try .standard(model, settings: settings), particles: particles,
                                                                       seed: seed, threads: threads, ideal: ideal)),
        ]
        return LearnedEvaluation(steps: settings.steps, particles: particles, seed: seed, rows: rows)
    }

    /// The table (no timings: those go to stderr).
    public var text: String {
        let table = SamplerOutcome.table(rows)
        return table.text(trimmingTrailingSpace: true)
            + "\nW1 ratio learned / ideal score (T = \(steps), \(particles) particles, same prior draws of seed \(seed)): "
            + "\(NumberFormat.significant(rows[2].wasserstein, 4)) / \(NumberFormat.significant(rows[1].wasserstein, 4)) = "
            + NumberFormat.significant(wassersteinRatio, 3)
            + " (a strong preset aims at <= \(NumberFormat.significant(Self.strongTarget, 2)))"
    }
}
