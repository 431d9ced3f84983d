import Foundation
import Testing
import TestSupport
@testable import Toy

/// The learned denoiser's network: reverse-mode gradients and forward-mode Jacobians against central
/// finite differences, the score against its own denoiser, and batch = point evaluation.
@Suite struct LearnedNetworkTests {
    /// A random small network: d in 1...3, width 1...9, depth 1...3, 0...3 frequencies, parameters from
    /// the seeded initialisation scaled by 0.5 ... 2 plus random biases (so no parameter is special).
    static func randomModel(_ rng: inout Xoshiro256StarStar) throws -> LearnedDenoiser {
        let architecture = try DenoiserArchitecture(dimension: Draw.integer(1...3, &rng), width: Draw.integer(1...9, &rng),
                                                    depth: Draw.integer(1...3, &rng), frequencies: Draw.integer(0...3, &rng))
        var network = DenoiserNetwork(architecture: architecture, seed: rng.next())
        let scale = Draw.uniform(0.5, 2, &rng)
        network = try DenoiserNetwork(architecture: architecture, parameters: network.parameters.map { scale * $0 + 0.3 * rng.nextNormal() })
        return LearnedDenoiser(network: network, preconditioning: try EDMPreconditioning(sigmaData: Draw.uniform(0.5, 5, &rng)))
    }

    /// L(theta) = sum_rows sum_o r[b, o] F(u_b)_o for a random linear functional r, on the model's rows.
    static func functional(_ model: LearnedDenoiser, _ workspace: NetworkWorkspace, rows: Int, _ r: [Double]) -> Double {
        model.network.forward(workspace, rows: rows)
        return (0..<(rows * model.dimension)).reduce(0.0) { $0 + r[$1] * workspace.output[$1] }
    }

    /// Reverse-mode gradient = central difference (h = 1e-6 max(1, |theta_k|)) for every parameter, to
    /// 1e-6 (1 + |L| + |g_k|): truncation h^2 |L'''| / 6 and rounding 1e-16 |L| / h are both far below that.
    @Test func gradientEqualsCentralDifferences() throws {
        let failures = try Property.check("network gradient = finite differences", cases: Property.caseCount(fraction: 0.5)) { rng in
            let model = try Self.randomModel(&rng)
            let d = model.dimension, rows = Draw.integer(1...7, &rng)
            let workspace = NetworkWorkspace(architecture: model.architecture, capacity: rows)
            let x = (0..<(rows * d)).map { _ in 5 * rng.nextNormal() }
            for b in 0..<rows { workspace.sigmas[b] = Draw.logUniform(1e-3, 100, &rng) }
            x.withUnsafeBufferPointer { model.prepareInput($0.baseAddress!, rows: rows, workspace) }
            let r = (0..<(rows * d)).map { _ in rng.nextNormal() }
            let value = Self.functional(model, workspace, rows: rows, r)
            var gradient = [Double](repeating: 0, count: model.architecture.parameterCount)
            r.withUnsafeBufferPointer { rp in gradient.withUnsafeMutableBufferPointer { g in
                model.network.accumulateGradient(workspace, rows: rows, outputGradient: rp.baseAddress!, into: g.baseAddress!)
            } }
            for k in gradient.indices {
                var probe = model
                let theta = model.network.parameters[k], h = 1e-6 * max(1, abs(theta))
                probe.network.parameters[k] = theta + h
                let up = Self.functional(probe, workspace, rows: rows, r)
                probe.network.parameters[k] = theta - h
                let down = Self.functional(probe, workspace, rows: rows, r)
                let difference = (up - down) / (2 * h)
                if abs(difference - gradient[k]) > 1e-6 * (1 + abs(value) + abs(gradient[k])) {
                    return "parameter \(k) of \(gradient.count) (\(model.architecture)): gradient \(gradient[k]), finite difference \(difference)"
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// The field's Jacobian (`logDensityHessian`, forward mode) = central differences of the score in x
    /// (h = 1e-5 max(1, |x_j|)), to 1e-5 (1 + max |J|), sigma in [0.1, 100].
    @Test func scoreJacobianEqualsCentralDifferences() throws {
        let failures = try Property.check("score Jacobian = finite differences", cases: Property.caseCount(fraction: 0.5)) { rng in
            let model = try Self.randomModel(&rng)
            let d = model.dimension
            let x = (0..<d).map { _ in 5 * rng.nextNormal() }, sigma = Draw.logUniform(0.1, 100, &rng)
            guard let jacobian = model.logDensityHessian(at: x, sigma: sigma) else { return "no Jacobian" }
            var streams = ParticleStreams(seed: 0, first: 0, count: 1)
            let size = jacobian.map(abs).max() ?? 0
            for j in 0..<d {
                let h = 1e-5 * max(1, abs(x[j]))
                var up = x, down = x
                up[j] += h; down[j] -= h
                let su = model.score(at: up, sigma: sigma, streams: &streams), sd = model.score(at: down, sigma: sigma, streams: &streams)
                for r in 0..<d {
                    let difference = (su[r] - sd[r]) / (2 * h)
                    if abs(difference - jacobian[r * d + j]) > 1e-5 * (1 + size) {
                        return "J[\(r), \(j)] = \(jacobian[r * d + j]), finite difference \(difference) (x \(x), sigma \(sigma))"
                    }
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// s(x; sigma) = (D(x; sigma) - x) / sigma^2 for sigma in [1e-3, 1e3]: the cancellation-free score
    /// agrees with the plain formula to the latter's rounding error, 1e-13 (|x| + |D|) / sigma^2 + 1e-13 |s|.
    @Test func scoreIsTheDenoiserResidualOverSigmaSquared() throws {
        let failures = try Property.check("score = (D - x) / sigma^2") { rng in
            let model = try Self.randomModel(&rng)
            let x = (0..<model.dimension).map { _ in 6 * rng.nextNormal() }, sigma = Draw.logUniform(1e-3, 1e3, &rng)
            var streams = ParticleStreams(seed: 0, first: 0, count: 1)
            let s = model.score(at: x, sigma: sigma, streams: &streams), denoised = model.denoise(at: x, sigma: sigma)
            for j in 0..<model.dimension {
                let plain = (denoised[j] - x[j]) / (sigma * sigma)
                let bound = 1e-13 * (abs(x[j]) + abs(denoised[j])) / (sigma * sigma) + 1e-13 * abs(s[j])
                if !(abs(plain - s[j]) <= bound) { return "coordinate \(j): score \(s[j]), (D - x) / sigma^2 = \(plain), sigma \(sigma)" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// A batch of 1 ... 300 particles (crossing the 4-row blocks and the 256-row passes) gives bit for bit
    /// the scores of its particles evaluated one at a time, and all are finite, even at sigma = 0 and x ~ 1e6.
    @Test func batchScoresEqualPointScoresBitForBit() throws {
        let failures = try Property.check("learned batch = points", cases: Property.caseCount(fraction: 0.1)) { rng in
            let model = try Self.randomModel(&rng)
            let d = model.dimension, count = Draw.integer(1...300, &rng)
            let sigma = Draw.bool(&rng, probability: 0.1) ? 0 : Draw.logUniform(1e-4, 100, &rng)
            let x = (0..<(count * d)).map { _ in Draw.bool(&rng, probability: 0.05) ? 1e6 * rng.nextNormal() : 5 * rng.nextNormal() }
            var out = [Double](repeating: .nan, count: count * d)
            var streams = ParticleStreams(seed: 0, first: 0, count: count)
            x.withUnsafeBufferPointer { xs in out.withUnsafeMutableBufferPointer { o in
                model.scores(xs.baseAddress!, count: count, sigma: sigma, into: o.baseAddress!, streams: &streams)
            } }
            var single = ParticleStreams(seed: 0, first: 0, count: 1)
            for p in 0..<count {
                let one = model.score(at: Array(x[(p * d)..<((p + 1) * d)]), sigma: sigma, streams: &single)
                if one != Array(out[(p * d)..<((p + 1) * d)]) { return "particle \(p) of \(count): batch \(out[(p * d)..<((p + 1) * d)]) vs point \(one)" }
                if !one.allSatisfy(\.isFinite) { return "particle \(p): non-finite score \(one) at x \(x[(p * d)..<((p + 1) * d)]), sigma \(sigma)" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// The EDM coefficients at sigma = sd: c_skip = 1/2, c_out = sd / sqrt 2, c_in = 1 / (sd sqrt 2),
    /// lambda = 2 / sd^2 = 1 / c_out^2; and the data std of the 1D preset's ideal mixture is sqrt(16 + 0.64).
    @Test func preconditioningHasEDMsCoefficients() throws {
        let p = try EDMPreconditioning(sigmaData: 3)
        let c = p.coefficients(sigma: 3)
        #expect(abs(c.skip - 0.5) < 1e-15)
        #expect(abs(c.out - 3 / 2.0.squareRoot()) < 1e-15)
        #expect(abs(c.input - 1 / (3 * 2.0.squareRoot())) < 1e-15)
        #expect(abs(c.noise - log(3.0) / 4) < 1e-15)
        #expect(abs(p.lossWeight(sigma: 3) - 1 / (c.out * c.out)) < 1e-15)
        let sd = EDMPreconditioning.dataStandardDeviation(of: Presets.oneDimensional().ideal)
        #expect(abs(sd - (16.64).squareRoot()) < 1e-14)
        #expect(throws: ToyError.self) { try EDMPreconditioning(sigmaData: 0) }
    }

    /// Adam's first step moves each coordinate by lr |g| / (|g| + eps) against g (to 1e-15 relative), and
    /// Adam with a decaying rate brings a badly scaled quadratic sum a_k (theta_k - c_k)^2 (a_k from 1e-2 to 1e2)
    /// to its minimum within 1e-3.
    @Test func adamStepsAndConvergesOnAQuadratic() {
        var rng = Xoshiro256StarStar(seed: 11)
        let n = 12
        let a = (0..<n).map { _ in Draw.logUniform(1e-2, 1e2, &rng) }, c = (0..<n).map { _ in 3 * rng.nextNormal() }
        func gradient(_ theta: [Double]) -> [Double] { (0..<n).map { 2 * a[$0] * (theta[$0] - c[$0]) } }
        var theta = [Double](repeating: 0, count: n)
        var adam = AdamOptimizer(parameterCount: n)
        let g0 = gradient(theta)
        adam.step(&theta, gradient: g0, learningRate: 0.1)
        for k in 0..<n {
            let expected = -0.1 * g0[k] / (abs(g0[k]) + 1e-8)
            #expect(abs(theta[k] - expected) <= 1e-15 * abs(expected), "first step, coordinate \(k)")
        }
        for t in 1..<3000 { adam.step(&theta, gradient: gradient(theta), learningRate: 0.1 * pow(0.998, Double(t))) }
        for k in 0..<n { #expect(abs(theta[k] - c[k]) < 1e-3, "coordinate \(k): \(theta[k]) vs \(c[k]) (a = \(a[k]))") }
    }

    /// The allocation-free data sampler draws exactly what `NoisyMixture.sample` draws (same bits).
    @Test func dataSamplerEqualsTheMixtureSampler() throws {
        let failures = try Property.check("data sampler = mixture sampler", cases: Property.caseCount(fraction: 0.25)) { rng in
            let mixture = try Draw.mixtureCase(dimensions: 1...3, maxComponents: 4, &rng).mixture()
            let d = mixture.dimension, sampler = MixtureDataSampler(mixture), noisy = mixture.noisy(at: 0)
            var a = [Double](repeating: 0, count: d), b = a, scratch = a
            let seed = rng.next()
            var r1 = Xoshiro256StarStar(seed: seed), r2 = Xoshiro256StarStar(seed: seed)
            for _ in 0..<5 {
                a.withUnsafeMutableBufferPointer { o in scratch.withUnsafeMutableBufferPointer { s in
                    sampler.draw(into: o.baseAddress!, scratch: s.baseAddress!, using: &r1)
                } }
                b.withUnsafeMutableBufferPointer { noisy.sample(into: $0.baseAddress!, using: &r2) }
                if a != b { return "\(a) vs \(b)" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
