import Foundation

/// A score field with bounded tails, like a learned score far from its training data: the magnitude of
/// the base field s is smoothly capped at c(sigma),
///
///     s_sat(x; sigma) = s / sqrt(1 + |s|^2 / c^2)  ( = s c / sqrt(c^2 + |s|^2) ),
///     c(sigma) = kappa / sqrt(l^2 + sigma^2).
///
/// The cap c is the magnitude of the score of N(0, (l^2 + sigma^2) I) at kappa of its standard
/// deviations from the mean: a Gaussian tail of width l grows past it only beyond kappa noisy standard
/// deviations, and there the saturated field stops growing. So |s_sat| < c always, |s_sat| -> c far
/// away, and the direction of s is kept. Near the data, with r = |s| / c,
///
///     |s_sat - s| = |s| (1 - 1 / sqrt(1 + r^2)) <= |s| r^2 / 2,
///
/// e.g. a relative change below 3.2% at one noisy standard deviation from a component of width l
/// when kappa = 4 (r <= 1 / kappa), and below 5e-3 wherever r <= 0.1. c stays finite at sigma = 0
/// (c(0) = kappa / l), so the cap acts at every noise level, including the small ones where the
/// missing-mode overshoot of W2SD happens.
///
/// The map s -> s_sat is smooth, so the field has a Jacobian by the chain rule:
///
///     J_sat = g (I - s s^T / (c^2 + |s|^2)) H,   g = 1 / sqrt(1 + r^2),
///
/// with H the base field's Jacobian (the Hessian of log p). In 1D this is g^3 H. In d >= 2 the
/// saturated field is in general not a gradient field (J_sat is not symmetric); `logDensityHessian`
/// returns J_sat (row r = the derivatives of component r), which is what `exact` inversion needs.
/// Finite for any finite base score: |s| is computed with scaling and g = 1 / hypot(1, r).
public struct SaturatedScore: ScoreField {
    public private(set) var base: any ScoreField
    /// kappa > 0: the cap in noisy standard deviations.
    public let kappa: Double
    /// l > 0: the length scale of the cap (e.g. the data's standard deviation).
    public let length: Double

    public init(_ base: any ScoreField, kappa: Double, length: Double) throws {
        guard kappa.isFinite, kappa > 0 else { throw ToyError.invalid(input: "saturation kappa", accepted: "a finite number > 0 (got \(kappa))") }
        guard length.isFinite, length > 0 else { throw ToyError.invalid(input: "saturation length", accepted: "a finite number > 0 (got \(length))") }
        self.base = base
        self.kappa = kappa
        self.length = length
    }

    public var dimension: Int { base.dimension }
    public var evaluationCost: Int { base.evaluationCost }

    /// The base's step field, saturated alike.
    public func field(forStepFrom sigma: Double) -> any ScoreField {
        var copy = self
        copy.base = base.field(forStepFrom: sigma)
        return copy
    }

    /// The base without its guidance, saturated alike (nil when the base has no guidance).
    public var withoutGuidance: (any ScoreField)? {
        base.withoutGuidance.map { unguided in
            var copy = self
            copy.base = unguided
            return copy
        }
    }

    /// c(sigma) = kappa / sqrt(l^2 + sigma^2).
    public func cap(sigma: Double) -> Double { kappa / (length * length + sigma * sigma).squareRoot() }

    public func scores(_ x: UnsafePointer<Double>, count: Int, sigma: Double,
                       into out: UnsafeMutablePointer<Double>, streams: inout ParticleStreams) {
        base.scores(x, count: count, sigma: sigma, into: out, streams: &streams)
        let d = dimension, c = cap(sigma: sigma)
        for p in 0..<count {
            let g = Self.shrinkFactor(UnsafeBufferPointer(start: out + p * d, count: d), cap: c).factor
            for j in 0..<d { out[p * d + j] *= g }
        }
    }

    /// J_sat = g (I - s s^T / (c^2 + |s|^2)) H; nil where the base has no Hessian.
    public func logDensityHessian(at x: [Double], sigma: Double) -> [Double]? {
        guard let h = base.logDensityHessian(at: x, sigma: sigma) else { return nil }
        var streams = ParticleStreams(seed: 0, first: 0, count: 1)
        let s = base.score(at: x, sigma: sigma, streams: &streams)
        let d = dimension
        let (g, norm, r) = s.withUnsafeBufferPointer { Self.shrinkFactor($0, cap: cap(sigma: sigma)) }
        // s s^T / (c^2 + |s|^2) = u u^T r^2 / (1 + r^2) with the unit vector u = s / |s|.
        let weight = norm > 0 ? (r / (1 + r * r)) * r : 0
        let u = s.map { norm > 0 ? $0 / norm : 0 }
        var j = [Double](repeating: 0, count: d * d)
        for row in 0..<d {
            for col in 0..<d {
                var sum = h[row * d + col]
                for k in 0..<d { sum -= weight * u[row] * u[k] * h[k * d + col] }
                j[row * d + col] = g * sum
            }
        }
        return j
    }

    /// g = 1 / sqrt(1 + r^2) with r = |s| / c, |s| computed with scaling (no overflow for any finite s).
    static func shrinkFactor(_ s: UnsafeBufferPointer<Double>, cap c: Double) -> (factor: Double, norm: Double, ratio: Double) {
        let top = s.reduce(0) { max($0, abs($1)) }
        guard top > 0 else { return (1, 0, 0) }
        let norm = top * s.reduce(0) { $0 + ($1 / top) * ($1 / top) }.squareRoot()
        let r = norm / c
        return (1 / hypot(1, r), norm, r)
    }
}
