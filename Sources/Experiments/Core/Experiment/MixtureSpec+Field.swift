import Foundation
import Toy

// How a declared model becomes what the samplers use (W2SD-NOTES section 8):
//
//   ideal   the mixture, or with an experiment class c the class-conditional p*(x | c): the components
//           labelled c, weights renormalised. Always a mixture (everything measured needs its density).
//   strong, weak
//           a mixture, or a learned model file (`model`); with a class c, a mixture model is guided:
//           s + w (s_c - s) with w = `cfg`, or without `cfg` its conditional p(x | c) (w = 1,
//           kept as a mixture); then, with `saturation`, the field is saturated (Toy's `SaturatedScore`).
//           A learned model with a known trained range is then wrapped, outermost, in a
//           `RangeMonitoredField`, so that reports can say how often it was evaluated outside that range
//           (`TrainedRangeUse`).
//
// Errors name the JSON path at fault (`strong.guidance`, `ideal.components[2].class`).

extension MixtureSpec {
    /// The declared model of role `name` ("strong" or "weak") as a score field. `condition` is the
    /// experiment's class; `dimension` the ideal model's.
    func field(_ name: String, condition: String?, dimension: Int, source: String) throws -> any ScoreField {
        func fail(_ path: String, _ accepted: String) -> ToyError {
            ToyError.invalid(input: "\(source): \(name).\(path)", accepted: accepted)
        }
        var field: any ScoreField
        var monitor: TrainedRangeMonitor?
        if let path = model {
            guard components.isEmpty else {
                throw fail("components", "either \"components\" or \"model\" (both given)")
            }
            if cfg != nil {
                throw fail("cfg", "guidance on a mixture model only (a learned model is unconditional)")
            }
            let learned = try LearnedDenoiser(contentsOf: path)
            guard learned.dimension == dimension else {
                throw fail("model", "a model of dimension \(dimension), the ideal model's (model file '\(path)' has dimension \(learned.dimension))")
            }
            field = learned
            monitor = learned.provenance?.trainedRange.map { TrainedRangeMonitor(range: $0) }
        } else if let condition {
            let labelled = try classConditional(name, source: source)
            if let w = cfg {
                guard w.isFinite, w >= 0 else { throw fail("cfg", "a finite guidance weight >= 0 (got \(w))") }
                field = try labelled.guided(condition, weight: w)
            } else {
                field = try labelled.conditional(condition)
            }
        } else {
            if cfg != nil {
                throw fail("cfg", "a class to guide towards: the experiment's \"class\" (--class C), with class labels on the components")
            }
            let mixture = try self.mixture(name, source: source)
            guard mixture.dimension == dimension else {
                throw fail("components[0].mean", "\(dimension) coordinates, the dimension of ideal (got \(mixture.dimension))")
            }
            field = mixture
        }
        if let saturation {
            do {
                field = try SaturatedScore(field, kappa: saturation.kappa, length: saturation.length)
            } catch let ToyError.invalid(input, accepted) {
                throw fail(input == "saturation kappa" ? "saturation.kappa" : "saturation.length", accepted)
            }
        }
        if let monitor { field = RangeMonitoredField(field, monitor: monitor) }
        return field
    }

    /// The mixture with its class labels; every component must carry one.
    func classConditional(_ name: String, source: String) throws -> ClassConditionalMixture {
        let mixture = try self.mixture(name, source: source)
        if let k = components.firstIndex(where: { $0.classLabel == nil }) {
            throw ToyError.invalid(input: "\(source): \(name).components[\(k)].class",
                                   accepted: "a class label on every component when the experiment has a class")
        }
        do {
            return try ClassConditionalMixture(mixture.components, labels: components.compactMap(\.classLabel))
        } catch let ToyError.invalid(input, accepted) {
            throw ToyError.invalid(input: "\(source): \(name) \(input)", accepted: accepted)
        }
    }

    /// Whether the model is anything but a plain mixture.
    var isField: Bool { model != nil || cfg != nil || saturation != nil }
}

extension ExperimentSpec {
    /// The three models, validated; errors name the JSON path (prefixed by `source`). The strong and
    /// weak models are mixtures unless declared as learned, guided or saturated; `ScoreModels.mixtures`
    /// gives the three mixtures when they are.
    public func models(source: String = "config") throws -> ScoreModels {
        if ideal.isField {
            let key = ideal.model != nil ? "model" : ideal.cfg != nil ? "cfg" : "saturation"
            throw ToyError.invalid(input: "\(source): ideal.\(key)", accepted: "\"\(key)\" on strong and weak only (the ideal model is a mixture)")
        }
        let idealMixture: GaussianMixture
        if let condition {
            let labelled = try ideal.classConditional("ideal", source: source)
            guard labelled.classes.contains(condition) else {
                throw ToyError.invalid(input: "\(source): class", accepted: "one of the ideal model's class labels \(labelled.classes.joined(separator: ", ")) (got '\(condition)')")
            }
            idealMixture = try labelled.conditional(condition)
        } else {
            idealMixture = try ideal.mixture("ideal", source: source)
        }
        let d = idealMixture.dimension
        return try ScoreModels(ideal: idealMixture,
                               strong: strong.field("strong", condition: condition, dimension: d, source: source),
                               weak: weak.field("weak", condition: condition, dimension: d, source: source))
    }

    /// What makes the strong and weak models score fields, e.g. "guided to a; saturated weak" or
    /// "learned strong, weak"; nil when both are plain mixtures.
    public var modelKinds: String? {
        let roles = [("strong", strong), ("weak", weak)]
        var kinds: [String] = []
        if let condition {
            let limited = strong.cfg != nil || weak.cfg != nil
            kinds.append("guided to \(condition)" + (limited ? guidanceInterval.map { " on sigma in [\(Self.label(mean: [$0.lowerBound])), \(Self.label(mean: [$0.upperBound]))]" } ?? "" : ""))
        }
        let saturated = roles.filter { $0.1.saturation != nil }.map(\.0)
        if !saturated.isEmpty { kinds.append("saturated " + saturated.joined(separator: ", ")) }
        let learned = roles.filter { $0.1.model != nil }.map(\.0)
        if !learned.isEmpty { kinds.append("learned " + learned.joined(separator: ", ")) }
        return kinds.isEmpty ? nil : kinds.joined(separator: "; ")
    }

    /// The indices of the ideal components that are the experiment's modes: all of them, or with a
    /// class those labelled with it (the components of the conditional ideal model, in order).
    public var modeComponents: [Int] {
        guard let condition else { return Array(ideal.components.indices) }
        return ideal.components.indices.filter { ideal.components[$0].classLabel == condition }
    }
}
