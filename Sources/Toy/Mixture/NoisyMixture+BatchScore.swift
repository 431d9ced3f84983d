/// The hot path: scores of many particles at one noise level.
///
/// One pass over the components with an online log-sum-exp: per particle, the running maximum m of
/// a_k = c_k - q_k / 2, the sum S = sum_k exp(a_k - m) and the numerator N = sum_k exp(a_k - m) g_k with
/// g_k = P_k (mu_k - x). A new term a either lies below m (add e = exp(a - m)) or becomes the maximum
/// (rescale S and N by e = exp(m - a), then add 1 and g). Both cases need the one exponential
/// e = exp(-|a - m|) and read S' = S old + new, N' = N old + g new with (old, new) = (1, e) or (e, 1),
/// written branch-free so the loops vectorise (the products by 1 are exact); the first component needs none, so
/// K components cost K - 1 exponentials. The score is N / S; for K = 2 this is
/// (g_top + e g_bottom) / (1 + e) directly. Accurate to about 1e-15 relative (`expNonPositive`).
/// Specialised loops for d = 1 and d = 2 work on blocks of eight particles (`Lanes`), with the
/// component parameters read through unchecked pointers; a generic loop handles any d.
extension NoisyMixture {
    /// out[i * d + j] = s(x_i; sigma)_j for i in 0 ..< count. `x` and `out` must not overlap.
    public func scores(_ x: UnsafePointer<Double>, count n: Int, into out: UnsafeMutablePointer<Double>) {
        switch dimension {
        case 1: scores1D(x, n, out)
        case 2: scores2D(x, n, out)
        default: scoresGeneric(x, n, out)
        }
    }

    /// (a, b) where `mask` is clear and (b, a) where it is set, lane by lane: one exclusive or of a and b
    /// masked, applied to both (fewer operations than two selects).
    @inline(__always)
    private static func swapped(_ mask: LaneBits, _ a: Lanes, _ b: Lanes) -> (Lanes, Lanes) {
        let bitsA = unsafeBitCast(a, to: LaneBits.self), bitsB = unsafeBitCast(b, to: LaneBits.self)
        let flip = mask & (bitsA ^ bitsB)
        return (unsafeBitCast(bitsA ^ flip, to: Lanes.self), unsafeBitCast(bitsB ^ flip, to: Lanes.self))
    }

    /// Folds the next log-term `a` into the running maximum `top` and returns the weights (old, new) of
    /// the online log-sum-exp update S <- S old + new, N <- N old + g new: (1, e) while a <= m and
    /// (e, 1) when a becomes the maximum, with e = exp(-|a - m|).
    @inline(__always)
    private static func fold(_ a: Lanes, into top: inout Lanes, one: Lanes) -> (old: Lanes, new: Lanes) {
        // below: a <= m (sign of a - m set, or a = m).
        let difference = a - top
        let below = signMask(difference)
        let e = expNonPositiveUnchecked(negativeMagnitude(difference))
        top = select(below, top, a)
        return swapped(below, e, one)
    }

    /// Runs `block` on every full block of eight particles of dimension d, then on the remainder
    /// padded with zeros in a temporary buffer.
    @inline(__always)
    private static func forEachBlock(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>,
                                     dimension d: Int,
                                     _ block: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void) {
        let width = Lanes.scalarCount
        var start = 0
        while start + width <= n {
            block(x + start * d, out + start * d)
            start += width
        }
        let rest = n - start
        guard rest > 0 else { return }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * width * d) { buffer in
            let xs = buffer.baseAddress!, os = xs + width * d
            xs.initialize(repeating: 0, count: 2 * width * d)
            xs.update(from: x + start * d, count: rest * d)
            block(xs, os)
            (out + start * d).update(from: os, count: rest * d)
        }
    }

    private func scores1D(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>) {
        let k = count
        means.withUnsafeBufferPointer { mu in
            precisions.withUnsafeBufferPointer { precision in
                logCoefficients.withUnsafeBufferPointer { logCoefficient in
                    if k == 2 {
                        let mu0 = mu[0], mu1 = mu[1], p0 = precision[0], p1 = precision[1]
                        let c0 = logCoefficient[0], c1 = logCoefficient[1]
                        Self.forEachBlock(x, n, out, dimension: 1) { x, out in
                            let xs = UnsafeRawPointer(x).loadUnaligned(as: Lanes.self)
                            let dx0 = mu0 - xs, dx1 = mu1 - xs
                            let g0 = p0 * dx0, g1 = p1 * dx1
                            let a0 = c0 - 0.5 * dx0 * g0, a1 = c1 - 0.5 * dx1 * g1
                            let difference = a1 - a0
                            let e = expNonPositiveUnchecked(negativeMagnitude(difference))
                            // below: a1 < a0 (or a1 = a0 with a negative zero difference), component 0 on top.
                            let below = signMask(difference)
                            let top = select(below, g0, g1), bottom = select(below, g1, g0)
                            let score = (top + e * bottom) / (1 + e)
                            UnsafeMutableRawPointer(out).storeBytes(of: score, as: Lanes.self)
                        }
                        return
                    }
                    let one = Lanes(repeating: 1)
                    Self.forEachBlock(x, n, out, dimension: 1) { x, out in
                        let xs = UnsafeRawPointer(x).loadUnaligned(as: Lanes.self)
                        let dx = mu[0] - xs
                        var numerator = precision[0] * dx
                        var top = logCoefficient[0] - 0.5 * dx * numerator, sum = Lanes(repeating: 1)
                        for c in 1..<k {
                            let dx = mu[c] - xs
                            let g = precision[c] * dx
                            let a = logCoefficient[c] - 0.5 * dx * g
                            let (old, new) = Self.fold(a, into: &top, one: one)
                            sum = sum * old + new
                            numerator = numerator * old + g * new
                        }
                        UnsafeMutableRawPointer(out).storeBytes(of: numerator / sum, as: Lanes.self)
                    }
                }
            }
        }
    }

    private func scores2D(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>) {
        let k = count
        means.withUnsafeBufferPointer { mu in
            precisions.withUnsafeBufferPointer { precision in
                logCoefficients.withUnsafeBufferPointer { logCoefficient in
                    let one = Lanes(repeating: 1)
                    Self.forEachBlock(x, n, out, dimension: 2) { x, out in
                        // Particles are interleaved (x, y); split them into x lanes and y lanes.
                        let lo = UnsafeRawPointer(x).loadUnaligned(as: Lanes.self)
                        let hi = UnsafeRawPointer(x + 8).loadUnaligned(as: Lanes.self)
                        let xs = Lanes(lo[0], lo[2], lo[4], lo[6], hi[0], hi[2], hi[4], hi[6])
                        let ys = Lanes(lo[1], lo[3], lo[5], lo[7], hi[1], hi[3], hi[5], hi[7])
                        var top = Lanes(repeating: 0), sum = Lanes(repeating: 1)
                        var nx = Lanes(repeating: 0), ny = Lanes(repeating: 0)
                        for c in 0..<k {
                            let dx = mu[2 * c] - xs, dy = mu[2 * c + 1] - ys
                            let pa = precision[4 * c], pb = precision[4 * c + 1], pc = precision[4 * c + 3]
                            let gx = pa * dx + pb * dy, gy = pb * dx + pc * dy
                            let a = logCoefficient[c] - 0.5 * (dx * gx + dy * gy)
                            if c == 0 {
                                top = a; nx = gx; ny = gy
                            } else {
                                let (old, new) = Self.fold(a, into: &top, one: one)
                                sum = sum * old + new
                                nx = nx * old + gx * new
                                ny = ny * old + gy * new
                            }
                        }
                        let sx = nx / sum, sy = ny / sum
                        let first = Lanes(sx[0], sy[0], sx[1], sy[1], sx[2], sy[2], sx[3], sy[3])
                        let second = Lanes(sx[4], sy[4], sx[5], sy[5], sx[6], sy[6], sx[7], sy[7])
                        UnsafeMutableRawPointer(out).storeBytes(of: first, as: Lanes.self)
                        UnsafeMutableRawPointer(out + 8).storeBytes(of: second, as: Lanes.self)
                    }
                }
            }
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
