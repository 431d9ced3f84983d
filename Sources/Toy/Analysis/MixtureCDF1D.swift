import Foundation

/// A one-dimensional Gaussian mixture given by weights, means and standard deviations: the ideal
/// model itself in 1D, or its projection x -> u . x onto a unit direction u (weights pi_k, means
/// u . mu_k, standard deviations sqrt(u^T S_k u)).
///
/// Every sum over components below takes a component whose standardised distance |z| = |x - mu_k| / s_k
/// exceeds `tailCut` = 12 by its limit (Phi(z) = 1 or 0, phi(z) = 0), without erfc or exp: each such term
/// is off by at most Phi(-12) < 1.8e-33 times its weight in F, 1 - F and the tails, and by at most
/// s_k phi(12) / 144 < 3.7e-35 s_k times its weight in G, the survival integral and G1, far below the
/// rounding of any of them (and below 1e-16 of every level >= 1e-17 the quantile solvers meet). With many
/// components (a mixture spread over far more than its components' widths) this is what keeps one
/// evaluation from costing an erfc and an exp per component.
public struct MixtureCDF1D: Sendable {
    public let weights: [Double]
    public let means: [Double]
    public let stds: [Double]
    /// 1 / s_k: z_k = (x - mu_k) / s_k is formed as (x - mu_k) (1 / s_k) (within an ulp of the quotient).
    let inverseStds: [Double]
    /// The components in groups of `Lanes.scalarCount` for `evaluate` (padding: weight 0, mean 0, sd 1).
    let laneWeights: [Lanes], laneMeans: [Lanes], laneStds: [Lanes], laneInverseStds: [Lanes]
    /// pi_k mu_k in the same lanes (a group wholly on the counted side adds them to the partial mean).
    let laneWeightedMeans: [Lanes]
    /// Per group of `Lanes.scalarCount` consecutive components (padding excluded): a point x <= groupLowEnds[g]
    /// has every component of group g beyond the cut above it (z < -tailCut), a point x >= groupHighEnds[g]
    /// every one below it (z > tailCut). The ends are mu_k -+ (tailCut + 1e-6) s_k moved out by a further
    /// 2^-50 |mu_k|: more than the rounding of z = (x - mu_k) (1 / s_k) and of the ends themselves, so the
    /// test never claims a component the exact test would call near. Such a group adds exactly nothing to
    /// a sum that ignores the components on that side (`forEachComponent`, `evaluate`), and is passed by.
    let groupLowEnds: [Double], groupHighEnds: [Double]

    public init(weights: [Double], means: [Double], stds: [Double]) {
        self.init(weights: weights, means: means, stds: stds, skippingGroups: true)
    }

    /// With `skippingGroups` false no group is ever passed by (the ends are -+infinity): the
    /// straightforward sums, for the tests that compare the two bit for bit.
    init(weights: [Double], means: [Double], stds: [Double], skippingGroups: Bool) {
        self.weights = weights
        self.means = means
        self.stds = stds
        inverseStds = stds.map { 1 / $0 }
        func lanes(_ values: [Double], padding: Double) -> [Lanes] {
            stride(from: 0, to: values.count, by: Lanes.scalarCount).map { start in
                var v = Lanes(repeating: padding)
                for j in 0..<min(Lanes.scalarCount, values.count - start) { v[j] = values[start + j] }
                return v
            }
        }
        laneWeights = lanes(weights, padding: 0)
        laneMeans = lanes(means, padding: 0)
        laneStds = lanes(stds, padding: 1)
        laneInverseStds = lanes(inverseStds, padding: 1)
        laneWeightedMeans = zip(laneWeights, laneMeans).map { $0 * $1 }
        let reach = Self.tailCut + 1e-6
        groupLowEnds = stride(from: 0, to: means.count, by: Lanes.scalarCount).map { start in
            guard skippingGroups else { return -.infinity }
            return (start..<min(start + Lanes.scalarCount, means.count)).map { means[$0] - reach * stds[$0] - 0x1p-50 * abs(means[$0]) }.min()!
        }
        groupHighEnds = stride(from: 0, to: means.count, by: Lanes.scalarCount).map { start in
            guard skippingGroups else { return .infinity }
            return (start..<min(start + Lanes.scalarCount, means.count)).map { means[$0] + reach * stds[$0] + 0x1p-50 * abs(means[$0]) }.max()!
        }
    }

    /// Components farther than this many standard deviations from the point enter the sums by their limits.
    public static let tailCut = 12.0

    /// Calls `near(k, z)` for every component with |z| <= `tailCut`, `below(k)` for those entirely below x
    /// (z > tailCut: Phi = 1) and `above(k)` for those entirely above (z < -tailCut: Phi = 0), in component
    /// order. With `skipAbove` (the caller's `above` does nothing) a group of components all beyond the cut
    /// above x (`groupLowEnds`) is passed by without a call; likewise `skipBelow` and `groupHighEnds`.
    @inline(__always)
    private func forEachComponent(_ x: Double, skipAbove: Bool = false, skipBelow: Bool = false,
                                  near: (Int, Double) -> Void, below: (Int) -> Void, above: (Int) -> Void) {
        means.withUnsafeBufferPointer { mu in
            inverseStds.withUnsafeBufferPointer { inverse in
                for g in groupLowEnds.indices {
                    if (skipAbove && x <= groupLowEnds[g]) || (skipBelow && x >= groupHighEnds[g]) { continue }
                    for k in (g * Lanes.scalarCount)..<min(g * Lanes.scalarCount + Lanes.scalarCount, mu.count) {
                        let z = (x - mu[k]) * inverse[k]
                        if z > Self.tailCut { below(k) } else if z < -Self.tailCut { above(k) } else { near(k, z) }
                    }
                }
            }
        }
    }

    /// The projection of the active components of `mixture` onto the unit vector `direction`.
    public init(projecting mixture: GaussianMixture, onto direction: [Double]) {
        let d = mixture.dimension
        var means: [Double] = [], stds: [Double] = []
        for k in mixture.activeIndices {
            let c = mixture.components[k]
            means.append(zip(c.mean, direction).reduce(0) { $0 + $1.0 * $1.1 })
            var variance = 0.0
            for r in 0..<d { for col in 0..<d { variance += direction[r] * c.covariance[r * d + col] * direction[col] } }
            stds.append(variance.squareRoot())
        }
        self.init(weights: mixture.activeIndices.map { mixture.components[$0].weight }, means: means, stds: stds)
    }

    /// F(x) = sum_k pi_k Phi((x - mu_k) / s_k), with Phi(z) = erfc(-z / sqrt 2) / 2.
    public func cdf(_ x: Double) -> Double {
        var f = 0.0
        forEachComponent(x, skipAbove: true, near: { k, z in f += weights[k] * 0.5 * erfc(-z / 2.0.squareRoot()) },
                         below: { f += weights[$0] }, above: { _ in })
        return f
    }

    public func density(_ x: Double) -> Double {
        var p = 0.0
        forEachComponent(x, skipAbove: true, skipBelow: true,
                         near: { k, z in p += weights[k] * exp(-0.5 * z * z) / (stds[k] * (2 * Double.pi).squareRoot()) },
                         below: { _ in }, above: { _ in })
        return p
    }

    /// G(x) = integral of F from -infinity to x = sum_k pi_k ((x - mu_k) Phi(z_k) + s_k phi(z_k)).
    public func integratedCDF(_ x: Double) -> Double {
        var g = 0.0
        forEachComponent(x, skipAbove: true, near: { k, z in
            let phi = exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
            g += weights[k] * ((x - means[k]) * 0.5 * erfc(-z / 2.0.squareRoot()) + stds[k] * phi)
        }, below: { g += weights[$0] * (x - means[$0]) }, above: { _ in })
        return g
    }

    /// The integral of 1 - F from x to infinity = sum_k pi_k (s_k phi(z_k) - (x - mu_k) (1 - Phi(z_k))).
    public func integratedSurvival(_ x: Double) -> Double {
        var g = 0.0
        forEachComponent(x, skipBelow: true, near: { k, z in
            let phi = exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
            g += weights[k] * (stds[k] * phi - (x - means[k]) * 0.5 * erfc(z / 2.0.squareRoot()))
        }, below: { _ in }, above: { g += weights[$0] * (means[$0] - x) })
        return g
    }

    /// The mean sum_k pi_k mu_k and variance sum_k pi_k (s_k^2 + (mu_k - mean)^2) (no cancellation).
    public var mean: Double { zip(weights, means).reduce(0) { $0 + $1.0 * $1.1 } }

    public var variance: Double {
        let m = mean
        return weights.indices.reduce(0) { $0 + weights[$1] * (stds[$1] * stds[$1] + (means[$1] - m) * (means[$1] - m)) }
    }

    /// The mixture moved by -shift (means minus shift): W1 and W2 are translation invariant, and centring
    /// at the mean keeps the moments in `Wasserstein.exactSquaredW2` small.
    func shifted(by shift: Double) -> MixtureCDF1D {
        MixtureCDF1D(weights: weights, means: means.map { $0 - shift }, stds: stds)
    }

    /// The partial mean G1(x) = integral_{-infinity}^x y p(y) dy = sum_k pi_k (mu_k Phi(z_k) - s_k phi(z_k)),
    /// with Phi from erfc (accurate in the left tail, where both terms are tiny).
    public func partialMean(_ x: Double) -> Double {
        var g = 0.0
        forEachComponent(x, skipAbove: true, near: { k, z in
            let phi = exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
            g += weights[k] * (means[k] * 0.5 * erfc(-z / 2.0.squareRoot()) - stds[k] * phi)
        }, below: { g += weights[$0] * means[$0] }, above: { _ in })
        return g
    }

    /// The quantiles Q(u_j) for increasing levels u_j in (0, 1), each given with its complement 1 - u_j
    /// (so that levels near 1 keep their precision). See `walkQuantiles` for the method and accuracy.
    public func quantiles(levels: [Double], complements: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: levels.count)
        walkQuantiles(levels: ListedLevels(levels: levels, complements: complements), ranges: [levels.indices]) { _, j, q, _ in out[j] = q }
        return out
    }

    /// One pass over the components at x: the tail F(x) (lower) or 1 - F(x) (upper) from erfc, the density
    /// p(x), its derivative p'(x), and the partial mean G1(x) = integral_{-infinity}^x y p(y) dy formed from
    /// the same tail (lower: sum_k pi_k (mu_k Phi(z_k) - s_k phi(z_k)); upper: mean - sum_k pi_k (mu_k
    /// (1 - Phi(z_k)) + s_k phi(z_k)), so that neither form subtracts nearly equal numbers in its half).
    struct Evaluation {
        var tail: Double
        var density: Double
        var slope: Double
        var partialMean: Double
    }

    /// `Evaluation` at x: the components in lane groups (`laneWeights` ...), erfc by `erfcLanes` and exp by
    /// `expNonPositiveUnchecked` (relative errors below 1e-15 and 2.2e-16), the lanes summed at the end.
    /// A component beyond the cut enters by its limit (t = 1 on the side the tail counts, else 0; phi = 0).
    /// A lane group whose components are all beyond the cut skips erfc and exp: its terms then add
    /// exactly +0 to p (never -0: p only grows from +0) and subtract +0 from the slope, so the group adds
    /// only its tail and partial-mean terms, formed by the same operations (the same result, bit for bit).
    /// A group whose components all lie beyond the cut on the side the tail does not count (above x for
    /// the lower tail, `groupLowEnds`; below for the upper, `groupHighEnds`) would add exactly +0 to the
    /// tail, density and partial mean and subtract +0 from the slope (t = 0, phi = 0; none of the sums
    /// is ever -0, as each starts at +0 and a rounded sum or difference is -0 only from two -0 operands),
    /// so it is passed by. A group wholly beyond the cut on the counted side (t = 1 in every lane) adds
    /// w to the tail and w mu to the partial mean (w (mu 1 -+ 0) = w mu, up to the sign of a zero, which
    /// no sum sees), nothing to p and the slope, and takes that shorter path.
    func evaluate(_ x: Double, lower: Bool) -> Evaluation {
        var tail = Lanes(repeating: 0), p = Lanes(repeating: 0), slope = Lanes(repeating: 0), partial = Lanes(repeating: 0)
        let cut = Lanes(repeating: Self.tailCut), inverseRootTwo = Lanes(repeating: 0.5.squareRoot())
        let inverseRootTwoPi = Lanes(repeating: 1 / (2 * Double.pi).squareRoot()), one = Lanes(repeating: 1), zero = Lanes(repeating: 0)
        for g in laneWeights.indices {
            if lower ? x <= groupLowEnds[g] : x >= groupHighEnds[g] { continue }
            if lower ? x >= groupHighEnds[g] : x <= groupLowEnds[g] {
                tail += laneWeights[g]
                partial += laneWeightedMeans[g]
                continue
            }
            let w = laneWeights[g], mu = laneMeans[g], s = laneStds[g]
            let z: Lanes = (x - mu) * laneInverseStds[g]
            // z > cut: the component lies below x; z < -cut: above; the others are near.
            let belowX = signMask(cut - z), aboveX = signMask(z + cut), far = belowX | aboveX
            if far == LaneBits(repeating: .max) {
                // phi = 0 and t = 1 or 0 in every lane: s phi = +0, the same terms as below.
                let t = select(lower ? belowX : aboveX, one, zero)
                tail += w * t
                let meanPart: Lanes = mu * t
                partial += w * (lower ? meanPart - zero : meanPart + zero)
                continue
            }
            let zc = select(far, zero, z)
            let phi: Lanes = select(far, zero, expNonPositiveUnchecked(-0.5 * zc * zc) * inverseRootTwoPi)
            let argument: Lanes = (lower ? -zc : zc) * inverseRootTwo
            let half: Lanes = 0.5 * erfcLanes(argument)
            let t = select(lower ? belowX : aboveX, one, select(far, zero, half))
            let weightedPhi: Lanes = w * phi
            tail += w * t
            p += weightedPhi / s
            slope -= weightedPhi * zc / (s * s)
            let meanPart: Lanes = mu * t, spreadPart: Lanes = s * phi
            partial += w * (lower ? meanPart - spreadPart : meanPart + spreadPart)
        }
        return Evaluation(tail: tail.sum(), density: p.sum(), slope: slope.sum(),
                          partialMean: lower ? partial.sum() : mean - partial.sum())
    }

    /// `Evaluation` at eight points at once (lane l at x[l], the lower tail where `lower` is set), for
    /// mixtures with fewer components than lanes: the points in lanes, the components one after another
    /// (each term as in `evaluate`, summed in component order; with up to two components the sums are
    /// those of `evaluate`, bit for bit). With more components, `evaluate` per point (the components fill
    /// the lanes there).
    func evaluate(_ x: Lanes, lower: LaneBits) -> (tail: Lanes, density: Lanes, slope: Lanes, partialMean: Lanes) {
        guard weights.count < Lanes.scalarCount else {
            var tail = Lanes(repeating: 0), p = tail, slope = tail, partial = tail
            for l in 0..<Lanes.scalarCount {
                let e = evaluate(x[l], lower: lower[l] != 0)
                tail[l] = e.tail; p[l] = e.density; slope[l] = e.slope; partial[l] = e.partialMean
            }
            return (tail, p, slope, partial)
        }
        var tail = Lanes(repeating: 0), p = Lanes(repeating: 0), slope = Lanes(repeating: 0), partial = Lanes(repeating: 0)
        let cut = Lanes(repeating: Self.tailCut), inverseRootTwo = Lanes(repeating: 0.5.squareRoot())
        let inverseRootTwoPi = Lanes(repeating: 1 / (2 * Double.pi).squareRoot()), one = Lanes(repeating: 1), zero = Lanes(repeating: 0)
        for k in weights.indices {
            let w = weights[k], mu = means[k], s = stds[k]
            let z: Lanes = (x - mu) * inverseStds[k]
            let belowX = signMask(cut - z), aboveX = signMask(z + cut), far = belowX | aboveX
            let zc = select(far, zero, z)
            let phi: Lanes = select(far, zero, expNonPositiveUnchecked(-0.5 * zc * zc) * inverseRootTwoPi)
            let argument: Lanes = select(lower, -zc, zc) * inverseRootTwo
            let half: Lanes = 0.5 * erfcLanes(argument)
            let t = select((lower & belowX) | (~lower & aboveX), one, select(far, zero, half))
            let weightedPhi: Lanes = w * phi
            tail += w * t
            p += weightedPhi / s
            slope -= weightedPhi * zc / (s * s)
            let meanPart: Lanes = mu * t, spreadPart: Lanes = s * phi
            partial += w * select(lower, meanPart - spreadPart, meanPart + spreadPart)
        }
        return (tail, p, slope, select(lower, partial, mean - partial))
    }

    /// Newton steps of the continuation (each one pass over the components) before the safeguarded solver.
    static let continuationSteps = 3

    /// Walks the quantiles q_j = Q(u_j) (levels increasing, complements 1 - u_j) of up to
    /// `Lanes.scalarCount` independent `ranges` side by side, range r in lane r of one vectorised
    /// evaluation, and calls `body(r, j, q_j, G1(q_j))` in increasing j within each range (the ranges
    /// interleaved). F(q) = u is solved where u <= 1/2 and 1 - F(q) = 1 - u beyond (1 - F from erfc,
    /// precise in the right tail).
    ///
    /// Each range is walked on its own, as if alone. Continuation: from the previous quantile q with
    /// density p and slope p', the next is predicted to
    /// second order, q + du / p - p' du^2 / (2 p^3) (Q' = 1 / p, Q'' = -p' / p^3), and one evaluation there
    /// gives a Newton step delta = -(F - u) / p. The step is accepted when Newton's quadratic error term
    /// |p'| delta^2 / p (twice the usual |p'| delta^2 / (2 p), as a safety margin) is at most
    /// 1e-15 max(1, |q|) and |delta| <= 1e-4 min_k s_k (so p' barely changes over the step), and otherwise
    /// repeated from x + delta up to `continuationSteps` evaluations in all (components narrow against the
    /// quantile spacing need a second step); G1 at the
    /// accepted point follows from the evaluation by its Taylor expansion G1 + x p delta + (p + x p')
    /// delta^2 / 2 (G1' = x p), whose remainder is below the same tolerance. In the bulk of the distribution
    /// this costs one pass over the components per quantile. When no step is accepted (the first quantile
    /// of each range, the far tails) safeguarded Newton takes over, started
    /// from the continuation's corrected point when that lies inside the bracket: bracketed below by the
    /// previous quantile (or min_k(mu_k - 40 s_k)) and above by max_k(mu_k + 40 s_k), bisection whenever a step leaves the bracket,
    /// converged when the step or the bracket is below 1e-15 max(1, |q|); G1 is then evaluated at the
    /// result. Either way the residual in u is at rounding level (about 1e-16, or 1e-16 relative to
    /// min(u, 1 - u) in the tails). A range's quantiles depend only on its own first index, not on the
    /// other ranges or on threads.
    func walkQuantiles<Levels: AtomLevels>(levels: Levels, ranges: [Range<Int>], _ body: (Int, Int, Double, Double) -> Void) {
        withoutActuallyEscaping(body) { body in
            var visitor = QuantileClosureVisitor(body: body)
            walkQuantiles(levels: levels, ranges: ranges, visitor: &visitor)
        }
    }

    /// `walkQuantiles` reporting to `visitor` (the levels the lanes solve together in one call of
    /// `visitLanes`).
    func walkQuantiles<Levels: AtomLevels, Visitor: QuantileVisitor>(levels: Levels, ranges: [Range<Int>], visitor: inout Visitor) {
        var walk = QuantileLaneWalk(mixture: self, levels: levels, ranges: ranges)
        var live = SIMDMask<SIMD8<Int64>>(repeating: false)
        for l in 0..<walk.laneCount { live[l] = walk.prepare(l, &visitor) }
        while any(live) {
            let e = evaluate(walk.points, lower: walk.fromBelow)
            // The common case, all live lanes accepting and continuing, in lane arithmetic; else lane by lane.
            if walk.acceptAll(live: live, tail: e.tail, density: e.density, slope: e.slope, partialMean: e.partialMean, &visitor) {
                if walk.predictAll(live: live) { continue }
                for l in 0..<walk.laneCount where live[l] { live[l] = walk.prepare(l, &visitor) }
                continue
            }
            for l in 0..<walk.laneCount where live[l] {
                live[l] = walk.advance(l, tail: e.tail[l], density: e.density[l], slope: e.slope[l], partialMean: e.partialMean[l], &visitor)
            }
        }
    }

    /// Safeguarded Newton for F(q) = u (or 1 - F(q) = complement above the median) in (lower, upper).
    fileprivate func solveQuantile(_ u: Double, complement: Double, fromBelow: Bool, lower: Double, upper: Double, start: Double) -> Double {
        var lo = lower, hi = upper
        var x = start
        if !(x > lo && x < hi) { x = 0.5 * (lo + hi) }
        for _ in 0..<200 {
            // g(x) = F(x) - u (or (1 - u) - (1 - F(x)) above the median): increasing, zero at the quantile.
            let (tail, p) = tailAndDensity(x, lower: fromBelow)
            let value = fromBelow ? tail - u : complement - tail
            if value < 0 { lo = x } else if value > 0 { hi = x } else { break }
            var next = p > 0 ? x - value / p : 0.5 * (lo + hi)
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            let tolerance = 1e-15 * max(1, abs(x))
            if abs(next - x) <= tolerance || hi - lo <= tolerance { x = next; break }
            x = next
        }
        return x
    }

    /// F(x) (lower) or 1 - F(x) (upper) with the density p(x), in one pass over the components.
    private func tailAndDensity(_ x: Double, lower: Bool) -> (Double, Double) {
        var tail = 0.0, p = 0.0
        let root2 = 2.0.squareRoot(), rootTwoPi = (2 * Double.pi).squareRoot()
        forEachComponent(x, skipAbove: lower, skipBelow: !lower, near: { k, z in
            tail += weights[k] * 0.5 * erfc((lower ? -z : z) / root2)
            p += weights[k] * exp(-0.5 * z * z) / (stds[k] * rootTwoPi)
        }, below: { if lower { tail += weights[$0] } }, above: { if !lower { tail += weights[$0] } })
        return (tail, p)
    }

    /// F(x) and G(x) = integral of F up to x (as `cdf` and `integratedCDF`), sharing one erfc and one exp
    /// per component.
    func cdfAndIntegral(_ x: Double) -> (cdf: Double, integral: Double) {
        var f = 0.0, g = 0.0
        let root2 = 2.0.squareRoot(), rootTwoPi = (2 * Double.pi).squareRoot()
        forEachComponent(x, skipAbove: true, near: { k, z in
            let phi = exp(-0.5 * z * z) / rootTwoPi
            let cdf = 0.5 * erfc(-z / root2)
            f += weights[k] * cdf
            g += weights[k] * ((x - means[k]) * cdf + stds[k] * phi)
        }, below: { f += weights[$0]; g += weights[$0] * (x - means[$0]) }, above: { _ in })
        return (f, g)
    }

    /// The x in [a, b] with F(x) = level, given F(a) < level < F(b): safeguarded Newton (bisection
    /// whenever a Newton step leaves the bracket), to 1e-15 relative width.
    func solve(level: Double, in a: Double, _ b: Double) -> Double {
        var lo = a, hi = b
        var x = 0.5 * (a + b)
        for _ in 0..<100 {
            // F and p in one pass (the sums of `cdf` and `density`, term for term).
            let (tail, p) = tailAndDensity(x, lower: true)
            let f = tail - level
            if f < 0 { lo = x } else { hi = x }
            var candidate = p > 0 ? x - f / p : 0.5 * (lo + hi)
            if !(candidate > lo && candidate < hi) { candidate = 0.5 * (lo + hi) }
            if abs(candidate - x) <= 1e-15 * max(1, abs(x)) || hi - lo <= 1e-15 * max(1, abs(x)) { return candidate }
            x = candidate
        }
        return x
    }
}

/// The state of up to `Lanes.scalarCount` quantile walks of `MixtureCDF1D.walkQuantiles`, walk l in lane l:
/// its next level, the bracket's lower end, the previous quantile with its density and slope, the point
/// evaluated next (with its side), the evaluations spent on the current level and the solver's start.
private struct QuantileLaneWalk<Levels: AtomLevels> {
    let mixture: MixtureCDF1D
    let levels: Levels
    let upper: Double, stepLimit: Double
    let laneCount: Int
    var next = SIMD8<Int64>(repeating: 0), end = SIMD8<Int64>(repeating: 0), steps = SIMD8<Int64>(repeating: 0)
    var hasPrevious = SIMD8<Int64>(repeating: 0)
    var lower: Lanes, start = Lanes(repeating: 0), points = Lanes(repeating: 0), fromBelow = LaneBits(repeating: 0)
    var previousQ = Lanes(repeating: 0), previousU = Lanes(repeating: 0), previousComplement = Lanes(repeating: 0)
    var previousDensity = Lanes(repeating: 0), previousSlope = Lanes(repeating: 0)

    init(mixture: MixtureCDF1D, levels: Levels, ranges: [Range<Int>]) {
        self.mixture = mixture
        self.levels = levels
        let floor = mixture.means.indices.map { mixture.means[$0] - 40 * mixture.stds[$0] }.min() ?? 0
        upper = mixture.means.indices.map { mixture.means[$0] + 40 * mixture.stds[$0] }.max() ?? 0
        stepLimit = 1e-4 * (mixture.stds.min() ?? 0)
        laneCount = min(ranges.count, Lanes.scalarCount)
        lower = Lanes(repeating: floor)
        for l in 0..<laneCount { next[l] = Int64(ranges[l].lowerBound); end[l] = Int64(ranges[l].upperBound) }
    }

    /// Reports level next[l] of lane l at q and records it as the lane's previous quantile.
    mutating func accept<Visitor: QuantileVisitor>(_ l: Int, _ q: Double, _ g1: Double, density: Double, slope: Double,
                                                   _ visitor: inout Visitor) {
        let j = Int(next[l])
        visitor.visit(l, j, q, g1)
        hasPrevious[l] = 1
        previousQ[l] = q; previousU[l] = levels.level(j); previousComplement[l] = levels.complement(j)
        previousDensity[l] = density; previousSlope[l] = slope
        lower[l] = q
        next[l] = Int64(j + 1)
    }

    /// Solves level next[l] by safeguarded Newton from start[l] and reports it.
    mutating func fallBack<Visitor: QuantileVisitor>(_ l: Int, _ visitor: inout Visitor) {
        let j = Int(next[l]), below = levels.level(j) <= 0.5
        let q = mixture.solveQuantile(levels.level(j), complement: levels.complement(j), fromBelow: below, lower: lower[l], upper: upper, start: start[l])
        let e = mixture.evaluate(q, lower: below)
        accept(l, q, e.partialMean, density: e.density, slope: e.slope, &visitor)
    }

    /// Moves lane l to its next level whose continuation needs an evaluation (solving the others on the
    /// way); false when its range is done.
    mutating func prepare<Visitor: QuantileVisitor>(_ l: Int, _ visitor: inout Visitor) -> Bool {
        while next[l] < end[l] {
            let j = Int(next[l]), u = levels.level(j), complement = levels.complement(j), below = u <= 0.5
            start[l] = hasPrevious[l] != 0 ? previousQ[l] : 0.5 * (lower[l] + upper)
            let p = previousDensity[l]
            if hasPrevious[l] != 0 && p > 0 {
                let du = below ? u - previousU[l] : previousComplement[l] - complement
                let x = previousQ[l] + du / p - previousSlope[l] * du * du / (2 * p * p * p)
                if x > lower[l] && x < upper {
                    points[l] = x; fromBelow[l] = below ? ~0 : 0; steps[l] = 0
                    return true
                }
            }
            fallBack(l, &visitor)
        }
        return false
    }

    /// The levels next[l] (clamped to the last level for finished lanes) and their complements.
    func currentLevels() -> (Lanes, Lanes) { levels.lanes(next) }

    /// `advance` for every live lane at once when each of them accepts its Newton step at once (the same
    /// operations, lane by lane, as `advance`); false, with nothing changed, otherwise.
    mutating func acceptAll<Visitor: QuantileVisitor>(live: SIMDMask<SIMD8<Int64>>, tail: Lanes, density: Lanes, slope: Lanes, partialMean: Lanes,
                                                   _ visitor: inout Visitor) -> Bool {
        let (u, c) = currentLevels()
        let below = SIMDMask<SIMD8<Int64>>(SIMD8<Int64>(truncatingIfNeeded: fromBelow))
        let x = points
        let value = (tail - u).replacing(with: c - tail, where: .!below)
        let delta = -value / density
        let q = x + delta
        let magnitudeOfSlope = slope.replacing(with: -slope, where: slope .< 0)
        let magnitudeOfDelta = delta.replacing(with: -delta, where: delta .< 0)
        let magnitudeOfQ = q.replacing(with: -q, where: q .< 0)
        let accepted = (density .> 0) .& (q .> lower) .& (q .< Lanes(repeating: upper)) .& (magnitudeOfDelta .<= Lanes(repeating: stepLimit))
            .& (magnitudeOfSlope * delta * delta / density .<= 1e-15 * magnitudeOfQ.replacing(with: 1, where: magnitudeOfQ .< 1))
        guard all(accepted .| .!live) else { return false }
        let g1 = partialMean + x * density * delta + (density + x * slope) * delta * delta / 2
        visitor.visitLanes(live, next, q, g1)
        previousQ.replace(with: q, where: live); previousU.replace(with: u, where: live)
        previousComplement.replace(with: c, where: live); previousDensity.replace(with: density + slope * delta, where: live)
        previousSlope.replace(with: slope, where: live); lower.replace(with: q, where: live)
        hasPrevious.replace(with: 1, where: live); next.replace(with: next &+ 1, where: live)
        return true
    }

    /// `prepare` for every live lane at once when each has a next level with a prediction inside its
    /// bracket (the same operations, lane by lane, as `prepare`); false, with nothing changed, otherwise.
    mutating func predictAll(live: SIMDMask<SIMD8<Int64>>) -> Bool {
        guard all((next .< end) .| .!live) else { return false }
        let (u, c) = currentLevels()
        let below = u .<= 0.5
        let du = (u - previousU).replacing(with: previousComplement - c, where: .!below)
        let p = previousDensity
        let x = previousQ + du / p - previousSlope * du * du / (2 * p * p * p)
        guard all(((p .> 0) .& (x .> lower) .& (x .< Lanes(repeating: upper))) .| .!live) else { return false }
        points.replace(with: x, where: live)
        fromBelow = LaneBits(truncatingIfNeeded: SIMD8<Int64>(repeating: 0).replacing(with: -1, where: below))
        steps.replace(with: 0, where: live)
        return true
    }

    /// Takes the evaluation at points[l]: accepts the Newton step, or moves the point there, or falls
    /// back to the solver; false when lane l's range is done.
    mutating func advance<Visitor: QuantileVisitor>(_ l: Int, tail: Double, density: Double, slope: Double, partialMean: Double,
                                                    _ visitor: inout Visitor) -> Bool {
        let j = Int(next[l]), x = points[l]
        let value = fromBelow[l] != 0 ? tail - levels.level(j) : levels.complement(j) - tail
        start[l] = x
        steps[l] += 1
        if density > 0 {
            let delta = -value / density
            let q = x + delta
            if q > lower[l] && q < upper {
                start[l] = q
                if abs(delta) <= stepLimit && abs(slope) * delta * delta / density <= 1e-15 * max(1, abs(q)) {
                    let g1 = partialMean + x * density * delta + (density + x * slope) * delta * delta / 2
                    accept(l, q, g1, density: density + slope * delta, slope: slope, &visitor)
                    return prepare(l, &visitor)
                }
                if steps[l] < Int64(MixtureCDF1D.continuationSteps) {
                    points[l] = q
                    return true
                }
            }
        }
        fallBack(l, &visitor)
        return prepare(l, &visitor)
    }
}

/// What `MixtureCDF1D.walkQuantiles` reports: level j of range r solved at the quantile q with G1(q).
protocol QuantileVisitor {
    mutating func visit(_ r: Int, _ j: Int, _ q: Double, _ g1: Double)
    /// The levels j[l] of the `live` lanes l (range l), solved together; by default `visit` lane by lane.
    mutating func visitLanes(_ live: SIMDMask<SIMD8<Int64>>, _ j: SIMD8<Int64>, _ q: Lanes, _ g1: Lanes)
}

extension QuantileVisitor {
    mutating func visitLanes(_ live: SIMDMask<SIMD8<Int64>>, _ j: SIMD8<Int64>, _ q: Lanes, _ g1: Lanes) {
        for l in 0..<Lanes.scalarCount where live[l] { visit(l, Int(j[l]), q[l], g1[l]) }
    }
}

/// A closure `body(r, j, q, G1)` as a `QuantileVisitor`.
private struct QuantileClosureVisitor: QuantileVisitor {
    let body: (Int, Int, Double, Double) -> Void
    func visit(_ r: Int, _ j: Int, _ q: Double, _ g1: Double) { body(r, j, q, g1) }
}
