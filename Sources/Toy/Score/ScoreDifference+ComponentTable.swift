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
        /// For d > 2, where the loops are not unrolled: the rows r with Q_k[r, j] != 0 of each column j at
        /// columnRows[columnStarts[k (d + 1) + j] ..< columnStarts[k (d + 1) + j + 1]], and the columns j with
        /// Q_k[r, j] != 0 of each row r likewise, so that Q^T v and Q w cost one term per nonzero entry (a
        /// toy embedded in a subspace has d + 2 of d^2). Every loop they serve sums from +0 upwards, where a
        /// skipped term (a product with +-0) changes no bit (`PrecisionRows`).
        let columnStarts: UnsafeMutablePointer<Int>, columnRows: UnsafeMutablePointer<Int>
        let rowStarts: UnsafeMutablePointer<Int>, rowColumns: UnsafeMutablePointer<Int>

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
            // The nonzero pattern of each Q_k, by column and by row.
            func pattern(_ entry: (Int, Int, Int) -> Double) -> (UnsafeMutablePointer<Int>, UnsafeMutablePointer<Int>) {
                var starts: [Int] = [], indices: [Int] = []
                for k in 0..<means.count {
                    for outer in 0..<d {
                        starts.append(indices.count)
                        for inner in 0..<d where entry(k, outer, inner) != 0 { indices.append(inner) }
                    }
                    starts.append(indices.count)
                }
                let s = UnsafeMutablePointer<Int>.allocate(capacity: max(1, starts.count)), i = UnsafeMutablePointer<Int>.allocate(capacity: max(1, indices.count))
                s.initialize(from: starts, count: starts.count)
                i.initialize(from: indices, count: indices.count)
                return (s, i)
            }
            (columnStarts, columnRows) = pattern { k, j, r in vectors[k][r * d + j] }
            (rowStarts, rowColumns) = pattern { k, r, j in vectors[k][r * d + j] }
        }

        deinit {
            for p in [means, variances, vectors, covariances, logNormalisers] { p.deallocate() }
            for p in [covarianceGroup, columnStarts, columnRows, rowStarts, rowColumns] { p.deallocate() }
        }

        /// sum_r Q_k[r, j] v[r] (r ascending): over the nonzero entries of column j for d > 2, else every r.
        @inline(__always)
        private func columnDot(_ k: Int, _ j: Int, _ v: (Int) -> Double, dimension d: Int) -> Double {
            let q = vectors + k * d * d
            var sum = 0.0
            if d > 2 {
                let start = columnStarts + k * (d + 1) + j
                for e in start[0]..<start[1] { let r = columnRows[e]; sum += q[r * d + j] * v(r) }
            } else {
                for r in 0..<d { sum += q[r * d + j] * v(r) }
            }
            return sum
        }

        /// sum_j Q_k[r, j] w[j] (j ascending): over the nonzero entries of row r for d > 2, else every j.
        @inline(__always)
        private func rowDot(_ k: Int, _ r: Int, _ w: UnsafePointer<Double>, dimension d: Int) -> Double {
            let q = vectors + k * d * d
            var sum = 0.0
            if d > 2 {
                let start = rowStarts + k * (d + 1) + r
                for e in start[0]..<start[1] { let j = rowColumns[e]; sum += q[r * d + j] * w[j] }
            } else {
                for j in 0..<d { sum += q[r * d + j] * w[j] }
            }
            return sum
        }

        /// l_k(x) = log N(x; mu_k, S_k + sigma^2 I) = c_k - sum_j z_j^2 / (L_j + sigma^2) / 2 with z = Q^T (x - mu_k).
        /// (`d` is the table's dimension, passed so that a caller can make it a constant the loops unroll on.)
        @inline(__always)
        func logDensity(_ k: Int, at x: UnsafePointer<Double>, dimension d: Int) -> Double {
            let mu = means + k * d, v = variances + k * d
            var quadratic = 0.0
            for j in 0..<d {
                let z = columnDot(k, j, { r in x[r] - mu[r] }, dimension: d)
                quadratic += z * z / v[j]
            }
            return logNormalisers[k] - 0.5 * quadratic
        }

        /// m_k(x) = (S_k + sigma^2 I)^-1 (mu_k - x) = -Q diag(1 / (L + sigma^2)) Q^T (x - mu_k), into `score`
        /// (d values), with `scratch` (d values) as work space.
        func score(_ k: Int, at x: UnsafePointer<Double>, into score: UnsafeMutablePointer<Double>,
                   scratch scaled: UnsafeMutablePointer<Double>) {
            let d = dimension, mu = means + k * d, v = variances + k * d
            for j in 0..<d { scaled[j] = columnDot(k, j, { r in x[r] - mu[r] }, dimension: d) / v[j] }
            for r in 0..<d { score[r] = -rowDot(k, r, scaled, dimension: d) }
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
            let v = scratch, rotated = scratch + d
            for r in 0..<d { v[r] = means[k * d + r] - means[m * d + r] }
            if !sameCovariance {
                let sk = covariances + k * d * d, sm = covariances + m * d * d
                for r in 0..<d {
                    for c in 0..<d { v[r] += (sm[r * d + c] - sk[r * d + c]) * mM[c] }
                }
            }
            // (S_k + sigma^2 I)^-1 v = Q diag(1 / (L + sigma^2)) Q^T v.
            for j in 0..<d { rotated[j] = columnDot(k, j, { r in v[r] }, dimension: d) / variances[k * d + j] }
            for r in 0..<d { out[r] += coefficient * rowDot(k, r, rotated, dimension: d) }
        }
    }
}
