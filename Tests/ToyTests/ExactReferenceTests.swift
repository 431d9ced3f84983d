import Foundation
import Testing
import TestSupport
@testable import Toy

@Suite struct ExactReferenceTests {
    /// The exact reference draws i.i.d. samples of the model at sigma = 0 with the engine's per-particle
    /// streams: bit-identical to `GaussianMixture.samples(count:sigma:seed:)` for any thread count and
    /// chunk size, no score evaluations, a one-point trajectory at sigma = 0, and statistics like any run.
    @Test func exactReferenceIsTheEnginesIIDSampleAtZeroNoise() throws {
        let models = Presets.twoDimensional()
        let expected = models.strong.samples(count: 301, sigma: 0, seed: 9)
        for (threads, chunk) in [(1, 2048), (3, 7), (2, 64)] {
            let run = SamplingRun.exactReference(of: models.strong, particles: 301, seed: 9, threads: threads, chunkSize: chunk,
                                                 trajectories: 2, ideal: models.ideal)
            let result = try run.run()
            #expect(result.samples == expected, "threads \(threads), chunk \(chunk)")
            #expect(result.evaluations == 0)
            #expect(result.trajectories.map(\.points.count) == [1, 1])
            #expect(result.trajectories.first?.points.first?.sigma == 0)
            let statistics = try #require(result.statistics)
            #expect(statistics.count == 301)
        }
    }

    /// Its mode masses are those of the model within 4 binomial standard errors (the strong 1D model:
    /// 0.3 / 0.7, n = 4000).
    @Test func exactReferenceHasTheModelsMasses() throws {
        let models = Presets.oneDimensional()
        let statistics = try #require(try SamplingRun.exactReference(of: models.strong, particles: 4000, seed: 1, ideal: models.ideal).run().statistics)
        let error = (0.3 * 0.7 / 4000).squareRoot()
        #expect(abs(statistics.modes[0].mass - 0.3) <= 4 * error, "\(statistics.modes[0].mass)")
    }
}
