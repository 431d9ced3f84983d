import Foundation
import Testing
import TestSupport
@testable import Toy

/// The estimators `toy-w2sd verify` reports (its checks live in Experiments, `VerificationTests`): rank
/// correlation and its permutation test, log-log fits, the schedule-weighted mismatch and the reflection's
/// error at a finite step.
@Suite struct VerificationEstimatorTests {
    // MARK: Rank correlation and its permutation test

    @Test func spearmanCorrelationOfRanks() {
        #expect(spearmanCorrelation([1, 2, 3, 4], [10, 20, 30, 45]) == 1)
        #expect(spearmanCorrelation([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
        #expect(abs(spearmanCorrelation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) - 0.8) < 1e-12)
        #expect(spearmanCorrelation([1, 1, 1], [1, 2, 3]).isNaN)
        #expect(spearmanCorrelation([1, 2], [1, 2, 3]).isNaN)
    }

    @Test func tiedValuesShareTheirAverageRank() {
        #expect(averageRanks([10, 20, 20, 5]) == [2, 3.5, 3.5, 1])
        #expect(averageRanks([7, 7, 7]) == [2, 2, 2])
        #expect(averageRanks([]) == [])
    }

    /// Hand-computed exact cases: a perfectly monotone n = 5 is the only one of 5! = 120 pairings with
    /// rho = 1, so p = 1/120 (two-sided: rho = -1 is as extreme, 2/120). For n = 3 the six pairings have
    /// rho = 1, 0.5, 0.5, -0.5, -0.5, -1, so observing 0.5 gives p = 3/6.
    @Test func exactPermutationPValues() {
        let monotone = SpearmanTest([1, 2, 3, 4, 5], [2, 4, 8, 16, 32])
        #expect(monotone.rho == 1 && monotone.count == 5)
        #expect(monotone.method == .exact(permutations: 120))
        #expect(abs(monotone.pValue - 1.0 / 120) < 1e-15)
        #expect(abs(SpearmanTest([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], alternative: .negative).pValue - 1.0 / 120) < 1e-15)
        #expect(abs(SpearmanTest([1, 2, 3, 4, 5], [2, 4, 8, 16, 32], alternative: .twoSided).pValue - 2.0 / 120) < 1e-15)
        #expect(SpearmanTest([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]).pValue == 1)
        let three = SpearmanTest([1, 2, 3], [1, 3, 2])
        #expect(abs(three.rho - 0.5) < 1e-15 && abs(three.pValue - 0.5) < 1e-15)
        let eight = SpearmanTest((1...8).map(Double.init), (1...8).map { Double($0 * $0) })
        #expect(eight.method == .exact(permutations: 40320) && abs(eight.pValue - 1.0 / 40320) < 1e-15)
    }

    /// Above 8 values: 10,000 seeded random permutations, p = (1 + hits) / 10,001; a perfectly monotone
    /// n = 10 (one pairing in 3.6 million reaches rho = 1) gives 1/10,001 unless a draw hits it.
    @Test func monteCarloPermutationPValue() {
        let x = (1...10).map(Double.init)
        let test = SpearmanTest(x, x.map { $0 * 3 })
        #expect(test.method == .monteCarlo(permutations: 10_000, seed: 0))
        #expect(test.pValue >= 1.0 / 10_001 && test.pValue <= 2.0 / 10_001)
        // Deterministic for a seed.
        #expect(SpearmanTest(x, x.reversed()).pValue == SpearmanTest(x, x.reversed()).pValue)
        #expect(SpearmanTest(x, [Double](repeating: 1, count: 10)).pValue.isNaN)
    }

    /// For any data, p(rho_perm >= rho) + p(rho_perm <= rho) >= 1 (the pairings with rho_perm = rho count
    /// in both), with equality when no other pairing ties the observed rho; in both the exact and the
    /// Monte Carlo branch (same seed, so the same permutations), and p is in (0, 1].
    @Test func oneSidedPValuesAreComplementary() {
        let failures = Property.check("p(>=) + p(<=) >= 1", cases: Property.caseCount(fraction: 0.1)) { rng in
            // n = 3 ... 7 (exact, at most 5040 pairings) or 9 ... 12 (Monte Carlo).
            let n = rng.next() % 2 == 0 ? 3 + Int(rng.next() % 5) : 9 + Int(rng.next() % 4)
            let a = (0..<n).map { _ in rng.nextNormal() }
            // Some ties in b.
            let b = (0..<n).map { _ in (3 * rng.nextNormal()).rounded() }
            let up = SpearmanTest(a, b, alternative: .positive, permutations: 200, seed: 7)
            let down = SpearmanTest(a, b, alternative: .negative, permutations: 200, seed: 7)
            guard up.rho.isFinite else { return up.pValue.isNaN ? nil : "finite p for undefined rho" }
            guard (0...1).contains(up.pValue), up.pValue > 0, down.pValue > 0 else { return "p outside (0, 1]: \(up.pValue), \(down.pValue)" }
            let sum = up.pValue + down.pValue
            return sum >= 1 - 1e-12 ? nil : "n = \(n): p(>=) + p(<=) = \(sum)"
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    // MARK: Fits and the schedule-step quantities

    @Test func logLogSlopeRecoversAPowerLaw() {
        let x = [25.0, 50, 100, 200, 400]
        #expect(abs(logLogSlope(x: x, y: x.map { 3 * pow($0, -1.5) }) + 1.5) < 1e-12)
        // Non-positive points are skipped; fewer than two usable points give NaN.
        #expect(abs(logLogSlope(x: x + [0], y: x.map { 2 * $0 * $0 } + [5]) - 2) < 1e-12)
        #expect(logLogSlope(x: [1, 2], y: [1, 0]).isNaN)
    }

    /// Single Gaussians: Delta1 - Delta2 = a + b x is affine and x ~ N(0, v*) under p*(x; sigma), so each
    /// term h_i E|a + b x| is a folded-normal mean in closed form.
    @Test func scheduleWeightedMismatchMatchesTheClosedForm() throws {
        func single(_ mean: Double, _ variance: Double) throws -> GaussianMixture {
            try GaussianMixture([GaussianComponent(weight: 1, mean: [mean], covariance: [variance])])
        }
        let models = try ModelTriple(ideal: single(0, 1), strong: single(0.5, 1.44), weak: single(1, 2.25))
        let settings = SamplerSettings(schedule: .karras(sigmaMax: 3, sigmaMin: 0.05, rho: 7), steps: 5)
        let mismatch = ScheduleWeightedMismatch.compute(models, settings: settings, threads: 2)
        let sigmas = settings.sigmas
        #expect(mismatch.terms.count == settings.lambda)
        for i in 0..<settings.lambda {
            let s2 = sigmas[i] * sigmas[i]
            let (vi, vs, vw) = (1 + s2, 1.44 + s2, 2.25 + s2)
            // Delta1 - Delta2 = (s_s - s_w) - (s* - s_s) = 2 s_s - s_w - s*, with s(x) = (m - x) / v.
            let a = 2 * 0.5 / vs - 1 / vw, b = -2 / vs + 1 / vw + 1 / vi
            let sd = abs(b) * vi.squareRoot()
            let folded = sd * (2 / Double.pi).squareRoot() * exp(-a * a / (2 * sd * sd)) + a * erf(a / (sd * 2.0.squareRoot()))
            let h = sigmas[i] * (sigmas[i] - sigmas[i + 1])
            #expect(abs(mismatch.terms[i] - h * folded) <= 1e-8 * h * abs(folded), "step \(i)")
        }
        #expect(abs(mismatch.total - mismatch.terms.reduce(0, +)) == 0)
    }

    /// The averaged residual of one reflection is second order in the step (ratio ~4 when the step
    /// halves); with weak = strong it is the inversion's own bias, with no predicted move.
    @Test func reflectionStepErrorIsSecondOrder() throws {
        let models = Presets.oneDimensional()
        let coarse = try ReflectionStepError.compute(models, sigma: 1, next: 1 - 0.02, inversion: .paper)
        let fine = try ReflectionStepError.compute(models, sigma: 1, next: 1 - 0.01, inversion: .paper)
        let ratio = coarse.meanResidual / fine.meanResidual
        #expect(ratio > 3.4 && ratio < 4.6, "ratio \(ratio)")
        #expect(coarse.relativeResidual > fine.relativeResidual)
        // weak = strong: Delta1 = 0, so the paper inversion's own bias is all of the residual, infinitely
        // large relative to the (zero) predicted move.
        let same = try ModelTriple(ideal: models.ideal, strong: models.strong, weak: models.strong)
        let identity = try ReflectionStepError.compute(same, sigma: 2, next: 1.6, inversion: .paper)
        #expect(identity.meanFirstOrderMove == 0 && identity.meanResidual > 0 && identity.relativeResidual == .infinity)
    }
}
