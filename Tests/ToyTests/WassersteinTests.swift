import Foundation
import Testing
import TestSupport
@testable import Toy

@Suite struct WassersteinTests {
    /// Samples placed at the quantiles of N(c, s^2) have W1 to N(0, s^2) equal to |c| up to the
    /// quantisation of the sample (O(1/n)).
    @Test func shiftedQuantilesGiveTheShift() {
        let reference = MixtureCDF1D(weights: [1], means: [0], stds: [0.8])
        let shifted = MixtureCDF1D(weights: [1], means: [0.3], stds: [0.8])
        let n = 2000
        let samples = (0..<n).map { shifted.solve(level: (Double($0) + 0.5) / Double(n), in: -10, 10) }
        let w1 = Wasserstein.exact(samples: samples, reference: reference)
        #expect(abs(w1 - 0.3) < 0.01, "W1 = \(w1)")
    }

    /// A single atom at a: W1 = E|X - a| = closed form for a Gaussian: s sqrt(2/pi) exp(-a^2/2s^2) + a (2 Phi(a/s) - 1).
    @Test func singleAtomMatchesTheClosedForm() {
        let s = 1.3, a = 0.7
        let reference = MixtureCDF1D(weights: [1], means: [0], stds: [s])
        let expected = s * (2 / Double.pi).squareRoot() * exp(-a * a / (2 * s * s)) + a * erf(a / (s * 2.0.squareRoot()))
        #expect(abs(Wasserstein.exact(samples: [a], reference: reference) - expected) < 1e-12)
    }

    @Test func integratedCDFIsTheIntegralOfTheCDF() {
        let m = MixtureCDF1D(weights: [0.3, 0.7], means: [-4, 4], stds: [0.8, 1.1])
        // Trapezoid on [-12, x] with 20000 panels: error ~ 1e-7.
        for x in [-5.0, 0, 3.3] {
            let n = 20000, lo = -12.0, h = (x - lo) / Double(n)
            var integral = 0.5 * (m.cdf(lo) + m.cdf(x)) * h
            for i in 1..<n { integral += m.cdf(lo + Double(i) * h) * h }
            #expect(abs(integral - m.integratedCDF(x)) < 1e-6)
        }
        // G(x) - S(x) = x - E[X], with S the integral of 1 - F above x and E[X] = 0.3 (-4) + 0.7 (4) = 1.6.
        #expect(abs(m.integratedSurvival(0) - (m.integratedCDF(0) + 1.6)) < 1e-12)
    }
}
