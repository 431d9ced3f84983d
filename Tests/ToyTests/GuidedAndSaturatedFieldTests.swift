import Foundation
import Testing
import TestSupport
@testable import Toy
import Experiments

/// The new score fields of the difference zoo: classifier-free guidance on class-conditional mixtures,
/// the saturated (bounded-tail) score, and the blurred / sharpened weak mixtures, each against central
/// finite differences of what it claims to be the derivative of.
@Suite struct GuidedAndSaturatedFieldTests {
    /// A class-conditional mixture in d = 1 or 2 with 2 to 4 components and labels "a"/"b" (each class
    /// holds a positive weight), the class to guide towards and a guidance weight in [-1, 4].
    static func drawGuided(_ rng: inout Xoshiro256StarStar) throws -> (ClassConditionalMixture, ClassifierFreeGuidance, [Double], Double) {
        let d = Draw.integer(1...2, &rng)
        let k = Draw.integer(2...4, &rng)
        var components = (0..<k).map { _ in
            GaussianComponent(weight: Draw.uniform(0.1, 1, &rng), mean: (0..<d).map { _ in Draw.uniform(-5, 5, &rng) },
                              covariance: Draw.covariance(dimension: d, scale: Draw.uniform(0.2, 2, &rng), maxCondition: 100, &rng))
        }
        if k > 2, Draw.bool(&rng) { components[2].weight = 0 }
        let labels = (0..<k).map { $0 == 0 ? "a" : ($0 == 1 ? "b" : Draw.element(["a", "b"], &rng)) }
        let mixture = try ClassConditionalMixture(components, labels: labels)
        let field = try mixture.guided(Draw.element(["a", "b"], &rng), weight: Draw.uniform(-1, 4, &rng))
        let x = Draw.point(near: mixture.marginal, &rng)
        return (mixture, field, x, Draw.element([0, 0.1, 0.7, 3], &rng))
    }

    /// Central differences of `f` (step 1e-5 max(1, |x_j|)) against `gradient`, relative 1e-5.
    static func finiteDifferenceGap(_ f: ([Double]) -> Double, _ x: [Double], gradient: [Double]) -> String? {
        let scale = max(1, gradient.map(abs).max() ?? 0)
        for j in x.indices {
            let h = 1e-5 * max(1, abs(x[j]))
            var plus = x, minus = x
            plus[j] += h; minus[j] -= h
            let fd = (f(plus) - f(minus)) / (2 * h)
            if abs(fd - gradient[j]) > 1e-5 * scale { return "coordinate \(j): \(gradient[j]) vs finite difference \(fd)" }
        }
        return nil
    }

    /// The guided field is the gradient of log p + w (log p_c - log p) (1e-5 relative to the field's
    /// scale), its Hessian is the finite-difference Jacobian of the field and symmetric, and one call
    /// costs 2 evaluations.
    @Test func guidedFieldIsTheGradientOfTheGuidedLogDensity() throws {
        let failures = try Property.check("CFG field = grad (log p + w (log p_c - log p))") { rng in
            let (_, field, x, sigma) = try Self.drawGuided(&rng)
            guard field.evaluationCost == 2 else { return "evaluation cost \(field.evaluationCost)" }
            var streams = ParticleStreams(seed: 0, first: 0, count: 1)
            let s = field.score(at: x, sigma: sigma, streams: &streams)
            if let gap = Self.finiteDifferenceGap({ field.logDensity(at: $0, sigma: sigma) }, x, gradient: s) { return "score \(gap)" }
            guard let hessian = field.logDensityHessian(at: x, sigma: sigma) else { return "no Hessian" }
            let d = x.count
            for c in 0..<d {
                let column = (0..<d).map { hessian[$0 * d + c] }
                let gap = Self.finiteDifferenceGap({ var st = ParticleStreams(seed: 0, first: 0, count: 1); return field.score(at: $0, sigma: sigma, streams: &st)[c] },
                                                   x, gradient: column)
                if let gap { return "Hessian column \(c): \(gap)" }
                let scale = max(1, hessian.map(abs).max() ?? 0)
                for r in 0..<d where abs(hessian[r * d + c] - hessian[c * d + r]) > 1e-12 * scale { return "Hessian not symmetric at [\(r)][\(c)]" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// p(x | c) holds exactly the class-c components with weights pi_k / Pi_c (1e-15); w = 0 gives the
    /// unconditional score bit for bit and w = 1 the conditional one within 1e-12 of the score scale.
    @Test func conditionalMixturesRenormaliseAndGuidanceInterpolates() throws {
        let failures = try Property.check("p(x | c) renormalised; w = 0 and w = 1") { rng in
            let (mixture, field, x, sigma) = try Self.drawGuided(&rng)
            for label in mixture.classes {
                let members = zip(mixture.components, mixture.labels).filter { $0.1 == label }.map(\.0)
                let mass = members.reduce(0) { $0 + $1.weight }
                let conditional = try mixture.conditional(label)
                guard conditional.components.count == members.count else { return "class \(label): \(conditional.components.count) components" }
                for (c, m) in zip(conditional.components, members) where abs(c.weight - m.weight / mass) > 1e-15 || c.mean != m.mean {
                    return "class \(label): weight \(c.weight) vs \(m.weight / mass)"
                }
            }
            var streams = ParticleStreams(seed: 0, first: 0, count: 1)
            let plain = try ClassifierFreeGuidance(unconditional: field.unconditional, conditional: field.conditional, weight: 0)
            guard plain.score(at: x, sigma: sigma, streams: &streams) == field.unconditional.score(at: x, sigma: sigma) else { return "w = 0 differs from s" }
            let full = try ClassifierFreeGuidance(unconditional: field.unconditional, conditional: field.conditional, weight: 1)
            let sc = field.conditional.score(at: x, sigma: sigma)
            let gap = MixturePropertyTests.maxDifference(full.score(at: x, sigma: sigma, streams: &streams), sc)
            guard gap <= 1e-12 * max(1, sc.map(abs).max() ?? 0, field.unconditional.score(at: x, sigma: sigma).map(abs).max() ?? 0) else { return "w = 1 differs from s_c by \(gap)" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func classConditionalMixturesRefuseBadLabels() throws {
        let components = [GaussianComponent(weight: 1, mean: [0], std: 1), GaussianComponent(weight: 0, mean: [3], std: 1)]
        #expect(throws: ToyError.self) { try ClassConditionalMixture(components, labels: ["a"]) }
        // Class b has only a zero-weight component: p(x | b) would be empty.
        #expect(throws: ToyError.self) { try ClassConditionalMixture(components, labels: ["a", "b"]) }
        let mixture = try ClassConditionalMixture(components, labels: ["a", "a"])
        #expect(throws: ToyError.self) { try mixture.conditional("z") }
        #expect(throws: ToyError.self) { try mixture.guided("a", weight: .nan) }
    }

    /// The blurred and sharpened weak mixtures of the catalogue: score = finite-difference gradient of
    /// log p(x; sigma) (1e-5 relative), at random points within 10 of the modes and random sigmas.
    @Test func blurredAndSharpenedWeakModelsAreExactMixtureScores() throws {
        for name in ["blurred-1d", "sharpened-1d"] {
            guard let models = try DifferenceCase.named(name).mixtures() else { Issue.record("\(name) is not a mixture case"); continue }
            let weak = models.weak
            let failures = Property.check("\(name): weak score = grad log p") { rng in
                let x = [Draw.uniform(-14, 14, &rng)]
                let sigma = Draw.element([0, Draw.logUniform(1e-3, 20, &rng)], &rng)
                return Self.finiteDifferenceGap({ weak.logDensity(at: $0, sigma: sigma) }, x, gradient: weak.score(at: x, sigma: sigma))
            }
            #expect(failures.isEmpty, "\(failures)")
        }
    }

    /// A random mixture field, saturated with random kappa and length: |s_sat| <= c(sigma) (to rounding),
    /// s_sat is parallel to s, |s_sat - s| <= |s| r^2 / 2 with r = |s| / c (so within 5e-3 relative
    /// where r <= 0.1), and the Jacobian equals the central-difference Jacobian of s_sat (1e-5 of its scale).
    @Test func saturatedScoreIsCappedCloseToTheScoreNearTheDataAndHasItsJacobian() throws {
        let failures = try Property.check("saturated score: cap, closeness, Jacobian") { rng in
            let d = Draw.integer(1...3, &rng)
            let m = Draw.mixture(dimension: d, &rng)
            let field = try SaturatedScore(m, kappa: Draw.logUniform(0.5, 8, &rng), length: Draw.logUniform(0.1, 3, &rng))
            let x = Draw.point(near: m, &rng).map { $0 * Draw.element([1, 1, 3], &rng) }
            let sigma = Draw.element([0, 0.05, 0.5, 2, 10], &rng)
            var streams = ParticleStreams(seed: 0, first: 0, count: 1)
            let s = m.score(at: x, sigma: sigma), saturated = field.score(at: x, sigma: sigma, streams: &streams)
            let c = field.cap(sigma: sigma)
            let norm = s.reduce(0) { $0 + $1 * $1 }.squareRoot(), satNorm = saturated.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard satNorm <= c * (1 + 1e-15) else { return "|s_sat| = \(satNorm) above the cap \(c)" }
            let r = norm / c
            guard abs(satNorm - norm / (1 + r * r).squareRoot()) <= 1e-14 * max(norm, 1e-300) else { return "|s_sat| = \(satNorm) is not |s| / sqrt(1 + r^2)" }
            let gap = zip(s, saturated).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            guard gap <= norm * r * r / 2 * (1 + 1e-12) + 1e-300 else { return "|s_sat - s| = \(gap) above |s| r^2 / 2 = \(norm * r * r / 2)" }
            if r <= 0.1, gap > 5e-3 * norm { return "r = \(r) but relative change \(gap / norm)" }
            for j in 0..<d where s[j] != 0 && (saturated[j] / s[j] <= 0 || abs(saturated[j] / s[j] - satNorm / norm) > 1e-12) {
                return "direction changed in coordinate \(j)"
            }
            guard let jacobian = field.logDensityHessian(at: x, sigma: sigma) else { return "no Jacobian" }
            let scale = max(1, jacobian.map(abs).max() ?? 0)
            for col in 0..<d {
                let h = 1e-5 * max(1, abs(x[col]))
                var plus = x, minus = x
                plus[col] += h; minus[col] -= h
                var st = ParticleStreams(seed: 0, first: 0, count: 1)
                let sp = field.score(at: plus, sigma: sigma, streams: &st), sm = field.score(at: minus, sigma: sigma, streams: &st)
                for row in 0..<d {
                    let fd = (sp[row] - sm[row]) / (2 * h)
                    if abs(fd - jacobian[row * d + col]) > 1e-5 * scale { return "J[\(row)][\(col)] = \(jacobian[row * d + col]) vs \(fd)" }
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Far from the data (x = 1e6) the saturated field is finite, points back and falls short of the
    /// cap c by at most 1 / (2 r^2) relative (r = |s| / c >= 3000 here); its Jacobian is finite; invalid kappa or length are refused.
    @Test func saturatedScoreFarAwayAndInvalidParameters() throws {
        let field = try SaturatedScore(Presets.oneDimensional(missingLeft: true).weak, kappa: 4, length: 0.8)
        for sigma in [0.0, 1, 80] {
            var streams = ParticleStreams(seed: 0, first: 0, count: 1)
            let s = field.score(at: [1e6], sigma: sigma, streams: &streams)
            let r = abs(field.base.score(at: [1e6], sigma: sigma, streams: &streams)[0]) / field.cap(sigma: sigma)
            let shortfall = 1 - abs(s[0]) / field.cap(sigma: sigma)
            #expect(s[0] < 0 && shortfall >= 0 && shortfall <= 1 / (2 * r * r) + 1e-15, "sigma \(sigma): r = \(r), shortfall \(shortfall)")
            #expect(field.logDensityHessian(at: [1e6], sigma: sigma)?.allSatisfy(\.isFinite) == true)
        }
        #expect(field.cap(sigma: 0) == 5)
        for (kappa, length) in [(0.0, 1.0), (-1, 1), (.infinity, 1), (1, 0), (1, .nan)] {
            #expect(throws: ToyError.self) { try SaturatedScore(field.base, kappa: kappa, length: length) }
        }
    }

    /// `exact` inversion uses the fields' Hessians (Jacobians): for the guided and saturated fields of
    /// the catalogue, y = M(x) (Euler) is inverted to x' with |M(x') - y| <= 1e-13 max(1, |y|) at every
    /// step of a 20-step Karras schedule, from points near and between the modes.
    @Test func exactInversionInvertsGuidedAndSaturatedSteps() throws {
        let fields: [(String, any ScoreField)] = try ["guidance-over-1d", "guidance-and-weights-1d", "saturated-both-1d"].flatMap { name in
            let m = try DifferenceCase.named(name).models()
            return [("\(name) strong", m.strong), ("\(name) weak", m.weak)]
        }
        let sigmas = SamplerSettings(steps: 20).sigmas
        for (name, field) in fields {
            for i in 0..<20 {
                for x0 in [-6.0, -4, -1, 0, 2.5, 5] {
                    let x = [x0 * (1 + sigmas[i] / 4)]
                    let y = SamplingPropertyTests.step(field, x, sigmas[i], sigmas[i + 1], .euler)
                    let back = try SamplingPropertyTests.invert(field, y, sigmas[i + 1], sigmas[i], .euler, .exactDefault)
                    let residual = abs(SamplingPropertyTests.step(field, back, sigmas[i], sigmas[i + 1], .euler)[0] - y[0])
                    #expect(residual <= 1e-13 * max(1, abs(y[0])), "\(name), step \(i), x \(x): residual \(residual)")
                }
            }
        }
    }
}
