import Toy

/// The method catalogue: each method name and the `Sampler` that runs it on an experiment's models
/// with its settings (W2SD-NOTES section 4).
public enum MethodCatalogue {
    public static func sampler(_ method: MethodName, models: ModelTriple, spec: ExperimentSpec) throws -> Sampler {
        let settings = spec.samplerSettings
        switch method {
        case .ideal: return try .standard(models.ideal, settings: settings, name: "ideal")
        case .strong: return try .standard(models.strong, settings: settings, name: "strong")
        case .weak: return try .standard(models.weak, settings: settings, name: "weak")
        case .w2sd:
            let weak: any ScoreField = spec.inversionError > 0 ? try PerturbedScore(models.weak, strength: spec.inversionError) : models.weak
            return try .w2sd(strong: models.strong, weak: weak, settings: settings)
        case .s2wd: return try .s2wd(strong: models.strong, weak: models.weak, settings: settings)
        case .autoguidance: return try .autoguidance(strong: models.strong, weak: models.weak, weight: spec.guidance, settings: settings)
        case .resampling: return try .resampling(strong: models.strong, settings: settings)
        case .advancedResampling: return try .advancedResampling(strong: models.strong, weak: models.weak, settings: settings)
        }
    }
}
