/// The hot path: scores of many particles at one noise level.
///
/// Two passes per batch: the first finds m_i = max_k a_k(x_i) with a_k = c_k - q_k / 2; the second
/// accumulates w_k = exp(a_k - m_i) (with `expNonPositive`, which vectorises), sum_k w_k and
/// sum_k w_k P_k (mu_k - x_i); the score is their ratio. Recomputing a_k in the second pass keeps
/// the working set to three values per particle. Specialised loops for d = 1 and d = 2; a generic
/// loop for any d. Accurate to about 1e-15 relative (the error of `expNonPositive`).
extension NoisyMixture {
    /// out[i * d + j] = s(x_i; sigma)_j for i in 0 ..< count.
    /// `x` and `out` must not overlap.
    public func scores(_ x: UnsafePointer<Double>, count n: Int, into out: UnsafeMutablePointer<Double>) {
        switch dimension {
        case 1: scores1D(x, n, out)
        case 2: scores2D(x, n, out)
        default: scoresGeneric(x, n, out)
        }
    }

    func scores1D(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>) {
        let maxTerm = UnsafeMutablePointer<Double>.allocate(capacity: 2 * n)
        defer { maxTerm.deallocate() }
        let sum = maxTerm + n
        for i in 0..<n { maxTerm[i] = -Double.greatestFiniteMagnitude; sum[i] = 0; out[i] = 0 }
        for c in 0..<self.count {
            let mu = means[c], p = precisions[c], coef = logCoefficients[c]
            for i in 0..<n {
                let dx = x[i] - mu
                let a = coef - 0.5 * p * dx * dx
                maxTerm[i] = a > maxTerm[i] ? a : maxTerm[i]
            }
        }
        for c in 0..<self.count {
            let mu = means[c], p = precisions[c], coef = logCoefficients[c]
            for i in 0..<n {
                let dx = mu - x[i]
                let w = expNonPositive(coef - 0.5 * p * dx * dx - maxTerm[i])
                sum[i] += w
                out[i] += w * p * dx
            }
        }
        for i in 0..<n { out[i] /= sum[i] }
    }

    func scores2D(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>) {
        let maxTerm = UnsafeMutablePointer<Double>.allocate(capacity: 2 * n)
        defer { maxTerm.deallocate() }
        let sum = maxTerm + n
        for i in 0..<n { maxTerm[i] = -Double.greatestFiniteMagnitude; sum[i] = 0; out[2 * i] = 0; out[2 * i + 1] = 0 }
        for c in 0..<self.count {
            let mx = means[2 * c], my = means[2 * c + 1]
            let pa = precisions[4 * c], pb = precisions[4 * c + 1], pc = precisions[4 * c + 3]
            let coef = logCoefficients[c]
            for i in 0..<n {
                let dx = mx - x[2 * i], dy = my - x[2 * i + 1]
                let a = coef - 0.5 * (pa * dx * dx + 2 * pb * dx * dy + pc * dy * dy)
                maxTerm[i] = a > maxTerm[i] ? a : maxTerm[i]
            }
        }
        for c in 0..<self.count {
            let mx = means[2 * c], my = means[2 * c + 1]
            let pa = precisions[4 * c], pb = precisions[4 * c + 1], pc = precisions[4 * c + 3]
            let coef = logCoefficients[c]
            for i in 0..<n {
                let dx = mx - x[2 * i], dy = my - x[2 * i + 1]
                let gx = pa * dx + pb * dy, gy = pb * dx + pc * dy
                let w = expNonPositive(coef - 0.5 * (dx * gx + dy * gy) - maxTerm[i])
                sum[i] += w
                out[2 * i] += w * gx
                out[2 * i + 1] += w * gy
            }
        }
        for i in 0..<n { out[2 * i] /= sum[i]; out[2 * i + 1] /= sum[i] }
    }

    func scoresGeneric(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>) {
        let d = dimension, k = self.count
        var terms = [Double](repeating: 0, count: k)
        var g = [Double](repeating: 0, count: k * d)
        for i in 0..<n {
            let xi = x + i * d
            var top = -Double.greatestFiniteMagnitude
            for c in 0..<k {
                var q = 0.0
                for r in 0..<d {
                    var row = 0.0
                    for col in 0..<d { row += precisions[c * d * d + r * d + col] * (means[c * d + col] - xi[col]) }
                    g[c * d + r] = row
                    q += (means[c * d + r] - xi[r]) * row
                }
                terms[c] = logCoefficients[c] - 0.5 * q
                top = max(top, terms[c])
            }
            var sum = 0.0
            for j in 0..<d { out[i * d + j] = 0 }
            for c in 0..<k {
                let w = expNonPositive(terms[c] - top)
                sum += w
                for j in 0..<d { out[i * d + j] += w * g[c * d + j] }
            }
            for j in 0..<d { out[i * d + j] /= sum }
        }
    }
}
