import Foundation
import Testing
import TestSupport
@testable import Toy

/// The batch score kernel's special paths against the per-point reference (responsibilities with
/// `Foundation.exp` times the component scores): the d = 2 loop for components that share one isotropic
/// covariance (the presets' form), and that the presets take it; the pruned d = 2 loop of many components.
@Suite struct ScoreKernelTests {
    /// Batch scores of `points` (flat, dimension d) at `sigma`.
    static func batch(_ m: GaussianMixture, _ flat: [Double], sigma: Double) -> [Double] {
        var out = [Double](repeating: 0, count: flat.count)
        flat.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { o in
            m.noisy(at: sigma).scores(x.baseAddress!, count: flat.count / m.dimension, into: o.baseAddress!) } }
        return out
    }

    /// A noise level and 1 to 21 points (so that the padded tail is exercised): near the modes, or one in
    /// five as far as 1e6.
    static func drawBatch(near m: GaussianMixture, _ rng: inout Xoshiro256StarStar) -> (sigma: Double, points: [[Double]]) {
        let sigma = Draw.noiseLevel(&rng)
        let points = (0..<Draw.integer(1...21, &rng)).map { _ -> [Double] in
            Draw.bool(&rng, probability: 0.2)
                ? [Draw.logUniform(10, 1e6, &rng) * (Draw.bool(&rng) ? 1 : -1), Draw.uniform(-1e3, 1e3, &rng)]
                : Draw.point(near: m, &rng)
        }
        return (sigma, points)
    }

    /// nil when the 2D batch score `score` of `point` lies within 1e-12 max(1, |s|) of the reference
    /// (responsibilities with `Foundation.exp` times the component scores), else the mismatch.
    static func referenceMismatch(_ m: GaussianMixture, _ point: [Double], _ score: ArraySlice<Double>, sigma: Double) -> String? {
        let r = m.responsibilities(at: point, sigma: sigma)
        let g = m.noisy(at: sigma).componentScores(at: point)
        var reference = [0.0, 0.0]
        for (a, c) in m.activeIndices.enumerated() { for j in 0..<2 { reference[j] += r[c] * g[a * 2 + j] } }
        for j in 0..<2 where !(abs(score[score.startIndex + j] - reference[j]) <= 1e-12 * max(1, abs(reference[j]))) {
            return "sigma \(sigma): \(score[score.startIndex + j]) vs \(reference[j])"
        }
        return nil
    }

    /// Shared isotropic 2D mixtures (1 to 6 components, weights with exact zeros and 1e-300, one variance
    /// 0.05 ... 4, any noise level, points near the modes and as far as 1e6, batches of 1 to 21 so that
    /// the padded tail is exercised): every batch score within 1e-12 max(1, |s|) of the reference.
    @Test func sharedIsotropicPathMatchesTheReference() throws {
        let failures = try Property.check("isotropic 2D batch = reference") { rng in
            let k = Draw.integer(1...6, &rng)
            let variance = Draw.logUniform(0.05, 4, &rng)
            var weights = (0..<k).map { _ in Draw.element([0, 1e-300, Draw.uniform(0.05, 1, &rng)], &rng) }
            if weights.allSatisfy({ $0 == 0 }) { weights[0] = 1 }
            let m = try GaussianMixture(weights.map { w in
                GaussianComponent(weight: w, mean: [Draw.uniform(-6, 6, &rng), Draw.uniform(-6, 6, &rng)],
                                  covariance: [variance, 0, 0, variance])
            })
            let (sigma, points) = Self.drawBatch(near: m, &rng)
            let out = Self.batch(m, points.flatMap { $0 }, sigma: sigma)
            for i in points.indices {
                if let failure = Self.referenceMismatch(m, points[i], out[(2 * i)..<(2 * i + 2)], sigma: sigma) {
                    return "particle \(i) of \(points.count): \(failure)"
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// The isotropic loop is the one the 2D presets take at every noise level of a run (so the property
    /// above covers the presets' kernel), and a mixture with one anisotropic component does not take it.
    /// A mixture prepared for a run's levels (`prepared(for:)`) gives the mixture's scores bit for bit, at
    /// the listed levels and between them; a sampler prepared for its levels runs to the same particles
    /// (random mixtures in 1 to 3 dimensions, W2SD on a Karras grid).
    @Test func preparedMixturesScoreBitForBit() throws {
        let failures = Property.check("prepared = mixture") { rng -> String? in
            let d = Draw.integer(1...3, &rng)
            let m = Draw.mixture(dimension: d, &rng), weak = Draw.mixture(dimension: d, &rng)
            let levels = (0..<5).map { _ in Draw.uniform(0, 5, &rng) }
            let prepared = m.prepared(for: levels + [0])
            let n = Draw.integer(1...17, &rng)
            let flat = (0..<n).flatMap { _ in Draw.point(near: m, &rng) }
            for sigma in levels + [0, Draw.uniform(0, 5, &rng)] {
                var streams = ParticleStreams(seed: 1, first: 0, count: n)
                var out = [Double](repeating: 0, count: flat.count)
                flat.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { o in
                    prepared.scores(x.baseAddress!, count: n, sigma: sigma, into: o.baseAddress!, streams: &streams) } }
                if out != Self.batch(m, flat, sigma: sigma) { return "sigma \(sigma): prepared scores differ" }
            }
            let settings = SamplerSettings(steps: Draw.integer(2...6, &rng))
            guard let sampler = try? Sampler.w2sd(strong: m, weak: weak, settings: settings) else { return "sampler refused" }
            func run(_ s: Sampler) throws -> [Double] {
                var x = flat
                var streams = ParticleStreams(seed: 3, first: 0, count: n)
                var recorder = TrajectoryRecorder(firstParticle: 0, chunkCount: n, requested: 0, dimension: d)
                _ = try x.withUnsafeMutableBufferPointer { try s.run($0.baseAddress!, count: n, streams: &streams, recorder: &recorder) }
                return x
            }
            guard let plain = try? run(sampler), let fast = try? run(sampler.preparedForItsLevels()) else { return "run failed" }
            let same = zip(plain, fast).allSatisfy { $0.bitPattern == $1.bitPattern }
            return same ? nil : "prepared sampler moved the particles"
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func presetsTakeTheIsotropicPath() throws {
        let models = Presets.twoDimensional()
        for model in [models.ideal, models.strong, models.weak] {
            for sigma in [0, 0.002, 0.1, 1, 10, 80] {
                let p = try #require(model.noisy(at: sigma).sharedIsotropicPrecision2D, "sigma \(sigma)")
                #expect(abs(p * (0.64 + sigma * sigma) - 1) <= 1e-15, "sigma \(sigma): p = \(p)")
            }
        }
        var tilted = models.strong.components
        tilted[1].covariance[3] = 0.7
        #expect(try GaussianMixture(tilted).noisy(at: 1).sharedIsotropicPrecision2D == nil)
    }

    /// Many-component anisotropic 2D mixtures (32 to 90 components, the pruned loop: narrow components
    /// spread over [-8, 8]^2, condition numbers up to 1e4, weights down to 1e-300, any noise level,
    /// points near the modes and as far as 1e6, batches of 1 to 21): every batch score within
    /// 1e-12 max(1, |s|) of the reference, and each particle's score bit for bit the same alone as in
    /// its batch (a block keeps a component some lane needs; the other lanes must add exactly 0).
    @Test func prunedPathMatchesTheReferenceAndIgnoresBlockMates() throws {
        let failures = try Property.check("pruned 2D batch = reference") { rng in
            let k = Draw.integer(NoisyMixture.prunedComponentThreshold...90, &rng)
            let m = try GaussianMixture((0..<k).map { _ in
                GaussianComponent(weight: Draw.element([1e-300, Draw.uniform(0.05, 1, &rng)], &rng),
                                  mean: [Draw.uniform(-8, 8, &rng), Draw.uniform(-8, 8, &rng)],
                                  covariance: Draw.covariance(dimension: 2, scale: Draw.logUniform(1e-3, 1, &rng), maxCondition: 1e4, &rng))
            })
            let (sigma, points) = Self.drawBatch(near: m, &rng)
            let out = Self.batch(m, points.flatMap { $0 }, sigma: sigma)
            for i in points.indices {
                if let failure = Self.referenceMismatch(m, points[i], out[(2 * i)..<(2 * i + 2)], sigma: sigma) {
                    return "particle \(i) of \(points.count): \(failure)"
                }
                let alone = Self.batch(m, points[i], sigma: sigma)
                if alone[0].bitPattern != out[2 * i].bitPattern || alone[1].bitPattern != out[2 * i + 1].bitPattern {
                    return "particle \(i) of \(points.count), sigma \(sigma): alone \(alone) vs in its batch \(out[2 * i]), \(out[2 * i + 1])"
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// The pruned kernel's group skipping (`ComponentGroupBounds2D`) against forming every log-term, bit
    /// for bit. Mixtures of 32 to 160 anisotropic components in clusters listed one after another (so that
    /// groups of eight consecutive components are compact and their bounds bite), cluster spreads from
    /// 0.01 to 3, condition numbers up to 1e4, weights down to 1e-300, noise levels from 1e-3 to 10, batches
    /// of 1 to 40 points near the modes (or one in ten as far as 1e6). A bound that falls below a term the
    /// kernel computes drops a kept term or the maximum, and the scores differ.
    @Test func groupSkippingChangesNoScoreBitForBit() throws {
        var skippedAny = false
        let failures = try Property.check("pruned 2D with group skipping = without") { rng in
            let k = Draw.integer(NoisyMixture.prunedComponentThreshold...160, &rng)
            let clusterSize = Draw.integer(1...24, &rng), spread = Draw.logUniform(0.01, 3, &rng)
            var centre = [0.0, 0.0]
            let m = try GaussianMixture((0..<k).map { c in
                if c % clusterSize == 0 { centre = [Draw.uniform(-10, 10, &rng), Draw.uniform(-10, 10, &rng)] }
                return GaussianComponent(weight: Draw.element([1e-300, Draw.uniform(0.05, 1, &rng)], &rng),
                                         mean: [centre[0] + spread * Draw.uniform(-1, 1, &rng), centre[1] + spread * Draw.uniform(-1, 1, &rng)],
                                         covariance: Draw.covariance(dimension: 2, scale: Draw.logUniform(1e-4, 1, &rng), maxCondition: 1e4, &rng))
            })
            let sigma = Draw.logUniform(1e-3, 10, &rng)
            let n = Draw.integer(1...40, &rng)
            let flat = (0..<n).flatMap { _ -> [Double] in
                Draw.bool(&rng, probability: 0.1)
                    ? [Draw.logUniform(10, 1e6, &rng) * (Draw.bool(&rng) ? 1 : -1), Draw.uniform(-1e3, 1e3, &rng)]
                    : Draw.point(near: m, &rng)
            }
            let noisy = m.noisy(at: sigma)
            func scores(skipping: Bool) -> [Double] {
                var out = [Double](repeating: 0, count: flat.count)
                flat.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { o in
                    noisy.scores2DPrunedInOrder(x.baseAddress!, n, o.baseAddress!, skippingGroups: skipping) } }
                return out
            }
            let fast = scores(skipping: true), full = scores(skipping: false)
            for i in 0..<(2 * n) where fast[i].bitPattern != full[i].bitPattern {
                return "K \(k), clusters of \(clusterSize), spread \(spread), sigma \(sigma): coordinate \(i % 2) of particle \(i / 2): "
                    + "\(fast[i]) with skipping, \(full[i]) without"
            }
            skippedAny = skippedAny || Self.someGroupSkipped(noisy, flat)
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(skippedAny, "no drawn case skipped a group: the test would not see a wrong bound")
    }

    /// Whether some block of eight consecutive points of `flat` has a group whose bound lies below some
    /// component's log-term minus the pruning depth in every lane (the kernel's skip test with the final
    /// maximum).
    static func someGroupSkipped(_ noisy: NoisyMixture, _ flat: [Double]) -> Bool {
        let groups = ComponentGroupBounds2D(noisy)
        for start in stride(from: 0, to: flat.count / 2, by: Lanes.scalarCount) {
            var xs = Lanes(repeating: 0), ys = Lanes(repeating: 0)
            for l in 0..<Lanes.scalarCount {
                let i = min(start + l, flat.count / 2 - 1)
                xs[l] = flat[2 * i]; ys[l] = flat[2 * i + 1]
            }
            var top = Lanes(repeating: -.infinity)
            for l in 0..<Lanes.scalarCount {
                top[l] = flat.withUnsafeBufferPointer { noisy.componentLogTerms($0.baseAddress! + 2 * min(start + l, flat.count / 2 - 1)) }.max()!
            }
            for g in 0..<groups.count {
                let b = groups.parameters.withUnsafeBufferPointer { ComponentGroupBounds2D.bound($0.baseAddress! + 6 * g, xs, ys) }
                if all(b .< top - noisy.pruningDepth) { return true }
            }
        }
        return false
    }
}
