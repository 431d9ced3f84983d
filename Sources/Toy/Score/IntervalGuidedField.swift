/// Guidance in a limited interval (Kynkaanniemi et al. 2024, "Applying guidance in a limited interval
/// improves sample and distribution quality"): a sampler step i is guided when its *starting* noise
/// level sigma_i lies in [lo, hi] (both ends included), and unguided otherwise.
///
///     autoguidance:            guided   s_w + w (s_s - s_w)    (two evaluations)
///                              unguided s_s                    (one)
///     classifier-free guidance guided   s + w (s_C - s)        (two evaluations)
///                              unguided s_C                    (one; w = 1, no guidance)
///
/// The choice is made once per step, from sigma_i, not per evaluation: Heun's second stage (at
/// sigma_{i+1}) and a reflection's down-step and inversion back to sigma_i all belong to step i and use
/// step i's field. So the field cannot switch on the sigma it is evaluated at; the sampler asks
/// `field(forStepFrom: sigma_i)` at the start of each step and evaluates what that returns, whose
/// `evaluationCost` then counts the step's evaluations exactly (a guided Euler step 2, an unguided one 1;
/// with Heun 4 and 2, and on the last step, which is Euler, 2 and 1).
///
/// Evaluated directly (outside a sampler, e.g. at one noise level), the field is the one a step starting
/// at that sigma would use, and its `evaluationCost` is the larger of the two (the cost of a guided call).
public struct IntervalGuidedField: ScoreField {
    public let guided: any ScoreField
    public let unguided: any ScoreField
    /// [lo, hi], 0 <= lo <= hi, finite.
    public let interval: ClosedRange<Double>

    public init(guided: any ScoreField, unguided: any ScoreField, interval: ClosedRange<Double>) throws {
        guard guided.dimension == unguided.dimension else {
            throw ToyError.invalid(input: "guidance interval", accepted: "guided and unguided fields of one dimension (got \(guided.dimension) and \(unguided.dimension))")
        }
        guard interval.lowerBound.isFinite, interval.upperBound.isFinite, interval.lowerBound >= 0 else {
            throw ToyError.invalid(input: "guidance interval", accepted: "0 <= LO <= HI, finite (got \(interval))")
        }
        self.guided = guided
        self.unguided = unguided
        self.interval = interval
    }

    private init(unchecked guided: any ScoreField, _ unguided: any ScoreField, _ interval: ClosedRange<Double>) {
        self.guided = guided
        self.unguided = unguided
        self.interval = interval
    }

    /// Whether a step starting at `sigma` is guided: lo <= sigma <= hi.
    public func guides(stepFrom sigma: Double) -> Bool { interval.contains(sigma) }

    public func field(forStepFrom sigma: Double) -> any ScoreField {
        (guides(stepFrom: sigma) ? guided : unguided).field(forStepFrom: sigma)
    }

    public var dimension: Int { guided.dimension }
    public var evaluationCost: Int { max(guided.evaluationCost, unguided.evaluationCost) }
    public var withoutGuidance: (any ScoreField)? { unguided }

    public func scores(_ x: UnsafePointer<Double>, count: Int, sigma: Double,
                       into out: UnsafeMutablePointer<Double>, streams: inout ParticleStreams) {
        field(forStepFrom: sigma).scores(x, count: count, sigma: sigma, into: out, streams: &streams)
    }

    public func logDensityHessian(at x: [Double], sigma: Double) -> [Double]? {
        field(forStepFrom: sigma).logDensityHessian(at: x, sigma: sigma)
    }

    public func prepared(for sigmas: [Double]) -> any ScoreField {
        IntervalGuidedField(unchecked: guided.prepared(for: sigmas), unguided.prepared(for: sigmas), interval)
    }
}
