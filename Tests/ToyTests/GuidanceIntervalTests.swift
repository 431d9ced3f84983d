import Foundation
import Testing
@testable import Toy

/// Guidance in a limited interval (Kynkaanniemi et al. 2024): step i is guided iff LO <= sigma_i <= HI,
/// decided once per step from its starting noise level, and every evaluation is counted.
@Suite struct GuidanceIntervalTests {
    static func triple() throws -> ModelTriple { Presets.oneDimensional(missingLeft: true) }

    static func autoguidance(_ interval: ClosedRange<Double>?, steps: Int, solver: Solver = .euler, weight: Double = 2.25) throws -> Sampler {
        let m = try triple()
        return try .autoguidance(strong: m.strong, weak: m.weak, weight: weight, interval: interval,
                                 settings: SamplerSettings(steps: steps, solver: solver))
    }

    static func samples(_ sampler: Sampler, particles: Int = 300) throws -> (samples: [Double], evaluations: Int) {
        let result = try SamplingRun(sampler: sampler, particles: particles, seed: 5, threads: 1, chunkSize: 128).run()
        return (result.samples, result.evaluations)
    }

    /// The issue's example: T = 36 has sigma_12 = 9.06 and sigma_13 = 7.2985, so 7.3:80 guides steps
    /// 0...12: 13 x 2 + 23 = 49 evaluations per particle with Euler.
    @Test func theIssueExampleCosts49EvaluationsPerParticle() throws {
        let sigmas = SamplerSettings(steps: 36).sigmas
        #expect(abs(sigmas[12] - 9.06) < 0.005 && abs(sigmas[13] - 7.2985) < 5e-5)
        let sampler = try Self.autoguidance(7.3...80, steps: 36)
        let perStep = try SamplingRun(sampler: sampler, particles: 1, seed: 0, threads: 1).evaluationsPerStep()
        #expect(perStep == [Int](repeating: 2, count: 13) + [Int](repeating: 1, count: 23))
        let run = try Self.samples(sampler, particles: 257)
        #expect(run.evaluations == 49 * 257)
    }

    /// Heun: a guided step is guided in both stages (4 evaluations), an unguided one takes 2; the last
    /// step is Euler (1 evaluation, 2 when guided).
    @Test func heunCountsFourForAGuidedStepAndTwoForAnUnguidedOne() throws {
        let perStep = try SamplingRun(sampler: try Self.autoguidance(7.3...80, steps: 36, solver: .heun), particles: 1, threads: 1).evaluationsPerStep()
        #expect(perStep == [Int](repeating: 4, count: 13) + [Int](repeating: 2, count: 22) + [1])
        let expected: Int = 13 * 4 + 22 * 2 + 1
        #expect(perStep.reduce(0, +) == expected)
        let all = try SamplingRun(sampler: try Self.autoguidance(0...80, steps: 10, solver: .heun), particles: 1, threads: 1).evaluationsPerStep()
        #expect(all == [Int](repeating: 4, count: 9) + [2])
        // The whole step uses the step's field: the second stage of step 12 (at sigma_13 = 7.2985, outside
        // the interval) is still guided, so the samples differ from switching per evaluation.
        let run = try Self.samples(try Self.autoguidance(7.3...80, steps: 36, solver: .heun), particles: 50)
        #expect(run.evaluations == 50 * 97)
    }

    /// Both ends are included: the interval [sigma_13, sigma_12] guides exactly steps 12 and 13, and
    /// one just inside either end guides one of them.
    @Test func bothEndsOfTheIntervalAreIncluded() throws {
        let sigmas = SamplerSettings(steps: 36).sigmas
        func guided(_ interval: ClosedRange<Double>) throws -> [Int] {
            let perStep = try SamplingRun(sampler: try Self.autoguidance(interval, steps: 36), particles: 1, threads: 1).evaluationsPerStep()
            return perStep.indices.filter { perStep[$0] == 2 }
        }
        #expect(try guided(sigmas[13]...sigmas[12]) == [12, 13])
        #expect(try guided(sigmas[13].nextUp...sigmas[12]) == [12])
        #expect(try guided(sigmas[13]...sigmas[12].nextDown) == [13])
        #expect(try guided(sigmas[35]...sigmas[35]) == [35])  // the last step, at sigma_min
        #expect(try guided(sigmas[0]...sigmas[0]) == [0])
        let field = try IntervalGuidedField(guided: try Self.triple().weak, unguided: try Self.triple().strong, interval: 1...2)
        let (one, two) = (1.0, 2.0)
        #expect(field.guides(stepFrom: one) && field.guides(stepFrom: two))
        #expect(!field.guides(stepFrom: two.nextUp) && !field.guides(stepFrom: one.nextDown))
    }

    /// An interval covering every step is autoguidance as before, and one covering none is the strong
    /// model's plain sampler: bit for bit.
    @Test func coveringEveryStepOrNoneReproducesTheUnlimitedSamplers() throws {
        for solver in Solver.allCases {
            let plain = try Self.samples(try Self.autoguidance(nil, steps: 12, solver: solver))
            let every = try Self.samples(try Self.autoguidance(0...80, steps: 12, solver: solver))
            #expect(plain.samples.map(\.bitPattern) == every.samples.map(\.bitPattern) && plain.evaluations == every.evaluations)
            let none = try Self.samples(try Self.autoguidance(100...200, steps: 12, solver: solver))
            let strong = try Self.samples(try .standard(try Self.triple().strong, settings: SamplerSettings(steps: 12, solver: solver)))
            #expect(none.samples.map(\.bitPattern) == strong.samples.map(\.bitPattern) && none.evaluations == strong.evaluations)
        }
    }

    /// Classifier-free guidance limited to an interval: s + w (s_C - s) inside (2 evaluations), the
    /// conditional mixture itself outside (1); a saturated guided field keeps its saturation outside.
    @Test func limitedClassifierFreeGuidanceSwitchesToTheConditionalScore() throws {
        let labelled = try ClassConditionalMixture([
            GaussianComponent(weight: 0.25, mean: [-4], std: 0.8),
            GaussianComponent(weight: 0.25, mean: [0], std: 0.8),
            GaussianComponent(weight: 0.5, mean: [2.5], std: 0.8),
        ], labels: ["a", "a", "b"])
        let guided = try labelled.guided("a", weight: 2)
        let limited = try guided.limitingGuidance(to: 1...10)
        let inside = limited.field(forStepFrom: 5), outside = limited.field(forStepFrom: 0.5)
        #expect(inside.evaluationCost == 2 && outside.evaluationCost == 1)
        #expect((outside as? GaussianMixture) == (try labelled.conditional("a")))
        var streams = ParticleStreams(seed: 0, first: 0, count: 1)
        #expect(inside.score(at: [0.3], sigma: 0.5, streams: &streams) == guided.score(at: [0.3], sigma: 0.5, streams: &streams))
        // A mixture has no guidance to limit.
        let mixture = try labelled.conditional("a")
        #expect((try mixture.limitingGuidance(to: 1...10)) as? GaussianMixture == mixture)
        let saturated = try SaturatedScore(guided, kappa: 4, length: 0.8).limitingGuidance(to: 1...10)
        let unguided = try #require(saturated.field(forStepFrom: 20) as? SaturatedScore)
        #expect((unguided.base as? GaussianMixture) == mixture && unguided.kappa == 4)
        #expect(throws: ToyError.self) { _ = try IntervalGuidedField(guided: guided, unguided: mixture, interval: -1...2) }
    }
}
