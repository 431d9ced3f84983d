import Foundation
import Testing
import TestSupport
@testable import Toy

/// The inversion error applied to every inversion (W2SD, S2WD, Advanced Re-Sampling), in score and eps units.
@Suite struct InversionErrorUnitsTests {
    static let models = Presets.oneDimensional()

    static func samples(_ sampler: Sampler, particles: Int = 64, seed: UInt64 = 3) throws -> [Double] {
        try SamplingRun(sampler: sampler, particles: particles, seed: seed, threads: 2, chunkSize: 16).run().samples
    }

    /// Score units on W2SD are bit-identical to the old construction (the weak model wrapped by hand), and
    /// k = 0 in either unit leaves every sampler bit-identical.
    @Test func scoreUnitsKeepTheExistingW2SDBehaviour() throws {
        let settings = SamplerSettings(steps: 12)
        let byHand = try Sampler.w2sd(strong: Self.models.strong, weak: PerturbedScore(Self.models.weak, strength: 0.4), settings: settings)
        let plain = try Sampler.w2sd(strong: Self.models.strong, weak: Self.models.weak, settings: settings)
        let perturbed = try plain.withInversionError(InversionError(strength: 0.4))
        #expect(try Self.samples(perturbed) == Self.samples(byHand))
        for units in InversionError.Units.allCases {
            let unchanged = try plain.withInversionError(InversionError(strength: 0, units: units))
            #expect(try Self.samples(unchanged) == Self.samples(plain))
        }
    }

    /// S2WD and Advanced Re-Sampling now feel the error (they ignored it before), in both units, with
    /// unchanged evaluation counts; samplers that do not invert are returned unchanged.
    @Test func everyInvertingSamplerIsPerturbed() throws {
        let settings = SamplerSettings(steps: 12)
        let (strong, weak) = (Self.models.strong, Self.models.weak)
        for base in [try Sampler.s2wd(strong: strong, weak: weak, settings: settings),
                     try Sampler.advancedResampling(strong: strong, weak: weak, settings: settings),
                     try Sampler.w2sd(strong: strong, weak: weak, settings: settings)] {
            let clean = try SamplingRun(sampler: base, particles: 64, seed: 3, threads: 1).run()
            for units in InversionError.Units.allCases {
                let error = try InversionError(strength: units == .score ? 0.5 : 2, units: units)
                let noisy = try SamplingRun(sampler: base.withInversionError(error), particles: 64, seed: 3, threads: 1).run()
                let moved = zip(noisy.samples, clean.samples).map { abs($0 - $1) }.max() ?? 0
                #expect(moved > 1e-3, "\(base.name), \(units): samples moved by at most \(moved)")
                #expect(noisy.evaluations == clean.evaluations)
            }
        }
        let standard = try Sampler.standard(strong, settings: settings)
        let resampling = try Sampler.resampling(strong: strong, settings: settings)
        for sampler in [standard, resampling] {
            let same = try sampler.withInversionError(InversionError(strength: 1, units: .eps))
            #expect(same.inversionError == .none)
            #expect(try Self.samples(same) == Self.samples(sampler))
        }
        let once = try Sampler.s2wd(strong: strong, weak: weak, settings: settings).withInversionError(InversionError(strength: 1))
        #expect(throws: ToyError.self) { try once.withInversionError(InversionError(strength: 1)) }
        #expect(throws: ToyError.self) { try InversionError(strength: -1) }
    }

    /// With one reflection (T = 2, lambda = 1, at sigma_0) the eps-unit kick of strength k equals the
    /// score-unit perturbation of strength k / sigma_0 for the paper's inversion (same draws, same
    /// particles): samples agree to 1e-12 relative, in 1D and 2D, for W2SD and S2WD. With more steps the
    /// two differ (the equivalent score strength k / sigma_i changes with i).
    @Test func epsUnitsEqualScaledScoreUnitsWhereTheyShould() throws {
        for models in [Presets.oneDimensional(), Presets.twoDimensional()] {
            let single = SamplerSettings(schedule: .karras(sigmaMax: 5, sigmaMin: 0.5, rho: 7), steps: 2, reflectionSteps: 1)
            let sigma0 = single.sigmas[0]
            let k = 0.7
            for base in [try Sampler.w2sd(strong: models.strong, weak: models.weak, settings: single),
                         try Sampler.s2wd(strong: models.strong, weak: models.weak, settings: single)] {
                let eps = try Self.samples(base.withInversionError(InversionError(strength: k, units: .eps)))
                let score = try Self.samples(base.withInversionError(InversionError(strength: k / sigma0, units: .score)))
                let gap = zip(eps, score).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
                #expect(gap <= 1e-12, "\(base.name), d = \(models.dimension): \(gap)")
            }
            let many = SamplerSettings(steps: 10)
            let base = try Sampler.w2sd(strong: models.strong, weak: models.weak, settings: many)
            let eps = try Self.samples(base.withInversionError(InversionError(strength: k, units: .eps)))
            let score = try Self.samples(base.withInversionError(InversionError(strength: k / many.sigmas[0], units: .score)))
            #expect(zip(eps, score).map { abs($0 - $1) }.max()! > 1e-6)
        }
    }

    /// Eps units work with `exact` inversion (the kick follows the solve); score units are refused there.
    @Test func epsUnitsWorkWithExactInversion() throws {
        let settings = SamplerSettings(steps: 6, inversion: .exactDefault)
        let base = try Sampler.w2sd(strong: Self.models.strong, weak: Self.models.weak, settings: settings)
        let kicked = try Self.samples(base.withInversionError(InversionError(strength: 1, units: .eps)), particles: 8)
        let clean = try Self.samples(base, particles: 8)
        #expect(kicked != clean)
        #expect(kicked.allSatisfy { $0.isFinite })
        let scored = try base.withInversionError(InversionError(strength: 1, units: .score))
        #expect(throws: ToyError.self) { try Self.samples(scored, particles: 8) }
    }
}
