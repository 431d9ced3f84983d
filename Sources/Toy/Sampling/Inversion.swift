import Foundation

/// M_inv: from y at sigma_{i+1} back up to x at sigma_i, with M the solver's step.
public enum Inversion: Sendable, Equatable {
    /// The paper's eq. 5: x = y - h_i s(y; sigma_i) (score at the lower-noise point, labelled with
    /// the higher noise level), h_i = sigma_i (sigma_i - sigma_{i+1}).
    case paper
    /// DDIM inversion: x = y - sigma_{i+1} (sigma_i - sigma_{i+1}) s(y; sigma_{i+1}), an Euler step of the
    /// same ODE going up, slope taken at the current point and noise level.
    case ddim
    /// Solves M(x, i) = y by Newton's method with the exact Hessian of log p (backtracking on the
    /// residual), with a fixed-point fallback, until max_j |M(x)_j - y_j| <= tolerance * max(1, max_j |y_j|).
    /// Non-convergence throws `ToyError.notConverged`.
    case exact(tolerance: Double)

    /// `exact` with the default tolerance 1e-13 (relative to max(1, |y|_inf)).
    public static let exactDefault = Inversion.exact(tolerance: 1e-13)

    public var name: String {
        switch self {
        case .paper: return "paper"
        case .ddim: return "ddim"
        case .exact: return "exact"
        }
    }

    /// Replaces the batch `y` (at `next` = sigma_{i+1}) by its inversion at `sigma` = sigma_i, in place.
    /// Returns the mixture-score evaluations spent.
    public func invert(_ field: any ScoreField, _ y: UnsafeMutablePointer<Double>, count: Int,
                       from next: Double, to sigma: Double, solver: Solver,
                       streams: inout ParticleStreams) throws -> Int {
        let n = count * field.dimension
        switch self {
        case .paper, .ddim:
            let slope = UnsafeMutablePointer<Double>.allocate(capacity: n)
            defer { slope.deallocate() }
            let (level, h) = self == .paper ? (sigma, sigma * (sigma - next)) : (next, next * (sigma - next))
            field.scores(y, count: count, sigma: level, into: slope, streams: &streams)
            for i in 0..<n { y[i] -= h * slope[i] }
            return count * field.evaluationCost
        case let .exact(tolerance):
            var evaluations = 0
            // The field prepared for this step's two levels: the same scores and Hessians, found among two levels.
            try ExactStepInversion(field: field.prepared(for: [sigma, next]), solver: solver, sigma: sigma, next: next, tolerance: tolerance)
                .solve(y, count: count, evaluations: &evaluations)
            return evaluations
        }
    }
}
