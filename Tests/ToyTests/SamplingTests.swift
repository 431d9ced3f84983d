import Foundation
import Testing
import TestSupport
@testable import Toy

@Suite struct SamplingTests {
    let preset = Presets.oneDimensional()

    func run(_ sampler: Sampler, particles: Int, prior: Prior = .gaussian, seed: UInt64 = 0, threads: Int = 2,
             chunkSize: Int = 2048, keepSamples: Bool = true) throws -> SamplingResult {
        try SamplingRun(sampler: sampler, prior: prior, particles: particles, seed: seed, threads: threads,
                        chunkSize: chunkSize, keepSamples: keepSamples, ideal: preset.ideal).run()
    }

    /// Standard sampling of the ideal model from its exact prior at T = 200: mode masses 0.5 / 0.5 within
    /// 4 Monte-Carlo standard errors (sqrt(0.25 / n)) plus the discretisation bias (below 0.005 at T = 200).
    @Test func idealSamplingFromExactPriorReproducesModeMasses() throws {
        let n = 4000
        let sampler = try Sampler.standard(preset.ideal, settings: SamplerSettings(steps: 200))
        let stats = try #require(try run(sampler, particles: n, prior: .exact(preset.ideal)).statistics)
        let tolerance = 4 * (0.25 / Double(n)).squareRoot() + 0.005
        #expect(abs(stats.modes[0].mass - 0.5) < tolerance, "left mass \(stats.modes[0].mass)")
        #expect(abs(stats.modes[0].mean[0] + 4) < 0.1 && abs(stats.modes[1].std[0] - 0.8) < 0.05)
    }

    /// With weak = strong and `exact` inversion the reflection is the identity, so W2SD reproduces
    /// standard strong sampling to 1e-9 (the inversion tolerance is 1e-13 relative per step).
    @Test func w2sdWithWeakEqualStrongAndExactInversionIsStandardSampling() throws {
        for solver in [Solver.euler, .heun] {
            let settings = SamplerSettings(steps: 12, solver: solver, inversion: .exactDefault)
            let w2sd = try run(Sampler.w2sd(strong: preset.strong, weak: preset.strong, settings: settings), particles: 64)
            let standard = try run(Sampler.standard(preset.strong, settings: settings), particles: 64)
            let worst = zip(w2sd.samples, standard.samples).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst < 1e-9, "\(solver): max difference \(worst)")
        }
    }

    /// Theorem 1: |R(x) - x - h Delta1| ~ h^2, fitted slope in [1.8, 2.2], for each inversion variant,
    /// at points and noise levels of both presets.
    @Test func reflectionObeysTheoremOne() throws {
        let deltas = [0.08, 0.04, 0.02, 0.01, 0.005]
        let twoD = Presets.twoDimensional()
        let cases: [(ModelTriple, [Double], Double)] = [
            (preset, [-3.0], 1.0), (preset, [0.5], 2.5), (Presets.oneDimensional(missingLeft: true), [-2.0], 1.5),
            (twoD, [-3, -2.5], 1.2), (twoD, [1, -1], 3),
        ]
        for inversion in [Inversion.paper, .ddim, .exactDefault] {
            for (models, x, sigma) in cases {
                let slope = try TheoremOne.order(at: x, strong: models.strong, weak: models.weak, sigma: sigma,
                                                 deltas: deltas, inversion: inversion)
                #expect((1.8...2.2).contains(slope), "\(inversion.name) at x = \(x), sigma = \(sigma): slope \(slope)")
            }
        }
    }

    /// The 1D preset at T = 50: strong left mass ~ 0.3, weak ~ 0.1 (within 0.02), W2SD above strong.
    @Test func presetModeMassesAtFiftySteps() throws {
        let n = 20000
        let settings = SamplerSettings()
        func leftMass(_ sampler: Sampler) throws -> Double {
            try #require(try run(sampler, particles: n, keepSamples: false).statistics).modes[0].mass
        }
        let strong = try leftMass(.standard(preset.strong, settings: settings))
        let weak = try leftMass(.standard(preset.weak, settings: settings))
        let w2sd = try leftMass(.w2sd(strong: preset.strong, weak: preset.weak, settings: settings))
        #expect(abs(strong - 0.3) < 0.02, "strong left mass \(strong)")
        #expect(abs(weak - 0.1) < 0.02, "weak left mass \(weak)")
        #expect(w2sd > strong + 0.05, "W2SD left mass \(w2sd) vs strong \(strong)")
    }

    /// Samples are bit-identical for 1 and several threads and for any chunk size; statistics are
    /// bit-identical across thread counts for a fixed chunk size.
    @Test func resultsDoNotDependOnThreadsOrChunks() throws {
        let settings = SamplerSettings(steps: 8)
        let sampler = try Sampler.w2sd(strong: preset.strong, weak: preset.weak, settings: settings)
        let reference = try run(sampler, particles: 1000, threads: 1, chunkSize: 128)
        for (threads, chunk) in [(2, 128), (7, 128), (3, 1), (2, 1000), (1, 77)] {
            let other = try run(sampler, particles: 1000, threads: threads, chunkSize: chunk)
            #expect(other.samples == reference.samples, "threads \(threads), chunk \(chunk)")
            if chunk == 128 {
                #expect(other.statistics?.wasserstein == reference.statistics?.wasserstein)
                #expect(other.statistics?.modes == reference.statistics?.modes)
            }
        }
    }

    /// Recorded trajectories hold, per reflected step, the strong step down and the weak inversion up.
    @Test func trajectoriesRecordBothHalvesOfEveryReflection() throws {
        let settings = SamplerSettings(steps: 6)
        let sampler = try Sampler.w2sd(strong: preset.strong, weak: preset.weak, settings: settings)
        let result = try SamplingRun(sampler: sampler, particles: 10, trajectories: 3).run()
        #expect(result.trajectories.map(\.particle) == [0, 1, 2])
        let phases = result.trajectories[0].points.map(\.phase)
        // start, then 5 reflected steps (down, up, step) and a last plain step.
        #expect(phases.count == 1 + 5 * 3 + 1)
        #expect(Array(phases.prefix(4)) == [.start, .reflectionDown, .reflectionUp, .step])
        #expect(result.trajectories[0].points.last?.position == Array(result.samples.prefix(1)))
        #expect(result.trajectories[0].points[1].level == 1 && result.trajectories[0].points[2].level == 0)
    }

    /// Streaming statistics (histogram W1) agree with the exact W1 within the stated binning error.
    @Test func streamingWassersteinIsWithinItsStatedError() throws {
        let sampler = try Sampler.w2sd(strong: preset.strong, weak: preset.weak, settings: SamplerSettings(steps: 10))
        let exact = try #require(try run(sampler, particles: 3000).statistics)
        let streamed = try #require(try run(sampler, particles: 3000, keepSamples: false).statistics)
        #expect(streamed.wassersteinError > 0 && exact.wassersteinError == 0)
        #expect(abs(streamed.wasserstein - exact.wasserstein) <= streamed.wassersteinError + 1e-12)
        #expect(streamed.modes == exact.modes)
    }

    /// gamma = 0 turns every reflection into a no-op: W2SD equals the standard strong sampler exactly.
    @Test func gammaZeroIsTheStandardSampler() throws {
        let settings = SamplerSettings(steps: 10, gamma: 0)
        let w2sd = try run(Sampler.w2sd(strong: preset.strong, weak: preset.weak, settings: settings), particles: 100)
        let standard = try run(Sampler.standard(preset.strong, settings: settings), particles: 100)
        #expect(w2sd.samples == standard.samples)
    }

    /// The two cheap inversions are exactly the pinned formulas, computed here by hand:
    /// paper x = y - h_i s(y; sigma_i), ddim x = y - sigma_{i+1} (sigma_i - sigma_{i+1}) s(y; sigma_{i+1}).
    @Test func inversionsFollowThePinnedFormulas() throws {
        let failures = try Property.check("paper / ddim inversion formulas") { rng in
            let models = [Presets.oneDimensional(), Presets.twoDimensional()][Draw.integer(0...1, &rng)]
            let d = models.dimension
            let y = (0..<d).map { _ in 5 * rng.nextNormal() }
            let sigma = Draw.uniform(0.05, 20, &rng), next = sigma * Draw.uniform(0, 0.95, &rng)
            var streams = ParticleStreams(seed: 0, first: 0, count: 1)
            let expected: [(Inversion, [Double])] = [
                (.paper, zip(y, models.weak.score(at: y, sigma: sigma)).map { $0 - sigma * (sigma - next) * $1 }),
                (.ddim, zip(y, models.weak.score(at: y, sigma: next)).map { $0 - next * (sigma - next) * $1 }),
            ]
            for (inversion, reference) in expected {
                var x = y
                _ = try x.withUnsafeMutableBufferPointer {
                    try inversion.invert(models.weak, $0.baseAddress!, count: 1, from: next, to: sigma, solver: .euler, streams: &streams)
                }
                for j in 0..<d where abs(x[j] - reference[j]) > 1e-15 * max(1, abs(reference[j])) {
                    return "\(inversion.name) at y = \(y), sigma \(sigma) -> \(next): \(x[j]) vs \(reference[j])"
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Re-Sampling with a zero score field only re-noises: each step i < lambda adds variance
    /// sigma_i^2 - sigma_{i+1}^2, so from N(0, sigma_0^2) the final variance is 2 sigma_0^2 - sigma_{T-1}^2
    /// (within 5 standard errors of a variance estimate, sqrt(2 / n)).
    @Test func resamplingAddsTheRenoisingVariance() throws {
        let zero = try LinearScoreCombination(0, preset.ideal, 0, preset.ideal)
        let settings = SamplerSettings(schedule: .karras(sigmaMax: 3, sigmaMin: 0.01, rho: 7), steps: 8)
        let n = 4000
        let samples = try SamplingRun(sampler: .resampling(strong: zero, settings: settings), particles: n).run().samples
        let variance = samples.reduce(0) { $0 + $1 * $1 } / Double(n)
        let sigmas = settings.sigmas
        let expected = 2 * sigmas[0] * sigmas[0] - sigmas[settings.lambda] * sigmas[settings.lambda]
        #expect(abs(variance / expected - 1) < 5 * (2 / Double(n)).squareRoot(), "variance \(variance) vs \(expected)")
    }

    /// Advanced Re-Sampling keeps only noise with a positive cosine to the W2SD direction. In 1D that is
    /// the sign of Delta1, which is negative everywhere on the preset: the re-noising drifts every
    /// particle to the left mode (while plain Re-Sampling keeps strong's 0.3).
    @Test func advancedResamplingNoisePointsAlongTheReflection() throws {
        let settings = SamplerSettings()
        func leftMass(_ sampler: Sampler) throws -> Double {
            try #require(try run(sampler, particles: 2000, keepSamples: false).statistics).modes[0].mass
        }
        let advanced = try leftMass(.advancedResampling(strong: preset.strong, weak: preset.weak, settings: settings))
        let plain = try leftMass(.resampling(strong: preset.strong, settings: settings))
        #expect(advanced > 0.95, "advanced left mass \(advanced)")
        #expect(abs(plain - 0.3) < 0.05, "plain left mass \(plain)")
    }

    @Test func invalidSettingsAreRejected() {
        #expect(throws: ToyError.self) { try SamplerSettings(steps: 1).validated() }
        #expect(throws: ToyError.self) { try SamplerSettings(steps: 10, reflectionSteps: 10).validated() }
        #expect(throws: ToyError.self) { try SamplerSettings(gamma: .nan).validated() }
        #expect(throws: ToyError.self) { try SamplerSettings(schedule: .karras(sigmaMax: 1, sigmaMin: 2, rho: 7)).validated() }
    }

    @Test func karrasScheduleFollowsThePinnedFormula() {
        let sigmas = NoiseSchedule.standard.sigmas(steps: 50)
        #expect(sigmas.count == 51 && sigmas.last == 0)
        #expect(abs(sigmas[0] - 80) < 1e-12 && abs(sigmas[49] - 0.002) < 1e-15)
        let a = pow(80, 1.0 / 7), b = pow(0.002, 1.0 / 7)
        #expect(abs(sigmas[20] - pow(a + 20.0 / 49 * (b - a), 7)) < 1e-12)
        #expect(zip(sigmas, sigmas.dropFirst()).allSatisfy { $0 > $1 })
    }
}
