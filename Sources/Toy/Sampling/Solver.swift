/// One step of the probability-flow ODE dx/dsigma = -sigma s(x; sigma) from sigma_i down to sigma_{i+1}.
public enum Solver: String, Sendable, CaseIterable, Codable {
    /// The paper's operator M: x + h_i s(x; sigma_i) with h_i = sigma_i (sigma_i - sigma_{i+1}).
    case euler
    /// EDM's second-order step: the trapezoid of the slopes at x and at the Euler point
    /// (plain Euler on the last step, where sigma_{i+1} = 0).
    case heun

    /// Advances the batch `x` (count particles, flat) from `sigma` to `next`, in place.
    /// Returns the number of mixture-score evaluations spent.
    public func step(_ field: any ScoreField, _ x: UnsafeMutablePointer<Double>, count: Int,
                     from sigma: Double, to next: Double, streams: inout ParticleStreams) -> Int {
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 3 * count * field.dimension)
        defer { scratch.deallocate() }
        return step(field, x, count: count, from: sigma, to: next, streams: &streams, scratch: scratch)
    }

    /// The same with `scratch` (3 count d entries) for the slopes and the Heun predictor, for callers
    /// that step one particle many times (`ExactStepInversion`).
    func step(_ field: any ScoreField, _ x: UnsafeMutablePointer<Double>, count: Int,
              from sigma: Double, to next: Double, streams: inout ParticleStreams, scratch slope: UnsafeMutablePointer<Double>) -> Int {
        let n = count * field.dimension
        field.scores(x, count: count, sigma: sigma, into: slope, streams: &streams)
        let h = sigma * (sigma - next)
        switch self {
        case .euler:
            for i in 0..<n { x[i] += h * slope[i] }
            return count * field.evaluationCost
        case .heun:
            guard next > 0 else {
                for i in 0..<n { x[i] += h * slope[i] }
                return count * field.evaluationCost
            }
            // Euler predictor, then x + (sigma - next) (sigma s(x; sigma) + next s(x_e; next)) / 2.
            let predictor = slope + n
            let corrector = predictor + n
            for i in 0..<n { predictor[i] = x[i] + h * slope[i] }
            field.scores(predictor, count: count, sigma: next, into: corrector, streams: &streams)
            let dt = sigma - next
            for i in 0..<n { x[i] += 0.5 * dt * (sigma * slope[i] + next * corrector[i]) }
            return 2 * count * field.evaluationCost
        }
    }
}
