import Foundation

/// The move made before the ordinary step at each step i < lambda.
public enum Reflection: Sendable {
    /// No reflection: the plain sampler.
    case none
    /// R(x) = M_inv^up(M^down(x)): W2SD uses down = strong, up = weak; S2WD the two exchanged.
    case inversion(down: any ScoreField, up: any ScoreField)
    /// Re-Sampling (the paper's Algorithm 2): M^down(x) + sqrt(sigma_i^2 - sigma_{i+1}^2) eps.
    case renoise(down: any ScoreField)
    /// Advanced Re-Sampling (Algorithm 3): as `renoise`, with eps redrawn (up to 64 times) until its
    /// cosine with the W2SD perturbation M_inv^weak(M^strong(x)) - x is positive. When no draw qualifies
    /// (the perturbation is 0, or 64 draws in a row missed) the last draw is used.
    case alignedRenoise(strong: any ScoreField, weak: any ScoreField)
    /// The bias-corrected reflection (W2SD-NOTES section 8): R(x) = x + R_{down->up}(x) - R_{down->down}(x)
    /// with R_{a->b}(x) = M_inv^b(M^a(x)); the down-move y = M^down(x) is computed once and inverted with
    /// both fields. Trajectories record y as `reflectionDown` and R(x) as `reflectionUp`.
    case correctedInversion(down: any ScoreField, up: any ScoreField)

    /// The reflection with each field replaced by its field for the step starting at `sigma`
    /// (`ScoreField.field(forStepFrom:)`): the down-step at step i and its inversion back to sigma_i
    /// belong to step i.
    func forStep(from sigma: Double) -> Reflection {
        func at(_ field: any ScoreField) -> any ScoreField { field.field(forStepFrom: sigma) }
        switch self {
        case .none: return .none
        case let .inversion(down, up): return .inversion(down: at(down), up: at(up))
        case let .renoise(down): return .renoise(down: at(down))
        case let .alignedRenoise(strong, weak): return .alignedRenoise(strong: at(strong), weak: at(weak))
        case let .correctedInversion(down, up): return .correctedInversion(down: at(down), up: at(up))
        }
    }
}

/// A sampler: the paper's Algorithm 1 and its relatives, and the stochastic baselines, as one short
/// loop over the sigma grid.
///
///     for i in 0 ..< T:
///         sigma <- sigma_i
///         churn (EDM): x <- x + sqrt(sigma_hat^2 - sigma_i^2) S_noise eps, sigma <- sigma_hat (`Churn`)
///         if i < lambda (and sigma_i in the reflection window, when set): x <- x + gamma (R(x, i) - x)
///         x <- M(x; sigma -> sigma_{i+1})
///         restart: if i + 1 is the restart level j: K times { x += sqrt(t_max^2 - sigma_j^2) eps;
///                  N Heun steps t_max -> sigma_j } (`Restart`)
///
/// A sampler either reflects or injects noise (churn or restart), never both.
///
/// Every field of step i (the step's own and the reflection's) is the field for a step starting at
/// sigma_i (`ScoreField.field(forStepFrom:)`), chosen once at the start of the step: with a guidance
/// interval (`IntervalGuidedField`) a step is guided or not as a whole, in all of its evaluations
/// (a churned step too, chosen from sigma_i before the churn; a restart's sub-steps each from their own start).
public struct Sampler: Sendable {
    public let name: String
    /// The field of the ordinary step M (the strong model, or the guided field for autoguidance).
    public let field: any ScoreField
    public let reflection: Reflection
    /// Fresh noise around the ordinary steps (the stochastic baselines); none for every other sampler.
    public let injection: NoiseInjection
    public let settings: SamplerSettings
    /// The perturbation of every inversion (none unless set by `withInversionError`).
    public private(set) var inversionError = InversionError.none

    public init(name: String, field: any ScoreField, reflection: Reflection, injection: NoiseInjection = .none,
                settings: SamplerSettings) throws {
        self.name = name
        self.field = field
        self.reflection = reflection
        self.settings = try settings.validated()
        switch injection {
        case .none:
            self.injection = .none
        case let .churn(churn):
            self.injection = .churn(try churn.validated())
        case let .restart(restart):
            let checked = try restart.validated()
            if checked.count > 0, checked.level(in: self.settings.sigmas) == nil {
                let last = self.settings.sigmas[self.settings.steps - 1]
                throw ToyError.invalid(input: "restart interval",
                                       accepted: "a lower end t_min at or above the smallest noise level sigma_{T-1} = \(last) (the restarts end on the first level <= t_min; got t_min = \(checked.interval.lowerBound))")
            }
            self.injection = .restart(checked)
        }
        if case .none = reflection {} else if self.injection != .none {
            throw ToyError.invalid(input: "sampler \(name)", accepted: "a reflection or injected noise (churn, restart), not both")
        }
    }

    /// No steps at all (the grid is just sigma_0 = 0): with an exact prior of the model at sigma = 0 the
    /// prior draws are the result. Used only by `SamplingRun.exactReference`, which pairs the two.
    static func exactReference(_ model: GaussianMixture) -> Sampler {
        Sampler(name: "exact", field: model, reflection: .none, unvalidated: SamplerSettings(steps: 0))
    }

    private init(name: String, field: any ScoreField, reflection: Reflection, injection: NoiseInjection = .none,
                 unvalidated settings: SamplerSettings) {
        self.name = name
        self.field = field
        self.reflection = reflection
        self.injection = injection
        self.settings = settings
    }

    /// Plain probability-flow sampling of one field.
    public static func standard(_ field: any ScoreField, settings: SamplerSettings, name: String = "standard") throws -> Sampler {
        try Sampler(name: name, field: field, reflection: .none, settings: settings)
    }

    /// W2SD (Algorithm 1): reflect with R = M_inv^weak(M^strong(x)), then step with the strong model.
    public static func w2sd(strong: any ScoreField, weak: any ScoreField, settings: SamplerSettings) throws -> Sampler {
        try Sampler(name: "w2sd", field: strong, reflection: .inversion(down: strong, up: weak), settings: settings)
    }

    /// S2WD (negative reflection): R = M_inv^strong(M^weak(x)); the ordinary step stays strong.
    public static func s2wd(strong: any ScoreField, weak: any ScoreField, settings: SamplerSettings) throws -> Sampler {
        try Sampler(name: "s2wd", field: strong, reflection: .inversion(down: weak, up: strong), settings: settings)
    }

    /// Re-Sampling (the paper's Algorithm 2): denoise with the strong model, re-noise with fresh noise
    /// back to sigma_i, then the strong step.
    public static func resampling(strong: any ScoreField, settings: SamplerSettings) throws -> Sampler {
        try Sampler(name: "resampling", field: strong, reflection: .renoise(down: strong), settings: settings)
    }

    /// Advanced Re-Sampling (Algorithm 3): as Re-Sampling, with the fresh noise redrawn until it points
    /// along the W2SD perturbation M_inv^weak(M^strong(x)) - x.
    public static func advancedResampling(strong: any ScoreField, weak: any ScoreField, settings: SamplerSettings) throws -> Sampler {
        try Sampler(name: "advanced-resampling", field: strong, reflection: .alignedRenoise(strong: strong, weak: weak), settings: settings)
    }

    /// Autoguidance: plain sampling of s_w + w (s_s - s_w). With a guidance `interval` [lo, hi]
    /// (Kynkaanniemi et al. 2024), only the steps whose starting sigma_i lies in it are guided (two
    /// evaluations per Euler step, four per Heun step); the others take the strong model alone (one, two).
    public static func autoguidance(strong: any ScoreField, weak: any ScoreField, weight: Double,
                                    interval: ClosedRange<Double>? = nil, settings: SamplerSettings) throws -> Sampler {
        guard weight.isFinite else { throw ToyError.invalid(input: "guidance", accepted: "a finite number (got \(weight))") }
        let guided = try LinearScoreCombination.autoguided(weak: weak, strong: strong, weight: weight)
        let field: any ScoreField = try interval.map { try IntervalGuidedField(guided: guided, unguided: strong, interval: $0) } ?? guided
        return try Sampler(name: "autoguidance", field: field, reflection: .none, settings: settings)
    }

    /// Self-reflection, a control: W2SD with weak = strong, R = M_inv^strong(M^strong(x)), the same
    /// inversion as W2SD. Its samples equal `w2sd(strong: model, weak: model)` bit for bit; whatever it
    /// changes against `standard(model)` is the inversion's own bias (none for `exact`, up to its tolerance).
    public static func selfReflection(_ model: any ScoreField, settings: SamplerSettings) throws -> Sampler {
        try Sampler(name: "self-reflection", field: model, reflection: .inversion(down: model, up: model), settings: settings)
    }

    /// W2SD with the bias-corrected reflection: x <- x + gamma (R_{s->w}(x) - R_{s->s}(x)), with
    /// R_{a->b}(x) = M_inv^b(M^a(x)) under the chosen inversion, then the strong step.
    ///
    /// Both reflections start from the same y = M^s(x), so for `paper` and `ddim` the correction is exact:
    ///
    ///     paper: R_{s->w} - R_{s->s} = h_i Delta1(y; sigma_i),                      h_i = sigma_i (sigma_i - sigma_{i+1})
    ///     ddim:  R_{s->w} - R_{s->s} = sigma_{i+1} (sigma_i - sigma_{i+1}) Delta1(y; sigma_{i+1})
    ///
    /// (for either solver): a pure Delta1 move taken at the strong-denoised point, with no inversion
    /// bias at all. With Euler, y = x + h_i s_s(x; sigma_i) and the paper form expands to
    /// h_i Delta1(x) + h_i^2 (J_s - J_w)(x) s_s(x) + O(h_i^3) (J = Hessian of log p), against W2SD's
    /// R_{s->w} - x = h_i Delta1(x) - h_i^2 J_w(x) s_s(x) + O(h_i^3): both are h_i Delta1 + O(h_i^2)
    /// (Theorem 1), but the corrected remainder vanishes with the model difference, while W2SD's
    /// -h_i^2 J_w s_s is the inversion's bias and is there even when weak = strong.
    /// With `exact` inversion R_{s->s}(x) = x up to the inversion tolerance, so this equals W2SD up to
    /// that tolerance. With weak = strong (deterministic fields) the two reflections are the same
    /// computation, so the reflection is the identity exactly, for every inversion.
    ///
    /// Cost per reflecting step: the strong step (one field evaluation with Euler, two with Heun) plus
    /// two inversions, one per field: one inversion more than W2SD (for `paper`/`ddim` with mixtures,
    /// 3 evaluations per reflecting Euler step against W2SD's 2), all counted in the run's evaluations.
    public static func w2sdCorrected(strong: any ScoreField, weak: any ScoreField, settings: SamplerSettings) throws -> Sampler {
        try Sampler(name: "w2sd-corrected", field: strong, reflection: .correctedInversion(down: strong, up: weak), settings: settings)
    }

    /// EDM stochastic sampling (Karras et al. 2022, Algorithm 2) of one field: before each step the churn
    /// of `Churn` (x_hat at sigma_hat = (1 + gamma_i) sigma_i), then a Heun step from sigma_hat to
    /// sigma_{i+1} (Euler on the last step, to sigma = 0, as the project's Heun). The solver is Heun
    /// whatever `settings.solver` says (Algorithm 2 is a Heun sampler). With S_churn = 0 (or no level in
    /// [S_tmin, S_tmax]) it is `standard(field)` with Heun, bit for bit.
    ///
    /// Cost per particle: 2 (T - 1) + 1 evaluations of the field (the churn itself evaluates nothing).
    public static func edmChurn(_ field: any ScoreField, churn: Churn, settings: SamplerSettings) throws -> Sampler {
        var heun = settings
        heun.solver = .heun
        return try Sampler(name: "edm-churn", field: field, reflection: .none, injection: .churn(churn), settings: heun)
    }

    /// Restart sampling (Xu et al. 2023) of one field: deterministic Heun along the schedule with the K
    /// restarts of `Restart` (see there for the alignment of t_min with the schedule). The solver is
    /// Heun whatever `settings.solver` says. With K = 0 it is `standard(field)` with Heun, bit for bit.
    ///
    /// Cost per particle: 2 T - 1 + 2 K N evaluations of the field.
    public static func restart(_ field: any ScoreField, restart: Restart, settings: SamplerSettings) throws -> Sampler {
        var heun = settings
        heun.solver = .heun
        return try Sampler(name: "restart", field: field, reflection: .none, injection: .restart(restart), settings: heun)
    }

    /// Z-Sampling (zigzag diffusion sampling, Bai et al. 2024): W2SD whose two fields are one model guided
    /// with two weights, R = M_inv^{w_inv}(M^{w}(x)) and the ordinary step with w: the condition
    /// difference. `denoising` is the model guided with the denoising weight w, `inversion` the same
    /// model guided with the (lower) inversion weight. With the two equal it is self-reflection of the
    /// guided model, bit for bit.
    public static func zSampling(denoising: any ScoreField, inversion: any ScoreField, settings: SamplerSettings) throws -> Sampler {
        try Sampler(name: "z-sampling", field: denoising, reflection: .inversion(down: denoising, up: inversion), settings: settings)
    }

    /// Every noise level at which the sampler evaluates its fields: the grid, each churning step's
    /// sigma_hat and the restarts' levels.
    var visitedLevels: [Double] {
        let sigmas = settings.sigmas
        switch injection {
        case .none:
            return sigmas
        case let .churn(churn):
            return sigmas + sigmas.dropLast().map { churn.raisedLevel(sigma: $0, steps: settings.steps) }
        case let .restart(restart):
            guard restart.count > 0, let j = restart.level(in: sigmas) else { return sigmas }
            return sigmas + restart.levels(down: sigmas[j], rho: restartRho)
        }
    }

    /// The exponent of the restarts' Karras sub-schedule: the main schedule's, 7 for other schedules.
    var restartRho: Double {
        if case let .karras(_, _, rho) = settings.schedule { return rho }
        return 7
    }

    /// Trajectory points a recorded particle gets beyond the 1 + 4 T of the memory model
    /// (`SamplingRun.retainedBytes`): K (N + 1) for Restart (a churn adds at most T, within the model).
    public var extraTrajectoryPoints: Int {
        if case let .restart(restart) = injection { return restart.count * (restart.steps + 1) }
        return 0
    }

    /// This sampler with `error` applied to every inversion it makes: in `score` units the inverted model
    /// (the reflection's `up`, Advanced Re-Sampling's `weak`) is wrapped in `PerturbedScore`, which for
    /// W2SD is bit-identical to building it with a perturbed weak model; in `eps` units each inversion is
    /// followed by the kick of `InversionError`. A sampler that does not invert is returned unchanged.
    /// Throws if this sampler already carries an inversion error.
    public func withInversionError(_ error: InversionError) throws -> Sampler {
        guard inversionError.strength == 0 else {
            throw ToyError.invalid(input: "inversion error", accepted: "one inversion error per sampler (this one has k = \(inversionError.strength))")
        }
        guard error.strength > 0 else { return self }
        var reflection = self.reflection
        switch reflection {
        case .none, .renoise: return self
        case let .inversion(down, up) where error.units == .score:
            reflection = .inversion(down: down, up: try PerturbedScore(up, strength: error.strength))
        case let .correctedInversion(down, up) where error.units == .score:
            // The weak inversion is perturbed; the strong one only removes the inversion's own bias.
            reflection = .correctedInversion(down: down, up: try PerturbedScore(up, strength: error.strength))
        case let .alignedRenoise(strong, weak) where error.units == .score:
            reflection = .alignedRenoise(strong: strong, weak: try PerturbedScore(weak, strength: error.strength))
        case .inversion, .correctedInversion, .alignedRenoise: break
        }
        var copy = try Sampler(name: name, field: field, reflection: reflection, injection: injection, settings: settings)
        copy.inversionError = error
        return copy
    }

    /// This sampler with every field prepared for its noise levels (`ScoreField.prepared(for:)`): the same
    /// run, bit for bit, with the per-level set-up done once instead of for every batch.
    func preparedForItsLevels() -> Sampler {
        let sigmas = visitedLevels
        func prepare(_ field: any ScoreField) -> any ScoreField { field.prepared(for: sigmas) }
        let prepared: Reflection
        switch reflection {
        case .none: prepared = .none
        case let .inversion(down, up): prepared = .inversion(down: prepare(down), up: prepare(up))
        case let .renoise(down): prepared = .renoise(down: prepare(down))
        case let .alignedRenoise(strong, weak): prepared = .alignedRenoise(strong: prepare(strong), weak: prepare(weak))
        case let .correctedInversion(down, up): prepared = .correctedInversion(down: prepare(down), up: prepare(up))
        }
        var copy = Sampler(name: name, field: prepare(field), reflection: prepared, injection: injection, unvalidated: settings)
        copy.inversionError = inversionError
        return copy
    }

    /// Runs the loop on a batch `x` (count particles, flat) that holds prior samples at sigma_0.
    /// Returns the mixture-score evaluations spent; `perStep`, when given, is told each step's share
    /// (step i, evaluations of its reflection and its step).
    func run(_ x: UnsafeMutablePointer<Double>, count: Int, streams: inout ParticleStreams,
             recorder: inout TrajectoryRecorder, perStep: ((Int, Int) -> Void)? = nil) throws -> Int {
        let sigmas = settings.sigmas
        let n = count * field.dimension
        let reflected = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { reflected.deallocate() }
        var evaluations = 0
        var restartLevel: Int?
        if case let .restart(restart) = injection, restart.count > 0 { restartLevel = restart.level(in: sigmas) }
        recorder.record(x, level: 0, sigma: sigmas[0], phase: .start)
        for i in 0..<settings.steps {
            var sigma = sigmas[i]
            let next = sigmas[i + 1]
            let before = evaluations
            if case let .churn(churn) = injection {
                sigma = churn.churn(x, count: count, dimension: field.dimension, sigma: sigma, steps: settings.steps, streams: &streams)
                if sigma != sigmas[i] { recorder.record(x, level: i, sigma: sigma, phase: .churned) }
            }
            if settings.reflects(step: i, sigma: sigmas[i]), let move = try reflect(x, into: reflected, count: count, level: i,
                                                           sigmas: sigmas, streams: &streams,
                                                           recorder: &recorder, evaluations: &evaluations) {
                let gamma = settings.gamma
                for j in 0..<n { x[j] += gamma * (move[j] - x[j]) }
                if gamma != 1 { recorder.record(x, level: i, sigma: sigma, phase: .reflected) }
            }
            evaluations += settings.solver.step(field.field(forStepFrom: sigmas[i]), x, count: count, from: sigma, to: next, streams: &streams)
            recorder.record(x, level: i + 1, sigma: next, phase: .step)
            if i + 1 == restartLevel, case let .restart(restart) = injection {
                evaluations += restart.run(field, x, count: count, level: i + 1, sigmas: sigmas, rho: restartRho,
                                           streams: &streams, recorder: &recorder)
            }
            perStep?(i, evaluations - before)
        }
        return evaluations
    }

    /// Writes R(x, i) into `out` and returns it, or returns nil for `.none`. The reflection's fields are
    /// those of the step starting at sigma_i (its down-step and its inversion back to sigma_i belong to step i).
    private func reflect(_ x: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Double>, count: Int,
                         level i: Int, sigmas: [Double], streams: inout ParticleStreams,
                         recorder: inout TrajectoryRecorder, evaluations: inout Int) throws -> UnsafeMutablePointer<Double>? {
        let d = field.dimension, n = count * d
        let (sigma, next) = (sigmas[i], sigmas[i + 1])
        switch reflection.forStep(from: sigma) {
        case .none:
            return nil
        case let .inversion(down, up):
            out.update(from: x, count: n)
            evaluations += settings.solver.step(down, out, count: count, from: sigma, to: next, streams: &streams)
            recorder.record(out, level: i + 1, sigma: next, phase: .reflectionDown)
            evaluations += try settings.inversion.invert(up, out, count: count, from: next, to: sigma,
                                                         solver: settings.solver, streams: &streams)
            inversionError.kick(out, count: count, dimension: d, from: next, to: sigma, streams: &streams)
            recorder.record(out, level: i, sigma: sigma, phase: .reflectionUp)
            return out
        case let .correctedInversion(down, up):
            out.update(from: x, count: n)
            evaluations += settings.solver.step(down, out, count: count, from: sigma, to: next, streams: &streams)
            recorder.record(out, level: i + 1, sigma: next, phase: .reflectionDown)
            let own = UnsafeMutablePointer<Double>.allocate(capacity: n)
            defer { own.deallocate() }
            own.update(from: out, count: n)
            evaluations += try settings.inversion.invert(up, out, count: count, from: next, to: sigma,
                                                         solver: settings.solver, streams: &streams)
            inversionError.kick(out, count: count, dimension: d, from: next, to: sigma, streams: &streams)
            evaluations += try settings.inversion.invert(down, own, count: count, from: next, to: sigma,
                                                         solver: settings.solver, streams: &streams)
            for j in 0..<n { out[j] = x[j] + (out[j] - own[j]) }
            recorder.record(out, level: i, sigma: sigma, phase: .reflectionUp)
            return out
        case let .renoise(down):
            out.update(from: x, count: n)
            evaluations += settings.solver.step(down, out, count: count, from: sigma, to: next, streams: &streams)
            recorder.record(out, level: i + 1, sigma: next, phase: .reflectionDown)
            let scale = (sigma * sigma - next * next).squareRoot()
            for p in 0..<count { for j in 0..<d { out[p * d + j] += scale * streams.generators[p].nextNormal() } }
            recorder.record(out, level: i, sigma: sigma, phase: .reflectionUp)
            return out
        case let .alignedRenoise(strong, weak):
            // The W2SD direction R_w2sd(x) - x, against which each particle's noise must point.
            let direction = UnsafeMutablePointer<Double>.allocate(capacity: n)
            defer { direction.deallocate() }
            direction.update(from: x, count: n)
            evaluations += settings.solver.step(strong, direction, count: count, from: sigma, to: next, streams: &streams)
            out.update(from: direction, count: n)
            recorder.record(out, level: i + 1, sigma: next, phase: .reflectionDown)
            evaluations += try settings.inversion.invert(weak, direction, count: count, from: next, to: sigma,
                                                         solver: settings.solver, streams: &streams)
            inversionError.kick(direction, count: count, dimension: d, from: next, to: sigma, streams: &streams)
            let scale = (sigma * sigma - next * next).squareRoot()
            var eps = [Double](repeating: 0, count: d)
            for p in 0..<count {
                for _ in 0..<64 {
                    var dot = 0.0
                    for j in 0..<d {
                        eps[j] = streams.generators[p].nextNormal()
                        dot += eps[j] * (direction[p * d + j] - x[p * d + j])
                    }
                    if dot > 0 { break }
                }
                for j in 0..<d { out[p * d + j] += scale * eps[j] }
            }
            recorder.record(out, level: i, sigma: sigma, phase: .reflectionUp)
            return out
        }
    }
}
