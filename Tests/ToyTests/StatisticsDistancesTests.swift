import Foundation
import Testing
import TestSupport
@testable import Toy

/// Statistics with only some of the costly distances (`SampleStatistics.Distances`): every distance
/// computed equals, bit for bit, the one statistics with all of them give, those left out are NaN (or nil
/// for MMD^2), and everything from the moments is unchanged; on each of the three paths (1D sorted, d >= 2
/// kept and sliced exactly, d >= 2 beyond `exactSliceLimit` binned) and through a whole run.
@Suite struct StatisticsDistancesTests {
    static let subsets: [SampleStatistics.Distances] = (0..<8).map { SampleStatistics.Distances(rawValue: $0) }

    /// nil when `part` (computed with `distances`) agrees with `full` as stated above.
    static func mismatch(_ part: SampleStatistics, _ full: SampleStatistics, _ distances: SampleStatistics.Distances) -> String? {
        func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern }
        let w1 = distances.contains(.wasserstein), w2 = distances.contains(.wasserstein2), mmd = distances.contains(.mmd)
        if w1 ? !(same(part.wasserstein, full.wasserstein) && same(part.wassersteinError, full.wassersteinError))
              : !(part.wasserstein.isNaN && part.wassersteinError.isNaN) { return "W1 \(part.wasserstein) against \(full.wasserstein)" }
        if w2 ? !(same(part.wasserstein2, full.wasserstein2) && same(part.wasserstein2Error, full.wasserstein2Error))
              : !(part.wasserstein2.isNaN && part.wasserstein2Error.isNaN) { return "W2 \(part.wasserstein2) against \(full.wasserstein2)" }
        if mmd ? part.mmd != full.mmd || full.mmd == nil : part.mmd != nil { return "MMD \(String(describing: part.mmd)) against \(String(describing: full.mmd))" }
        guard same(part.meanNegativeLogLikelihood, full.meanNegativeLogLikelihood), part.spuriousCount == full.spuriousCount,
              part.count == full.count, part.modes.map(\.mass) == full.modes.map(\.mass),
              part.onMode.map(\.mass) == full.onMode.map(\.mass) else { return "a moment statistic differs" }
        return nil
    }

    @Test(arguments: [(1, 3000), (2, 3000), (2, SampleStatistics.exactSliceLimit + 1500)])
    func eachDistanceIsTheFullStatisticsOne(dimension: Int, count: Int) {
        let models = dimension == 1 ? Presets.oneDimensional() : Presets.twoDimensional()
        let samples = models.strong.samples(count: count, seed: 7)
        let full = SampleStatistics(samples: samples, ideal: models.ideal, threads: 2)
        for distances in Self.subsets {
            let part = SampleStatistics(samples: samples, ideal: models.ideal, threads: 2, distances: distances)
            #expect(Self.mismatch(part, full, distances) == nil, "d = \(dimension), n = \(count), distances \(distances.rawValue): \(Self.mismatch(part, full, distances) ?? "")")
        }
    }

    /// A streamed run (histograms) and a kept one, W1 alone against all distances.
    @Test func aRunWithW1AloneKeepsItsW1() throws {
        let models = Presets.twoDimensional()
        for keep in [true, false] {
            var run = SamplingRun(sampler: try .w2sd(strong: models.strong, weak: models.weak, settings: SamplerSettings(steps: 6)),
                                  particles: 2500, seed: 3, threads: 2, keepSamples: keep, ideal: models.ideal)
            let full = try #require(try run.run().statistics)
            run.distances = [.wasserstein]
            let part = try #require(try run.run().statistics)
            #expect(Self.mismatch(part, full, [.wasserstein]) == nil, "keep \(keep): \(Self.mismatch(part, full, [.wasserstein]) ?? "")")
        }
    }

    /// The shared kernel is the kernel formed afresh (its bandwidth bit for bit), for more ideal models
    /// than the shared store holds, each asked for twice.
    @Test func theSharedKernelIsTheFreshOne() throws {
        var ideals: [GaussianMixture] = []
        for k in 0..<10 {
            ideals.append(try GaussianMixture([GaussianComponent(weight: 1, mean: [Double(k)], std: 0.5), GaussianComponent(weight: 2, mean: [-3], std: 1)]))
        }
        for ideal in ideals + ideals.reversed() {
            #expect(GaussianKernelMMD.shared(ideal: ideal).bandwidth.bitPattern == GaussianKernelMMD(ideal: ideal).bandwidth.bitPattern)
        }
    }
}
