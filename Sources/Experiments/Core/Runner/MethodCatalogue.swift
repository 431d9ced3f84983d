import Toy

/// The method catalogue: each method name and how it runs on an experiment's models with its settings
/// (W2SD-NOTES sections 4 and 8).
public enum MethodCatalogue {
    /// The sampling run of `method`: its sampler, its prior and the run settings.
    public static func run(_ method: MethodName, models: ScoreModels, spec: ExperimentSpec, threads: Int, trajectories: Int,
                           keepSamples: Bool, seed: UInt64? = nil) throws -> SamplingRun {
        let seed = seed ?? spec.seed
        switch method {
        case .exact, .exactStrong, .exactWeak:
            let model = try exactModel(method, models: models)
            return SamplingRun.exactReference(of: model, particles: spec.particles, seed: seed, threads: threads,
                                              trajectories: 0, keepSamples: keepSamples, ideal: models.ideal)
        default:
            let prior: Prior = spec.prior == .exact ? .exact(models.ideal) : .gaussian
            return SamplingRun(sampler: try sampler(method, models: models, spec: spec), prior: prior, particles: spec.particles,
                               seed: seed, threads: threads, trajectories: trajectories, keepSamples: keepSamples, ideal: models.ideal)
        }
    }

    /// The mixture an exact method samples; the strong or weak model must then be a mixture.
    static func exactModel(_ method: MethodName, models: ScoreModels) throws -> GaussianMixture {
        let role = method == .exactStrong ? "strong" : "weak"
        let field = method == .exactStrong ? models.strong : models.weak
        if method == .exact { return models.ideal }
        guard let mixture = field as? GaussianMixture else {
            throw ToyError.invalid(input: "method \(method.rawValue)",
                                   accepted: "a \(role) model that is a mixture (this one is a guided, saturated or learned score field, which has no exact samples; sample it with the method \(role))")
        }
        return mixture
    }

    /// Z-Sampling's two fields: the experiment's strong declaration (its mixture with class labels, and its
    /// saturation if any) guided towards the experiment's class with `zGuidance` (denoising) and with
    /// `zInversionGuidance` (inversion), each built exactly as `--cfg-strong` builds the strong model, so
    /// with a weight equal to the strong model's cfg the field is that model, bit for bit. The strong
    /// model's own cfg is not used (the two weights replace it).
    ///
    /// Why the strong mixture: Z-Sampling improves one model by its condition difference, and the
    /// experiment's strong model is the model being improved; the ideal mixture would make the method an
    /// oracle (its conditional is the target itself), the weak one would discard what strong learned. On
    /// the guidance cases the strong mixture's components are the ideal's (in guidance-and-weights-1d
    /// re-weighted), so z-sampling's error is the guidance's own.
    ///
    /// Throws (a `ToyError` naming the method and what is accepted) when the experiment has no class or
    /// its strong model is a learned model (unconditional): there is no condition to take a difference of.
    static func zSamplingFields(spec: ExperimentSpec, dimension: Int) throws -> (denoising: any ScoreField, inversion: any ScoreField) {
        guard let condition = spec.condition else {
            throw ToyError.invalid(input: "method z-sampling",
                                   accepted: "an experiment whose models have classes (a class to guide towards: a guidance --case such as guidance-over-1d or guidance-under-1d, or --class C with class labels on the components); this experiment has none")
        }
        guard spec.strong.model == nil else {
            throw ToyError.invalid(input: "method z-sampling",
                                   accepted: "a strong model that is a mixture with class labels (this one is a learned model, which is unconditional)")
        }
        var denoising = spec.strong, inversion = spec.strong
        denoising.cfg = spec.zGuidance
        inversion.cfg = spec.zInversionGuidance
        return (try denoising.field("strong", condition: condition, dimension: dimension, source: "z-sampling"),
                try inversion.field("strong", condition: condition, dimension: dimension, source: "z-sampling"))
    }

    /// The sampler of a sampling method, with the spec's inversion error applied to every inversion it makes.
    public static func sampler(_ method: MethodName, models: ScoreModels, spec: ExperimentSpec) throws -> Sampler {
        let settings = spec.samplerSettings
        let models = try limitingGuidance(models, to: spec.guidanceInterval)
        let base: Sampler
        switch method {
        case .exact, .exactStrong, .exactWeak:
            throw ToyError.invalid(input: "method \(method.rawValue)", accepted: "a sampling method (exact samples have no sampler)")
        case .idealSampled: base = try .standard(models.ideal, settings: settings, name: "ideal")
        case .strong: base = try .standard(models.strong, settings: settings, name: "strong")
        case .weak: base = try .standard(models.weak, settings: settings, name: "weak")
        case .w2sd: base = try .w2sd(strong: models.strong, weak: models.weak, settings: settings)
        case .s2wd: base = try .s2wd(strong: models.strong, weak: models.weak, settings: settings)
        case .autoguidance: base = try .autoguidance(strong: models.strong, weak: models.weak, weight: spec.guidance,
                                                     interval: spec.guidanceInterval, settings: settings)
        case .resampling: base = try .resampling(strong: models.strong, settings: settings)
        case .advancedResampling: base = try .advancedResampling(strong: models.strong, weak: models.weak, settings: settings)
        case .selfReflection: base = try .selfReflection(models.strong, settings: settings)
        case .w2sdCorrected: base = try .w2sdCorrected(strong: models.strong, weak: models.weak, settings: settings)
        case .edmChurn: base = try .edmChurn(models.strong, churn: spec.churn, settings: settings)
        case .restart: base = try .restart(models.strong, restart: spec.restart, settings: settings)
        case .zSampling:
            let fields = try zSamplingFields(spec: spec, dimension: models.ideal.dimension)
            base = try .zSampling(denoising: fields.denoising, inversion: fields.inversion, settings: settings)
        }
        return try base.withInversionError(try InversionError(strength: spec.inversionError, units: spec.inversionErrorUnits))
    }

    /// The models with the classifier-free guidance of the strong and weak models (`cfg`, with a class)
    /// limited to the guidance interval: guided at steps whose sigma_i lies in it, the conditional score
    /// s_C at the others (`ScoreField.limitingGuidance(to:)`). Mixtures, learned models and saturated
    /// mixtures have no guidance and are unchanged; so is everything without an interval. The models of
    /// the analyses (delta, verify) are never limited: the interval is a property of the sampling steps.
    static func limitingGuidance(_ models: ScoreModels, to interval: ClosedRange<Double>?) throws -> ScoreModels {
        guard let interval else { return models }
        return try ScoreModels(ideal: models.ideal, strong: models.strong.limitingGuidance(to: interval),
                               weak: models.weak.limitingGuidance(to: interval))
    }
}
