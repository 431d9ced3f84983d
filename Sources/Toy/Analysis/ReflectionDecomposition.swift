import Foundation

/// Where W2SD's reflection moves a sample at one step, split into its parts (W2SD-NOTES section 8,
/// Theorem 1), as Monte Carlo expectations over exact draws x ~ p*(x; sigma_i):
///
///     R_exact(x) = M_inv,exact^weak(M^strong(x))   the reflection with an exact inversion: its move
///                                                  R_exact(x) - x = h_i Delta1(x; sigma_i) + O(h_i^2)
///     R_paper(x) = M_inv,paper^weak(M^strong(x))   the paper's inversion (eq. 5), as W2SD runs by default
///
///     displacementExact = E|R_exact(x) - x|              the Delta1 part (about h_i E|Delta1|)
///     inversionBias     = E|R_paper(x) - R_exact(x)|     what the paper's inversion adds, whatever the models
///     idealCorrection   = h_i E|Delta2(x; sigma_i)|      the move that would make the step ideal
///
/// with h_i = sigma_i (sigma_i - sigma_{i+1}) and Delta2 = s_ideal - s_strong (a plain difference of the
/// two scores: at small sigma it carries their rounding, about 1e-16 |s|). M is the run's solver. The
/// paired per-sample difference |R_exact - x| - |R_paper - R_exact| gives `displacementMinusBias` with
/// its standard error, so a table can say which part is larger only where the difference exceeds its noise.
///
/// The exact inversion solves M(x) = y only to its tolerance, so |R_exact(x) - x| has a floor: the
/// control `exactFloor` = E|M_inv,exact^strong(M^strong(x)) - x|, the strong model reflected by itself
/// (zero in exact arithmetic), measured on the same draws. `displacementExact` is resolved only above
/// `resolutionFactor` times that floor.
public struct ReflectionDecomposition: Sendable, Equatable {
    public var sigma: Double
    public var next: Double
    public var samples: Int
    public var displacementExact: Double
    public var inversionBias: Double
    public var idealCorrection: Double
    /// E|R_exact^{strong->strong}(x) - x|: what the exact inversion's tolerance leaves (the control).
    public var exactFloor: Double
    /// Mean and standard error of |R_exact(x) - x| - |R_paper(x) - R_exact(x)| over the same draws.
    public var displacementMinusBias: Double
    public var displacementMinusBiasError: Double

    /// Which part is larger: the Delta1 part, the inversion bias, or neither shown (the paired difference
    /// within two standard errors of 0).
    public enum Larger: String, Sendable { case displacement = "Delta1 part", bias = "inversion bias", neither = "no difference shown" }

    /// How far above the exact self-reflection's floor a displacement must be to count as measured.
    public static let resolutionFactor = 4.0

    /// Whether `displacementExact` stands above the inversion's floor.
    public var displacementResolved: Bool { displacementExact > Self.resolutionFactor * exactFloor }

    /// The larger part: the paired difference beyond two standard errors; an unresolved displacement is
    /// smaller than a bias above the floor, and neither is shown larger when both are at the floor.
    public var larger: Larger {
        if !displacementResolved {
            return inversionBias > Self.resolutionFactor * exactFloor ? .bias : .neither
        }
        guard abs(displacementMinusBias) > 2 * displacementMinusBiasError else { return .neither }
        return displacementMinusBias > 0 ? .displacement : .bias
    }

    /// Measures the step from `sigma` to `next` (> 0: the paper's inversion needs a step down to a
    /// positive level) with `samples` draws of p*(x; sigma) from `seed`. Throws if the exact inversion
    /// does not converge (`tolerance` as in `Inversion.exact`).
    public static func measure(strong: any ScoreField, weak: any ScoreField, ideal: GaussianMixture, sigma: Double, next: Double,
                               solver: Solver, samples: Int, seed: UInt64,
                               tolerance: Double = 1e-13) throws -> ReflectionDecomposition {
        guard sigma > next, next > 0, samples >= 2 else {
            throw ToyError.invalid(input: "reflection decomposition step \(sigma) -> \(next) with \(samples) draws",
                                   accepted: "sigma > next > 0 and at least two draws")
        }
        let d = ideal.dimension, n = samples * d
        // The two fields with their set-up at the step's two levels done once (the same scores and
        // Hessians, bit for bit; a mixture would otherwise form its noisy mixture for every evaluation
        // of the exact inversions' Newton iterations).
        let strong = strong.prepared(for: [sigma, next]), weak = weak.prepared(for: [sigma, next])
        let x = ideal.samples(count: samples, sigma: sigma, seed: seed)
        var streams = ParticleStreams(seed: seed, first: 0, count: samples)
        // y = M^strong(x), then both inversions of the weak model from y.
        var exact = x, paper = x, own = x
        let h = sigma * (sigma - next)
        let exactInversion = Inversion.exact(tolerance: tolerance)
        try exact.withUnsafeMutableBufferPointer { e in
            try paper.withUnsafeMutableBufferPointer { p in
                try own.withUnsafeMutableBufferPointer { o in
                    guard let e = e.baseAddress, let p = p.baseAddress, let o = o.baseAddress else { return }
                    _ = solver.step(strong, e, count: samples, from: sigma, to: next, streams: &streams)
                    p.update(from: e, count: n)
                    o.update(from: e, count: n)
                    _ = try exactInversion.invert(weak, e, count: samples, from: next, to: sigma, solver: solver, streams: &streams)
                    _ = try Inversion.paper.invert(weak, p, count: samples, from: next, to: sigma, solver: solver, streams: &streams)
                    _ = try exactInversion.invert(strong, o, count: samples, from: next, to: sigma, solver: solver, streams: &streams)
                }
            }
        }
        // Delta2(x) = s_ideal(x) - s_strong(x) at sigma.
        var idealScores = [Double](repeating: 0, count: n), strongScores = [Double](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xs in
            guard let xs = xs.baseAddress else { return }
            idealScores.withUnsafeMutableBufferPointer { ideal.scores(xs, count: samples, sigma: sigma, into: $0.baseAddress!, streams: &streams) }
            strongScores.withUnsafeMutableBufferPointer { strong.scores(xs, count: samples, sigma: sigma, into: $0.baseAddress!, streams: &streams) }
        }
        func norm(_ k: Int, _ a: (Int) -> Double) -> Double {
            var s = 0.0
            for j in 0..<d { s += a(k * d + j) * a(k * d + j) }
            return s.squareRoot()
        }
        var displacement = 0.0, bias = 0.0, correction = 0.0, floor = 0.0, meanDifference = 0.0, m2 = 0.0
        for k in 0..<samples {
            floor += norm(k) { own[$0] - x[$0] }
            let move = norm(k) { exact[$0] - x[$0] }
            let gap = norm(k) { paper[$0] - exact[$0] }
            displacement += move
            bias += gap
            correction += norm(k) { idealScores[$0] - strongScores[$0] }
            // Welford's update of the paired difference's mean and squared deviations.
            let difference = move - gap, delta = difference - meanDifference
            meanDifference += delta / Double(k + 1)
            m2 += delta * (difference - meanDifference)
        }
        let count = Double(samples)
        return ReflectionDecomposition(sigma: sigma, next: next, samples: samples, displacementExact: displacement / count,
                                       inversionBias: bias / count, idealCorrection: h * correction / count, exactFloor: floor / count,
                                       displacementMinusBias: meanDifference,
                                       displacementMinusBiasError: (m2 / (count - 1) / count).squareRoot())
    }
}
