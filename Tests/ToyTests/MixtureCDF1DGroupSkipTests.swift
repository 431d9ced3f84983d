import Foundation
import Testing
import TestSupport
@testable import Toy

/// `MixtureCDF1D` passes by groups of eight consecutive components that lie beyond the tail cut on the
/// side a sum ignores (`groupLowEnds` / `groupHighEnds`), and `evaluate` adds the groups wholly on the
/// counted side by a shorter path. Every sum must be bit for bit that of the same mixture without either
/// (`skippingGroups: false`).
@Suite struct MixtureCDF1DGroupSkipTests {
    /// Mixtures of 9 to 120 components in clusters listed one after another (so that groups are compact
    /// and lie far from many points), standard deviations from 1e-3 to 2 (some groups mixing widths),
    /// weights down to 1e-300, means spread over up to 1e4; points near the components, between them and
    /// in the far tails. Compared bit for bit: F, p, G, the survival integral, G1, `cdfAndIntegral`,
    /// `evaluate` for both tails, `solve` for a level between two points, and 16 quantiles.
    @Test func skippingGroupsChangesNoNumberBitForBit() {
        var skipped = 0
        let failures = Property.check("MixtureCDF1D with group skipping = without") { rng in
            let k = Draw.integer(9...120, &rng), clusterSize = Draw.integer(1...20, &rng)
            let range = Draw.logUniform(1, 1e4, &rng), spread = Draw.logUniform(1e-3, 1, &rng) * range / 10
            var centre = 0.0
            var weights: [Double] = [], means: [Double] = [], stds: [Double] = []
            for c in 0..<k {
                if c % clusterSize == 0 { centre = Draw.uniform(-range, range, &rng) }
                weights.append(Draw.element([1e-300, Draw.uniform(0.05, 1, &rng)], &rng))
                means.append(centre + Draw.uniform(-spread, spread, &rng))
                stds.append(Draw.logUniform(1e-3, 2, &rng))
            }
            let total = weights.reduce(0, +)
            weights = weights.map { $0 / total }
            let fast = MixtureCDF1D(weights: weights, means: means, stds: stds)
            let full = MixtureCDF1D(weights: weights, means: means, stds: stds, skippingGroups: false)
            func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern }
            let points = (0..<12).map { _ -> Double in
                let k = Draw.integer(0...(means.count - 1), &rng)
                switch Draw.integer(0...2, &rng) {
                case 0: return means[k] + stds[k] * Draw.uniform(-14, 14, &rng)
                case 1: return Draw.uniform(-1.2 * range, 1.2 * range, &rng)
                default: return Draw.logUniform(1, 1e6, &rng) * range * (Draw.bool(&rng) ? 1 : -1)
                }
            }
            for x in points {
                skipped += fast.groupLowEnds.filter { x <= $0 }.count + fast.groupHighEnds.filter { x >= $0 }.count
                let checks: [(String, Double, Double)] = [
                    ("F", fast.cdf(x), full.cdf(x)), ("p", fast.density(x), full.density(x)),
                    ("G", fast.integratedCDF(x), full.integratedCDF(x)),
                    ("survival integral", fast.integratedSurvival(x), full.integratedSurvival(x)),
                    ("G1", fast.partialMean(x), full.partialMean(x)),
                    ("cdfAndIntegral F", fast.cdfAndIntegral(x).cdf, full.cdfAndIntegral(x).cdf),
                    ("cdfAndIntegral G", fast.cdfAndIntegral(x).integral, full.cdfAndIntegral(x).integral),
                ]
                for (name, a, b) in checks where !same(a, b) { return "\(name) at \(x): \(a) with skipping, \(b) without" }
                for lower in [true, false] {
                    let a = fast.evaluate(x, lower: lower), b = full.evaluate(x, lower: lower)
                    if !(same(a.tail, b.tail) && same(a.density, b.density) && same(a.slope, b.slope) && same(a.partialMean, b.partialMean)) {
                        return "evaluate at \(x), lower \(lower): \(a) with skipping, \(b) without"
                    }
                }
            }
            let (a, b) = (points.min()!, points.max()!)
            let level = Draw.uniform(0, 1, &rng)
            if full.cdf(a) < level && level < full.cdf(b) && !same(fast.solve(level: level, in: a, b), full.solve(level: level, in: a, b)) {
                return "solve for \(level) in (\(a), \(b)) differs"
            }
            let levels = (1...16).map { Double($0) / 17 }
            let q = fast.quantiles(levels: levels, complements: levels.map { 1 - $0 })
            let r = full.quantiles(levels: levels, complements: levels.map { 1 - $0 })
            for j in levels.indices where !same(q[j], r[j]) { return "quantile \(levels[j]): \(q[j]) with skipping, \(r[j]) without" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(skipped > 1000, "only \(skipped) groups were skippable: the test would not see a wrong end")
    }
}
