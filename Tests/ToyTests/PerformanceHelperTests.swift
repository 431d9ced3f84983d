import Foundation
import Testing
import TestSupport
@testable import Toy

/// The performance helpers against their plain references: the radix sort against the standard sort
/// (bit-identical, any thread count), the quantile walk against bisection, and the parallel exact W1 / W2
/// independent of the thread count.
@Suite struct PerformanceHelperTests {
    /// Radix-sorted values equal the standard library's sort, element by element, for 1, 2 and 3 workers
    /// and sizes on both sides of the radix and one-worker thresholds: values over many decades (negative,
    /// positive, zero, huge and tiny, duplicates), values of one scale with clusters of distinct values
    /// closer than the key resolution (runs of equal keys out of order, fixed by the last pass), and all
    /// values equal.
    @Test func radixSortEqualsTheStandardSort() {
        var rng = Xoshiro256StarStar(seed: 11)
        for n in [0, 1, 2, 17, 5000, 40_000] {
            var wide = (0..<n).map { _ in rng.nextNormal() * pow(10, Double(Int(rng.nextNormal() * 3))) }
            if n > 10 { wide[3] = wide[5]; wide[7] = 0; wide[8] = 1e300; wide[9] = -1e-300 }
            // Clusters: 1 + k 1e-15 (k < 50) sit within 5e-14 of each other, below the resolution (range 8) / 2^44.
            let clustered = (0..<n).map { i -> Double in
                let k = Double((i * 7919) % 50)
                return i % 3 == 0 ? 1 + k * 1e-15 : 2 * rng.nextNormal()
            }
            let equal = [Double](repeating: -2.5, count: n)
            for (name, values) in [("wide", wide), ("clustered", clustered), ("equal", equal)] {
                let expected = values.sorted()
                for threads in [1, 2, 3] {
                    let sorted = values.radixSorted(threads: threads)
                    #expect(sorted.count == n && zip(sorted, expected).allSatisfy { $0 == $1 }, "\(name), n \(n), threads \(threads)")
                }
            }
        }
    }

    /// The lane evaluation of many components (a lane group whose components all lie beyond the tail cut
    /// skips erfc and exp) against the per-component sums: tail F(x) or 1 - F(x) and density within
    /// 1e-14 max(1, |value|), the partial mean within 1e-14 max(1 + max_k |mu_k|, |value|) (its upper form
    /// subtracts from the mean), for narrow components spread so that most
    /// groups are far from most points, and a padded last group.
    @Test func laneEvaluationSkipsFarGroupsExactly() {
        let failures = Property.check("lane evaluation = component sums") { rng -> String? in
            let k = Draw.integer(9...70, &rng)
            let raw = (0..<k).map { _ in Draw.uniform(0.05, 1, &rng) }
            let total = raw.reduce(0, +)
            let means = (0..<k).map { Double($0) * Draw.uniform(0.2, 2, &rng) - 10 }
            let mixture = MixtureCDF1D(weights: raw.map { $0 / total }, means: means,
                                       stds: (0..<k).map { _ in Draw.logUniform(0.01, 0.5, &rng) })
            for _ in 0..<20 {
                let x = Draw.uniform(-80, 80, &rng), lower = Draw.bool(&rng)
                let e = mixture.evaluate(x, lower: lower)
                let f = mixture.cdf(x)
                let checks = [("tail", e.tail, lower ? f : 1 - f), ("density", e.density, mixture.density(x)),
                              ("partial mean", e.partialMean, mixture.partialMean(x))]
                // The upper partial mean is mean - (sum of upper terms): absolute rounding ~ ulp(max |mu_k|).
                let scales = [1.0, 1.0, 1 + means.map(abs).max()!]
                for ((name, value, reference), scale) in zip(checks, scales)
                where !(abs(value - reference) <= 1e-14 * max(scale, abs(reference))) {
                    return "K \(k), x \(x), lower \(lower): \(name) \(value) vs \(reference)"
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Every quantile of the walk (continuation and Newton fallback, levels from 1e-12 to 1 - 1e-12, in
    /// eight ranges of uneven lengths walked side by side) satisfies F(q) = u to 1e-14 relative to
    /// min(u, 1 - u) + 1e-15, checked against the CDF, G1(q) equals `partialMean(q)` to 1e-12, and every
    /// level is visited once, in increasing order within its range, with the range's lane; for two
    /// components (the point-lane evaluation) and for nine (one evaluation per point, components in lanes).
    @Test func quantileWalkSolvesEveryLevel() {
        let two = MixtureCDF1D(weights: [0.3, 0.7], means: [-4, 4], stds: [0.8, 0.5])
        let nine = MixtureCDF1D(weights: (0..<9).map { Double($0 + 1) / 45 }, means: (0..<9).map { Double($0) * 1.5 - 6 },
                                stds: (0..<9).map { 0.3 + 0.1 * Double($0) })
        let n = 3000
        var levels = (1..<n).map { Double($0) / Double(n) }
        levels = [1e-12] + levels + [1 - 1e-12]
        let complements = levels.map { 1 - $0 }
        let cuts = [0, 1, 400, 401, 1200, 1500, 2300, 2999, levels.count]
        let ranges = (0..<8).map { cuts[$0]..<cuts[$0 + 1] }
        for mixture in [two, nine] {
            var failures: [String] = [], visited = [Int](repeating: 0, count: levels.count), last = ranges.map { $0.lowerBound - 1 }
            mixture.walkQuantiles(levels: ListedLevels(levels: levels, complements: complements), ranges: ranges) { r, j, q, g1 in
                let u = levels[j]
                visited[j] += 1
                if !ranges[r].contains(j) || j <= last[r] { failures.append("level \(j) out of order in range \(r)") }
                last[r] = j
                let residual = u <= 0.5 ? abs(mixture.cdf(q) - u) : abs((1 - mixture.cdf(q)) - complements[j])
                if residual > 1e-14 * min(u, 1 - u) + 1e-15 { failures.append("level \(u): residual \(residual)") }
                if abs(g1 - mixture.partialMean(q)) > 1e-12 { failures.append("level \(u): G1 \(g1) vs \(mixture.partialMean(q))") }
            }
            #expect(failures.isEmpty && visited.allSatisfy { $0 == 1 }, "K \(mixture.weights.count): \(failures.prefix(5))")
        }
    }

    /// The exact W2 with short segments (97 levels: 42 groups of eight segments walked side by side) is
    /// identical for 1, 2 and 3 workers, and within 1e-13 (relative to 1 + W2^2) of one walk over all levels.
    @Test func segmentedW2DoesNotDependOnThreads() {
        let models = Presets.oneDimensional()
        let sorted = models.strong.samples(count: 4000, seed: 5).sorted()
        let reference = MixtureCDF1D(projecting: models.ideal, onto: [1])
        let masses = [Double](repeating: 1.0 / 4000, count: 4000)
        let segmented = [1, 2, 3].map {
            Wasserstein.exactSquaredW2(sortedPositions: sorted, masses: masses, reference: reference, threads: $0, segmentLength: 97)
        }
        let whole = Wasserstein.exactSquaredW2(sortedPositions: sorted, masses: masses, reference: reference, threads: 1, segmentLength: 4000)
        #expect(Set(segmented).count == 1, "\(segmented)")
        #expect(abs(segmented[0] - whole) <= 1e-13 * (1 + whole), "\(segmented[0]) vs \(whole)")
    }

    /// The exact W1 and W2 of 40000 samples (three parallel segments) do not depend on the thread count,
    /// and the segmented W1 equals one sequential interval-by-interval integration to 2e-11 (both round
    /// 40000 differences of G, |G| <= 8, each by ~1e-15; measured 2.1e-12).
    @Test func exactDistancesDoNotDependOnThreads() {
        let models = Presets.oneDimensional()
        let samples = models.strong.samples(count: 40_000, seed: 3)
        let reference = MixtureCDF1D(projecting: models.ideal, onto: [1])
        let w1 = [1, 2, 3].map { Wasserstein.exact(samples: samples, reference: reference, threads: $0) }
        let w2 = [1, 2, 3].map { Wasserstein.exactSquaredW2(samples: samples, reference: reference, threads: $0) }
        #expect(Set(w1).count == 1 && Set(w2).count == 1)
        // Sequential reference: integral |F_n - F| interval by interval, as before the blocks.
        let sorted = samples.sorted()
        var total = reference.integratedCDF(sorted[0]) + reference.integratedSurvival(sorted[sorted.count - 1])
        for j in 0..<(sorted.count - 1) {
            let c = Double(j + 1) / Double(sorted.count), a = sorted[j], b = sorted[j + 1]
            let fa = reference.cdf(a), fb = reference.cdf(b), ga = reference.integratedCDF(a), gb = reference.integratedCDF(b)
            if fa >= c { total += (gb - ga) - c * (b - a) } else if fb <= c { total += c * (b - a) - (gb - ga) } else {
                let x = reference.solve(level: c, in: a, b), gx = reference.integratedCDF(x)
                total += c * (x - a) - (gx - ga) + (gb - gx) - c * (b - x)
            }
        }
        #expect(abs(w1[0] - total) <= 2e-11, "\(w1[0]) vs \(total)")
    }
}
