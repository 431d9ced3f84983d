import Foundation
import Testing
import TestSupport
@testable import Toy

/// Numerical extremes and requests beyond memory (see Tests/README.md).
@Suite struct RobustnessTests {
    /// |x| = 1e6, sigma = 1e4, weights 1e-300, covariance condition number 1e8 in d = 1, 2, 3: log p,
    /// score, Hessian and a short W2SD run are finite.
    @Test func extremesGiveFiniteResults() throws {
        var rng = Xoshiro256StarStar(seed: 42)
        for d in 1...3 {
            let strong = try GaussianMixture([
                GaussianComponent(weight: 1e-300, mean: [Double](repeating: -4, count: d), covariance: Draw.covariance(dimension: d, scale: 1, maxCondition: 1, &rng)),
                GaussianComponent(weight: 1, mean: [Double](repeating: 4, count: d), covariance: Draw.covariance(dimension: d, scale: 2, maxCondition: 1e8, &rng)),
            ])
            // Exactly condition 1e8 where d > 1: the generator draws the log-span uniformly, so force it.
            let stiff = try GaussianMixture([GaussianComponent(weight: 1, mean: [Double](repeating: 0, count: d),
                                                               covariance: (0..<(d * d)).map { $0 % (d + 1) == 0 ? ($0 == 0 ? 1 : 1e-8) : 0 })])
            for m in [strong, stiff] {
                for x in [[Double](repeating: 1e6, count: d), [Double](repeating: -1e6, count: d), [Double](repeating: 4, count: d)] {
                    for sigma in [0, 1e-300, 1e-3, 1, 1e4] {
                        #expect(m.logDensity(at: x, sigma: sigma).isFinite, "d \(d) x \(x[0]) sigma \(sigma)")
                        #expect(m.score(at: x, sigma: sigma).allSatisfy { $0.isFinite }, "d \(d) x \(x[0]) sigma \(sigma)")
                        #expect(m.hessian(at: x, sigma: sigma).allSatisfy { $0.isFinite }, "d \(d) x \(x[0]) sigma \(sigma)")
                    }
                }
            }
            let settings = SamplerSettings(schedule: .karras(sigmaMax: 1e4, sigmaMin: 1e-3, rho: 7), steps: 8)
            let result = try SamplingRun(sampler: .w2sd(strong: strong, weak: stiff, settings: settings), particles: 16, threads: 1, ideal: strong).run()
            #expect(result.samples.allSatisfy { $0.isFinite }, "d \(d): non-finite samples")
            #expect(result.statistics?.wasserstein.isFinite == true)
        }
    }

    /// A singular covariance on an active component is a clear error, not NaN later.
    @Test func singularCovarianceIsAClearError() {
        #expect(throws: ToyError.self) { try GaussianMixture([GaussianComponent(weight: 1, mean: [0, 0], covariance: [1, 1, 1, 1])]) }
        #expect(throws: ToyError.self) { try GaussianMixture([GaussianComponent(weight: 1, mean: [0, 0], covariance: [1, 0, 0, 1e-300])]) }
        do {
            _ = try GaussianMixture([GaussianComponent(weight: 1, mean: [0, 0, 0], covariance: [1, 0, 0, 0, 1, 1, 0, 1, 1])])
            Issue.record("accepted a singular covariance")
        } catch {
            #expect("\(error)".contains("components[0].covariance") && "\(error)".contains("positive-definite"))
        }
    }

    /// Kept samples for 10^12 particles (8 TB), Int.max particles, or 10^12 trajectories are refused
    /// with a ToyError before anything is allocated (this test would crash otherwise); the same
    /// statistics-only request is accepted by the memory check (it streams).
    @Test func requestsBeyondMemoryAreRefusedBeforeAllocating() throws {
        let sampler = try Sampler.standard(Presets.oneDimensional().strong, settings: SamplerSettings(steps: 4))
        for run in [SamplingRun(sampler: sampler, particles: 1_000_000_000_000),
                    SamplingRun(sampler: sampler, particles: Int.max),
                    SamplingRun(sampler: sampler, particles: 1_000_000_000_000, trajectories: 1_000_000_000_000, keepSamples: false)] {
            do {
                _ = try run.run()
                Issue.record("accepted \(run.particles) particles")
            } catch let error as ToyError {
                #expect("\(error)".contains("samples") && "\(error)".contains("memory"), "\(error)")
            }
        }
        var streaming = SamplingRun(sampler: sampler, particles: Int.max, keepSamples: false)
        #expect(streaming.retainedBytes == 0)
        #expect(throws: Never.self) { try streaming.checkMemory() }
        streaming.trajectories = 64
        #expect((streaming.retainedBytes ?? .max) < 1_000_000)
    }

    /// Huge chunk sizes and thread counts are harmless.
    @Test func hugeChunksAndThreadsAreHarmless() throws {
        let sampler = try Sampler.standard(Presets.oneDimensional().strong, settings: SamplerSettings(steps: 3))
        let reference = try SamplingRun(sampler: sampler, particles: 5, threads: 1).run().samples
        let other = try SamplingRun(sampler: sampler, particles: 5, threads: 10_000, chunkSize: Int.max).run().samples
        #expect(other == reference)
    }
}
