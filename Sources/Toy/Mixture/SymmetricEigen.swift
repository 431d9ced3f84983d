import Foundation

/// The eigendecomposition S = Q diag(values) Q^T of a real symmetric matrix.
///
/// `vectors` is row-major d x d with the eigenvectors as columns: Q[r][j] = vectors[r * d + j].
/// Closed form for d = 1 and d = 2; cyclic Jacobi rotations for d >= 3 (converged when the
/// off-diagonal Frobenius norm is below 1e-15 times the matrix norm, or after 100 sweeps).
public struct SymmetricEigen: Sendable, Equatable {
    public let dimension: Int
    public let values: [Double]
    public let vectors: [Double]

    /// Decomposes the row-major symmetric matrix `matrix` (d x d). The caller checks symmetry;
    /// only the upper triangle is read.
    public init(symmetric matrix: [Double], dimension d: Int) {
        dimension = d
        switch d {
        case 1:
            values = [matrix[0]]
            vectors = [1]
        case 2:
            // [[a, b], [b, c]]: eigenvalues m -+ r with m = (a + c) / 2, r = hypot((a - c) / 2, b).
            let a = matrix[0], b = matrix[1], c = matrix[3]
            let m = 0.5 * (a + c)
            let r = hypot(0.5 * (a - c), b)
            // Eigenvector angle theta with tan(2 theta) = 2b / (a - c); stable through atan2.
            let theta = 0.5 * atan2(2 * b, a - c)
            let (cs, sn) = (cos(theta), sin(theta))
            // Column 0 = (cos, sin) belongs to the larger eigenvalue m + r.
            values = [m + r, m - r]
            vectors = [cs, -sn, sn, cs]
        default:
            (values, vectors) = SymmetricEigen.jacobi(matrix, d)
        }
    }

    /// Cyclic Jacobi eigenvalue algorithm (Golub & Van Loan, section 8.5).
    private static func jacobi(_ matrix: [Double], _ d: Int) -> ([Double], [Double]) {
        var a = matrix
        for r in 0..<d { for c in 0..<r { a[r * d + c] = a[c * d + r] } }
        var v = [Double](repeating: 0, count: d * d)
        for i in 0..<d { v[i * d + i] = 1 }
        let norm = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for _ in 0..<100 {
            var off = 0.0
            for p in 0..<d { for q in (p + 1)..<d { off += 2 * a[p * d + q] * a[p * d + q] } }
            if off.squareRoot() <= 1e-15 * norm || off == 0 { break }
            for p in 0..<d {
                for q in (p + 1)..<d where a[p * d + q] != 0 {
                    // Rotation zeroing a[p][q]: tau = (a_qq - a_pp) / (2 a_pq), t = sign(tau) / (|tau| + sqrt(1 + tau^2)).
                    let tau = (a[q * d + q] - a[p * d + p]) / (2 * a[p * d + q])
                    let t = (tau >= 0 ? 1.0 : -1.0) / (abs(tau) + (1 + tau * tau).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot(), s = t * c
                    for k in 0..<d {
                        let akp = a[k * d + p], akq = a[k * d + q]
                        a[k * d + p] = c * akp - s * akq
                        a[k * d + q] = s * akp + c * akq
                    }
                    for k in 0..<d {
                        let apk = a[p * d + k], aqk = a[q * d + k]
                        a[p * d + k] = c * apk - s * aqk
                        a[q * d + k] = s * apk + c * aqk
                    }
                    for k in 0..<d {
                        let vkp = v[k * d + p], vkq = v[k * d + q]
                        v[k * d + p] = c * vkp - s * vkq
                        v[k * d + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<d).map { a[$0 * d + $0] }, v)
    }
}
