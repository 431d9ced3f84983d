import Foundation
import Testing
import TestSupport
@testable import Toy

@Suite struct MixtureTests {
    /// Central finite differences with step 1e-5 relative; tolerance 1e-5 relative to the gradient scale.
    @Test func scoreIsTheGradientOfTheLogDensity() {
        for d in 1...3 {
            let failures = Property.check("score = grad log p (d = \(d))") { rng in
                let m = Draw.mixture(dimension: d, &rng)
                let x = Draw.point(near: m, &rng)
                let sigma: Double = [0, 0.1, 1, 5][Draw.integer(0...3, &rng)]
                let s = m.score(at: x, sigma: sigma)
                for j in 0..<d {
                    let h = 1e-5 * max(1, abs(x[j]))
                    var plus = x, minus = x
                    plus[j] += h; minus[j] -= h
                    let fd = (m.logDensity(at: plus, sigma: sigma) - m.logDensity(at: minus, sigma: sigma)) / (2 * h)
                    let scale = max(1, s.map(abs).max() ?? 0)
                    if abs(fd - s[j]) > 1e-5 * scale { return "coordinate \(j): score \(s[j]) vs finite difference \(fd)" }
                }
                return nil
            }
            #expect(failures.isEmpty, "\(failures)")
        }
    }

    @Test func hessianIsTheJacobianOfTheScoreAndSymmetric() {
        for d in 1...3 {
            let failures = Property.check("Hessian = D score (d = \(d))") { rng in
                let m = Draw.mixture(dimension: d, &rng)
                let x = Draw.point(near: m, &rng)
                let sigma: Double = [0, 0.3, 2][Draw.integer(0...2, &rng)]
                let hess = m.hessian(at: x, sigma: sigma)
                let scale = max(1, hess.map(abs).max() ?? 0)
                for c in 0..<d {
                    let h = 1e-5 * max(1, abs(x[c]))
                    var plus = x, minus = x
                    plus[c] += h; minus[c] -= h
                    let sp = m.score(at: plus, sigma: sigma), sm = m.score(at: minus, sigma: sigma)
                    for r in 0..<d {
                        let fd = (sp[r] - sm[r]) / (2 * h)
                        if abs(fd - hess[r * d + c]) > 1e-5 * scale { return "entry [\(r)][\(c)]: \(hess[r * d + c]) vs \(fd)" }
                        if abs(hess[r * d + c] - hess[c * d + r]) > 1e-12 * scale { return "not symmetric at [\(r)][\(c)]" }
                    }
                }
                return nil
            }
            #expect(failures.isEmpty, "\(failures)")
        }
    }

    /// Far from every mode the score is -(x - mu_k) / v_k of the nearest component in the tail sense:
    /// it must be finite and point back towards the modes.
    @Test func finiteFarAwayAtZeroNoiseAndWithTinyWeights() throws {
        let m = try GaussianMixture([
            GaussianComponent(weight: 1e-300, mean: [-4, 0], std: 0.8),
            GaussianComponent(weight: 1, mean: [4, 0], std: 0.8),
        ])
        for x in [[1e6, 0], [-1e6, 3], [0, 1e6], [-4, 0]] {
            for sigma in [0.0, 1e-3, 1, 1e4] {
                let s = m.score(at: x, sigma: sigma)
                let logp = m.logDensity(at: x, sigma: sigma)
                #expect(s.allSatisfy(\.isFinite) && logp.isFinite, "x = \(x), sigma = \(sigma): \(s), \(logp)")
                let hessian = m.hessian(at: x, sigma: sigma)
                #expect(hessian.allSatisfy { $0.isFinite })
            }
        }
        // At the tiny component's own mode its log-term is log(1e-300) ~ -690.8 against -50 for the other:
        // its responsibility is exp(-640.8) ~ 1e-278, representable and positive, and the score is the
        // other component's (4 - (-4)) / 0.64 = 12.5.
        let r = m.responsibilities(at: [-4, 0])
        #expect(r[0] > 1e-290 && r[0] < 1e-270 && abs(r[0] + r[1] - 1) < 1e-15)
        #expect(abs(m.score(at: [-4, 0], sigma: 0)[0] - 12.5) < 1e-12)
        // At x = 1e6 the score is the nearer (right) component's -(x - 4) / 0.64.
        #expect(abs(m.score(at: [1e6, 0])[0] - (-(1e6 - 4) / 0.64)) < 1e-6 * 1e6)
    }

    /// Relative error below 1e-15 against Foundation.exp on [-708, 0].
    @Test func fastExponentialMatchesFoundation() {
        var rng = Xoshiro256StarStar(seed: 7)
        var worst = 0.0
        for i in 0..<20000 {
            let x = i < 10 ? [-708, -700, -1, -1e-300, 0, -0.5, -0.34657359, -745, -1e5, -20][i] : -708 * (1 - rng.nextOpenUnit()) * (rng.nextOpenUnit() < 0.5 ? 1 : 0.01)
            let reference = Foundation.exp(max(x, -708))
            worst = max(worst, abs(expNonPositive(x) - reference) / reference)
        }
        #expect(worst < 1e-15, "worst relative error \(worst)")
    }

    /// The lane logarithm against `Foundation.log`: relative error below 2 ulp (4.5e-16) at the special
    /// points (1, its neighbours, sqrt 2 and its neighbours, powers of two, the ends of the normal range)
    /// and at 40,000 random points (uniform exponents over the normal range, and uniform on [1, 10]:
    /// the range of the log-sum-exp sums it serves); log 1 = 0 exactly.
    @Test func fastLogarithmMatchesFoundation() {
        var rng = Xoshiro256StarStar(seed: 17)
        let special: [Double] = [1, 1.0.nextUp, 1.0.nextDown, 2.0.squareRoot(), 2.0.squareRoot().nextUp, 2.0.squareRoot().nextDown,
                                 0.5.squareRoot(), 2, 0.5, 1024, .leastNormalMagnitude, .greatestFiniteMagnitude, 3, 7.25]
        var failures: [String] = []
        for i in 0..<(40_000 + special.count) {
            let x: Double
            if i < special.count { x = special[i] } else if i % 2 == 0 {
                x = (1 + rng.nextOpenUnit()) * Foundation.pow(2, Double(Int(rng.nextOpenUnit() * 2045) - 1022))
            } else {
                x = 1 + 9 * rng.nextOpenUnit()
            }
            let reference = Foundation.log(x), value = logPositiveNormal(Lanes(repeating: x))[0]
            if abs(value - reference) > 4.5e-16 * abs(reference) {
                failures.append("log(\(x)) = \(value), Foundation \(reference)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures: \(failures.prefix(5))")
    }

    @Test func batchScoresEqualPointScoresForAnyBatchSize() {
        let failures = Property.check("batch = single") { rng in
            let d = Draw.integer(1...3, &rng)
            let m = Draw.mixture(dimension: d, &rng)
            let n = Draw.integer(1...21, &rng)
            let points = (0..<n).map { _ in Draw.point(near: m, &rng) }
            let sigma = Draw.uniform(0, 3, &rng)
            var out = [Double](repeating: 0, count: n * d)
            let flat = points.flatMap { $0 }
            flat.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { o in
                m.noisy(at: sigma).scores(x.baseAddress!, count: n, into: o.baseAddress!) } }
            for i in 0..<n {
                // Reference: responsibilities with Foundation.exp.
                let r = m.responsibilities(at: points[i], sigma: sigma)
                var reference = [Double](repeating: 0, count: d)
                let noisy = m.noisy(at: sigma)
                let g = noisy.componentScores(at: points[i])
                for (a, k) in m.activeIndices.enumerated() { for j in 0..<d { reference[j] += r[k] * g[a * d + j] } }
                for j in 0..<d where abs(out[i * d + j] - reference[j]) > 1e-12 * max(1, abs(reference[j])) {
                    return "particle \(i) of \(n): \(out[i * d + j]) vs \(reference[j])"
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func invalidMixturesAreRejectedWithTheInputNamed() {
        func message(_ components: [GaussianComponent]) -> String? {
            do {
                _ = try GaussianMixture(components)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(message([])?.contains("at least one component") == true)
        #expect(message([GaussianComponent(weight: -1, mean: [0], std: 1)])?.contains("components[0].weight") == true)
        #expect(message([GaussianComponent(weight: 0, mean: [0], std: 1)])?.contains("positive weight") == true)
        #expect(message([GaussianComponent(weight: 1, mean: [0, 0], covariance: [1, 0.5, 0.2, 1])])?.contains("symmetric") == true)
        #expect(message([GaussianComponent(weight: 1, mean: [0, 0], covariance: [1, 2, 2, 1])])?.contains("positive-definite") == true)
        #expect(message([GaussianComponent(weight: 1, mean: [.nan], std: 1)])?.contains("components[0].mean") == true)
        #expect(message([GaussianComponent(weight: 1, mean: [0], std: 1), GaussianComponent(weight: 1, mean: [0, 1], std: 1)])?
            .contains("components[1].mean") == true)
    }

    /// Exact samples of p(x; sigma) have the mixture's mean and covariance within 5 standard errors.
    @Test func exactSamplesMatchMeanAndCovariance() throws {
        let m = try GaussianMixture([
            GaussianComponent(weight: 0.3, mean: [-2, 1], covariance: [1, 0.4, 0.4, 0.5]),
            GaussianComponent(weight: 0.7, mean: [3, -1], covariance: [0.3, -0.1, -0.1, 2]),
        ])
        let sigma = 0.7, n = 40000
        let x = m.samples(count: n, sigma: sigma, seed: 11)
        let firstMean: [Double] = [-2, 1], secondMean: [Double] = [3, -1]
        let firstVariance: [Double] = [1, 0.5], secondVariance: [Double] = [0.3, 2]
        for j in 0..<2 {
            let values = (0..<n).map { x[2 * $0 + j] }
            let mean = values.reduce(0, +) / Double(n)
            let expected = 0.3 * firstMean[j] + 0.7 * secondMean[j]
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
            let withinMeans = 0.3 * firstVariance[j] + 0.7 * secondVariance[j] + sigma * sigma
            let gap = firstMean[j] - secondMean[j]
            let betweenMeans = 0.3 * 0.7 * gap * gap
            #expect(abs(mean - expected) < 5 * (variance / Double(n)).squareRoot())
            // The variance estimate's standard error is below sqrt(2 / n) times the variance for these
            // nearly Gaussian marginals; a factor 2 covers the excess kurtosis of the mixture.
            #expect(abs(variance - (withinMeans + betweenMeans)) < 5 * 2 * variance * (2 / Double(n)).squareRoot())
        }
    }

    @Test func jacobiEigendecompositionReconstructsTheMatrix() {
        var rng = Xoshiro256StarStar(seed: 3)
        for d in [3, 4, 6] {
            let s = Draw.covariance(dimension: d, maxCondition: 1e6, &rng)
            let e = SymmetricEigen(symmetric: s, dimension: d)
            for r in 0..<d { for c in 0..<d {
                let rebuilt = (0..<d).reduce(0.0) { $0 + e.vectors[r * d + $1] * e.values[$1] * e.vectors[c * d + $1] }
                #expect(abs(rebuilt - s[r * d + c]) < 1e-12 * (s.map(abs).max() ?? 1))
            } }
        }
    }
}
