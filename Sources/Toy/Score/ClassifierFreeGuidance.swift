/// The classifier-free guided field of W2SD-NOTES section 8:
///
///     s_w(x; sigma) = s(x; sigma) + w (s(x; sigma | c) - s(x; sigma))
///
/// with s the score of the unconditional mixture p(x) and s(. | c) that of the class-conditional
/// p(x | c). It is the gradient of the unnormalised guided log-density
/// log p(x; sigma) + w (log p(x | c; sigma) - log p(x; sigma)), so its Jacobian is the symmetric
/// H + w (H_c - H) and `exact` inversion applies. w = 0 is p(x), w = 1 is p(x | c) (up to rounding of
/// s + (s_c - s)); w > 1 over-guides.
///
/// Delta1 and Delta2 of a guidance pair are collinear: with strong = s_{w_s}, weak = s_{w_w} and ideal
/// p(x | c), Delta1 = (w_s - w_w)(s_c - s) and Delta2 = (1 - w_s)(s_c - s), so they point the same way
/// when w_s < 1 and opposite ways when w_s > 1.
///
/// Cost: two mixture-score evaluations per particle and call.
public struct ClassifierFreeGuidance: ScoreField {
    public let unconditional: GaussianMixture
    public let conditional: GaussianMixture
    public let weight: Double

    /// `weight` must be finite; the two mixtures must share their dimension.
    public init(unconditional: GaussianMixture, conditional: GaussianMixture, weight: Double) throws {
        guard unconditional.dimension == conditional.dimension else {
            throw ToyError.invalid(input: "guided field", accepted: "unconditional and conditional mixtures of one dimension (got \(unconditional.dimension) and \(conditional.dimension))")
        }
        guard weight.isFinite else { throw ToyError.invalid(input: "guidance weight", accepted: "a finite number (got \(weight))") }
        self.unconditional = unconditional
        self.conditional = conditional
        self.weight = weight
    }

    public var dimension: Int { unconditional.dimension }
    public var evaluationCost: Int { 2 }

    /// The conditional score s_C alone (no guidance: one evaluation), used outside a guidance interval.
    /// The mixture itself, so its samples equal those of a model declared as the conditional p(x | c)
    /// bit for bit (not s + 1 (s_C - s), which differs from s_C by rounding).
    public var withoutGuidance: (any ScoreField)? { conditional }

    public func scores(_ x: UnsafePointer<Double>, count: Int, sigma: Double,
                       into out: UnsafeMutablePointer<Double>, streams: inout ParticleStreams) {
        let n = count * dimension
        let conditioned = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { conditioned.deallocate() }
        unconditional.noisy(at: sigma).scores(x, count: count, into: out)
        conditional.noisy(at: sigma).scores(x, count: count, into: conditioned)
        for i in 0..<n { out[i] += weight * (conditioned[i] - out[i]) }
    }

    /// H + w (H_c - H), row-major d x d (symmetric).
    public func logDensityHessian(at x: [Double], sigma: Double) -> [Double]? {
        let h = unconditional.hessian(at: x, sigma: sigma), hc = conditional.hessian(at: x, sigma: sigma)
        return zip(h, hc).map { $0 + weight * ($1 - $0) }
    }

    /// The unnormalised guided log-density log p(x; sigma) + w (log p(x | c; sigma) - log p(x; sigma)),
    /// whose gradient is the field. Finite for finite x (both terms are log-sum-exps).
    public func logDensity(at x: [Double], sigma: Double) -> Double {
        let l = unconditional.logDensity(at: x, sigma: sigma), lc = conditional.logDensity(at: x, sigma: sigma)
        return l + weight * (lc - l)
    }
}
