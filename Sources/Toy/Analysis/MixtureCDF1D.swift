import Foundation

/// A one-dimensional Gaussian mixture given by weights, means and standard deviations: the ideal
/// model itself in 1D, or its projection x -> u . x onto a unit direction u (weights pi_k, means
/// u . mu_k, standard deviations sqrt(u^T S_k u)).
public struct MixtureCDF1D: Sendable {
    public let weights: [Double]
    public let means: [Double]
    public let stds: [Double]

    public init(weights: [Double], means: [Double], stds: [Double]) {
        self.weights = weights
        self.means = means
        self.stds = stds
    }

    /// The projection of the active components of `mixture` onto the unit vector `direction`.
    public init(projecting mixture: GaussianMixture, onto direction: [Double]) {
        let d = mixture.dimension
        var means: [Double] = [], stds: [Double] = []
        for k in mixture.activeIndices {
            let c = mixture.components[k]
            means.append(zip(c.mean, direction).reduce(0) { $0 + $1.0 * $1.1 })
            var variance = 0.0
            for r in 0..<d { for col in 0..<d { variance += direction[r] * c.covariance[r * d + col] * direction[col] } }
            stds.append(variance.squareRoot())
        }
        self.init(weights: mixture.activeIndices.map { mixture.components[$0].weight }, means: means, stds: stds)
    }

    /// F(x) = sum_k pi_k Phi((x - mu_k) / s_k), with Phi(z) = erfc(-z / sqrt 2) / 2.
    public func cdf(_ x: Double) -> Double {
        var f = 0.0
        for k in weights.indices { f += weights[k] * 0.5 * erfc(-(x - means[k]) / (stds[k] * 2.0.squareRoot())) }
        return f
    }

    public func density(_ x: Double) -> Double {
        var p = 0.0
        for k in weights.indices {
            let z = (x - means[k]) / stds[k]
            p += weights[k] * exp(-0.5 * z * z) / (stds[k] * (2 * Double.pi).squareRoot())
        }
        return p
    }

    /// G(x) = integral of F from -infinity to x = sum_k pi_k ((x - mu_k) Phi(z_k) + s_k phi(z_k)).
    public func integratedCDF(_ x: Double) -> Double {
        var g = 0.0
        for k in weights.indices {
            let z = (x - means[k]) / stds[k]
            let phi = exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
            g += weights[k] * ((x - means[k]) * 0.5 * erfc(-z / 2.0.squareRoot()) + stds[k] * phi)
        }
        return g
    }

    /// The integral of 1 - F from x to infinity = sum_k pi_k (s_k phi(z_k) - (x - mu_k) (1 - Phi(z_k))).
    public func integratedSurvival(_ x: Double) -> Double {
        var g = 0.0
        for k in weights.indices {
            let z = (x - means[k]) / stds[k]
            let phi = exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
            g += weights[k] * (stds[k] * phi - (x - means[k]) * 0.5 * erfc(z / 2.0.squareRoot()))
        }
        return g
    }

    /// The x in [a, b] with F(x) = level, given F(a) < level < F(b): safeguarded Newton (bisection
    /// whenever a Newton step leaves the bracket), to 1e-15 relative width.
    func solve(level: Double, in a: Double, _ b: Double) -> Double {
        var lo = a, hi = b
        var x = 0.5 * (a + b)
        for _ in 0..<100 {
            let f = cdf(x) - level
            if f < 0 { lo = x } else { hi = x }
            let p = density(x)
            var candidate = p > 0 ? x - f / p : 0.5 * (lo + hi)
            if !(candidate > lo && candidate < hi) { candidate = 0.5 * (lo + hi) }
            if abs(candidate - x) <= 1e-15 * max(1, abs(x)) || hi - lo <= 1e-15 * max(1, abs(x)) { return candidate }
            x = candidate
        }
        return x
    }
}
