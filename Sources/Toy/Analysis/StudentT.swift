import Foundation

/// Student's t distribution with nu > 0 degrees of freedom.
public enum StudentT {
    /// P(T > t) for t >= 0: I_{nu / (nu + t^2)}(nu / 2, 1 / 2) / 2, computed directly (no 1 - cdf
    /// cancellation in the tail).
    public static func upperTail(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        guard t > 0 else { return t == 0 ? 0.5 : 1 - upperTail(-t, degreesOfFreedom: nu) }
        // nu / (nu + t^2) written so that t^2 >> nu does not round nu + t^2 to t^2 early.
        let x = 1 / (1 + (t / nu.squareRoot()) * (t / nu.squareRoot()))
        return 0.5 * SpecialFunctions.regularizedIncompleteBeta(x, nu / 2, 0.5)
    }

    /// P(T <= t).
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        t >= 0 ? 1 - upperTail(t, degreesOfFreedom: nu) : upperTail(-t, degreesOfFreedom: nu)
    }

    /// The quantile t_p(nu), P(T <= t_p) = p, for p in (0, 1) and nu > 0 (nil otherwise): by symmetry
    /// t_p = -t_{1-p}; for p > 1/2 the upper tail 1 - p is matched by bisection on [0, hi] (hi doubled
    /// until its tail is below 1 - p) down to adjacent doubles, so the result is exact to the accuracy
    /// of the tail function (about 1e-13 relative for nu up to 1e3, 1e-9 at nu = 1e7).
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double? {
        guard p > 0, p < 1, nu > 0, nu.isFinite else { return nil }
        if p == 0.5 { return 0 }
        if p < 0.5 { return quantile(1 - p, degreesOfFreedom: nu).map { -$0 } }
        let tail = 1 - p
        var lo = 0.0, hi = 1.0
        while upperTail(hi, degreesOfFreedom: nu) > tail {
            lo = hi
            hi *= 2
            if !hi.isFinite { return nil }
        }
        while true {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { return mid }
            if upperTail(mid, degreesOfFreedom: nu) > tail { lo = mid } else { hi = mid }
        }
    }
}
