import Foundation
import Toy

/// One sampler's outcome against the ideal distribution, as the learned-model reports give it (the
/// evaluation of `train --evaluate` and the learned study): W1 and W2 to the ideal, the nearest-mode
/// masses, the spurious fraction and the cost in score evaluations per particle.
public struct SamplerOutcome: Sendable, Codable, Equatable {
    public var name: String
    /// W1 to the ideal distribution (exact in 1D, sliced over 64 directions for d >= 2).
    public var wasserstein: Double
    public var wasserstein2: Double
    /// Nearest-mode masses, one per ideal component.
    public var modeMasses: [Double]
    public var spuriousFraction: Double
    public var evaluationsPerParticle: Double
    /// Wall time of the sampling run (not deterministic: printed on stderr, never encoded).
    public var seconds: Double = 0

    enum CodingKeys: String, CodingKey { case name, wasserstein, wasserstein2, modeMasses, spuriousFraction, evaluationsPerParticle }

    public init(name: String, statistics s: SampleStatistics, evaluations: Int, seconds: Double = 0) {
        self.name = name
        wasserstein = s.wasserstein
        wasserstein2 = s.wasserstein2
        modeMasses = s.modes.map(\.mass)
        spuriousFraction = s.spuriousFraction
        evaluationsPerParticle = Double(evaluations) / Double(max(1, s.count))
        self.seconds = seconds
    }

    /// The one table of such outcomes: sampler, W1, W2, the mode masses, spurious, evaluations per particle.
    public static func table(_ outcomes: [SamplerOutcome], samplerHeader: String = "sampler") -> TextTable {
        let modes = outcomes.first?.modeMasses.count ?? 0
        return TextTable(
            headers: [samplerHeader, "W1", "W2"] + (0..<modes).map { "mass \($0)" } + ["spurious", "evals/particle"],
            rows: outcomes.map { r in
                [r.name, NumberFormat.significant(r.wasserstein, 4), NumberFormat.significant(r.wasserstein2, 4)]
                    + r.modeMasses.map { NumberFormat.fixed($0, 4) }
                    + [NumberFormat.fixed(r.spuriousFraction, 4), NumberFormat.significant(r.evaluationsPerParticle, 6)]
            })
    }
}
