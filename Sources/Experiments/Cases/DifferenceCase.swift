import Toy

/// A named toy in which the weak-to-strong difference Delta1 = s_strong - s_weak and the
/// strong-to-ideal difference Delta2 = s_ideal - s_strong disagree (the "difference zoo"; the pinned
/// presets differ only in mode weights, so there the two are parallel). Every case is exact at every
/// noise level: the ideal model is a Gaussian mixture, and the strong and weak models are mixtures or
/// exact score fields built from mixtures (classifier-free guidance, saturation).
///
/// Every case is an experiment (`experiment`, identical to `Examples/cases/<name>.json`), so it runs
/// wherever an experiment file does; `models()` gives its three models and `mixtures()` the three
/// mixtures of a case whose strong and weak models are plain mixtures.
public struct DifferenceCase: Sendable {
    public let name: String
    /// One sentence: what differs and what the case shows.
    public let summary: String
    /// The case as an experiment (the pinned sampler settings and methods).
    public let experiment: ExperimentSpec

    init(name: String, summary: String, experiment: ExperimentSpec) {
        self.name = name
        self.summary = summary
        self.experiment = experiment
    }

    /// d, the dimension of every model of the case.
    public var dimension: Int { experiment.dimension }

    /// One name per mode of the ideal model, in order.
    public var modeNames: [String] { experiment.modeNames }

    /// Whether the strong or weak model is a score field (guided or saturated) rather than a mixture.
    public var hasFieldModels: Bool { experiment.strong.isField || experiment.weak.isField }

    /// The three models. Errors name the case.
    public func models() throws -> ScoreModels {
        try experiment.models(source: "case \(name)")
    }

    /// The three mixtures; nil for a case whose strong or weak model is a field.
    public func mixtures() throws -> ModelTriple? {
        try models().mixtures
    }
}

extension DifferenceCase {
    /// The case called `name`; an error lists the names accepted.
    public static func named(_ name: String) throws -> DifferenceCase {
        guard let found = all.first(where: { $0.name == name }) else {
            throw ToyError.invalid(input: "case '\(name)'", accepted: "one of \(all.map(\.name).joined(separator: ", "))")
        }
        return found
    }
}
