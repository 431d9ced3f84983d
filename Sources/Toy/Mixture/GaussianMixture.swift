import Foundation

/// One declared component of a mixture: weight (unnormalised, >= 0), mean and covariance
/// (row-major d x d).
public struct GaussianComponent: Sendable, Equatable, Codable {
    public var weight: Double
    public var mean: [Double]
    public var covariance: [Double]

    public init(weight: Double, mean: [Double], covariance: [Double]) {
        self.weight = weight
        self.mean = mean
        self.covariance = covariance
    }

    /// An isotropic component: covariance std^2 I.
    public init(weight: Double, mean: [Double], std: Double) {
        let d = mean.count
        var cov = [Double](repeating: 0, count: d * d)
        for i in 0..<d { cov[i * d + i] = std * std }
        self.init(weight: weight, mean: mean, covariance: cov)
    }
}

/// A Gaussian mixture p(x) = sum_k pi_k N(x; mu_k, S_k) in any dimension d >= 1, together with its
/// variance-exploding noisy marginals p(x; sigma) = sum_k pi_k N(x; mu_k, S_k + sigma^2 I).
///
/// Weights are normalised; a component of weight 0 is absent (a missing mode) and takes no part in
/// any computation. Each covariance is validated (finite, symmetric to 1e-12 relative, positive definite
/// with condition number at most 1e14) and decomposed once, S_k = Q_k diag(L_k) Q_k^T; at noise level
/// sigma the same Q_k serves with eigenvalues L_k + sigma^2, so no sigma needs a new factorisation.
public struct GaussianMixture: Sendable, Equatable {
    public let dimension: Int
    /// The components as declared (weights normalised, zeros kept), in declaration order.
    public let components: [GaussianComponent]
    /// Indices (into `components`) of the components with positive weight.
    public let activeIndices: [Int]
    /// log pi_k of the active components.
    public let logWeights: [Double]
    /// Means of the active components, flat: [k * d + j].
    public let flatMeans: [Double]
    /// Eigendecompositions of the active components' covariances.
    public let eigen: [SymmetricEigen]

    public init(_ declared: [GaussianComponent]) throws {
        guard let first = declared.first else {
            throw ToyError.invalid(input: "mixture", accepted: "at least one component")
        }
        let d = first.mean.count
        guard d >= 1 else { throw ToyError.invalid(input: "components[0].mean", accepted: "at least one coordinate") }
        var maxWeight = 0.0
        for (k, c) in declared.enumerated() {
            guard c.weight.isFinite, c.weight >= 0 else {
                throw ToyError.invalid(input: "components[\(k)].weight", accepted: "a finite number >= 0 (got \(c.weight))")
            }
            guard c.mean.count == d else {
                throw ToyError.invalid(input: "components[\(k)].mean", accepted: "\(d) coordinates, like components[0] (got \(c.mean.count))")
            }
            guard c.mean.allSatisfy(\.isFinite) else {
                throw ToyError.invalid(input: "components[\(k)].mean", accepted: "finite numbers")
            }
            try GaussianMixture.validateCovariance(c.covariance, dimension: d, name: "components[\(k)].covariance")
            maxWeight = max(maxWeight, c.weight)
        }
        guard maxWeight > 0 else {
            throw ToyError.invalid(input: "weights", accepted: "at least one positive weight (all are zero)")
        }
        // Normalise in two stages (divide by the largest first) so huge or tiny weights neither
        // overflow nor underflow.
        let scaled = declared.map { $0.weight / maxWeight }
        let total = scaled.reduce(0, +)
        var normalised = declared
        for k in normalised.indices { normalised[k].weight = scaled[k] / total }
        dimension = d
        components = normalised
        activeIndices = declared.indices.filter { declared[$0].weight > 0 }
        logWeights = activeIndices.map { Foundation.log(scaled[$0]) - Foundation.log(total) }
        flatMeans = activeIndices.flatMap { declared[$0].mean }
        eigen = activeIndices.map { SymmetricEigen(symmetric: declared[$0].covariance, dimension: d) }
        for (a, e) in eigen.enumerated() {
            let lo = e.values.min() ?? 0, hi = e.values.max() ?? 0
            guard lo > 0, lo >= 1e-14 * hi else {
                throw ToyError.invalid(
                    input: "components[\(activeIndices[a])].covariance",
                    accepted: "a positive-definite matrix with condition number <= 1e14 (eigenvalues span \(lo) ... \(hi))")
            }
        }
    }

    private static func validateCovariance(_ s: [Double], dimension d: Int, name: String) throws {
        guard s.count == d * d else {
            throw ToyError.invalid(input: name, accepted: "\(d * d) entries (a \(d) x \(d) matrix, row-major; got \(s.count))")
        }
        guard s.allSatisfy(\.isFinite) else { throw ToyError.invalid(input: name, accepted: "finite entries") }
        let scale = s.map(abs).max() ?? 0
        for r in 0..<d {
            for c in 0..<r where abs(s[r * d + c] - s[c * d + r]) > 1e-12 * scale {
                throw ToyError.invalid(input: name, accepted: "a symmetric matrix (entry [\(r)][\(c)] != [\(c)][\(r)])")
            }
        }
        guard (0..<d).allSatisfy({ s[$0 * d + $0] > 0 }) else {
            throw ToyError.invalid(input: name, accepted: "a positive-definite matrix (positive diagonal)")
        }
    }

    /// Number of active (positive-weight) components.
    public var activeCount: Int { activeIndices.count }

    /// A copy with new declared weights (same means and covariances).
    public func withWeights(_ weights: [Double]) throws -> GaussianMixture {
        guard weights.count == components.count else {
            throw ToyError.invalid(input: "weights", accepted: "\(components.count) values (got \(weights.count))")
        }
        return try GaussianMixture(zip(components, weights).map {
            GaussianComponent(weight: $1, mean: $0.mean, covariance: $0.covariance)
        })
    }

    /// The per-component quantities of p(x; sigma), computed once per noise level.
    public func noisy(at sigma: Double) -> NoisyMixture { NoisyMixture(self, sigma: sigma) }
}
