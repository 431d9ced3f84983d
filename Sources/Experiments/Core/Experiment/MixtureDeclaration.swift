import Foundation
import Toy

// The models of an experiment as declared in a JSON experiment file (and echoed into every report):
// each mixture a list of components with weight, mean, and either a full covariance or an isotropic std;
// the strong and weak models may instead be a learned model file, and may be classifier-free guided or
// saturated (`MixtureSpec+Field.swift`). Every problem is a `ToyError.invalid` whose input names the
// JSON path at fault, e.g. `strong.components[2].covariance`, and says what is accepted.

/// One model: a mixture (its components in declaration order), or for strong and weak a learned model
/// file, optionally guided towards the experiment's class and/or saturated.
public struct MixtureSpec: Codable, Sendable, Equatable {
    /// Empty for a learned model.
    public var components: [ComponentSpec]
    /// Classifier-free guidance weight w: s + w (s_c - s) towards the experiment's `condition` class
    /// (strong and weak only; JSON "cfg"; nil with a class: the conditional model, w = 1).
    public var cfg: Double?
    /// The score saturated at kappa / sqrt(length^2 + sigma^2) (strong and weak only).
    public var saturation: SaturationSpec?
    /// A model file written by `toy-w2sd train` (strong and weak only; then no components). A relative
    /// path is read from the current directory, like every path on the command line.
    public var model: String?

    public init(components: [ComponentSpec], cfg: Double? = nil, saturation: SaturationSpec? = nil, model: String? = nil) {
        self.components = components
        self.cfg = cfg
        self.saturation = saturation
        self.model = model
    }

    enum CodingKeys: String, CodingKey { case components, cfg, saturation, model }

    public init(from decoder: any Decoder) throws {
        try JSONDocument.rejectUnknownKeys(decoder, allowed: ["components", "cfg", "saturation", "model"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        components = model == nil || c.contains(.components) ? try c.decode([ComponentSpec].self, forKey: .components) : []
        cfg = try c.decodeIfPresent(Double.self, forKey: .cfg)
        saturation = try c.decodeIfPresent(SaturationSpec.self, forKey: .saturation)
    }

    /// The declared keys only: no empty component list beside a model file.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if model == nil || !components.isEmpty { try c.encode(components, forKey: .components) }
        try c.encodeIfPresent(cfg, forKey: .cfg)
        try c.encodeIfPresent(saturation, forKey: .saturation)
        try c.encodeIfPresent(model, forKey: .model)
    }
}

/// A saturation s -> s c / sqrt(c^2 + |s|^2) with cap c(sigma) = kappa / sqrt(length^2 + sigma^2)
/// (Toy's `SaturatedScore`).
public struct SaturationSpec: Codable, Sendable, Equatable {
    public var kappa: Double
    public var length: Double

    public init(kappa: Double, length: Double) {
        self.kappa = kappa
        self.length = length
    }

    public init(from decoder: any Decoder) throws {
        try JSONDocument.rejectUnknownKeys(decoder, allowed: ["kappa", "length"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kappa = try c.decode(Double.self, forKey: .kappa)
        length = try c.decode(Double.self, forKey: .length)
    }
}

/// One component: weight (>= 0), mean, either a full covariance or an isotropic std, and optionally a
/// class label (JSON "class") for class-conditional experiments.
public struct ComponentSpec: Codable, Sendable, Equatable {
    public var name: String?
    public var weight: Double
    public var mean: [Double]
    public var covariance: [[Double]]?
    public var std: Double?
    public var classLabel: String?

    public init(name: String? = nil, weight: Double, mean: [Double], covariance: [[Double]]? = nil, std: Double? = nil,
                classLabel: String? = nil) {
        self.name = name
        self.weight = weight
        self.mean = mean
        self.covariance = covariance
        self.std = std
        self.classLabel = classLabel
    }

    enum CodingKeys: String, CodingKey { case name, weight, mean, covariance, std, classLabel = "class" }

    public init(from decoder: any Decoder) throws {
        try JSONDocument.rejectUnknownKeys(decoder, allowed: ["name", "weight", "mean", "covariance", "std", "class"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        weight = try c.decode(Double.self, forKey: .weight)
        mean = try c.decode([Double].self, forKey: .mean)
        covariance = try c.decodeIfPresent([[Double]].self, forKey: .covariance)
        std = try c.decodeIfPresent(Double.self, forKey: .std)
        classLabel = try c.decodeIfPresent(String.self, forKey: .classLabel)
    }
}

extension MixtureSpec {
    /// The mixture, validated; errors name `<source>: <name>.components[k]...`.
    public func mixture(_ name: String, source: String) throws -> GaussianMixture {
        let spec = self
        func fail(_ path: String, _ accepted: String) -> ToyError {
            ToyError.invalid(input: "\(source): \(name).\(path)", accepted: accepted)
        }
        guard let first = spec.components.first else { throw fail("components", "at least one component") }
        let d = first.mean.count
        var components: [GaussianComponent] = []
        for (k, c) in spec.components.enumerated() {
            let at = "components[\(k)]"
            if name != "ideal", c.name != nil {
                throw fail("\(at).name", "names on ideal components only (they label the modes)")
            }
            guard c.weight.isFinite, c.weight >= 0 else { throw fail("\(at).weight", "a finite number >= 0 (got \(c.weight))") }
            guard d >= 1 else { throw fail("components[0].mean", "at least one coordinate") }
            guard c.mean.count == d else { throw fail("\(at).mean", "\(d) coordinates, like components[0] (got \(c.mean.count))") }
            if let j = c.mean.firstIndex(where: { !$0.isFinite }) { throw fail("\(at).mean[\(j)]", "a finite number") }
            switch (c.covariance, c.std) {
            case (nil, nil):
                throw fail(at, "either \"covariance\" (a \(d) x \(d) matrix) or \"std\" (a number > 0)")
            case (.some, .some):
                throw fail(at, "only one of \"covariance\" and \"std\" (both given)")
            case let (nil, std?):
                guard std.isFinite, std > 0 else { throw fail("\(at).std", "a finite number > 0 (got \(std))") }
                components.append(GaussianComponent(weight: c.weight, mean: c.mean, std: std))
            case let (rows?, nil):
                guard rows.count == d else {
                    throw fail("\(at).covariance", "a \(d) x \(d) matrix: \(d) rows (got \(rows.count))")
                }
                for (r, row) in rows.enumerated() {
                    guard row.count == d else {
                        throw fail("\(at).covariance[\(r)]", "a row of \(d) numbers (got \(row.count))")
                    }
                    if let j = row.firstIndex(where: { !$0.isFinite }) { throw fail("\(at).covariance[\(r)][\(j)]", "a finite number") }
                }
                components.append(GaussianComponent(weight: c.weight, mean: c.mean, covariance: rows.flatMap { $0 }))
            }
        }
        guard spec.components.contains(where: { $0.weight > 0 }) else {
            throw fail("components", "at least one component with weight > 0 (all weights are zero)")
        }
        do {
            return try GaussianMixture(components)
        } catch let ToyError.invalid(input, accepted) {
            throw ToyError.invalid(input: "\(source): \(name).\(input)", accepted: accepted)
        }
    }

    /// The declared components of a mixture (weights as normalised by the mixture), covariances as rows.
    public init(_ mixture: GaussianMixture, names: [String?]? = nil) {
        cfg = nil
        saturation = nil
        model = nil
        let d = mixture.dimension
        components = mixture.components.enumerated().map { k, c in
            ComponentSpec(
                name: names.flatMap { k < $0.count ? $0[k] : nil }, weight: c.weight, mean: c.mean,
                covariance: (0..<d).map { r in Array(c.covariance[(r * d)..<((r + 1) * d)]) })
        }
    }
}
