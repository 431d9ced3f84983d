/// A method the experiments can run (`MethodCatalogue` maps each to its run).
public enum MethodName: String, CaseIterable, Codable, Sendable {
    /// i.i.d. samples of the ideal distribution (and of the strong and weak models): no sampler at all,
    /// so every metric of this row is its finite-sample floor at the run's particle count.
    case exact
    case exactStrong = "exact-strong"
    case exactWeak = "exact-weak"
    /// The ideal model sampled by the run's sampler: its distance to `exact` is the discretisation error.
    case idealSampled = "ideal-sampled"
    case strong, weak, w2sd, s2wd, autoguidance, resampling
    case advancedResampling = "advanced-resampling"
    /// Controls: W2SD with weak = strong (the reflection's own effect), and the bias-corrected reflection.
    case selfReflection = "self-reflection"
    case w2sdCorrected = "w2sd-corrected"
    /// Stochastic baselines on the strong model: EDM churn (Karras et al. 2022, Algorithm 2) and Restart
    /// sampling (Xu et al. 2023), both Heun samplers.
    case edmChurn = "edm-churn"
    case restart
    /// Z-Sampling (Bai et al. 2024): W2SD with the condition difference, the strong mixture guided
    /// towards the experiment's class with a higher (denoising) and a lower (inversion) weight.
    case zSampling = "z-sampling"

    /// The methods run when none are chosen.
    public static let defaults: [MethodName] = [.exact, .idealSampled, .strong, .weak, .w2sd]

    /// Whether the method draws exact samples (no sampler, no score evaluations).
    public var isExact: Bool { self == .exact || self == .exactStrong || self == .exactWeak }

    /// The methods that run a sampler (every method but the exact samples).
    public static let sampling = Set(allCases.filter { !$0.isExact })
    /// The methods that move x <- x + gamma (R(x) - x) before the steps i < lambda (in the reflection window).
    public static let reflecting: Set<MethodName> = [.w2sd, .s2wd, .resampling, .advancedResampling, .selfReflection, .w2sdCorrected, .zSampling]
    /// The reflecting methods whose R inverts a step (Re-Sampling re-noises instead).
    public static let inverting: Set<MethodName> = reflecting.subtracting([.resampling])

    /// The samplers whose step is Heun by definition (they read no `--solver`).
    public static let heunOnly: Set<MethodName> = [.edmChurn, .restart]
    /// The methods that need an experiment with a class (their fields are guided towards it).
    public static let classConditional: Set<MethodName> = [.zSampling]

    /// A model of the experiment: the ideal (every method's reference), the strong and the weak model.
    public enum ModelRole: String, Sendable { case ideal, strong, weak }

    /// The methods whose samples depend on a model (the ideal: every method, through the metrics).
    /// Z-Sampling uses the strong declaration's mixture and saturation, not its guidance weight
    /// (`--cfg-strong` excludes it; its own weights replace it).
    public static func using(_ role: ModelRole) -> Set<MethodName> {
        switch role {
        case .ideal: return Set(allCases)
        case .strong: return sampling.subtracting([.idealSampled, .weak]).union([.exactStrong])
        case .weak: return [.weak, .w2sd, .s2wd, .autoguidance, .advancedResampling, .w2sdCorrected, .exactWeak]
        }
    }
}
