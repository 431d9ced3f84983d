import Foundation
import Testing
@testable import Toy

/// The performance helpers against their plain references: the radix sort against the standard sort
/// (bit-identical, any thread count), the quantile walk against bisection, and the parallel exact W1 / W2
/// independent of the thread count.
@Suite struct PerformanceHelperTests {
    /// Radix-sorted values equal the standard library's sort, element by element (negative, positive,
    /// zero, huge and tiny values, duplicates), for 1, 2 and 3 workers and sizes on both sides of the
    /// one-worker threshold.
    @Test func radixSortEqualsTheStandardSort() {
        var rng = Xoshiro256StarStar(seed: 11)
        for n in [0, 1, 2, 17, 40_000] {
            var values = (0..<n).map { _ in rng.nextNormal() * pow(10, Double(Int(rng.nextNormal() * 3))) }
            if n > 10 { values[3] = values[5]; values[7] = 0; values[8] = 1e300; values[9] = -1e-300 }
            let expected = values.sorted()
            for threads in [1, 2, 3] {
                let sorted = values.radixSorted(threads: threads)
                #expect(sorted.count == n && zip(sorted, expected).allSatisfy { $0 == $1 }, "n \(n), threads \(threads)")
            }
        }
    }

    /// Every quantile of the walk (continuation and Newton fallback, levels from 1e-12 to 1 - 1e-12)
    /// satisfies F(q) = u to 1e-14 relative to min(u, 1 - u) + 1e-15, checked against the CDF, and G1(q)
    /// equals `partialMean(q)` to 1e-12.
    @Test func quantileWalkSolvesEveryLevel() {
        let mixture = MixtureCDF1D(weights: [0.3, 0.7], means: [-4, 4], stds: [0.8, 0.5])
        let n = 3000
        var levels = (1..<n).map { Double($0) / Double(n) }
        levels = [1e-12] + levels + [1 - 1e-12]
        let complements = levels.map { 1 - $0 }
        var failures: [String] = []
        mixture.walkQuantiles(levels: levels, complements: complements, range: levels.indices) { j, q, g1 in
            let u = levels[j]
            let residual = u <= 0.5 ? abs(mixture.cdf(q) - u) : abs((1 - mixture.cdf(q)) - complements[j])
            if residual > 1e-14 * min(u, 1 - u) + 1e-15 { failures.append("level \(u): residual \(residual)") }
            if abs(g1 - mixture.partialMean(q)) > 1e-12 { failures.append("level \(u): G1 \(g1) vs \(mixture.partialMean(q))") }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
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
