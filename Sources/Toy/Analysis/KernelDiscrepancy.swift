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
    /// p*(x; sigma = l), for h(x), and its log-coefficients plus log (2 pi l^2)^(d/2):
    /// log pi_k - log det(I + S_k / l^2) / 2 <= 0.
    let smoothed: NoisyMixture
    let crossLogCoefficients: [Double]

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
        let logScale = 0.5 * Double(d) * Foundation.log(2 * Double.pi * l * l)
        crossLogCoefficients = smoothed.logCoefficients.map { $0 + logScale }
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

    /// h(x) = E_{Y ~ p*} k(x, Y) at one point (d coordinates), as `idealCrossTerms` computes it.
    public func idealCrossTerm(_ x: UnsafePointer<Double>) -> Double {
        withLanes(x) { idealCrossTerms($0)[0] }
    }

    /// h(x) for a block of points (lane j of `xs[r]`: coordinate r of point j): the sum over the active
    /// components of exp(c_k - q_k / 2), c_k = log pi_k - log det(I + S_k / l^2) / 2 <= 0 and q_k the
    /// quadratic form above, each term by `expNonPositiveUnchecked` (relative error 2.2e-16; a term below
    /// e^-708 counts as 0, an absolute error below 3.3e-308 each). h <= 1, so the result is accurate to
    /// about 1e-16 times the number of components, absolutely.
    @inline(__always)
    func idealCrossTerms(_ xs: UnsafePointer<Lanes>) -> Lanes {
        let d = dimension
        var h = Lanes(repeating: 0)
        smoothed.means.withUnsafeBufferPointer { means in
            smoothed.precisions.withUnsafeBufferPointer { precisions in
                crossLogCoefficients.withUnsafeBufferPointer { coefficients in
                    for c in 0..<smoothed.count {
                        let q = laneQuadraticForm(xs, means: means, precisions: precisions, component: c, dimension: d)
                        h += expNonPositiveUnchecked(coefficients[c] - 0.5 * q)
                    }
                }
            }
        }
        return h
    }

    /// k(x, y) for two points (d coordinates each), as `kernels` computes it.
    public func kernel(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        withLanes(x) { xs in withLanes(y) { ys in kernels(xs, ys)[0] } }
    }

    /// k(x_j, y_j) for blocks of points (lanes as in `idealCrossTerms`), the exponential by
    /// `expNonPositiveUnchecked` (relative error 2.2e-16; 0 where |x - y|^2 / (2 l^2) > 708).
    @inline(__always)
    func kernels(_ xs: UnsafePointer<Lanes>, _ ys: UnsafePointer<Lanes>) -> Lanes {
        var squared = Lanes(repeating: 0)
        for j in 0..<dimension { squared += (xs[j] - ys[j]) * (xs[j] - ys[j]) }
        return expNonPositiveUnchecked(-squared / (2 * bandwidth * bandwidth))
    }

    /// Calls `body` with the lanes of one point (every lane the point).
    private func withLanes<T>(_ x: UnsafePointer<Double>, _ body: (UnsafePointer<Lanes>) -> T) -> T {
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: dimension) { lanes in
            for r in 0..<dimension { lanes.initializeElement(at: r, to: Lanes(repeating: x[r])) }
            return body(UnsafePointer(lanes.baseAddress!))
        }
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
