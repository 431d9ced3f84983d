/// The per-particle random streams of one batch: generator i belongs to particle i of the batch.
/// Fields that need noise (the inversion-error perturbation) draw from them; exact fields ignore them.
public struct ParticleStreams: Sendable {
    public var generators: [Xoshiro256StarStar]

    /// Streams for particles `first ..< first + count` under `seed`.
    public init(seed: UInt64, first: Int, count: Int) {
        generators = (0..<count).map { Xoshiro256StarStar(seed: seed, stream: UInt64(first + $0)) }
    }

    public var count: Int { generators.count }
}

/// A score field s(x; sigma) = grad_x log p(x; sigma) evaluated on batches of particles.
///
/// The batch layout is flat: particle i occupies x[i * d ..< (i + 1) * d].
public protocol ScoreField: Sendable {
    var dimension: Int { get }
    /// How many mixture-score evaluations one particle costs per call (1 for a mixture, 2 for a
    /// combination of two mixtures): the unit in which runs count their work.
    var evaluationCost: Int { get }
    /// out[i * d + j] = s(x_i; sigma)_j for i in 0 ..< count. `x` and `out` do not overlap;
    /// `streams` holds one generator per particle of the batch.
    func scores(_ x: UnsafePointer<Double>, count: Int, sigma: Double,
                into out: UnsafeMutablePointer<Double>, streams: inout ParticleStreams)
    /// The Hessian of the field's log-density (row-major d x d) at one point, or nil where the field
    /// has none (a field with random perturbation).
    func logDensityHessian(at x: [Double], sigma: Double) -> [Double]?
    /// This field with its per-noise-level set-up done once for `sigmas` (a run's grid) where that saves
    /// work on every call (a Gaussian mixture: its noisy mixture at each level); the same scores, bit for
    /// bit, at every sigma. By default the field itself.
    func prepared(for sigmas: [Double]) -> any ScoreField
    /// The field that a sampler step starting at noise level sigma_i uses for every evaluation it makes
    /// (both Heun stages, a reflection's down-step and its inversion back to sigma_i), whatever sigma
    /// those evaluations are at. Only a guidance interval (`IntervalGuidedField`) makes this differ from
    /// the field itself; combinators and wrappers pass the question on to the fields they hold.
    func field(forStepFrom sigma: Double) -> any ScoreField
    /// This field with its classifier-free guidance switched off: the conditional score s_C alone
    /// (`ClassifierFreeGuidance.conditional`, kept inside any wrapper such as a saturation), or nil when
    /// the field has no such guidance. What `limitingGuidance(to:)` uses outside the interval.
    var withoutGuidance: (any ScoreField)? { get }
}

extension ScoreField {
    public func prepared(for sigmas: [Double]) -> any ScoreField { self }
    public func field(forStepFrom sigma: Double) -> any ScoreField { self }
    public var withoutGuidance: (any ScoreField)? { nil }

    /// This field guided only at steps whose starting noise level lies in `interval`, and without its
    /// guidance (`withoutGuidance`) at the other steps; the field itself when it has no guidance to limit.
    public func limitingGuidance(to interval: ClosedRange<Double>) throws -> any ScoreField {
        guard let unguided = withoutGuidance else { return self }
        return try IntervalGuidedField(guided: self, unguided: unguided, interval: interval)
    }
}

extension ScoreField {
    /// The score at one point; draws any noise the field needs from `streams` (a single stream).
    public func score(at x: [Double], sigma: Double, streams: inout ParticleStreams) -> [Double] {
        var out = [Double](repeating: 0, count: dimension)
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in
                scores(xs.baseAddress!, count: 1, sigma: sigma, into: o.baseAddress!, streams: &streams)
            }
        }
        return out
    }
}

extension GaussianMixture: ScoreField {
    public var evaluationCost: Int { 1 }

    public func scores(_ x: UnsafePointer<Double>, count: Int, sigma: Double,
                       into out: UnsafeMutablePointer<Double>, streams: inout ParticleStreams) {
        noisy(at: sigma).scores(x, count: count, into: out)
    }

    public func logDensityHessian(at x: [Double], sigma: Double) -> [Double]? {
        noisy(at: sigma).hessian(at: x)
    }

    public func prepared(for sigmas: [Double]) -> any ScoreField { MixtureAtNoiseLevels(self, sigmas: sigmas) }
}
