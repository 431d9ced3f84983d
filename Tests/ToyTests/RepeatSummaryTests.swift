import Foundation
import Testing
import TestSupport
@testable import Toy

@Suite struct RepeatSummaryTests {
    /// t_{0.975}(nu) against published tables (8 significant digits) and the normal limit.
    @Test func studentQuantilesMatchPublishedValues() throws {
        let published: [(Double, Double)] = [(1, 12.7062047), (4, 2.7764451), (9, 2.2621572), (29, 2.0452296)]
        for (nu, value) in published {
            let t = try #require(StudentT.quantile(0.975, degreesOfFreedom: nu))
            #expect(abs(t - value) <= 1e-7, "nu = \(nu): \(t) vs \(value)")
            // Symmetry and the CDF round trip.
            #expect(StudentT.quantile(0.025, degreesOfFreedom: nu) == -t)
            #expect(abs(StudentT.cdf(t, degreesOfFreedom: nu) - 0.975) <= 1e-14)
        }
        // nu = 1 is the Cauchy distribution: t_p = tan(pi (p - 1/2)).
        for p in [0.6, 0.9, 0.999] {
            let t = try #require(StudentT.quantile(p, degreesOfFreedom: 1))
            #expect(abs(t - tan(Double.pi * (p - 0.5))) <= 1e-12 * abs(t))
        }
        // Large nu: the normal quantile 1.959963985 (Cornish-Fisher: t - z ~ (z^3 + z) / (4 nu) = 2.4e-7 at 1e7).
        let large = try #require(StudentT.quantile(0.975, degreesOfFreedom: 1e7))
        #expect(abs(large - 1.959964) <= 1e-6, "\(large)")
        #expect(StudentT.quantile(0, degreesOfFreedom: 3) == nil && StudentT.quantile(0.5, degreesOfFreedom: 0) == nil)
    }

    /// The incomplete beta function against closed forms: I_x(a, 1) = x^a, I_x(1, b) = 1 - (1 - x)^b,
    /// I_x(1/2, 1/2) = 2 asin(sqrt x) / pi; the lower incomplete gamma: P(1, x) = 1 - e^-x and
    /// P(1/2, x) = erf(sqrt x).
    @Test func incompleteBetaAndGammaMatchClosedForms() {
        for x in [1e-8, 0.1, 0.5, 0.93, 1 - 1e-9] {
            for a in [0.5, 2, 7.5] {
                #expect(abs(SpecialFunctions.regularizedIncompleteBeta(x, a, 1) - pow(x, a)) <= 1e-13 * pow(x, a))
                let expected = -expm1(a * log1p(-x))
                #expect(abs(SpecialFunctions.regularizedIncompleteBeta(x, 1, a) - expected) <= 1e-13 * expected)
            }
            // asin is ill-conditioned near 1: there use I_x = 1 - I_{1-x} (1 - x is exact for these x).
            let arcsine = x <= 0.5 ? 2 * asin(x.squareRoot()) / Double.pi : 1 - 2 * asin((1 - x).squareRoot()) / Double.pi
            #expect(abs(SpecialFunctions.regularizedIncompleteBeta(x, 0.5, 0.5) - arcsine) <= 1e-13 * arcsine)
        }
        for x in [1e-6, 0.3, 2, 4.5, 30] {
            #expect(abs(SpecialFunctions.regularizedLowerGamma(1, x) + expm1(-x)) <= 1e-14)
            #expect(abs(SpecialFunctions.regularizedLowerGamma(0.5, x) - erf(x.squareRoot())) <= 1e-14)
        }
    }

    /// Mean, sample standard deviation and the t interval on a worked example; one value has an undefined
    /// spread and interval; paired differences are the summary of the per-seed differences.
    @Test func summariesOfRepeats() throws {
        let values = [1.0, 2, 3, 4, 5]
        let s = try RepeatSummary(values)
        #expect(s.count == 5 && s.mean == 3)
        let sd = try #require(s.standardDeviation)
        #expect(abs(sd - 2.5.squareRoot()) <= 1e-15)
        let half = try #require(s.halfWidth)
        #expect(abs(half - 2.7764451 * 2.5.squareRoot() / 5.0.squareRoot()) <= 1e-6)
        #expect(s.confidenceInterval == (3 - half)...(3 + half))

        let single = try RepeatSummary([0.42])
        #expect(single.mean == 0.42 && single.standardDeviation == nil && single.standardError == nil)
        #expect(single.halfWidth == nil && single.confidenceInterval == nil)

        let paired = try RepeatSummary.paired([0.5, 0.7, 0.4], minus: [0.3, 0.6, 0.1])
        #expect(paired == (try RepeatSummary([0.5 - 0.3, 0.7 - 0.6, 0.4 - 0.1])))
        #expect(throws: ToyError.self) { try RepeatSummary.paired([1, 2], minus: [1]) }
        #expect(throws: ToyError.self) { try RepeatSummary([]) }
        #expect(throws: ToyError.self) { try RepeatSummary([1, .nan]) }
        #expect(throws: ToyError.self) { try RepeatSummary([1, 2], level: 1) }
    }

    /// Coverage: over 400 sets of 5 standard normal draws, the 95% interval contains 0 in 95% of them
    /// (binomial standard error 1.1%: accepted within 4 of it, 90.6% ... 99.4%).
    @Test func intervalsCoverAtTheirLevel() throws {
        var rng = Xoshiro256StarStar(seed: 77)
        var covered = 0
        for _ in 0..<400 {
            let s = try RepeatSummary((0..<5).map { _ in rng.nextNormal() })
            if try #require(s.confidenceInterval).contains(0) { covered += 1 }
        }
        #expect((363...397).contains(covered), "\(covered) / 400")
    }
}
