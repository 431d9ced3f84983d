import Foundation

/// A method variant of a frontier: a sampling method and settings of its own, each applied through
/// the setting's declaration. Written `METHOD[:SETTING=VALUE...]` (`w` stands for `guidance`; a piece
/// without `=` continues the previous value, so `w2sd:reflect-sigma=0:2` is one window), or
/// `strong-euler` / `strong-heun` for `strong:solver=euler` / `strong:solver=heun`.
public struct FrontierVariant: Sendable, Equatable {
    /// The variant as written (the method name in lower case).
    public var name: String
    public var method: MethodName
    /// (setting option name, value), in the order written.
    public var overrides: [Override]

    public struct Override: Sendable, Equatable {
        public var option: String
        public var value: String
    }

    /// strong-euler, strong-heun, autoguidance:w=2, w2sd:gamma=1, w2sd:gamma=0.5.
    public static let defaults: [FrontierVariant] = [
        FrontierVariant(name: "strong-euler", method: .strong, overrides: [Override(option: "solver", value: "euler")]),
        FrontierVariant(name: "strong-heun", method: .strong, overrides: [Override(option: "solver", value: "heun")]),
        FrontierVariant(name: "autoguidance:w=2", method: .autoguidance, overrides: [Override(option: "guidance", value: "2")]),
        FrontierVariant(name: "w2sd:gamma=1", method: .w2sd, overrides: [Override(option: "gamma", value: "1")]),
        FrontierVariant(name: "w2sd:gamma=0.5", method: .w2sd, overrides: [Override(option: "gamma", value: "0.5")]),
    ]

    /// Settings a variant cannot set: T is chosen by the budget; the particles, seeds and repeats are
    /// shared by every cell; the method is the variant's.
    static let excluded: Set<String> = ["steps", "methods", "seed", "repeats", "samples"]

    /// Short names of settings.
    static let aliases = ["w": "guidance"]

    /// The spelled-out form of the solver shorthands: `strong-heun[:...]` is `strong:solver=heun[:...]`.
    static let shorthands = ["strong-euler": "strong:solver=euler", "strong-heun": "strong:solver=heun"]

    /// The keys a variant of `method` may set: the settings that method reads, less those the frontier
    /// fixes (`w` stands for guidance).
    static func keys(for method: MethodName) -> [String] {
        let spec = ExperimentSpec.preset(dimension: 1)
        let keys = ExperimentSpec.allSettings.filter { setting in
            guard !excluded.contains(setting.option.name), let readers = setting.option.readers.methodReaders else { return false }
            return readers.members(spec).contains(method)
        }.map(\.option.name)
        return keys + (keys.contains("guidance") ? ["w"] : [])
    }

    /// Parses one variant; every value is checked by its setting's declaration. Whether the variant's
    /// method reads each setting is checked on the frontier's experiment (`StudyRequest.parseFrontier`).
    public static func parse(_ text: String) throws -> FrontierVariant {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var pieces = trimmed.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let first = pieces.removeFirst().lowercased()
        let shorthand = shorthands[first]
        if let shorthand {
            pieces = shorthand.split(separator: ":").dropFirst().map(String.init) + pieces
        }
        let methodName = shorthand == nil ? first : "strong"
        guard let method = MethodName(rawValue: methodName) else {
            let names = shorthands.keys.sorted() + MethodName.allCases.filter { !$0.isExact }.map(\.rawValue)
            throw InvalidValue("unknown method '\(methodName)'\(nearestName(to: methodName, among: names).map { "; did you mean \($0)?" } ?? "")")
        }
        guard !method.isExact else { throw InvalidValue("'\(methodName)' draws exact samples: it has no steps and no cost") }
        var overrides: [Override] = []
        for piece in pieces {
            if let equals = piece.firstIndex(of: "=") {
                let key = String(piece[..<equals]).trimmingCharacters(in: .whitespaces)
                overrides.append(Override(option: aliases[key] ?? key, value: String(piece[piece.index(after: equals)...])))
            } else if !overrides.isEmpty {
                overrides[overrides.count - 1].value += ":" + piece
            } else {
                throw InvalidValue("'\(text)': '\(piece)' is not SETTING=VALUE")
            }
        }
        let written = shorthand != nil && pieces.count == 1 ? first : ([methodName] + pieces).joined(separator: ":")
        let variant = FrontierVariant(name: written, method: method, overrides: overrides)
        let known = ExperimentSpec.allSettings.map(\.option.name)
        let accepted = keys(for: method)
        var seen: Set<String> = []
        for o in overrides {
            guard !excluded.contains(o.option) else {
                throw InvalidValue("'\(text)' sets \(o.option), which the frontier \(o.option == "steps" ? "chooses from the budget" : "shares between all cells")")
            }
            guard known.contains(o.option) else {
                let guess = nearestName(to: o.option, among: accepted).map { " (did you mean \($0)?)" } ?? ""
                throw InvalidValue("'\(text)': unknown setting '\(o.option)'\(guess); a \(method.rawValue) variant accepts: \(accepted.joined(separator: ", "))")
            }
            guard seen.insert(o.option).inserted else { throw InvalidValue("'\(text)' sets \(o.option) twice") }
        }
        var probe = ExperimentSpec.preset(dimension: 1)
        try variant.apply(to: &probe)
        if case .steps? = probe.lambda { throw InvalidValue("'\(text)': lambda must be a fraction of T (e.g. lambda=0.5T), since T follows the budget") }
        return variant
    }

    /// A comma list of distinct variants.
    static func parseList(_ text: String) throws -> [FrontierVariant] {
        var variants: [FrontierVariant] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let variant = try parse(String(part))
            guard !variants.contains(where: { $0.name == variant.name }) else { throw InvalidValue("'\(variant.name)' is listed twice") }
            variants.append(variant)
        }
        return variants
    }

    /// Sets the variant's method as the only one and applies its settings through their declarations.
    public func apply(to spec: inout ExperimentSpec) throws {
        spec.methods = [method]
        for o in overrides {
            guard let setting = ExperimentSpec.allSettings.first(where: { $0.option.name == o.option }) else {
                throw InvalidValue("unknown setting '\(o.option)'")
            }
            do { try setting.apply(&spec, o.value) } catch let error as InvalidValue {
                throw InvalidValue("'\(name)': \(o.option) '\(o.value)' is not valid\(error.detail.map { " (\($0))" } ?? ""); accepted: \(setting.option.accepted)")
            }
        }
    }
}
