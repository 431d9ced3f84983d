/// The knobs shared by every sampler, with the pinned defaults: T = 50 Karras steps, Euler,
/// `paper` inversion, lambda = T - 1 reflections, gamma = 1.
public struct SamplerSettings: Sendable, Equatable {
    public var schedule: NoiseSchedule
    public var steps: Int
    public var solver: Solver
    public var inversion: Inversion
    /// lambda: reflect at steps i < lambda. nil means the paper's default T - 1.
    public var reflectionSteps: Int?
    /// gamma: x <- x + gamma (R(x) - x); gamma = 1 is the paper's Algorithm 1.
    public var gamma: Double
    /// The reflection window in sigma (W2SD-NOTES section 8): step i reflects only if its sigma_i lies in
    /// it. nil: every step i < lambda reflects (the paper).
    public var reflectionWindow: ClosedRange<Double>?

    public init(schedule: NoiseSchedule = .standard, steps: Int = 50, solver: Solver = .euler,
                inversion: Inversion = .paper, reflectionSteps: Int? = nil, gamma: Double = 1,
                reflectionWindow: ClosedRange<Double>? = nil) {
        self.schedule = schedule
        self.steps = steps
        self.solver = solver
        self.inversion = inversion
        self.reflectionSteps = reflectionSteps
        self.gamma = gamma
        self.reflectionWindow = reflectionWindow
    }

    public var lambda: Int { reflectionSteps ?? steps - 1 }

    /// Whether step i (from sigma_i) reflects: i < lambda (so never the last step, i = T - 1) and
    /// sigma_i inside the reflection window when one is set.
    public func reflects(step i: Int, sigma: Double) -> Bool {
        i < lambda && (reflectionWindow?.contains(sigma) ?? true)
    }

    /// The number of reflecting steps.
    public var reflectingSteps: Int {
        let s = sigmas
        return (0..<steps).filter { reflects(step: $0, sigma: s[$0]) }.count
    }

    /// sigma_0 ... sigma_{T-1}, 0.
    public var sigmas: [Double] { schedule.sigmas(steps: steps) }

    /// Checks every knob and names the one at fault.
    public func validated() throws -> SamplerSettings {
        _ = try schedule.validated()
        guard steps >= 2 else { throw ToyError.invalid(input: "steps", accepted: "an integer >= 2 (got \(steps))") }
        guard (0...steps - 1).contains(lambda) else {
            throw ToyError.invalid(input: "lambda", accepted: "an integer from 0 to steps - 1 = \(steps - 1) (got \(lambda))")
        }
        guard gamma.isFinite else { throw ToyError.invalid(input: "gamma", accepted: "a finite number (got \(gamma))") }
        if let w = reflectionWindow, !(w.lowerBound.isFinite && w.upperBound.isFinite && w.lowerBound >= 0) {
            throw ToyError.invalid(input: "reflection window", accepted: "0 <= LO <= HI, finite (got \(w))")
        }
        if case let .exact(tolerance) = inversion, !(tolerance > 0 && tolerance.isFinite) {
            throw ToyError.invalid(input: "inversion tolerance", accepted: "a finite number > 0 (got \(tolerance))")
        }
        return self
    }
}
