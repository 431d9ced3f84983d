import Foundation

/// The active components of p(x; sigma) in the form every evaluation needs:
/// precision P_k = (S_k + sigma^2 I)^-1 = Q_k diag(1 / (L_k + sigma^2)) Q_k^T and the log coefficient
/// c_k = log pi_k - (d log(2 pi) + sum_j log(L_kj + sigma^2)) / 2, so that
/// log(pi_k N(x; mu_k, S_k + sigma^2 I)) = c_k - (x - mu_k)^T P_k (x - mu_k) / 2.
///
/// Immutable, and a class: a prepared level (`MixtureAtNoiseLevels`) handed to a one-particle call (the
/// exact inversion's Newton steps) then costs one reference count, not one per array it holds.
public final class NoisyMixture: Sendable {
    public let dimension: Int
    public let count: Int
    public let sigma: Double
    /// Flat [k * d + j].
    public let means: [Double]
    /// Flat [k * d * d + r * d + c].
    public let precisions: [Double]
    public let logCoefficients: [Double]
    /// Eigenvalues L_k + sigma^2 (flat) and eigenvectors, for sampling.
    public let variances: [Double]
    public let eigenvectors: [Double]
    /// Cumulative weights of the active components, for sampling a component.
    public let cumulativeWeights: [Double]
    /// The nonzero precision entries row by row, for the any-d score loop (the d <= 2 loops read
    /// `precisions` directly).
    let precisionRows: PrecisionRows

    init(_ mixture: GaussianMixture, sigma: Double) {
        let d = mixture.dimension, k = mixture.activeCount
        let s2 = sigma * sigma
        dimension = d
        count = k
        self.sigma = sigma
        means = mixture.flatMeans
        var precisions = [Double](repeating: 0, count: k * d * d)
        var logCoefficients = [Double](repeating: 0, count: k)
        var variances = [Double](repeating: 0, count: k * d)
        var eigenvectors = [Double](repeating: 0, count: k * d * d)
        let logTwoPi = Foundation.log(2 * Double.pi)
        for c in 0..<k {
            let e = mixture.eigen[c]
            var logDet = 0.0
            for j in 0..<d {
                let v = e.values[j] + s2
                variances[c * d + j] = v
                logDet += Foundation.log(v)
            }
            eigenvectors.replaceSubrange((c * d * d)..<((c + 1) * d * d), with: e.vectors)
            Self.precision(vectors: e.vectors, variances: Array(variances[(c * d)..<((c + 1) * d)]), dimension: d,
                           into: &precisions, at: c * d * d)
            logCoefficients[c] = mixture.logWeights[c] - 0.5 * (Double(d) * logTwoPi + logDet)
        }
        self.precisions = precisions
        precisionRows = PrecisionRows(precisions, count: k, dimension: d)
        self.logCoefficients = logCoefficients
        self.variances = variances
        self.eigenvectors = eigenvectors
        var running = 0.0
        cumulativeWeights = mixture.logWeights.map { running += Foundation.exp($0); return running }
    }

    /// P = Q diag(1 / v) Q^T into p[offset ..< offset + d * d]: P[r, c] = sum_j Q[r, j] Q[c, j] / v_j, j
    /// ascending. The j with Q[r, j] = 0 are skipped (each adds +-0: the same sum bit for bit, see
    /// `PrecisionRows`), so a block-diagonal Q costs d^2 times its nonzeros per row instead of d^3. P[c, r]
    /// forms the same products (factors swapped, which is exact) and equals P[r, c]: the upper triangle is
    /// computed and mirrored.
    private static func precision(vectors: [Double], variances: [Double], dimension d: Int, into p: inout [Double], at offset: Int) {
        vectors.withUnsafeBufferPointer { q in
            variances.withUnsafeBufferPointer { v in
                p.withUnsafeMutableBufferPointer { p in
                    var nonzero = [Int]()
                    nonzero.reserveCapacity(d)
                    for r in 0..<d {
                        nonzero.removeAll(keepingCapacity: true)
                        for j in 0..<d where q[r * d + j] != 0 { nonzero.append(j) }
                        for col in r..<d {
                            var sum = 0.0
                            for j in nonzero { sum += q[r * d + j] * q[col * d + j] / v[j] }
                            p[offset + r * d + col] = sum
                            p[offset + col * d + r] = sum
                        }
                    }
                }
            }
        }
    }

    /// The log of each active component's weighted density at x, c_k - q_k / 2.
    public func componentLogTerms(_ x: UnsafePointer<Double>) -> [Double] {
        var terms = [Double](repeating: 0, count: count)
        terms.withUnsafeMutableBufferPointer { componentLogTerms(x, into: $0.baseAddress!) }
        return terms
    }

    /// The same into terms[0 ..< count] (no allocation).
    public func componentLogTerms(_ x: UnsafePointer<Double>, into terms: UnsafeMutablePointer<Double>) {
        // d = 2 as a constant: the loops unroll, with the same operations in the same order.
        if dimension == 2 { componentLogTerms(x, into: terms, dimension: 2) } else { componentLogTerms(x, into: terms, dimension: dimension) }
    }

    @inline(__always)
    private func componentLogTerms(_ x: UnsafePointer<Double>, into terms: UnsafeMutablePointer<Double>, dimension d: Int) {
        means.withUnsafeBufferPointer { means in
            precisions.withUnsafeBufferPointer { precisions in
                for c in 0..<count {
                    var q = 0.0
                    for r in 0..<d {
                        let dr = x[r] - means[c * d + r]
                        var row = 0.0
                        for col in 0..<d { row += precisions[c * d * d + r * d + col] * (x[col] - means[c * d + col]) }
                        q += dr * row
                    }
                    terms[c] = logCoefficients[c] - 0.5 * q
                }
            }
        }
    }
}
