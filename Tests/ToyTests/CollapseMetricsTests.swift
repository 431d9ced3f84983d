import Foundation
import Testing
import TestSupport
@testable import Toy

/// The metrics that do not reward collapse: W2, MMD^2, on-mode masses and the spurious fraction.
@Suite struct CollapseMetricsTests {
    /// An independent reference for 1D W2^2 against a mixture: W2^2 = integral (x_(ceil(n F(y))) - y)^2 p(y) dy
    /// (the quantile coupling written in y), split at the breakpoints F(y) = i / n (found by plain
    /// bisection on F) and integrated piecewise by composite Simpson with 4000 panels on the smooth pieces
    /// (the tails cut at 15 standard deviations, where the mass is below 1e-50).
    static func bruteForceSquaredW2(_ samples: [Double], _ p: MixtureCDF1D) -> Double {
        let x = samples.sorted(), n = x.count
        let lo = zip(p.means, p.stds).map { $0 - 15 * $1 }.min()!, hi = zip(p.means, p.stds).map { $0 + 15 * $1 }.max()!
        var breaks = [lo]
        for i in 1..<n {
            var a = lo, b = hi
            for _ in 0..<200 { let m = 0.5 * (a + b); if p.cdf(m) < Double(i) / Double(n) { a = m } else { b = m } }
            breaks.append(0.5 * (a + b))
        }
        breaks.append(hi)
        var total = 0.0
        for i in 0..<n {
            let (a, b) = (breaks[i], breaks[i + 1])
            let panels = 4000, h = (b - a) / Double(panels)
            func f(_ y: Double) -> Double { (x[i] - y) * (x[i] - y) * p.density(y) }
            var s = f(a) + f(b)
            for j in 1..<panels { s += f(a + Double(j) * h) * (j % 2 == 1 ? 4 : 2) }
            total += s * h / 3
        }
        return total
    }

    /// 1D W2 against the brute-force quadrature on five samples (presets and random mixtures with
    /// spreads from 0.1 to 4): the closed form agrees to 1e-8 (relative to 1 + W2^2).
    @Test func oneDimensionalW2MatchesBruteForceQuadrature() {
        let failures = Property.check("W2 closed form = quadrature", cases: 20) { rng -> String? in
            let mixture = Draw.mixtureCase(dimensions: 1...1, maxComponents: 3, smallestWeight: 1e-3, zeroWeights: false, &rng)
            guard let p = try? MixtureCDF1D(projecting: mixture.mixture(), onto: [1]) else { return "invalid mixture" }
            let samples = (0..<5).map { _ in Draw.uniform(-8, 8, &rng) }
            let closed = Wasserstein.exactSquaredW2(samples: samples, reference: p)
            let reference = Self.bruteForceSquaredW2(samples, p)
            return abs(closed - reference) <= 1e-8 * (1 + reference) ? nil : "samples \(samples): \(closed) vs quadrature \(reference)"
        }
        #expect(failures.isEmpty, "\(failures)")
        let preset = MixtureCDF1D(projecting: Presets.oneDimensional().ideal, onto: [1])
        let samples = [-4.2, -3.1, 0.5, 3.9, 4.4]
        #expect(abs(Wasserstein.exactSquaredW2(samples: samples, reference: preset) - Self.bruteForceSquaredW2(samples, preset)) <= 1e-9)
    }

    /// W2 >= W1 (Lyapunov) for any samples and mixture in 1D, and for the sliced versions in 2D
    /// (sqrt(mean W2_u^2) >= mean W2_u >= mean W1_u); 1e-9 relative slack.
    @Test func w2IsAtLeastW1() {
        let failures = Property.check("W2 >= W1", generate: { rng -> (SampleSetCase, MixtureCase) in
            (SampleSetCase.draw(&rng), Draw.mixtureCase(dimensions: 1...1, maxComponents: 4, &rng))
        }) { c in
            let p = MixtureCDF1D(projecting: try c.1.mixture(), onto: [1])
            let w1 = Wasserstein.exact(samples: c.0.a, reference: p)
            let w2 = Wasserstein.exactSquaredW2(samples: c.0.a, reference: p).squareRoot()
            return w2 >= w1 * (1 - 1e-9) - 1e-12 ? nil : "W2 \(w2) < W1 \(w1)"
        }
        #expect(failures.isEmpty, "\(failures)")
        let models = Presets.twoDimensional()
        let statistics = SampleStatistics(samples: models.weak.samples(count: 300, seed: 2), ideal: models.ideal)
        #expect(statistics.wasserstein2 >= statistics.wasserstein)
    }

    /// Exact i.i.d. samples of the ideal: W2 is small and shrinks with n (mean over 4 seeds: n = 100,
    /// 1000, 10000 strictly decreasing; measured 1.10, 0.46, 0.29). On two modes 8 apart its floor falls
    /// only like n^(-1/4): a mass imbalance delta ~ 0.4 / sqrt(n) between the modes costs 8 sqrt(delta)
    /// (W1 pays 8 delta), so at n = 10000 it is below 0.5, not below 0.1.
    @Test func w2OfExactSamplesShrinksWithTheSampleSize() {
        let ideal = Presets.oneDimensional().ideal
        let reference = MixtureCDF1D(projecting: ideal, onto: [1])
        let means = [100, 1000, 10000].map { n in
            (0..<4).reduce(0.0) { $0 + Wasserstein.exactSquaredW2(samples: ideal.samples(count: n, seed: UInt64($1)), reference: reference).squareRoot() } / 4
        }
        #expect(means[0] > means[1] && means[1] > means[2] && means[2] < 0.5, "\(means)")
    }

    /// A single Gaussian N(0, 0.64) and samples moved by c: W2(samples + c, p) is within W2(samples, p) of
    /// |c| (triangle inequality with W2(p + c, p) = |c|), hence -> |c|; at n = 4000 within 0.05 of it.
    @Test func shiftedSamplesHaveW2NearTheShift() throws {
        let p = MixtureCDF1D(weights: [1], means: [0], stds: [0.8])
        let single = try GaussianMixture([GaussianComponent(weight: 1, mean: [0], std: 0.8)])
        let samples = single.samples(count: 4000, seed: 5)
        let own = Wasserstein.exactSquaredW2(samples: samples, reference: p).squareRoot()
        for c in [-2.5, 0.3, 7.0] {
            let moved = Wasserstein.exactSquaredW2(samples: samples.map { $0 + c }, reference: p).squareRoot()
            #expect(abs(moved - abs(c)) <= own + 1e-9, "c = \(c): \(moved), own \(own)")
            #expect(abs(moved - abs(c)) <= 0.05)
        }
    }

    /// Hand-built samples: on-mode counts by the chi-square window (squared Mahalanobis distance below
    /// chi2_d(0.999)), spurious samples, means and spreads of the on-mode samples and their ratio to the
    /// component's standard deviation.
    @Test func onModeAndSpuriousOnHandBuiltSamples() throws {
        let ideal = Presets.oneDimensional().ideal
        // Window: |x -+ 4| < 0.8 sqrt(10.8276) = 2.632.
        let s = SampleStatistics(samples: [-4, -1.7, -1.3, 0, 4, 4.6, 12], ideal: ideal)
        #expect(s.onMode.map(\.count) == [2, 2] && s.spuriousCount == 3)
        #expect(abs(s.spuriousFraction - 3.0 / 7) <= 1e-15 && abs(s.onMode[0].mass - 2.0 / 7) <= 1e-15)
        #expect(abs(s.onMode[0].mean[0] - (-2.85)) <= 1e-12 && abs(s.onMode[1].mean[0] - 4.3) <= 1e-12)
        let sd = (2 * 0.3 * 0.3).squareRoot()
        #expect(abs(s.onMode[1].std[0] - sd) <= 1e-12 && abs(s.onMode[1].stdRatio[0] - sd / 0.8) <= 1e-12)
        // Nearest-mode masses are unchanged beside them: every sample belongs to a nearest mode.
        #expect(s.modes.map(\.count) == [4, 3])

        // 2D, anisotropic: the window (q < 13.8155) is Mahalanobis, not Euclidean: (7.6, 0) and (0, 1.9)
        // (q = 14.44 both) are off, (5, 0) and (0, 1.4) on; an absent component has no window.
        let plane = try GaussianMixture([GaussianComponent(weight: 1, mean: [0, 0], covariance: [4, 0, 0, 0.25]),
                                         GaussianComponent(weight: 0, mean: [0, 1], std: 5)])
        let t = SampleStatistics(samples: [5, 0, 0, 1.9, 0, 1.4, 7.6, 0], ideal: plane)
        #expect(t.onMode.map(\.count) == [2, 0] && t.spuriousCount == 2)
    }

    /// Overlapping modes: a sample inside two windows counts once, for the nearer mode in Mahalanobis
    /// distance (the first on a tie), so the on-mode counts and the spurious count add up to the samples.
    /// Components N(0, 1) and N(1, 4): q_0 = x^2, q_1 = (x - 1)^2 / 4, both windows below 10.8276.
    @Test func overlappingModesCountOnce() throws {
        let ideal = try GaussianMixture([GaussianComponent(weight: 0.5, mean: [0], std: 1),
                                         GaussianComponent(weight: 0.5, mean: [1], std: 2)])
        // 0.2: q = 0.04 vs 0.16 (mode 0); -1: 1 vs 1 (tie: mode 0); 2: 4 vs 0.25 (mode 1);
        // 6: 36 vs 6.25 (only mode 1's window); -6.5: 42.25 vs 14.06 (spurious).
        let s = SampleStatistics(samples: [0.2, -1, 2, 6, -6.5], ideal: ideal)
        #expect(s.onMode.map(\.count) == [2, 2] && s.spuriousCount == 1)
        #expect(s.onMode.map(\.count).reduce(0, +) + s.spuriousCount == s.count)
    }

    /// The on-mode spread of exact samples: the exact std ratio is the truncated-normal value
    /// sqrt(1 - 2 c phi(c) / q) with c = sqrt(chi2_1(q)), q = 0.999, in 1D (1e-12), and exact samples of
    /// the presets reach it within 4 standard errors (std of the sample std ~ ratio / sqrt(2 n)), with the
    /// spurious fraction 1 - q within 4 binomial standard errors.
    @Test func exactSamplesHaveTheTruncatedStdRatio() throws {
        let q = StatisticsReference.onModeQuantile
        let c = StatisticsReference.onModeThreshold(dimension: 1).squareRoot(), phi = exp(-c * c / 2) / (2 * Double.pi).squareRoot()
        #expect(abs(erf(c / 2.0.squareRoot()) - q) <= 1e-13)
        #expect(abs(OnModeSummary.exactStdRatio(dimension: 1) - (1 - 2 * c * phi / q).squareRoot()) <= 1e-12)
        for models in [Presets.oneDimensional(), Presets.twoDimensional()] {
            let d = models.dimension
            // The chunk moments alone (the on-mode part of SampleStatistics, without W1 / W2).
            let samples = models.ideal.samples(count: 4000, seed: 8)
            let moments = samples.withUnsafeBufferPointer {
                ChunkMoments(samples: $0, firstIndex: 0, reference: StatisticsReference(ideal: models.ideal))
            }
            let onMode = moments.onModes(ideal: models.ideal), spurious = Double(moments.spurious) / 4000
            let expected = OnModeSummary.exactStdRatio(dimension: d)
            for mode in onMode {
                for ratio in mode.stdRatio {
                    #expect(abs(ratio - expected) <= 4 * expected / (2 * Double(mode.count)).squareRoot(), "d \(d): \(ratio) vs \(expected)")
                }
            }
            // Spurious: the mass outside the window, 1 - q in every dimension (the modes are 8 apart: no
            // sample falls into another mode's window).
            let outside = 1 - q
            #expect(abs(spurious - outside) <= 4 * (outside * (1 - outside) / 4000).squareRoot(), "\(spurious) vs \(outside)")
        }
    }

    /// Exact samples of random mixtures in d = 1 ... 64 (1 to 5 components, random covariances with
    /// condition numbers up to 100, weights 0.05 to 1), 10,000 per case, two kinds of case:
    ///
    /// - separated: the means 60 units apart along a random line (every covariance eigenvalue is at most 2,
    ///   so a window reaches at most sqrt(2 * 104.7) = 14.5 from its mean and a sample of another
    ///   component lies within 22 of its own mean but for a probability below 1e-20): each sample is on a
    ///   mode unless it leaves its own component's window, so the spurious count is Binomial(n, 1 - q)
    ///   with q = 0.999, and it must lie within 4 standard deviations of n (1 - q) = 10 (plus 1 for the
    ///   discreteness); pooled over all separated cases, within 4 standard deviations too;
    /// - overlapping: the means within 1 unit of each other: a sample outside its own window may still
    ///   be inside another's, so P(spurious) <= 1 - q (equality only without overlap), and the assertion is
    ///   one-sided: at most n (1 - q) + 4 standard deviations + 1.
    ///
    /// In every case the on-mode counts and the spurious count add up to n (a sample counts once).
    @Test func exactSamplesAreSpuriousAtOneMinusTheQuantileInAnyDimension() {
        let n = 10_000, q = StatisticsReference.onModeQuantile
        let expected = Double(n) * (1 - q), sd = (expected * q).squareRoot()
        var pooled = (spurious: 0, samples: 0)
        let failures = Property.check("exact samples: spurious <= 1 - q", cases: Property.caseCount(fraction: 0.15)) { rng -> String? in
            let d = Draw.bool(&rng, probability: 0.3) ? Draw.integer(1...3, &rng) : Draw.integer(1...64, &rng)
            let k = Draw.integer(1...5, &rng), separated = Draw.bool(&rng)
            let direction: [Double] = {
                let v = (0..<d).map { _ in rng.nextNormal() }, norm = max(1e-12, v.reduce(0) { $0 + $1 * $1 }.squareRoot())
                return v.map { $0 / norm }
            }()
            let components = (0..<k).map { c -> GaussianComponent in
                let mean = separated ? direction.map { 60 * Double(c) * $0 } : (0..<d).map { _ in Draw.uniform(-0.5, 0.5, &rng) }
                return GaussianComponent(weight: Draw.uniform(0.05, 1, &rng), mean: mean,
                                         covariance: Draw.covariance(dimension: d, scale: Draw.uniform(0.2, 2, &rng), maxCondition: 100, &rng))
            }
            guard let mixture = try? GaussianMixture(components) else { return "invalid mixture" }
            let samples = mixture.samples(count: n, seed: rng.next())
            let moments = samples.withUnsafeBufferPointer { ChunkMoments(samples: $0, firstIndex: 0, reference: StatisticsReference(ideal: mixture)) }
            let label = "d \(d), \(k) components, \(separated ? "separated" : "overlapping")"
            if moments.onMode.counts.reduce(0, +) + moments.spurious != n {
                return "\(label): on-mode \(moments.onMode.counts) + spurious \(moments.spurious) != \(n)"
            }
            let count = Double(moments.spurious)
            if separated {
                pooled.spurious += moments.spurious
                pooled.samples += n
                return abs(count - expected) <= 4 * sd + 1 ? nil : "\(label): \(moments.spurious) spurious, expected \(expected) +- \(sd)"
            }
            return count <= expected + 4 * sd + 1 ? nil : "\(label): \(moments.spurious) spurious, at most \(expected) + 4 x \(sd) allowed"
        }
        #expect(failures.isEmpty, "\(failures)")
        let pooledExpected = Double(pooled.samples) * (1 - q), pooledSD = (pooledExpected * q).squareRoot()
        #expect(pooled.samples > 0 && abs(Double(pooled.spurious) - pooledExpected) <= 4 * pooledSD,
                "pooled: \(pooled.spurious) spurious in \(pooled.samples), expected \(pooledExpected) +- \(pooledSD)")
    }

    /// Streamed and kept statistics of the same run: identical on-mode counts, spurious count and MMD
    /// (the same first samples, kept by the chunks in particle order); the streamed W2 within its stated
    /// error of the exact one. Odd chunk sizes: the MMD samples are those of one buffer, and the statistic
    /// computed from that buffer on one thread is the same, bit for bit.
    @Test func streamedAndKeptStatisticsAgree() throws {
        for models in [Presets.oneDimensional(), Presets.twoDimensional()] {
            let sampler = try Sampler.w2sd(strong: models.strong, weak: models.weak, settings: SamplerSettings(steps: 8))
            var run = SamplingRun(sampler: sampler, particles: 1001, seed: 6, threads: 2, chunkSize: 37, ideal: models.ideal)
            let keptResult = try run.run()
            let kept = try #require(keptResult.statistics)
            run.keepSamples = false
            let streamed = try #require(try run.run().statistics)
            #expect(streamed.onMode.map(\.count) == kept.onMode.map(\.count))
            #expect(streamed.spuriousCount == kept.spuriousCount)
            #expect(streamed.mmd == kept.mmd)
            #expect(abs(streamed.wasserstein2 - kept.wasserstein2) <= streamed.wasserstein2Error * (1 + 1e-9) + 1e-12,
                    "d \(models.dimension): streamed \(streamed.wasserstein2) +- \(streamed.wasserstein2Error), kept \(kept.wasserstein2)")
            #expect(streamed.wasserstein2Error > 0 && kept.wasserstein2Error == 0)
            let whole = SampleStatistics(samples: keptResult.samples, ideal: models.ideal)
            let mmd = try #require(kept.mmd)
            #expect(whole.mmd == mmd && mmd.samples == 1001 && mmd.pairs == 1001 * 1000 / 2)
            #expect(whole.onMode.map(\.count) == kept.onMode.map(\.count))
        }
    }
}
