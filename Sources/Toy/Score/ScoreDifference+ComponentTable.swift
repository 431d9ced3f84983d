import Foundation

extension ScoreDifference {
    /// The union's components at sigma in flat unsafe storage, for the per-point loops: reading it costs
    /// no bounds check, no reference counting and no exclusivity check (a point evaluates every component
    /// for every one of up to ~10^7 quadrature points). Written once in `init`, read-only afterwards, so
    /// it is safely shared between threads.
    final class ComponentTable: @unchecked Sendable {
        let dimension: Int
        let count: Int
        /// Means [k d + j], eigenvalues L + sigma^2 [k d + j], eigenvectors [k d^2 + r d + j] (as in
        /// `SymmetricEigen`), covariances [k d^2 + r d + c] and log normalisers
        /// -(d log 2 pi + log det(S + sigma^2 I)) / 2 [k].
        let means: UnsafeMutablePointer<Double>
        let variances: UnsafeMutablePointer<Double>
        let vectors: UnsafeMutablePointer<Double>
        let covariances: UnsafeMutablePointer<Double>
        let logNormalisers: UnsafeMutablePointer<Double>
        /// covarianceGroup[k]: the first component with k's covariance (equal covariances give the
        /// component differences their short form).
        let covarianceGroup: UnsafeMutablePointer<Int>

        init(means: [[Double]], covariances: [[Double]], variances: [[Double]], vectors: [[Double]], logNormalisers: [Double],
             dimension d: Int) {
            dimension = d
            count = means.count
            func flat(_ rows: [[Double]]) -> UnsafeMutablePointer<Double> {
                let values = rows.flatMap { $0 }
                let p = UnsafeMutablePointer<Double>.allocate(capacity: max(1, values.count))
                p.initialize(from: values, count: values.count)
                return p
            }
            self.means = flat(means)
            self.variances = flat(variances)
            self.vectors = flat(vectors)
            self.covariances = flat(covariances)
            self.logNormalisers = flat([logNormalisers])
            covarianceGroup = .allocate(capacity: max(1, count))
            for k in 0..<count { covarianceGroup[k] = covariances.firstIndex(of: covariances[k]) ?? k }
        }

        deinit {
            for p in [means, variances, vectors, covariances, logNormalisers] { p.deallocate() }
            covarianceGroup.deallocate()
        }

        /// l_k(x) = log N(x; mu_k, S_k + sigma^2 I) = c_k - sum_j z_j^2 / (L_j + sigma^2) / 2 with z = Q^T (x - mu_k).
        /// (`d` is the table's dimension, passed so that a caller can make it a constant the loops unroll on.)
        @inline(__always)
        func logDensity(_ k: Int, at x: UnsafePointer<Double>, dimension d: Int) -> Double {
            let q = vectors + k * d * d, mu = means + k * d, v = variances + k * d
            var quadratic = 0.0
            for j in 0..<d {
                var z = 0.0
                for r in 0..<d { z += q[r * d + j] * (x[r] - mu[r]) }
                quadratic += z * z / v[j]
            }
            return logNormalisers[k] - 0.5 * quadratic
        }

        /// m_k(x) = (S_k + sigma^2 I)^-1 (mu_k - x) = -Q diag(1 / (L + sigma^2)) Q^T (x - mu_k), into `score`
        /// (d values), with `scratch` (d values) as work space.
        func score(_ k: Int, at x: UnsafePointer<Double>, into score: UnsafeMutablePointer<Double>,
                   scratch scaled: UnsafeMutablePointer<Double>) {
            let d = dimension, q = vectors + k * d * d, mu = means + k * d, v = variances + k * d
            for j in 0..<d {
                var z = 0.0
                for r in 0..<d { z += q[r * d + j] * (x[r] - mu[r]) }
                scaled[j] = z / v[j]
            }
            for r in 0..<d {
                var sum = 0.0
                for j in 0..<d { sum += q[r * d + j] * scaled[j] }
                score[r] = -sum
            }
        }

        /// out[0 ..< d] += coefficient (m_k - m_m), with m_k - m_m = (S_k + sigma^2 I)^-1 [(mu_k - mu_m) + (S_m - S_k) m_m]:
        /// no subtraction of the two component scores (m_m, the score of component m at the point, is
        /// given). `scratch` holds 2 d values of work space; `d` is the table's dimension, as in `logDensity`.
        @inline(__always)
        func addDifference(_ k: Int, _ m: Int, referenceScore mM: UnsafePointer<Double>, times coefficient: Double,
                           into out: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>, dimension d: Int) {
            let sameCovariance = covarianceGroup[k] == covarianceGroup[m]
            if d == 1 {
                var v = means[k] - means[m]
                if !sameCovariance { v += (covariances[m] - covariances[k]) * mM[0] }
                out[0] += coefficient * (v / variances[k])
                return
            }
            let v = scratch, rotated = scratch + d, q = vectors + k * d * d
            for r in 0..<d { v[r] = means[k * d + r] - means[m * d + r] }
            if !sameCovariance {
                let sk = covariances + k * d * d, sm = covariances + m * d * d
                for r in 0..<d {
                    for c in 0..<d { v[r] += (sm[r * d + c] - sk[r * d + c]) * mM[c] }
                }
            }
            // (S_k + sigma^2 I)^-1 v = Q diag(1 / (L + sigma^2)) Q^T v.
            for j in 0..<d {
                var sum = 0.0
                for r in 0..<d { sum += q[r * d + j] * v[r] }
                rotated[j] = sum / variances[k * d + j]
            }
            for r in 0..<d {
                var sum = 0.0
                for j in 0..<d { sum += q[r * d + j] * rotated[j] }
                out[r] += coefficient * sum
            }
        }
    }
}
