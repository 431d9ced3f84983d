import Toy

/// A named toy in which the weak-to-strong difference Delta1 = s_strong - s_weak and the
/// strong-to-ideal difference Delta2 = s_ideal - s_strong disagree (the "difference zoo"; the pinned
/// presets differ only in mode weights, so there the two are parallel). Every case is exact at every
/// noise level: the ideal model is a Gaussian mixture, and the strong and weak models are mixtures or
/// exact score fields built from mixtures (classifier-free guidance, saturation).
///
/// `DifferenceCase.all` lists the catalogue (name, one-sentence summary, dimension); `models()` gives
/// the three models for any sampler; mixture cases also give `mixtures()` and `experiment()`,
/// the latter identical to `Examples/cases/<name>.json`.
public struct DifferenceCase: Sendable {
    /// How the three models are made.
    public enum Definition: Sendable {
        /// Three mixtures, declared exactly as in an experiment file (ideal components named).
        case mixtures(ExperimentSpec)
        /// Classifier-free guidance (W2SD-NOTES section 8).
        case guidance(GuidanceDefinition)
        /// Mixtures whose strong and/or weak score is saturated (`SaturatedScore`).
        case saturated(SaturationDefinition)
    }

    /// ideal = p_ideal(x | c); strong = s + w_s (s_c - s) of `strongMixture`, weak = the same with w_w of
    /// `weakMixture`. With one mixture for all three, this is the pure guidance difference.
    public struct GuidanceDefinition: Sendable, Equatable {
        public var idealMixture: ClassConditionalMixture
        public var strongMixture: ClassConditionalMixture
        public var weakMixture: ClassConditionalMixture
        public var label: String
        public var strongWeight: Double
        public var weakWeight: Double
    }

    /// The mixtures of `base`, with the strong and/or weak score saturated at cap kappa / sqrt(l^2 + sigma^2).
    public struct SaturationDefinition: Sendable, Equatable {
        public var base: ExperimentSpec
        public var kappa: Double
        public var length: Double
        public var saturateStrong: Bool
        public var saturateWeak: Bool
    }

    public let name: String
    /// One sentence: what differs and what the case shows.
    public let summary: String
    public let definition: Definition
    /// One name per component of the ideal model, in order.
    public let modeNames: [String]

    init(name: String, summary: String, definition: Definition, modeNames: [String]) {
        self.name = name
        self.summary = summary
        self.definition = definition
        self.modeNames = modeNames
    }

    /// d, the dimension of every model of the case.
    public var dimension: Int {
        switch definition {
        case let .mixtures(file): return file.ideal.components.first?.mean.count ?? 0
        case let .guidance(g): return g.idealMixture.marginal.dimension
        case let .saturated(s): return s.base.ideal.components.first?.mean.count ?? 0
        }
    }

    /// The three models (mixtures as fields where the case is a mixture case). Errors name the case.
    public func models() throws -> ScoreModels {
        switch definition {
        case let .mixtures(file):
            return ScoreModels(try file.models(source: "case \(name)"))
        case let .guidance(g):
            return try ScoreModels(ideal: g.idealMixture.conditional(g.label),
                                   strong: g.strongMixture.guided(g.label, weight: g.strongWeight),
                                   weak: g.weakMixture.guided(g.label, weight: g.weakWeight))
        case let .saturated(s):
            let m = try s.base.models(source: "case \(name)")
            let strong: any ScoreField = s.saturateStrong ? try SaturatedScore(m.strong, kappa: s.kappa, length: s.length) : m.strong
            let weak: any ScoreField = s.saturateWeak ? try SaturatedScore(m.weak, kappa: s.kappa, length: s.length) : m.weak
            return try ScoreModels(ideal: m.ideal, strong: strong, weak: weak)
        }
    }

    /// The three mixtures of a mixture case; nil for a case whose strong or weak model is a field.
    public func mixtures() throws -> ModelTriple? {
        guard case let .mixtures(file) = definition else { return nil }
        return try file.models(source: "case \(name)")
    }

    /// A mixture case as an experiment (the pinned sampler settings, 100,000 samples in 1D and 50,000
    /// otherwise); nil for a field case, which the experiment-file format cannot express.
    public func experiment() -> ExperimentSpec? {
        guard case let .mixtures(spec) = definition else { return nil }
        return spec
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
