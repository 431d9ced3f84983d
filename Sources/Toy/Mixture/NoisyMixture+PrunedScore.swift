import Foundation

/// The d = 2 batch scores of a mixture of many components (K >= `prunedComponentThreshold`, any
/// covariances): two passes per block of eight particles, dropping the components that cannot reach
/// double precision.
///
/// Pass 1 forms every log-term a_k = c_k - (mu_k - x)^T P_k (mu_k - x) / 2 (stored, one `Lanes` per
/// component) and each particle's largest, m = max_k a_k. Pass 2 sums S = sum_k e_k and
/// N = sum_k e_k g_k with e_k = exp(a_k - m) and g_k = P_k (mu_k - x) over the components with
/// a_k >= m - D, and the score is N / S. A component below that floor in all eight lanes of a block is
/// skipped (no exponential, no g_k); in a block where some lane keeps it, the lanes below the floor add
/// exactly 0, so each particle's score depends only on that particle, whatever its block mates.
///
/// Pruning depth D = ln K + 60 ln 2 (48.5 for K = 1023): the dropped terms each weigh at most e^-D, so
/// together at most K e^-D = 2^-60 of S (S >= 1, since the largest term is exp(0) = 1 exactly): S moves
/// by less than 1/128 of its last bit, and the score by at most 2^-60 max |g_k| over the dropped
/// components (absolute). Against the one-pass fold of `NoisyMixture+BatchScore` (which sums every
/// term, rescaling as the maximum moves) the results differ by rounding and this bound: within
/// 1e-12 max(1, |s|) of the per-point reference (`ScoreKernelTests`).
///
/// Pass 1 also skips whole groups of eight consecutive components (`ComponentGroupBounds2D`): a group
/// whose bound C_g - H_g dist(x, B_g)^2 lies below the running maximum minus D in all eight lanes can hold
/// neither the maximum nor a kept term (the running maximum only grows, so its floor is at most the final
/// one), so its log-terms are not formed and pass 2 passes it by. The group with the highest bound is
/// formed first, the others in order; since the maximum is exact whatever the order and pass 2 adds the
/// same kept terms in the same component order, the scores are bit for bit those of forming every term
/// (tested against `skippingGroups: false`).
///
/// At small sigma, where each particle sees a few nearby components, pass 2 evaluates a few
/// exponentials per block instead of K - 1; at large sigma nothing is dropped and the cost is the
/// fold's (K exponentials instead of K - 1, one more pass over the parameters).
///
/// A block keeps the union of its eight particles' components, so the particles are taken in blocks of
/// neighbours: ordered by the cells of a 64 x 64 grid over the batch's bounding box, row by row in a
/// snake (a counting sort), scored in that order and written back in place. Since a particle's score
/// does not depend on its block mates, the order changes the speed only. (For the tree mixture of the
/// bench, Heun from sigma = 5: about 67% of the (block, component) pairs kept for blocks in batch order,
/// 47% for neighbour blocks, 44% for single particles, in a NumPy count over the 32 levels.)
extension NoisyMixture {
    /// The fewest components for which the d = 2 kernel (anisotropic components) prunes: below it
    /// the one-pass fold is at least as fast (few terms to drop, K - 1 exponentials instead of K).
    static let prunedComponentThreshold = 32

    /// D = ln K + 60 ln 2: log-terms more than D below a particle's largest are dropped.
    var pruningDepth: Double { Foundation.log(Double(count)) + 60 * Foundation.log(2.0) }

    func scores2DPruned(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>) {
        guard n > Lanes.scalarCount else {
            scores2DPrunedInOrder(x, n, out)
            return
        }
        let order = Self.neighbourOrder2D(x, n)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 * n) { buffer in
            let sorted = buffer.baseAddress!, results = sorted + 2 * n
            for (i, p) in order.enumerated() {
                sorted[2 * i] = x[2 * p]
                sorted[2 * i + 1] = x[2 * p + 1]
            }
            scores2DPrunedInOrder(sorted, n, results)
            for (i, p) in order.enumerated() {
                out[2 * p] = results[2 * i]
                out[2 * p + 1] = results[2 * i + 1]
            }
        }
    }

    /// The particle indices ordered by the cells of a 64 x 64 grid over the points' bounding box, rows
    /// from the bottom, each row's cells left to right and right to left in turn (a snake), by a
    /// counting sort. Points that are not finite go to cell 0.
    static func neighbourOrder2D(_ x: UnsafePointer<Double>, _ n: Int) -> [Int] {
        let side = 64
        var low = (Double.infinity, Double.infinity), high = (-Double.infinity, -Double.infinity)
        for i in 0..<n where x[2 * i].isFinite && x[2 * i + 1].isFinite {
            low = (min(low.0, x[2 * i]), min(low.1, x[2 * i + 1]))
            high = (max(high.0, x[2 * i]), max(high.1, x[2 * i + 1]))
        }
        let scale = (Double(side) / max(high.0 - low.0, .leastNormalMagnitude), Double(side) / max(high.1 - low.1, .leastNormalMagnitude))
        func cell(_ i: Int) -> Int {
            let u = (x[2 * i] - low.0) * scale.0, v = (x[2 * i + 1] - low.1) * scale.1
            guard u.isFinite && v.isFinite else { return 0 }
            let column = min(side - 1, max(0, Int(u))), row = min(side - 1, max(0, Int(v)))
            return row * side + (row % 2 == 0 ? column : side - 1 - column)
        }
        var starts = [Int](repeating: 0, count: side * side + 1)
        let cells = (0..<n).map(cell)
        for c in cells { starts[c + 1] += 1 }
        for c in 0..<(side * side) { starts[c + 1] += starts[c] }
        var order = [Int](repeating: 0, count: n)
        for (i, c) in cells.enumerated() {
            order[starts[c]] = i
            starts[c] += 1
        }
        return order
    }

    /// Scores of particles taken in the given order (blocks of eight consecutive ones). With
    /// `skippingGroups` false every component's log-term is formed in pass 1 (the straightforward form,
    /// kept for the tests that compare the two bit for bit).
    func scores2DPrunedInOrder(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>,
                               skippingGroups: Bool = true) {
        let k = count, depth = pruningDepth
        let groups = ComponentGroupBounds2D(self)
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: k + groups.count) { storage in
            let terms = storage.baseAddress!, bounds = terms + k
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: groups.count) { formed in
                let formed = formed.baseAddress!
                groups.parameters.withUnsafeBufferPointer { groupParameters in
                    means.withUnsafeBufferPointer { mu in
                        precisions.withUnsafeBufferPointer { precision in
                            logCoefficients.withUnsafeBufferPointer { logCoefficient in
                                Self.forEachBlock(x, n, out, dimension: 2) { x, out in
                                    let (xs, ys) = Self.deinterleave(x)
                                    @inline(__always) func term(_ c: Int) -> (a: Lanes, gx: Lanes, gy: Lanes) {
                                        Self.term2D(c, xs, ys, mu, precision, logCoefficient)
                                    }
                                    var top = Lanes(repeating: -.infinity)
                                    @inline(__always) func form(_ g: Int) {
                                        formed[g] = true
                                        for c in groups.components(g) {
                                            let a = term(c).a
                                            terms[c] = a
                                            top = select(signMask(top - a), a, top) // a above top: a
                                        }
                                    }
                                    if skippingGroups {
                                        // The group with the highest bound at the block's first point first (its
                                        // mates are its neighbours), so that the running top is near the final
                                        // one before the others are tested.
                                        var best = 0, bestBound = -Double.infinity
                                        for g in 0..<groups.count {
                                            let b = ComponentGroupBounds2D.bound(groupParameters.baseAddress! + 6 * g, xs, ys)
                                            bounds[g] = b
                                            formed[g] = false
                                            if b[0] > bestBound { (best, bestBound) = (g, b[0]) }
                                        }
                                        form(best)
                                        for g in 0..<groups.count where g != best {
                                            // Every lane's bound below the running top - D (<= the final floor): no
                                            // term of the group can be kept, nor be the maximum.
                                            if all(bounds[g] .< top - depth) { continue }
                                            form(g)
                                        }
                                    } else {
                                        for g in 0..<groups.count { form(g) }
                                    }
                                    let floor = top - depth
                                    var sum = Lanes(repeating: 0), nx = Lanes(repeating: 0), ny = Lanes(repeating: 0)
                                    for g in 0..<groups.count where formed[g] {
                                        // Every lane's bound below the floor: nothing of the group is kept.
                                        if skippingGroups && all(bounds[g] .< floor) { continue }
                                        for c in groups.components(g) {
                                            let a = terms[c]
                                            // kept: a >= floor (a - floor has no sign bit, or is +0).
                                            let kept = ~signMask(a - floor)
                                            if kept == LaneBits(repeating: 0) { continue }
                                            let e = unsafeBitCast(kept & unsafeBitCast(expNonPositiveUnchecked(a - top), to: LaneBits.self),
                                                                  to: Lanes.self)
                                            let (_, gx, gy) = term(c)
                                            sum += e
                                            nx += e * gx
                                            ny += e * gy
                                        }
                                    }
                                    Self.interleave(nx / sum, ny / sum, into: out)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
