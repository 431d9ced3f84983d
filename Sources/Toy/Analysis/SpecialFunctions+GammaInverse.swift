import Foundation

extension SpecialFunctions {
    /// Q(a, x) = Gamma(a, x) / Gamma(a) = 1 - P(a, x) for a > 0, x >= 0, with its own relative accuracy
    /// in the upper tail: where `regularizedLowerGamma` uses the continued fraction (x >= a + 1) Q is that
    /// continued fraction itself, e^-x x^a / Gamma(a) * 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - ...))
    /// (Lentz), not 1 minus a number near 1; below, Q = 1 - P from the series (there P < 1 - 1/e^2 or so,
    /// so nothing cancels badly). Relative accuracy about 1e-14.
    public static func regularizedUpperGamma(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        if x < a + 1 { return 1 - regularizedLowerGamma(a, x) }
        let logFront = a * Foundation.log(x) - x - lgamma(a)
        return Foundation.exp(logFront) * upperGammaContinuedFraction(a, x)
    }

    /// The x >= 0 with P(a, x) = p (a > 0, 0 < p < 1): the inverse of the regularized lower incomplete
    /// gamma function; 0 for p <= 0 and +infinity for p >= 1; NaN for a <= 0 or NaN input.
    ///
    /// Method (Numerical Recipes, 3rd ed., section 6.2.1, `invgammp`): a starting value from the
    /// Wilson-Hilferty approximation (a > 1) or from the small-x and large-x forms of P (a <= 1), then
    /// Halley's iteration on f(x) = P(a, x) - p with f' = x^(a-1) e^-x / Gamma(a) (formed in logs) and
    /// f'' / f' = (a - 1) / x - 1. For p > 1/2 the residual is formed from the upper tail,
    /// f = (1 - p) - Q(a, x), with 1 - p exact (Sterbenz), so an upper quantile keeps the relative
    /// accuracy of Q instead of that of a P near 1. Iterates until the step is below 1e-14 x (the error
    /// after a Halley step is of the order of the step cubed; at most 100 steps). Accuracy: that of P and Q,
    /// about 1e-14 relative for a up to a few hundred (their prefactor e^(a log x - x - lgamma a) loses
    /// about a * 1e-16 relative beyond); where x is below the smallest normal double, 0 or a subnormal
    /// (SpecialFunctionTests: chi-square quantiles for 1 ... 1000 degrees of freedom and
    /// p = 0.01 ... 0.999 against mpmath at 40 digits, within 1e-12 relative; P(a, x(p)) = p on random
    /// a and p).
    public static func inverseRegularizedLowerGamma(_ a: Double, _ p: Double) -> Double {
        guard a > 0, !p.isNaN else { return .nan }
        if p <= 0 { return 0 }
        if p >= 1 { return .infinity }
        let upper = p > 0.5, tail = upper ? 1 - p : p
        let logGammaA: Double = lgamma(a)
        var x: Double
        if a > 1 {
            // Wilson-Hilferty: (x / a)^(1/3) ~ N(1 - 1/(9a), 1/(9a)); z from a rational fit of the normal quantile.
            let t = (-2 * Foundation.log(tail)).squareRoot()
            var z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t
            if upper { z = -z }
            let cube = 1 - 1 / (9 * a) - z / (3 * a.squareRoot())
            x = max(1e-3, a * cube * cube * cube)
        } else {
            // P(a, x) ~ t (x / x_t)^a below the point t = P(a, 1) approximated by 1 - a (0.253 + 0.12 a); beyond, an exponential tail.
            let t = 1 - a * (0.253 + a * 0.12)
            x = p < t ? Foundation.pow(p / t, 1 / a) : 1 - Foundation.log1p(-(p - t) / (1 - t))
        }
        for _ in 0..<100 {
            if x <= 0 { return 0 }
            let residual = upper ? tail - regularizedUpperGamma(a, x) : regularizedLowerGamma(a, x) - p
            let derivative = Foundation.exp((a - 1) * Foundation.log(x) - x - logGammaA)
            guard derivative > 0, derivative.isFinite else { break }
            let u = residual / derivative
            // Halley: x -= u / (1 - u f'' / (2 f')), the correction limited as in Numerical Recipes.
            let step = u / (1 - 0.5 * min(1, u * ((a - 1) / x - 1)))
            var next = x - step
            if next <= 0 { next = 0.5 * x }
            let converged = abs(next - x) <= 1e-14 * next
            x = next
            if converged || residual == 0 { break }
        }
        return x
    }

    /// The p-quantile of the chi-square distribution with k > 0 degrees of freedom: the x with
    /// P(chi^2_k <= x) = P(k / 2, x / 2) = p, i.e. 2 `inverseRegularizedLowerGamma`(k / 2, p); same accuracy
    /// (e.g. chi^2_1 at 0.999: 10.827566170662733, chi^2_2: 2 ln 1000 = 13.815510557964274).
    public static func chiSquareQuantile(_ p: Double, degreesOfFreedom k: Double) -> Double {
        2 * inverseRegularizedLowerGamma(k / 2, p)
    }
}
