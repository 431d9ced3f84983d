import Foundation

/// The squared maximum mean discrepancy between the samples and the exact ideal distribution p*, with the
/// Gaussian kernel k(x, y) = exp(-|x - y|^2 / (2 l^2)):
///
///     MMD^2 = E k(X, X') - 2 E k(X, Y) + E k(Y, Y'),   X, X' ~ samples, Y, Y' ~ p*.
///
/// Bandwidth: l = the median over the active ideal components of their RMS standard deviation
/// sqrt(tr S_k / d) (0.8 on the presets): the kernel resolves the shape of one mode, and scales with
/// the data. The two terms with p* are closed-form Gaussian integrals:
///
///     h(x) = E_Y k(x, Y) = (2 pi l^2)^(d/2) p*(x; sigma = l) = sum_k pi_k det(I + S_k / l^2)^(-1/2)
///            exp(-(x - mu_k)^T (S_k + l^2 I)^-1 (x - mu_k) / 2),
///     C = E k(Y, Y') = sum_{j,k} pi_j pi_k det(I + (S_j + S_k) / l^2)^(-1/2)
///            exp(-(mu_j - mu_k)^T (S_j + S_k + l^2 I)^-1 (mu_j - mu_k) / 2).
///
/// The sample-sample term uses the linear-time estimator over the disjoint consecutive pairs
/// (x_0, x_1), (x_2, x_3), ... of the fixed particle order: each pair gives the unbiased
/// z_i = k(x_2i, x_2i+1) - h(x_2i) - h(x_2i+1) + C, so MMD^2 is estimated by the mean of the z_i (unbiased,
/// so it may be slightly negative; the sign is kept) with standard error sd(z) / sqrt(pairs). The pairs
/// do not depend on threads or chunks (a pair split by a chunk boundary is formed when the chunks merge);
/// an odd last particle is left out.
public struct GaussianKernelMMD: Sendable {
    public let bandwidth: Double
    /// C = E k(Y, Y') under p*.
    public let idealTerm: Double
    let dimension: Int
    /// p*(x; sigma = l) and log (2 pi l^2)^(d/2), for h(x).
    let smoothed: NoisyMixture
    let logScale: Double

    public init(ideal: GaussianMixture) {
        let d = ideal.dimension
        let rms = ideal.activeIndices.map { k in
            ((0..<d).reduce(0.0) { $0 + ideal.components[k].covariance[$1 * d + $1] } / Double(d)).squareRoot()
        }.sorted()
        let l = rms.count % 2 == 1 ? rms[rms.count / 2] : 0.5 * (rms[rms.count / 2 - 1] + rms[rms.count / 2])
        self.init(ideal: ideal, bandwidth: l)
    }

    /// A chosen bandwidth l > 0 (the caller checks it).
    init(ideal: GaussianMixture, bandwidth l: Double) {
        let d = ideal.dimension
        bandwidth = l
        dimension = d
        smoothed = ideal.noisy(at: l)
        logScale = 0.5 * Double(d) * Foundation.log(2 * Double.pi * l * l)
        // C by log-sum-exp over the pairs of active components.
        var terms: [Double] = []
        for (a, j) in ideal.activeIndices.enumerated() {
            for (b, k) in ideal.activeIndices.enumerated() {
                let sj = ideal.components[j].covariance, sk = ideal.components[k].covariance
                let sum = (0..<(d * d)).map { sj[$0] + sk[$0] + ($0 % (d + 1) == 0 ? l * l : 0) }
                let e = SymmetricEigen(symmetric: sum, dimension: d)
                let delta = (0..<d).map { ideal.components[j].mean[$0] - ideal.components[k].mean[$0] }
                var quadratic = 0.0, logDet = 0.0
                for i in 0..<d {
                    let projection = (0..<d).reduce(0.0) { $0 + e.vectors[$1 * d + i] * delta[$1] }
                    quadratic += projection * projection / e.values[i]
                    logDet += Foundation.log(e.values[i] / (l * l))
                }
                terms.append(ideal.logWeights[a] + ideal.logWeights[b] - 0.5 * logDet - 0.5 * quadratic)
            }
        }
        idealTerm = Foundation.exp(logSumExp(terms))
    }

    /// h(x) = E_{Y ~ p*} k(x, Y) at one point (d coordinates).
    public func idealCrossTerm(_ x: UnsafePointer<Double>) -> Double {
        Foundation.exp(logSumExp(smoothed.componentLogTerms(x)) + logScale)
    }

    /// h(x) as `idealCrossTerm(_:)` computes it (the same value up to rounding, ~1e-15 relative: the log-sum-exp
    /// here uses the vectorised exp of `logSumExp(_:count:top:)`), with the per-component log-terms in
    /// `scratch` (capacity: the number of active components) instead of a new array.
    func idealCrossTerm(_ x: UnsafePointer<Double>, scratch: UnsafeMutablePointer<Double>) -> Double {
        let d = dimension, k = smoothed.count
        var best = 0
        smoothed.means.withUnsafeBufferPointer { means in
            smoothed.precisions.withUnsafeBufferPointer { precisions in
                for c in 0..<k {
                    var q = 0.0
                    for r in 0..<d {
                        let dr = x[r] - means[c * d + r]
                        var row = 0.0
                        for col in 0..<d { row += precisions[c * d * d + r * d + col] * (x[col] - means[c * d + col]) }
                        q += dr * row
                    }
                    scratch[c] = smoothed.logCoefficients[c] - 0.5 * q
                    if scratch[c] > scratch[best] { best = c }
                }
            }
        }
        let total = scratch[best].isFinite ? logSumExp(scratch, count: k, top: scratch[best]) : scratch[best]
        return Foundation.exp(total + logScale)
    }

    /// k(x, y) for two points (d coordinates each).
    public func kernel(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        var squared = 0.0
        for j in 0..<dimension { squared += (x[j] - y[j]) * (x[j] - y[j]) }
        return Foundation.exp(-squared / (2 * bandwidth * bandwidth))
    }
}

/// The estimate of MMD^2 with its standard error (nil with a single pair) and the number of pairs.
public struct MMDEstimate: Sendable, Equatable {
    public var value: Double
    public var standardError: Double?
    public var pairs: Int
    public var bandwidth: Double
}

/// The running mean and squared deviations of the pair terms z_i, plus the unpaired samples at the ends
/// of a run of consecutive particles, so that runs merge in index order into the global pairing.
struct PairTerms: Sendable {
    var count = 0
    var mean = 0.0
    var squaredDeviations = 0.0
    /// The first particle of the run when its partner precedes the run (its global index is odd).
    var leading: (x: [Double], h: Double)?
    /// The last particle of the run when its partner follows the run (its global index is even).
    var trailing: (x: [Double], h: Double)?

    mutating func add(_ z: Double) {
        count += 1
        let delta = z - mean
        mean += delta / Double(count)
        squaredDeviations += delta * (z - mean)
    }

    /// Appends the run `other` that follows this one: forms the pair across the boundary, then merges
    /// (Chan et al.) in that order.
    mutating func merge(_ other: PairTerms, kernel: GaussianKernelMMD) {
        if let t = trailing, let l = other.leading {
            let k = t.x.withUnsafeBufferPointer { a in l.x.withUnsafeBufferPointer { b in kernel.kernel(a.baseAddress!, b.baseAddress!) } }
            add(k - t.h - l.h + kernel.idealTerm)
        }
        if other.count > 0 {
            let na = Double(count), nb = Double(other.count), n = na + nb
            let delta = other.mean - mean
            mean += delta * nb / n
            squaredDeviations += other.squaredDeviations + delta * delta * na * nb / n
            count += other.count
        }
        trailing = other.trailing
    }

    func estimate(bandwidth: Double) -> MMDEstimate? {
        guard count > 0 else { return nil }
        let n = Double(count)
        return MMDEstimate(value: mean, standardError: count > 1 ? (squaredDeviations / (n - 1) / n).squareRoot() : nil,
                           pairs: count, bandwidth: bandwidth)
    }
}
