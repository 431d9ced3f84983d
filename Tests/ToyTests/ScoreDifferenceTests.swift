import Foundation
import Testing
import TestSupport
@testable import Toy

/// The cancellation-free score differences behind Delta1, Delta2 and Delta1 - Delta2.
@Suite struct ScoreDifferenceTests {
    /// The logistic function 1 / (1 + e^-a), finite for every a.
    static func logistic(_ a: Double) -> Double { 1 / (1 + exp(-a)) }

    /// sigma(a) - sigma(b) = sigma(a) sigma(-b) (-expm1(b - a)): no cancellation.
    static func logisticDifference(_ a: Double, _ b: Double) -> Double {
        logistic(a) * logistic(-b) * -expm1(b - a)
    }

    static func relativeGap(_ u: [Double], _ v: [Double]) -> Double {
        let gap = zip(u, v).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        let size = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return gap / size
    }

    /// 1D preset (weights only differ): with a_M = log(pi_L / pi_R) - 8x / v the log-odds of the left mode
    /// in model M, Delta1 = (sigma(a_s) - sigma(a_w)) (m_L - m_R), Delta2 = (sigma(a_i) - sigma(a_s)) (m_L - m_R),
    /// Delta1 - Delta2 = (Delta1 coefficient - Delta2 coefficient) (m_L - m_R) with m_L - m_R = -8 / v.
    /// At sigma = 0.01 the naive subtraction loses every digit at x = +-4 + 0.3; the new one matches to 1e-10.
    @Test func oneDimensionalPresetMatchesTheSigmoidClosedForm() throws {
        let models = Presets.oneDimensional()
        for sigma in [0.01, 0.3, 2.0] {
            let v = 0.64 + sigma * sigma
            for x in [-4.0, 4, 0, -4.3, 3.7, 1.1] {
                func logOdds(_ left: Double) -> Double { log(left / (1 - left)) - 8 * x / v }
                let (ai, as_, aw) = (logOdds(0.5), logOdds(0.3), logOdds(0.1))
                let spread = -8 / v
                let c1 = Self.logisticDifference(as_, aw), c2 = Self.logisticDifference(ai, as_)
                let (d1, d2) = DeltaAlignment.deltas(models, at: [x], sigma: sigma)
                #expect(abs(d1[0] - c1 * spread) <= 1e-10 * abs(c1 * spread), "sigma \(sigma), x \(x): Delta1 \(d1[0]) vs \(c1 * spread)")
                #expect(abs(d2[0] - c2 * spread) <= 1e-10 * abs(c2 * spread), "sigma \(sigma), x \(x): Delta2 \(d2[0]) vs \(c2 * spread)")
                // The gap's coefficient, itself a difference, from the three sigmoids at the same point:
                // sigma(a_s) - sigma(a_w) - (sigma(a_i) - sigma(a_s)); checked to 1e-9 of the larger coefficient.
                let gap = DeltaAlignment.gap(models, at: [x], sigma: sigma)
                #expect(abs(gap[0] - (c1 - c2) * spread) <= 1e-9 * max(abs(c1), abs(c2)) * abs(spread), "sigma \(sigma), x \(x): gap")
            }
        }
    }

    /// 2D preset: all three models weight components 0, 1, 3 equally among themselves, so with
    /// rho_k = e^(l_k) / sum_{j != 2} e^(l_j) and a_M = log(pi_2 / (1 - pi_2)) + l_2 - log(mean_{j != 2} e^(l_j)),
    /// s_M = sigma(a_M) m_2 + (1 - sigma(a_M)) sum_{k != 2} rho_k m_k, hence
    /// Delta1 = sigma(a_s) (m_2 - mbar) (the weak model lacks component 2) and
    /// Delta2 = (sigma(a_i) - sigma(a_s)) (m_2 - mbar), mbar = sum rho_k m_k, m_2 - m_k = (mu_2 - mu_k) / v.
    @Test func twoDimensionalPresetMatchesTheClosedFormAtTheModeCentres() throws {
        let models = Presets.twoDimensional()
        let means = [[-4.0, 4], [4, 4], [-4, -4], [4, -4]]
        for sigma in [0.01, 0.5] {
            let v = 0.64 + sigma * sigma
            for x in means {
                let l = means.map { mu in -((x[0] - mu[0]) * (x[0] - mu[0]) + (x[1] - mu[1]) * (x[1] - mu[1])) / (2 * v) }
                let others = [0, 1, 3]
                let top = others.map { l[$0] }.max()!
                let sum = others.reduce(0.0) { $0 + exp(l[$1] - top) }
                let rho = others.map { exp(l[$0] - top) / sum }
                let logMeanOthers = top + log(sum / 3)
                func logOdds(_ weight: Double) -> Double { log(weight / (1 - weight)) + l[2] - logMeanOthers }
                let spread = (0..<2).map { j in zip(others, rho).reduce(0.0) { $0 + $1.1 * (means[2][j] - means[$1.0][j]) / v } }
                let c1 = Self.logistic(logOdds(0.1)), c2 = Self.logisticDifference(logOdds(0.25), logOdds(0.1))
                let (d1, d2) = DeltaAlignment.deltas(models, at: x, sigma: sigma)
                #expect(Self.relativeGap(d1, spread.map { c1 * $0 }) <= 1e-10, "sigma \(sigma), x \(x): Delta1 \(d1)")
                #expect(Self.relativeGap(d2, spread.map { c2 * $0 }) <= 1e-10, "sigma \(sigma), x \(x): Delta2 \(d2)")
            }
        }
    }

    /// On random mixtures (d = 1, 2, 3, any covariances, shared and unshared components, zero weights),
    /// the difference equals the naive s_a - s_b wherever the naive one is well conditioned
    /// (|s_a - s_b| > 1e-6 |s_a|): within 1e-8 |s_a - s_b| + 1e-12 (|s_a| + |s_b|); and the gap
    /// 2 s_c - s_a - s_b equals the naive one under the same condition.
    @Test func differencesEqualTheNaiveOnesWhereThoseAreWellConditioned() throws {
        var compared = 0
        let failures = try Property.check("score difference = naive difference") { rng -> String? in
            let d = Draw.integer(1...3, &rng)
            let base = Draw.mixtureCase(dimensions: d...d, maxComponents: 5, maxCondition: 1e3, smallestWeight: 1e-3, &rng)
            // Three models: reweightings of the base components, sometimes with one component replaced.
            func variant(_ rng: inout Xoshiro256StarStar) -> MixtureCase {
                var c = base
                c.weights = c.weights.map { _ in Draw.bool(&rng, probability: 0.15) ? 0 : Draw.uniform(0.05, 1, &rng) }
                if c.weights.allSatisfy({ $0 == 0 }) { c.weights[0] = 1 }
                if Draw.bool(&rng, probability: 0.3) {
                    let k = Draw.integer(0...(c.weights.count - 1), &rng)
                    c.means[k] = (0..<d).map { _ in Draw.uniform(-5, 5, &rng) }
                }
                return c
            }
            let cases = [variant(&rng), variant(&rng), variant(&rng)]
            let mixtures = try cases.map { try $0.mixture() }
            let x = Draw.point(near: cases[0], far: false, &rng)
            let sigma = Draw.logUniform(1e-3, 10, &rng)
            let union = try ScoreDifference(mixtures, sigma: sigma)
            let s = mixtures.map { $0.score(at: x, sigma: sigma) }
            func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
            let naive = (0..<d).map { s[0][$0] - s[1][$0] }
            let exact = union.difference(0, minus: 1, at: x)
            if norm(naive) > 1e-6 * norm(s[0]) {
                compared += 1
                let error = norm((0..<d).map { exact[$0] - naive[$0] })
                guard error <= 1e-8 * norm(naive) + 1e-12 * (norm(s[0]) + norm(s[1])) else {
                    return "x \(x), sigma \(sigma): difference \(exact) vs naive \(naive)"
                }
            }
            let naiveGap = (0..<d).map { 2 * s[2][$0] - s[0][$0] - s[1][$0] }
            if norm(naiveGap) > 1e-6 * norm(s[2]) {
                let gap = union.gap(center: 2, 0, 1, at: x)
                let error = norm((0..<d).map { gap[$0] - naiveGap[$0] })
                guard error <= 1e-8 * norm(naiveGap) + 1e-12 * (norm(s[0]) + norm(s[1]) + 2 * norm(s[2])) else {
                    return "x \(x), sigma \(sigma): gap \(gap) vs naive \(naiveGap)"
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(compared >= Property.caseCount() / 2, "only \(compared) well-conditioned cases")
    }

    /// Weight-only presets: Delta1 and Delta2 are parallel everywhere (1D: both coefficients of
    /// m_L - m_R have the sign of the ordered log-odds; 2D: both are multiples of m_2 - mbar), so the mean
    /// cosine is 1 at every sigma of the default grid (0.01 ... 10), to 1e-9.
    @Test func weightOnlyPresetsHaveMeanCosineOneAtEveryNoiseLevel() {
        for models in [Presets.oneDimensional(), Presets.twoDimensional()] {
            for sigma in ProxyAnalysis.defaultSigmas {
                let row = DeltaAlignment.compute(models, sigma: sigma, gridPoints: 21)
                #expect(abs(row.meanCosine - 1) <= 1e-9, "d = \(models.dimension), sigma \(sigma): mean cosine \(row.meanCosine)")
            }
        }
    }

    /// A component declared twice in one mixture counts with its summed weight; mismatched dimensions
    /// and negative noise levels are refused with the input named.
    @Test func duplicateComponentsAddAndBadInputIsRefused() throws {
        let a = try GaussianMixture([GaussianComponent(weight: 1, mean: [-1], std: 1), GaussianComponent(weight: 1, mean: [-1], std: 1),
                                     GaussianComponent(weight: 2, mean: [2], std: 0.5)])
        let b = try GaussianMixture([GaussianComponent(weight: 1, mean: [-1], std: 1), GaussianComponent(weight: 3, mean: [2], std: 0.5)])
        let x = [0.4]
        let naive = a.score(at: x, sigma: 0.2)[0] - b.score(at: x, sigma: 0.2)[0]
        let exact = try ScoreDifference.between(a, b, at: x, sigma: 0.2)[0]
        #expect(abs(exact - naive) <= 1e-12 * abs(naive))
        let plane = try GaussianMixture([GaussianComponent(weight: 1, mean: [0, 0], std: 1)])
        #expect(throws: ToyError.self) { try ScoreDifference([a, plane], sigma: 1) }
        #expect(throws: ToyError.self) { try ScoreDifference([a, b], sigma: -1) }
    }
    /// The class sums equal the component-by-component pairwise and cubic sums they replaced
    /// (`CubicScoreDifference`, kept as the reference) on random mixtures: d = 1 ... 3, up to six union
    /// components, four models (ideal, strong, weak and a fourth for differences) whose weights share
    /// components exactly, miss some (weight 0), move one component elsewhere, or are built to nearly cancel
    /// (strong the average of ideal and weak, so W^ca = W^bc and T vanishes where ideal and weak agree;
    /// Delta1 then equals Delta2 to many digits near the shared modes). Within 1e-11 of the reference's
    /// own rounding scale (the sum of its terms' magnitudes, `scale`), plus 1e-300 absolute for underflow;
    /// the largest difference seen is printed.
    @Test func classSumsEqualTheCubicReference() throws {
        var largest = (difference: 0.0, gap: 0.0)
        let failures = try Property.check("class sums = cubic sums") { rng -> String? in
            let d = Draw.integer(1...3, &rng)
            let base = Draw.mixtureCase(dimensions: d...d, maxComponents: 6, maxCondition: 1e3, smallestWeight: 1e-3,
                                        scales: 0.05...2, zeroWeights: false, &rng)
            let count = base.weights.count
            // Ideal and weak: each weight kept from the base (shared), redrawn, or 0; strong: shared, redrawn,
            // or (one case in three) the exact average of ideal and weak.
            func reweighted(_ rng: inout Xoshiro256StarStar) -> [Double] {
                var w = base.weights.map { v -> Double in
                    switch Draw.integer(0...5, &rng) {
                    case 0: return 0
                    case 1, 2: return Draw.uniform(0.05, 1, &rng)
                    default: return v
                    }
                }
                if w.allSatisfy({ $0 == 0 }) { w[0] = 1 }
                return w
            }
            let ideal = reweighted(&rng), weak = reweighted(&rng)
            let averaged = Draw.bool(&rng, probability: 1.0 / 3)
            let strong = averaged ? zip(ideal, weak).map { ($0 / ideal.reduce(0, +) + $1 / weak.reduce(0, +)) / 2 } : reweighted(&rng)
            var cases = [ideal, strong, weak, reweighted(&rng)].map { w -> MixtureCase in
                var c = base
                c.weights = w
                return c
            }
            // Sometimes one model has a component of its own (a mean the others lack).
            if Draw.bool(&rng, probability: 0.3) {
                let model = Draw.integer(0...3, &rng), k = Draw.integer(0...(count - 1), &rng)
                cases[model].means[k] = (0..<d).map { _ in Draw.uniform(-5, 5, &rng) }
            }
            let mixtures = try cases.map { try $0.mixture() }
            let x = Draw.point(near: cases[0], far: false, &rng)
            let sigma = Draw.logUniform(1e-3, 10, &rng)
            let union = try ScoreDifference(mixtures, sigma: sigma)
            func distance(_ u: [Double], _ v: [Double]) -> Double { zip(u, v).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() }
            for (a, b) in [(1, 2), (0, 1), (3, 0)] {
                let reference = CubicScoreDifference.difference(union, a, minus: b, at: x)
                let error = distance(union.difference(a, minus: b, at: x), reference.value)
                largest.difference = max(largest.difference, reference.scale > 0 ? error / reference.scale : 0)
                guard error <= 1e-11 * reference.scale + 1e-300 else {
                    return "x \(x), sigma \(sigma): s_\(a) - s_\(b) = \(union.difference(a, minus: b, at: x)), cubic \(reference.value) (scale \(reference.scale))"
                }
            }
            let reference = CubicScoreDifference.gap(union, center: 1, 2, 0, at: x)
            let gap = union.gap(center: 1, 2, 0, at: x)
            let error = distance(gap, reference.value)
            largest.gap = max(largest.gap, reference.scale > 0 ? error / reference.scale : 0)
            guard error <= 1e-11 * reference.scale + 1e-300 else {
                return "x \(x), sigma \(sigma), averaged strong \(averaged): gap \(gap), cubic \(reference.value) (scale \(reference.scale))"
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
        print("class sums against the cubic ones: largest difference / scale \(largest.difference) (differences), \(largest.gap) (gap)")
    }

    /// Near-cancellation: three weight-only models on modes at -8, 0 and 8 (std 0.8), every weight
    /// different, at small sigma and points near the modes, where the scores of the models agree to 20
    /// digits and more (the other modes' responsibilities are below e^-40), so s_a - s_b formed by
    /// subtraction is rounding noise. The class sums equal the cubic reference there: Delta1 and Delta2 to
    /// 1e-12 of themselves, the gap to 1e-12 of the reference's rounding scale; and the subtraction is shown
    /// to lose them (relative error above 1e-3 somewhere), so the case is one that needs the pairwise form.
    @Test func nearCancellingDifferencesMatchTheCubicReference() throws {
        func model(_ w: [Double]) throws -> GaussianMixture {
            try GaussianMixture(zip(w, [-8.0, 0, 8]).map { GaussianComponent(weight: $0, mean: [$1], std: 0.8) })
        }
        let models = try [model([0.25, 0.5, 0.25]), model([0.2, 0.45, 0.35]), model([0.1, 0.6, 0.3])]
        var subtractionLost = false
        for sigma in [0.01, 0.1, 0.5] {
            let union = try ScoreDifference(models, sigma: sigma)
            for x in [-8.3, -7.9, -0.4, 0, 0.3, 7.5, 8.2] {
                for (a, b) in [(1, 2), (0, 1)] {
                    let reference = CubicScoreDifference.difference(union, a, minus: b, at: [x]).value[0]
                    let value = union.difference(a, minus: b, at: [x])[0]
                    #expect(abs(value - reference) <= 1e-12 * abs(reference), "sigma \(sigma), x \(x): s_\(a) - s_\(b) = \(value), cubic \(reference)")
                    let subtracted = models[a].score(at: [x], sigma: sigma)[0] - models[b].score(at: [x], sigma: sigma)[0]
                    if abs(subtracted - reference) > 1e-3 * abs(reference) { subtractionLost = true }
                }
                let reference = CubicScoreDifference.gap(union, center: 1, 2, 0, at: [x])
                let gap = union.gap(center: 1, 2, 0, at: [x])[0]
                #expect(abs(gap - reference.value[0]) <= 1e-12 * reference.scale, "sigma \(sigma), x \(x): gap \(gap), cubic \(reference)")
            }
        }
        #expect(subtractionLost)
    }
}
