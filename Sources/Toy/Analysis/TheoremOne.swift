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
