import Foundation

/// A decreasing list of noise levels sigma_0 > sigma_1 > ... > sigma_{T-1} > 0, followed by sigma_T = 0.
public enum NoiseSchedule: Sendable, Equatable {
    /// Karras et al. (EDM): sigma_i = (smax^(1/rho) + i/(T-1) (smin^(1/rho) - smax^(1/rho)))^rho.
    case karras(sigmaMax: Double, sigmaMin: Double, rho: Double)
    /// Geometric: log sigma_i linear in i from log smax to log smin.
    case geometric(sigmaMax: Double, sigmaMin: Double)
    /// Linear: sigma_i linear in i from smax to smin.
    case linear(sigmaMax: Double, sigmaMin: Double)

    /// The pinned default: Karras with sigma_max = 80, sigma_min = 0.002, rho = 7.
    public static let standard = NoiseSchedule.karras(sigmaMax: 80, sigmaMin: 0.002, rho: 7)

    public var sigmaMax: Double {
        switch self {
        case let .karras(m, _, _), let .geometric(m, _), let .linear(m, _): return m
        }
    }

    public var sigmaMin: Double {
        switch self {
        case let .karras(_, m, _), let .geometric(_, m), let .linear(_, m): return m
        }
    }

    /// The largest accepted sigma_max: beyond it h = sigma^2 steps lose every digit of the data scale
    /// (and sigma^2 overflows near 1e154), so results would be rounding noise.
    public static let largestSigma = 1e6

    /// Checks 0 < sigma_min < sigma_max <= 1e6 and rho > 0.
    public func validated() throws -> NoiseSchedule {
        guard sigmaMax.isFinite, sigmaMin.isFinite, sigmaMin > 0, sigmaMax > sigmaMin, sigmaMax <= Self.largestSigma else {
            throw ToyError.invalid(input: "sigma-min / sigma-max",
                                   accepted: "finite numbers with 0 < sigma-min < sigma-max <= 1e6 (got \(sigmaMin), \(sigmaMax))")
        }
        if case let .karras(_, _, rho) = self, !(rho.isFinite && rho > 0) {
            throw ToyError.invalid(input: "rho", accepted: "a finite number > 0 (got \(rho))")
        }
        return self
    }

    /// The T + 1 noise levels sigma_0 ... sigma_{T-1}, 0 for T steps (T >= 2).
    public func sigmas(steps t: Int) -> [Double] {
        let levels = (0..<t).map { i -> Double in
            let f = Double(i) / Double(t - 1)
            switch self {
            case let .karras(smax, smin, rho):
                let a = pow(smax, 1 / rho), b = pow(smin, 1 / rho)
                return pow(a + f * (b - a), rho)
            case let .geometric(smax, smin):
                return exp(log(smax) + f * (log(smin) - log(smax)))
            case let .linear(smax, smin):
                return smax + f * (smin - smax)
            }
        }
        return levels + [0]
    }
}
