import Foundation
import Testing
import TestSupport
@testable import Toy

/// Property tests of the mixture mathematics (see Tests/README.md for the list and what each guards).
@Suite struct MixturePropertyTests {
    /// Relative difference scaled by max(1, |reference|).
    static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(b))
    }

    static func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// Trapezoid rule on a uniform grid with step h <= 0.8 of the smallest standard deviation over
    /// mean -+ 9 of the largest: for a Gaussian the trapezoid error is ~ 2 exp(-2 pi^2 (s/h)^2) < 1e-13
    /// and the truncated tails are below 1e-18, so the integral of p(x; sigma) is 1 within 1e-9.
    @Test func densityIntegratesToOneIn1D() {
        let failures = Property.check("integral p(x; sigma) dx = 1 (1D)", generate: { rng -> (MixtureCase, Double) in
            (Draw.mixtureCase(dimensions: 1...1, scales: 0.01...4, &rng), Draw.element([0, 0.05, 0.5, 3], &rng))
        }, shrink: { c in c.0.shrinks.map { ($0, c.1) } + (c.1 != 0 ? [(c.0, 0)] : []) }) { c in
            let (mc, sigma) = c
            let m = try mc.mixture()
            let sds = mc.activeIndices.map { (mc.covariances[$0][0] + sigma * sigma).squareRoot() }
            let means = mc.activeIndices.map { mc.means[$0][0] }
            let h = 0.8 * sds.min()!, lo = means.min()! - 9 * sds.max()!, hi = means.max()! + 9 * sds.max()!
            let n = Int(((hi - lo) / h).rounded(.up))
            var integral = 0.0
            for i in 0...n { integral += m.density(at: [lo + Double(i) * h], sigma: sigma) }
            integral *= h
            return abs(integral - 1) < 1e-9 ? nil : "integral \(integral)"
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// The 2D version on a lattice: step 0.8 of the smallest eigen-standard-deviation over the box of
    /// means -+ 9 of the largest; the lattice trapezoid error is below 1e-13 for each component.
    @Test func densityIntegratesToOneIn2D() {
        let failures = Property.check("integral p(x; sigma) dx = 1 (2D)", generate: { rng -> (MixtureCase, Double) in
            (Draw.mixtureCase(dimensions: 2...2, maxComponents: 3, maxCondition: 8, scales: 0.3...2, &rng),
             Draw.element([0, 0.3, 1], &rng))
        }, shrink: { c in c.0.shrinks.filter { $0.dimension == 2 }.map { ($0, c.1) } + (c.1 != 0 ? [(c.0, 0)] : []) }) { c in
            let (mc, sigma) = c
            let m = try mc.mixture()
            let eigen = m.eigen.flatMap(\.values).map { $0 + sigma * sigma }
            let h = 0.8 * eigen.min()!.squareRoot(), reach = 9 * eigen.max()!.squareRoot()
            let xs = m.activeIndices.map { mc.means[$0][0] }, ys = m.activeIndices.map { mc.means[$0][1] }
            let (x0, y0) = (xs.min()! - reach, ys.min()! - reach)
            let nx = Int(((xs.max()! + reach - x0) / h).rounded(.up)), ny = Int(((ys.max()! + reach - y0) / h).rounded(.up))
            let noisy = m.noisy(at: sigma)
            var integral = 0.0
            for i in 0...nx { for j in 0...ny {
                integral += exp(noisy.logDensity(at: [x0 + Double(i) * h, y0 + Double(j) * h]))
            } }
            integral *= h * h
            return abs(integral - 1) < 1e-9 ? nil : "integral \(integral) on a \(nx + 1) x \(ny + 1) lattice"
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// For every finite x (|x| up to 1e6), sigma in {0, tiny, ..., 1e4}, weights down to 1e-300 and
    /// condition numbers up to 1e6: log p, the score and the Hessian are finite, responsibilities are
    /// in [0, 1], sum to 1 within 1e-14, vanish on absent components, and the most responsible
    /// component is their argmax.
    @Test func everythingIsFiniteForFiniteInput() {
        let failures = Property.check("finite log p, score, Hessian, responsibilities",
                                      generate: { Draw.pointCase(&$0) }, shrink: \.shrinks) { c in
            let m = try c.mixture.mixture()
            let logp = m.logDensity(at: c.x, sigma: c.sigma)
            guard logp.isFinite else { return "log p = \(logp)" }
            let s = m.score(at: c.x, sigma: c.sigma)
            guard s.allSatisfy(\.isFinite) else { return "score \(s)" }
            guard m.hessian(at: c.x, sigma: c.sigma).allSatisfy(\.isFinite) else { return "Hessian not finite" }
            let r = m.responsibilities(at: c.x, sigma: c.sigma)
            guard r.allSatisfy({ $0 >= 0 && $0 <= 1 }), abs(r.reduce(0, +) - 1) < 1e-14 else { return "responsibilities \(r)" }
            guard c.mixture.weights.indices.allSatisfy({ c.mixture.weights[$0] > 0 || r[$0] == 0 }) else { return "absent component responsible: \(r)" }
            let top = m.mostResponsibleComponent(at: c.x, sigma: c.sigma)
            guard r[top] == r.max() else { return "most responsible \(top) but responsibilities \(r)" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Reordering the components changes nothing: log p and the score agree to 1e-12 relative, the
    /// responsibilities are permuted with the components.
    @Test func permutingComponentsChangesNothing() {
        let failures = Property.check("permutation invariance", generate: { rng -> (PointCase, [Int]) in
            let c = Draw.pointCase(far: false, &rng)
            var order = Array(c.mixture.weights.indices)
            for i in order.indices.reversed() { order.swapAt(i, Draw.integer(0...i, &rng)) }
            return (c, order)
        }, shrink: { c in c.0.shrinks.map { ($0, Array($0.mixture.weights.indices.reversed())) } }) { c in
            let (p, order) = c
            let m = try p.mixture.mixture()
            var q = p.mixture
            q.weights = order.map { p.mixture.weights[$0] }; q.means = order.map { p.mixture.means[$0] }
            q.covariances = order.map { p.mixture.covariances[$0] }
            let permuted = try q.mixture()
            let (a, b) = (m.logDensity(at: p.x, sigma: p.sigma), permuted.logDensity(at: p.x, sigma: p.sigma))
            guard Self.close(b, a, 1e-12) else { return "log p \(a) vs \(b)" }
            let (s, t) = (m.score(at: p.x, sigma: p.sigma), permuted.score(at: p.x, sigma: p.sigma))
            let scale = max(1, s.map(abs).max()!)
            guard Self.maxDifference(s, t) <= 1e-11 * scale else { return "score \(s) vs \(t)" }
            let r = m.responsibilities(at: p.x, sigma: p.sigma), rp = permuted.responsibilities(at: p.x, sigma: p.sigma)
            guard Self.maxDifference(order.map { r[$0] }, rp) <= 1e-12 else { return "responsibilities \(r) vs \(rp) for order \(order)" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// A component of weight 0 is absent: inserting one anywhere leaves log p, the score, the Hessian
    /// and exact samples bit-for-bit unchanged.
    @Test func addingAZeroWeightComponentChangesNothing() {
        let failures = Property.check("zero-weight component is absent", generate: { rng -> (PointCase, Int, [Double], [Double]) in
            let c = Draw.pointCase(&rng)
            let d = c.mixture.dimension
            return (c, Draw.integer(0...c.mixture.weights.count, &rng), (0..<d).map { _ in Draw.uniform(-1e3, 1e3, &rng) },
                    Draw.covariance(dimension: d, scale: Draw.logUniform(1e-3, 1e3, &rng), &rng))
        }, shrink: { c in c.0.shrinks.map { ($0, 0, Array(c.2.prefix($0.mixture.dimension)), MixtureCase(dimension: c.0.mixture.dimension, weights: [1], means: [c.2], covariances: [c.3]).lowered(to: $0.mixture.dimension).covariances[0]) } }) { c in
            let (p, position, mean, covariance) = c
            let m = try p.mixture.mixture()
            var withZero = p.mixture.components
            withZero.insert(GaussianComponent(weight: 0, mean: mean, covariance: covariance), at: position)
            let z = try GaussianMixture(withZero)
            guard m.logDensity(at: p.x, sigma: p.sigma) == z.logDensity(at: p.x, sigma: p.sigma) else { return "log p differs" }
            guard m.score(at: p.x, sigma: p.sigma) == z.score(at: p.x, sigma: p.sigma) else { return "score differs" }
            guard m.hessian(at: p.x, sigma: p.sigma) == z.hessian(at: p.x, sigma: p.sigma) else { return "Hessian differs" }
            guard m.samples(count: 3, sigma: p.sigma, seed: 9) == z.samples(count: 3, sigma: p.sigma, seed: 9) else { return "samples differ" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Translating every mean by c translates the distribution: log p(x + c) = log p(x) and
    /// s(x + c) = s(x), to rounding relative to |c| times the precision.
    @Test func translatingEveryMeanTranslatesTheScoreField() {
        let failures = Property.check("translation covariance", generate: { rng -> (PointCase, [Double]) in
            let c = Draw.pointCase(maxCondition: 1e3, far: false, &rng)
            return (c, (0..<c.mixture.dimension).map { _ in Draw.uniform(-100, 100, &rng).rounded() / 4 })
        }, shrink: { c in c.0.shrinks.map { ($0, Array(c.1.prefix($0.mixture.dimension))) } }) { c in
            let (p, shift) = c
            let m = try p.mixture.mixture()
            var moved = p.mixture
            moved.means = moved.means.map { zip($0, shift).map(+) }
            let t = try moved.mixture()
            let y = zip(p.x, shift).map(+)
            let (a, b) = (m.logDensity(at: p.x, sigma: p.sigma), t.logDensity(at: y, sigma: p.sigma))
            // Rounding of x - mu is |x| eps; the quadratic form amplifies it by |P (x - mu)|.
            let s = m.score(at: p.x, sigma: p.sigma), st = t.score(at: y, sigma: p.sigma)
            let precision = 1 / (m.eigen.flatMap(\.values).min()! + p.sigma * p.sigma)
            let slack = 1e-13 * (1 + y.map(abs).max()!) * precision
            guard abs(a - b) <= 1e-12 * max(1, abs(a)) + slack * max(1, s.map(abs).max()!) else { return "log p \(a) vs \(b)" }
            guard Self.maxDifference(s, st) <= 1e-12 * max(1, s.map(abs).max()!) + slack * 10 else { return "score \(s) vs \(st)" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// p(x; sigma) = integral p(y) N(x - y; 0, sigma^2) dy in 1D, the convolution computed by the
    /// trapezoid rule (step 0.8 of the smallest standard deviation of the integrand's Gaussian factors): agreement within 1e-9 relative.
    @Test func noisyDensityIsTheConvolution() {
        let failures = Property.check("p(.; sigma) = p * N(0, sigma^2) (1D)", generate: { rng -> (MixtureCase, Double, Double) in
            let m = Draw.mixtureCase(dimensions: 1...1, scales: 0.05...4, &rng)
            return (m, Draw.point(near: m, far: false, &rng)[0], Draw.logUniform(0.05, 5, &rng))
        }, shrink: { c in c.0.shrinks.map { ($0, c.1, c.2) } + [(c.0, c.1.rounded(), c.2), (c.0, c.1, c.2.rounded(.up))].filter { $0.1 != c.1 || $0.2 != c.2 } }) { c in
            let (mc, x, sigma) = c
            let m = try mc.mixture()
            let sds = mc.activeIndices.map { mc.covariances[$0][0].squareRoot() }
            let means = mc.activeIndices.map { mc.means[$0][0] }
            // The integrand of component k is a Gaussian in y of variance S_k sigma^2 / (S_k + sigma^2).
            let h = 0.8 * sds.map { $0 * sigma / ($0 * $0 + sigma * sigma).squareRoot() }.min()!
            let lo = min(means.min()! - 10 * sds.max()!, x - 10 * sigma), hi = max(means.max()! + 10 * sds.max()!, x + 10 * sigma)
            var integral = 0.0
            for i in 0...Int(((hi - lo) / h).rounded(.up)) {
                let y = lo + Double(i) * h, u = (x - y) / sigma
                integral += m.density(at: [y]) * exp(-0.5 * u * u) / (sigma * (2 * Double.pi).squareRoot())
            }
            integral *= h
            let exact = m.density(at: [x], sigma: sigma)
            return abs(integral - exact) <= 1e-9 * max(exact, 1e-12) ? nil : "convolution \(integral) vs p(x; sigma) = \(exact)"
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// 2000 exact samples of p(x; sigma): each coordinate's sample mean and each covariance entry lie
    /// within 4 standard errors of the analytic sum_k pi_k mu_k and sum_k pi_k (S_k + sigma^2 I + mu_k mu_k^T) - mu mu^T
    /// (standard errors from the sample's own second and fourth moments).
    @Test func exactSamplesHaveTheAnalyticMeanAndCovariance() {
        let n = 2000
        let failures = Property.check("exact samples: mean and covariance", generate: { rng -> (MixtureCase, Double, UInt64) in
            (Draw.mixtureCase(maxComponents: 4, &rng), Draw.element([0, 0.5, 2], &rng), rng.next())
        }, shrink: { c in c.0.shrinks.map { ($0, c.1, c.2) } }) { c in
            let (mc, sigma, seed) = c
            let m = try mc.mixture(), d = mc.dimension
            let x = m.samples(count: n, sigma: sigma, seed: seed)
            var mean = [Double](repeating: 0, count: d), cov = [Double](repeating: 0, count: d * d)
            for k in m.activeIndices {
                let w = m.components[k].weight
                for a in 0..<d {
                    mean[a] += w * mc.means[k][a]
                    for b in 0..<d { cov[a * d + b] += w * (mc.covariances[k][a * d + b] + (a == b ? sigma * sigma : 0) + mc.means[k][a] * mc.means[k][b]) }
                }
            }
            for a in 0..<d { for b in 0..<d { cov[a * d + b] -= mean[a] * mean[b] } }
            let sampleMean = (0..<d).map { a in (0..<n).reduce(0.0) { $0 + x[$1 * d + a] } / Double(n) }
            for a in 0..<d {
                let se = (cov[a * d + a] / Double(n)).squareRoot()
                if abs(sampleMean[a] - mean[a]) > 4 * se { return "mean[\(a)] \(sampleMean[a]) vs \(mean[a]) (se \(se))" }
                for b in a..<d {
                    // Products around the true mean: unbiased for the covariance; their spread gives the se.
                    let products = (0..<n).map { (x[$0 * d + a] - mean[a]) * (x[$0 * d + b] - mean[b]) }
                    let average = products.reduce(0, +) / Double(n)
                    let spread = (products.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(n - 1) / Double(n)).squareRoot()
                    if abs(average - cov[a * d + b]) > 4 * spread + 1e-12 * abs(cov[a * d + a]) {
                        return "cov[\(a)][\(b)] \(average) vs \(cov[a * d + b]) (se \(spread))"
                    }
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// The eigendecomposition of random SPD matrices (d = 1 ... 6, condition up to 1e8) has orthonormal
    /// eigenvectors (1e-12) and rebuilds the matrix to 1e-12 of its norm.
    @Test func eigendecompositionIsOrthonormalAndExact() {
        let failures = Property.check("eigendecomposition", generate: { rng -> [Double] in
            Draw.covariance(dimension: Draw.integer(1...6, &rng), scale: Draw.logUniform(1e-3, 1e3, &rng), maxCondition: 1e8, &rng)
        }) { s in
            let d = Int(Double(s.count).squareRoot().rounded())
            let e = SymmetricEigen(symmetric: s, dimension: d)
            let norm = s.map(abs).max()!
            for r in 0..<d { for c in 0..<d {
                let rebuilt = (0..<d).reduce(0.0) { $0 + e.vectors[r * d + $1] * e.values[$1] * e.vectors[c * d + $1] }
                if abs(rebuilt - s[r * d + c]) > 1e-12 * norm { return "entry [\(r)][\(c)]: \(rebuilt) vs \(s[r * d + c])" }
                let dot = (0..<d).reduce(0.0) { $0 + e.vectors[$1 * d + r] * e.vectors[$1 * d + c] }
                if abs(dot - (r == c ? 1 : 0)) > 1e-12 { return "Q^T Q [\(r)][\(c)] = \(dot)" }
            } }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Degenerate or malformed input never crashes: singular, indefinite, asymmetric, non-finite or
    /// mis-sized covariances, negative or non-finite weights and means are refused with a ToyError
    /// that names the component at fault; a valid mixture with condition number up to 1e8 is accepted.
    @Test func degenerateMixturesAreRefusedWithTheInputNamed() {
        let failures = Property.check("degenerate input gives a clear error", generate: { rng -> (MixtureCase, Int, Int) in
            (Draw.mixtureCase(maxComponents: 4, maxCondition: 1e8, &rng), Draw.integer(0...9, &rng), Draw.integer(0...100, &rng))
        }, shrink: { c in c.0.shrinks.map { ($0, c.1, c.2) } }) { c in
            let (valid, corruption, pick) = c
            var m = valid
            let d = m.dimension, k = pick % m.weights.count
            let expected: String
            switch corruption {
            case 0: // Singular: rank one.
                let v = (0..<d).map { Double($0 + 1) }
                m.covariances[k] = (0..<(d * d)).map { v[$0 / d] * v[$0 % d] }
                // Only active components are factorised: a missing mode may carry any symmetric matrix
                // with a positive diagonal.
                expected = d == 1 || m.weights[k] == 0 ? "" : "components[\(k)].covariance"
            case 1: m.covariances[k][0] = -abs(m.covariances[k][0]); expected = "components[\(k)].covariance"
            case 2 where d > 1: m.covariances[k][1] += 1; expected = "components[\(k)].covariance"
            case 3: m.covariances[k][d * d - 1] = .nan; expected = "components[\(k)].covariance"
            case 4: m.covariances[k].append(1); expected = "components[\(k)].covariance"
            case 5: m.weights[k] = -1e-300; expected = "components[\(k)].weight"
            case 6: m.weights[k] = .infinity; expected = "components[\(k)].weight"
            case 7: m.means[k][d - 1] = -.infinity; expected = "components[\(k)].mean"
            case 8: m.weights = m.weights.map { _ in 0 }; expected = "weights"
            default: expected = ""
            }
            do {
                _ = try m.mixture()
                return expected.isEmpty ? nil : "accepted, expected an error naming \(expected)"
            } catch let error as ToyError {
                if expected.isEmpty { return "refused a valid mixture: \(error)" }
                return error.description.contains(expected) ? nil : "error \(error) does not name \(expected)"
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}
