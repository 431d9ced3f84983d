/// Who reads a setting, declared with the setting itself (`ValueOption`, `SwitchOption`): the rule that
/// no setting is silently ignored is checked against this declaration, and one test walks every
/// (setting, method) pair to prove each declaration is exactly as wide as the code that reads it.
public enum SettingReaders: Sendable {
    /// The command itself reads it (a study's shape, delta's grid, a training recipe, what to draw).
    case command
    /// It never changes a result: how or where the work runs (threads, progress, time limit, output paths).
    case noResult
    /// The methods whose outcome it changes; a request that sets it explicitly and selects none of them
    /// is refused (`SettingReaders.refuseUnread`).
    case methods(MethodReaders)

    /// Who reads it, for help and the option reference ("" for the command's own settings).
    public var helpText: String {
        switch self {
        case .command: return ""
        case .noResult: return "changes no result"
        case let .methods(readers):
            let listed = readers.fixedMembers.flatMap { $0.count == MethodName.allCases.count ? nil : $0.map(\.rawValue).joined(separator: ", ") }
            return readers.summary + (listed.map { " (\($0))" } ?? "")
        }
    }

    /// The method readers, when the setting is read by methods.
    public var methodReaders: MethodReaders? {
        if case let .methods(readers) = self { return readers }
        return nil
    }

    public static let sampling = SettingReaders.methods(.sampling)
    public static let everyMethod = SettingReaders.methods(.everyMethod)
    public static let reflecting = SettingReaders.methods(.reflecting)
    public static let inverting = SettingReaders.methods(.inverting)
    public static func using(_ role: MethodName.ModelRole) -> SettingReaders { .methods(.using(role)) }
}

/// The methods that read a setting, on a given experiment, and what the setting needs to be read at all.
public struct MethodReaders: Sendable {
    /// Who they are, in words ("the reflecting methods").
    public var summary: String
    /// The readers on an experiment (a condition on its models may narrow them).
    public var members: @Sendable (ExperimentSpec) -> Set<MethodName>
    /// A setting this one needs: nil when it holds on the experiment, else what is missing, as an
    /// option ("--inversion exact"). A setting whose prerequisite fails is read by no method.
    public var prerequisite: (@Sendable (ExperimentSpec) -> String?)?
    /// The readers when they do not depend on the experiment (for help), in catalogue order.
    public var fixedMembers: [MethodName]?

    public init(_ summary: String, _ members: Set<MethodName>, prerequisite: (@Sendable (ExperimentSpec) -> String?)? = nil) {
        self.summary = summary
        self.members = { _ in members }
        self.prerequisite = prerequisite
        fixedMembers = MethodName.allCases.filter(members.contains)
    }

    public init(_ summary: String, members: @escaping @Sendable (ExperimentSpec) -> Set<MethodName>,
                prerequisite: (@Sendable (ExperimentSpec) -> String?)? = nil) {
        self.summary = summary
        self.members = members
        self.prerequisite = prerequisite
    }

    /// These readers, read only when `prerequisite` holds.
    public func needing(_ prerequisite: @escaping @Sendable (ExperimentSpec) -> String?) -> MethodReaders {
        var copy = self
        copy.prerequisite = prerequisite
        return copy
    }

    /// The methods of `selected` that read the setting on `spec` (none when its prerequisite fails).
    public func readers(among selected: [MethodName], in spec: ExperimentSpec) -> [MethodName] {
        guard prerequisite?(spec) == nil else { return [] }
        let members = members(spec)
        return selected.filter(members.contains)
    }
}

extension MethodReaders {
    /// Every sampling method: the noise schedule, the solver, the prior.
    public static let sampling = MethodReaders("every sampling method", MethodName.sampling)
    /// Every method, exact samples included: the particle count, the seeds, the ideal model of the metrics.
    public static let everyMethod = MethodReaders("every method", Set(MethodName.allCases))
    /// The methods that reflect before each step: gamma, lambda, the reflection window.
    public static let reflecting = MethodReaders("the reflecting methods", MethodName.reflecting)
    /// The methods that invert a step: the inversion and its error.
    public static let inverting = MethodReaders("the inverting methods", MethodName.inverting)
    /// The methods whose samples depend on the strong (or the weak, or the ideal) model.
    public static func using(_ role: MethodName.ModelRole) -> MethodReaders {
        MethodReaders("the methods using the \(role.rawValue) model", MethodName.using(role))
    }
}

extension SettingReaders {
    /// Refuses (a `UsageError`, before any work) every setting in `given` that is read by methods, none
    /// of which is in `selected`, or whose prerequisite does not hold on `spec`. `given` pairs each
    /// setting's readers with how the user gave it (`--gamma`, `--sweep gamma`, `--variants w2sd:gamma=2`).
    public static func refuseUnread(_ given: [(readers: SettingReaders, source: String)], selected: [MethodName],
                                    spec: ExperimentSpec) throws {
        for (setting, source) in given {
            guard let readers = setting.methodReaders else { continue }
            if let missing = readers.prerequisite?(spec) {
                throw UsageError(message: "\(source) is read only with \(missing); accepted: \(missing) as well, or no \(source)")
            }
            guard readers.readers(among: selected, in: spec).isEmpty else { continue }
            let would = MethodName.allCases.filter(readers.members(spec).contains).map(\.rawValue)
            let selection = selected.map(\.rawValue).joined(separator: ", ")
            throw UsageError(message: "\(source) is not read by the selected method\(selected.count == 1 ? "" : "s") (\(selection)), so it would change nothing; "
                + "it is read by \(readers.summary)\(listing(would, summary: readers.summary)); accepted: select one of them, or drop \(source)")
        }
    }

    /// ": w2sd, s2wd" after a summary that does not already say it.
    private static func listing(_ methods: [String], summary: String) -> String {
        if methods.isEmpty { return ": none on this experiment" }
        return methods.joined(separator: ", ") == summary ? "" : ": " + methods.joined(separator: ", ")
    }

    /// The JSON keys among `keys` (settings a config file, a case or a saved report gave) that no
    /// selected method reads: a run lists them rather than refusing (a saved report carries every key).
    public static func unread(_ keys: Set<String>, selected: [MethodName], spec: ExperimentSpec) -> [String] {
        ExperimentSpec.allSettings.compactMap { setting in
            guard keys.contains(setting.jsonKey), let readers = setting.option.readers.methodReaders,
                  readers.readers(among: selected, in: spec).isEmpty else { return nil }
            return setting.jsonKey
        }
    }
}
