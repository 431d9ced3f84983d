/// Theorem 1 of the paper, checked locally: R(x, i) = x + h_i Delta1(x, sigma_i) + O(h_i^2), where
/// R = M_inv^weak(M^strong(.)) and Delta1 = s_strong - s_weak.
public enum TheoremOne {
    /// The reflection R(x) of one point between noise levels `sigma` (sigma_i) and `next` (sigma_{i+1}).
    public static func reflection(of x: [Double], strong: any ScoreField, weak: any ScoreField,
                                  sigma: Double, next: Double, solver: Solver = .euler,
                                  inversion: Inversion) throws -> [Double] {
        var y = x
        var streams = ParticleStreams(seed: 0, first: 0, count: 1)
        try y.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            _ = solver.step(strong, p, count: 1, from: sigma, to: next, streams: &streams)
            _ = try inversion.invert(weak, p, count: 1, from: next, to: sigma, solver: solver, streams: &streams)
        }
        return y
    }

    /// |R(x) - x - h Delta1(x, sigma)| (Euclidean) for each step next = sigma - delta, with
    /// h = sigma (sigma - next). Returns the pairs (h, residual).
    public static func residuals(at x: [Double], strong: any ScoreField, weak: any ScoreField, sigma: Double,
                                 deltas: [Double], inversion: Inversion) throws -> (h: [Double], residual: [Double]) {
        var streams = ParticleStreams(seed: 0, first: 0, count: 1)
        let delta1 = zip(strong.score(at: x, sigma: sigma, streams: &streams),
                         weak.score(at: x, sigma: sigma, streams: &streams)).map { $0 - $1 }
        var hs: [Double] = [], residuals: [Double] = []
        for delta in deltas {
            let h = sigma * delta
            let r = try reflection(of: x, strong: strong, weak: weak, sigma: sigma, next: sigma - delta, inversion: inversion)
            let norm = (0..<x.count).reduce(0.0) { sum, j in
                let e = r[j] - x[j] - h * delta1[j]
                return sum + e * e
            }.squareRoot()
            hs.append(h)
            residuals.append(norm)
        }
        return (hs, residuals)
    }

    /// The fitted order of the residual in h (Theorem 1 predicts 2).
    public static func order(at x: [Double], strong: any ScoreField, weak: any ScoreField, sigma: Double,
                             deltas: [Double], inversion: Inversion) throws -> Double {
        let r = try residuals(at: x, strong: strong, weak: weak, sigma: sigma, deltas: deltas, inversion: inversion)
        return logLogSlope(x: r.h, y: r.residual)
    }
}

/// How far one reflection at a schedule's own step departs from its first-order description
/// x + h Delta1(x), averaged over x ~ p*(x; sigma_i) (the ideal model's noisy marginal):
/// E|R(x) - x - h Delta1(x; sigma_i)| and E|h Delta1(x; sigma_i)| (Euclidean norms).
/// Theorem 1 bounds the first by O(h^2) as h -> 0; at a finite step it is simply measured.
public struct ReflectionStepError: Sendable, Equatable {
    public var sigma: Double
    public var next: Double
    /// h = sigma (sigma - next).
    public var h: Double
    /// E|R(x) - x - h Delta1|.
    public var meanResidual: Double
    /// E|h Delta1|.
    public var meanFirstOrderMove: Double
    /// The integration's error estimate (largest over the two integrals; see `Expectation`).
    public var integrationError: Double

    /// E|R(x) - x - h Delta1| / E|h Delta1|: the residual relative to the move Theorem 1 predicts
    /// (infinite when the predicted move is 0 and the residual is not; 0 when both are 0).
    public var relativeResidual: Double {
        meanFirstOrderMove > 0 ? meanResidual / meanFirstOrderMove : (meanResidual > 0 ? .infinity : 0)
    }

    /// Integrates both quantities under p*(x; sigma) with `Expectation` (1D adaptive Simpson, 2D
    /// trapezoid grids of `gridPoints` and 2 gridPoints - 1 per axis). Rethrows the first error of the
    /// inversion (the `exact` inversion reports non-convergence).
    public static func compute(_ models: ModelTriple, sigma: Double, next: Double, inversion: Inversion,
                               gridPoints: Int = 161) throws -> ReflectionStepError {
        let h = sigma * (sigma - next)
        var failure: (any Error)?
        let e = Expectation.compute(under: models.ideal, sigma: sigma, components: 2, gridPoints: gridPoints) { x in
            guard failure == nil else { return [0, 0] }
            do {
                let r = try TheoremOne.reflection(of: x, strong: models.strong, weak: models.weak, sigma: sigma,
                                                  next: next, inversion: inversion)
                let (delta1, _) = DeltaAlignment.deltas(models, at: x, sigma: sigma)
                var residual = 0.0, move = 0.0
                for j in 0..<x.count {
                    let step = h * delta1[j]
                    let e = r[j] - x[j] - step
                    residual += e * e
                    move += step * step
                }
                return [residual.squareRoot(), move.squareRoot()]
            } catch {
                failure = error
                return [0, 0]
            }
        }
        if let failure { throw failure }
        return ReflectionStepError(sigma: sigma, next: next, h: h, meanResidual: e.values[0],
                                   meanFirstOrderMove: e.values[1], integrationError: e.error)
    }
}
