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
/// component parameters read through unchecked pointers; a generic loop handles any d (blocks of eight
/// too, over the nonzero precision entries, `scoresGeneric`). In d = 2 each
/// block is split once into x lanes and y lanes (vector shuffles, no scalar extracts) and written back
/// interleaved; components that all share one isotropic covariance (the presets) take a shorter loop
/// (`scores2DIsotropic`), and mixtures of many other components a two-pass loop that drops the terms
/// below double precision (`scores2DPruned`, NoisyMixture+PrunedScore). Each particle's result depends only on that particle, whatever the batch.
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
    static func forEachBlock(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>,
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
        if let p = sharedIsotropicPrecision2D {
            scores2DIsotropic(x, n, out, precision: p)
            return
        }
        if k >= Self.prunedComponentThreshold {
            scores2DPruned(x, n, out)
            return
        }
        means.withUnsafeBufferPointer { mu in
            precisions.withUnsafeBufferPointer { precision in
                logCoefficients.withUnsafeBufferPointer { logCoefficient in
                    let one = Lanes(repeating: 1)
                    Self.forEachBlock(x, n, out, dimension: 2) { x, out in
                        let (xs, ys) = Self.deinterleave(x)
                        // Component 0 starts the fold.
                        @inline(__always) func term(_ c: Int) -> (a: Lanes, gx: Lanes, gy: Lanes) {
                            Self.term2D(c, xs, ys, mu, precision, logCoefficient)
                        }
                        var (top, nx, ny) = term(0)
                        var sum = one
                        for c in 1..<max(1, k) {
                            let (a, gx, gy) = term(c)
                            let (old, new) = Self.fold(a, into: &top, one: one)
                            sum = sum * old + new
                            nx = nx * old + gx * new
                            ny = ny * old + gy * new
                        }
                        Self.interleave(nx / sum, ny / sum, into: out)
                    }
                }
            }
        }
    }

    /// Component c's log-term a_c = c_c - (mu_c - x) . g_c / 2 and g_c = P_c (mu_c - x) for a block of
    /// d = 2 points (x lanes `xs`, y lanes `ys`), P_c read as its entries (a, b; b, c) at 4 c.
    @inline(__always)
    static func term2D(_ c: Int, _ xs: Lanes, _ ys: Lanes, _ mu: UnsafeBufferPointer<Double>,
                       _ precision: UnsafeBufferPointer<Double>, _ logCoefficient: UnsafeBufferPointer<Double>)
        -> (a: Lanes, gx: Lanes, gy: Lanes) {
        let dx = mu[2 * c] - xs, dy = mu[2 * c + 1] - ys
        let pa = precision[4 * c], pb = precision[4 * c + 1], pc = precision[4 * c + 3]
        let gx = pa * dx + pb * dy, gy = pb * dx + pc * dy
        return (logCoefficient[c] - 0.5 * (dx * gx + dy * gy), gx, gy)
    }

    /// p when every component's precision is p I with the same p (isotropic components of one
    /// variance, as in the presets), else nil.
    var sharedIsotropicPrecision2D: Double? {
        let p = precisions[0]
        for c in 0..<count where precisions[4 * c] != p || precisions[4 * c + 3] != p
            || precisions[4 * c + 1] != 0 || precisions[4 * c + 2] != 0 {
            return nil
        }
        return p
    }

    /// The d = 2 loop for P_c = p I for every c: a_c = c_c - (p / 2) |mu_c - x|^2, and the fold sums
    /// e_c (mu_c - x), multiplied by p once at the end (score = p sum_c e_c (mu_c - x) / sum_c e_c).
    /// The same terms as the general loop with g_c = p (mu_c - x); only the rounding differs (a few ulps).
    private func scores2DIsotropic(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>,
                                   precision p: Double) {
        let k = count, halfPrecision = 0.5 * p
        means.withUnsafeBufferPointer { mu in
            logCoefficients.withUnsafeBufferPointer { logCoefficient in
                let one = Lanes(repeating: 1)
                Self.forEachBlock(x, n, out, dimension: 2) { x, out in
                    let (xs, ys) = Self.deinterleave(x)
                    var nx = mu[0] - xs, ny = mu[1] - ys
                    var top = logCoefficient[0] - halfPrecision * (nx * nx + ny * ny)
                    var sum = one
                    for c in 1..<max(1, k) {
                        let dx = mu[2 * c] - xs, dy = mu[2 * c + 1] - ys
                        let a = logCoefficient[c] - halfPrecision * (dx * dx + dy * dy)
                        let (old, new) = Self.fold(a, into: &top, one: one)
                        sum = sum * old + new
                        nx = nx * old + dx * new
                        ny = ny * old + dy * new
                    }
                    let scale = p / sum
                    Self.interleave(nx * scale, ny * scale, into: out)
                }
            }
        }
    }

    /// Splits 2 Lanes.scalarCount interleaved doubles (x0, y0, x1, y1, ...) into the x lanes and the y lanes.
    @inline(__always)
    static func deinterleave(_ p: UnsafePointer<Double>) -> (Lanes, Lanes) {
        let lo = UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
        let hi = UnsafeRawPointer(p + Lanes.scalarCount).loadUnaligned(as: Lanes.self)
        return (Lanes(lowHalf: lo.evenHalf, highHalf: hi.evenHalf), Lanes(lowHalf: lo.oddHalf, highHalf: hi.oddHalf))
    }

    /// Writes x and y lanes as interleaved pairs (x0, y0, x1, y1, ...) to `out`.
    @inline(__always)
    static func interleave(_ xs: Lanes, _ ys: Lanes, into out: UnsafeMutablePointer<Double>) {
        var lo = Lanes(), hi = Lanes()
        let half = Lanes.scalarCount / 2
        for i in 0..<half {
            lo[2 * i] = xs[i]; lo[2 * i + 1] = ys[i]
            hi[2 * i] = xs[half + i]; hi[2 * i + 1] = ys[half + i]
        }
        UnsafeMutableRawPointer(out).storeBytes(of: lo, as: Lanes.self)
        UnsafeMutableRawPointer(out + Lanes.scalarCount).storeBytes(of: hi, as: Lanes.self)
    }

    /// Any d, on blocks of eight particles: each lane does the operations of one particle in the order of
    /// the scalar fold (per component, g_r = sum over the nonzero P_k[r, c] (ascending c) of
    /// P_k[r, c] (mu_kc - x_c), q = sum_r (mu_kr - x_r) g_r; a term above the running maximum m rescales by
    /// exp(m - a), one below adds exp(a - m)), so a particle's score is the same in any block. The zero
    /// entries of P_k are skipped (`PrecisionRows`: the same sums bit for bit).
    private func scoresGeneric(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>) {
        let d = dimension, k = count, width = Lanes.scalarCount
        let rows = precisionRows
        means.withUnsafeBufferPointer { mu in
            logCoefficients.withUnsafeBufferPointer { logCoefficient in
                rows.rowStarts.withUnsafeBufferPointer { rowStarts in
                    rows.columns.withUnsafeBufferPointer { columns in
                        rows.values.withUnsafeBufferPointer { values in
                            withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 4 * d) { buffer in
                                let xs = buffer.baseAddress!, difference = xs + d, g = difference + d, numerator = g + d
                                Self.forEachBlock(x, n, out, dimension: d) { x, out in
                                    for r in 0..<d {
                                        var lane = Lanes()
                                        for j in 0..<width { lane[j] = x[j * d + r] }
                                        xs[r] = lane
                                    }
                                    var top = Lanes(), sum = Lanes()
                                    for c in 0..<k {
                                        for r in 0..<d { difference[r] = mu[c * d + r] - xs[r] }
                                        var q = Lanes()
                                        let rowBase = c * (d + 1)
                                        for r in 0..<d {
                                            var row = Lanes()
                                            for e in rowStarts[rowBase + r]..<rowStarts[rowBase + r + 1] {
                                                row += values[e] * difference[columns[e]]
                                            }
                                            g[r] = row
                                            q += difference[r] * row
                                        }
                                        let a = logCoefficient[c] - 0.5 * q
                                        if c == 0 {
                                            top = a
                                            sum = Lanes(repeating: 1)
                                            for r in 0..<d { numerator[r] = g[r] }
                                            continue
                                        }
                                        // Where a > m: rescale by exp(m - a) and add 1 and g; elsewhere add exp(a - m) and e g.
                                        let above = a .> top
                                        let e = expNonPositive((a - top).replacing(with: top - a, where: above))
                                        sum = (sum + e).replacing(with: sum * e + 1, where: above)
                                        for r in 0..<d {
                                            numerator[r] = (numerator[r] + e * g[r]).replacing(with: numerator[r] * e + g[r], where: above)
                                        }
                                        top = top.replacing(with: a, where: above)
                                    }
                                    for r in 0..<d {
                                        let score = numerator[r] / sum
                                        for j in 0..<width { out[j * d + r] = score[j] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
