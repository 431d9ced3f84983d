import Foundation
import Toy

extension CodingUserInfoKey {
    /// The name of the document being decoded (a path), for error messages.
    static let documentSource = CodingUserInfoKey(rawValue: "toy-w2sd.source")!
}

extension ExperimentSpec: Codable {
    private enum Key: String, CodingKey, CaseIterable { case condition = "class", ideal, strong, weak, sampler, methods }

    /// Decodes an experiment file; every sampler value goes through its setting's declaration, so the
    /// file accepts exactly what the command line accepts, and errors name `sampler.<key>`.
    public init(from decoder: any Decoder) throws {
        try JSONDocument.rejectUnknownKeys(decoder, allowed: Set(Key.allCases.map(\.rawValue)))
        let source = decoder.userInfo[.documentSource] as? String ?? "config"
        let c = try decoder.container(keyedBy: Key.self)
        self.init(ideal: try c.decode(MixtureSpec.self, forKey: .ideal), strong: try c.decode(MixtureSpec.self, forKey: .strong),
                  weak: try c.decode(MixtureSpec.self, forKey: .weak))
        condition = try c.decodeIfPresent(String.self, forKey: .condition)
        if c.contains(.sampler) {
            let samplerDecoder = try c.superDecoder(forKey: .sampler)
            let settings = Self.samplerSettings
            try JSONDocument.rejectUnknownKeys(samplerDecoder, allowed: Set(settings.map(\.jsonKey)))
            let values = try c.decode([String: ScalarValue].self, forKey: .sampler)
            for setting in settings {
                if let value = values[setting.jsonKey] { try apply(setting, value, path: "sampler.\(setting.jsonKey)", source: source) }
            }
        }
        if let methods = try c.decodeIfPresent(ScalarValue.self, forKey: .methods) {
            try apply(Self.methodsSetting, methods, path: "methods", source: source)
        }
        do { try validate() } catch { throw ToyError.invalid(input: "\(source): sampler.\(error.keys[0])", accepted: error.message) }
    }

    private mutating func apply(_ setting: ExperimentSetting, _ value: ScalarValue, path: String, source: String) throws {
        do {
            try setting.apply(&self, value.text)
        } catch let error as InvalidValue {
            throw ToyError.invalid(input: "\(source): \(path)",
                                   accepted: "\(setting.option.accepted) (got \(value.text)\(error.detail.map { "; \($0)" } ?? ""))")
        }
    }

    /// Writes the experiment with every setting resolved (lambda and samples as used), so the document
    /// reruns exactly this experiment; ideal components carry their mode names.
    public func encode(to encoder: any Encoder) throws {
        var named = self
        for (k, name) in componentNames.enumerated() { named.ideal.components[k].name = name }
        var c = encoder.container(keyedBy: Key.self)
        try c.encodeIfPresent(condition, forKey: .condition)
        try c.encode(named.ideal, forKey: .ideal)
        try c.encode(strong, forKey: .strong)
        try c.encode(weak, forKey: .weak)
        try c.encode(samplerDocument, forKey: .sampler)
        try c.encode(methods.map(\.rawValue), forKey: .methods)
    }

    /// The `sampler` object: every setting as used (lambda and samples resolved), unset optional ones left out.
    public var samplerDocument: [String: ScalarValue] {
        var resolved = self
        if resolved.lambda == nil { resolved.lambda = .steps(reflectionSteps) }
        resolved.samples = particles
        var sampler: [String: ScalarValue] = [:]
        for setting in Self.samplerSettings { sampler[setting.jsonKey] = setting.encode(resolved) }
        return sampler
    }

    /// Reads an experiment file, or the `experiment` of a saved report (any `toy-w2sd` JSON document
    /// that carries one), so `--config` of a saved report reruns what produced it.
    public static func load(path: String) throws -> ExperimentSpec {
        try JSONDocument.load(ConfigDocument.self, path: path, source: path).spec
    }

    /// The keys of the `sampler` object of an experiment file (of its `experiment` for a saved report).
    public static func samplerKeys(path: String) throws -> Set<String> {
        try JSONDocument.load(ConfigDocument.self, path: path, source: path).samplerKeys
    }

    /// Decodes a document given in memory; `source` names it in errors.
    public static func decode(_ data: Data, source: String = "config") throws -> ExperimentSpec {
        try JSONDocument.decode(ConfigDocument.self, data, source: source).spec
    }

    /// An experiment file, or a report holding one under `experiment` (recognised by its `schema` key).
    private struct ConfigDocument: Decodable {
        var spec: ExperimentSpec
        /// The keys its `sampler` object gives.
        var samplerKeys: Set<String>
        private enum Key: String, CodingKey { case schema, experiment }
        private struct SamplerKeys: Decodable {
            var keys: Set<String>
            private enum Key: String, CodingKey { case sampler }
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: Key.self)
                keys = Set((try c.decodeIfPresent([String: ScalarValue].self, forKey: .sampler) ?? [:]).keys)
            }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            if c.contains(.schema), c.contains(.experiment) {
                spec = try c.decode(ExperimentSpec.self, forKey: .experiment)
                samplerKeys = try c.decode(SamplerKeys.self, forKey: .experiment).keys
            } else {
                spec = try ExperimentSpec(from: decoder)
                samplerKeys = try SamplerKeys(from: decoder).keys
            }
        }
    }
}
