/// The hot path: scores of many particles at one noise level.
///
/// One pass over the components with an online log-sum-exp: per particle, the running maximum m of
/// a_k = c_k - q_k / 2, the sum S = sum_k exp(a_k - m) and the numerator N = sum_k exp(a_k - m) g_k with
/// g_k = P_k (mu_k - x). A new term a either lies below m (add e = exp(a - m)) or becomes the maximum
/// (rescale S and N by e = exp(m - a), then add 1 and g). Both cases need the one exponential
/// e = exp(-|a - m|), written branch-free so the loops vectorise; the first component needs none, so
/// K components cost K - 1 exponentials. The score is N / S. Accurate to about 1e-15 relative
/// (`expNonPositive`). Specialised loops for d = 1 and d = 2; a generic loop for any d.
extension NoisyMixture {
    /// out[i * d + j] = s(x_i; sigma)_j for i in 0 ..< count. `x` and `out` must not overlap.
    public func scores(_ x: UnsafePointer<Double>, count n: Int, into out: UnsafeMutablePointer<Double>) {
        switch dimension {
        case 1: scores1D(x, n, out)
        case 2: scores2D(x, n, out)
        default: scoresGeneric(x, n, out)
        }
    }

    private func scores1D(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>) {
        var start = 0
        while start < n {
            let width = min(Lanes.scalarCount, n - start)
            var xs = Lanes(repeating: 0)
            for l in 0..<width { xs[l] = x[start + l] }
            var top = Lanes(repeating: 0), sum = Lanes(repeating: 1), numerator = Lanes(repeating: 0)
            for c in 0..<self.count {
                let dx = means[c] - xs
                let g = precisions[c] * dx
                let a = logCoefficients[c] - 0.5 * dx * g
                if c == 0 {
                    top = a; numerator = g
                } else {
                    // below: a <= m (sign of a - m set, or a = m); e = exp(-|a - m|).
                    let difference = a - top
                    let below = signMask(difference)
                    let e = expNonPositive(select(below, difference, -difference))
                    sum = select(below, sum + e, sum * e + 1)
                    numerator = select(below, numerator + e * g, numerator * e + g)
                    top = select(below, top, a)
                }
            }
            let score = numerator / sum
            for l in 0..<width { out[start + l] = score[l] }
            start += width
        }
    }

    private func scores2D(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>) {
        var start = 0
        while start < n {
            let width = min(Lanes.scalarCount, n - start)
            var xs = Lanes(repeating: 0), ys = Lanes(repeating: 0)
            for l in 0..<width { xs[l] = x[2 * (start + l)]; ys[l] = x[2 * (start + l) + 1] }
            var top = Lanes(repeating: 0), sum = Lanes(repeating: 1)
            var nx = Lanes(repeating: 0), ny = Lanes(repeating: 0)
            for c in 0..<self.count {
                let dx = means[2 * c] - xs, dy = means[2 * c + 1] - ys
                let pa = precisions[4 * c], pb = precisions[4 * c + 1], pc = precisions[4 * c + 3]
                let gx = pa * dx + pb * dy, gy = pb * dx + pc * dy
                let a = logCoefficients[c] - 0.5 * (dx * gx + dy * gy)
                if c == 0 {
                    top = a; nx = gx; ny = gy
                } else {
                    // below: a <= m (sign of a - m set, or a = m); e = exp(-|a - m|).
                    let difference = a - top
                    let below = signMask(difference)
                    let e = expNonPositive(select(below, difference, -difference))
                    sum = select(below, sum + e, sum * e + 1)
                    nx = select(below, nx + e * gx, nx * e + gx)
                    ny = select(below, ny + e * gy, ny * e + gy)
                    top = select(below, top, a)
                }
            }
            let sx = nx / sum, sy = ny / sum
            for l in 0..<width { out[2 * (start + l)] = sx[l]; out[2 * (start + l) + 1] = sy[l] }
            start += width
        }
    }

    private func scoresGeneric(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>) {
        let d = dimension
        var g = [Double](repeating: 0, count: d)
        for i in 0..<n {
            let xi = x + i * d, oi = out + i * d
            var top = -Double.infinity, sum = 0.0
            for c in 0..<self.count {
                var q = 0.0
                for r in 0..<d {
                    var row = 0.0
                    for col in 0..<d { row += precisions[c * d * d + r * d + col] * (means[c * d + col] - xi[col]) }
                    g[r] = row
                    q += (means[c * d + r] - xi[r]) * row
                }
                let a = logCoefficients[c] - 0.5 * q
                if c == 0 {
                    top = a; sum = 1
                    for j in 0..<d { oi[j] = g[j] }
                } else if a > top {
                    let e = expNonPositive(top - a)
                    sum = sum * e + 1
                    for j in 0..<d { oi[j] = oi[j] * e + g[j] }
                    top = a
                } else {
                    let e = expNonPositive(a - top)
                    sum += e
                    for j in 0..<d { oi[j] += e * g[j] }
                }
            }
            for j in 0..<d { oi[j] /= sum }
        }
    }
}
