/// s(x; sigma) + k eps with eps ~ N(0, I) drawn afresh at every evaluation from the particle's own
/// stream: the inversion error of the paper's Table 13 (applied to the weak score during inversion).
public struct PerturbedScore: ScoreField {
    public private(set) var base: any ScoreField
    public let strength: Double

    public init(_ base: any ScoreField, strength k: Double) throws {
        guard k.isFinite, k >= 0 else {
            throw ToyError.invalid(input: "inversion error k", accepted: "a finite number >= 0 (got \(k))")
        }
        self.base = base
        strength = k
    }

    public var dimension: Int { base.dimension }
    public var evaluationCost: Int { base.evaluationCost }

    /// The base's step field, perturbed alike (the same draws from the same streams).
    public func field(forStepFrom sigma: Double) -> any ScoreField {
        var copy = self
        copy.base = base.field(forStepFrom: sigma)
        return copy
    }

    public func scores(_ x: UnsafePointer<Double>, count: Int, sigma: Double,
                       into out: UnsafeMutablePointer<Double>, streams: inout ParticleStreams) {
        base.scores(x, count: count, sigma: sigma, into: out, streams: &streams)
        guard strength > 0 else { return }
        let d = dimension
        for i in 0..<count {
            for j in 0..<d { out[i * d + j] += strength * streams.generators[i].nextNormal() }
        }
    }

    /// None: a randomly perturbed field has no deterministic Hessian (so `exact` inversion refuses it).
    public func logDensityHessian(at x: [Double], sigma: Double) -> [Double]? { strength == 0 ? base.logDensityHessian(at: x, sigma: sigma) : nil }
}
