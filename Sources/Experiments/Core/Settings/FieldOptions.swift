import Foundation
import Toy

/// The command-line options that make the strong and weak models score fields: a learned model file,
/// classifier-free guidance towards a class, a saturated (bounded-tail) score. Unlike `ModelOptions`
/// they combine with a preset, `--config` and `--case` alike: they edit the experiment's strong and weak
/// declarations (`MixtureSpec.model`, `.cfg`, `.saturation`, `ExperimentSpec.condition`), so a
/// saved report records them and reruns them.
public enum FieldOptions {
    public static let strongModel = ValueOption("strong-model", readers: .using(.strong), value: "FILE", help: "the strong model is this learned model (written by 'toy-w2sd train') instead of a mixture",
                                                default: "none", accepted: "a model file of the experiment's dimension", parse: Parse.text)
    public static let weakModel = ValueOption("weak-model", readers: .using(.weak), value: "FILE", help: "the weak model is this learned model instead of a mixture",
                                              default: "none", accepted: "a model file of the experiment's dimension", parse: Parse.text)
    public static let condition = ValueOption("class", readers: .everyMethod, value: "C",
                                              help: "class-conditional: ideal p*(x | C); mixture strong and weak models guided towards C (needs class labels, e.g. a guidance --case)",
                                              default: "none (or the config's)", accepted: "a class label of the ideal model's components", parse: Parse.text)
    /// `--cfg-strong` is read by the methods using the strong model except Z-Sampling, which guides the
    /// strong mixture with its own two weights (`--z-guidance`, `--z-inversion-guidance`) instead.
    public static func guidanceWeight(_ role: MethodName.ModelRole) -> ValueOption<Double> {
        let readers: SettingReaders = role == .strong
            ? .methods(MethodReaders("the methods using the strong model's guidance", MethodName.using(.strong).subtracting(MethodName.classConditional)))
            : .using(role)
        return ValueOption("cfg-\(role.rawValue)", readers: readers, value: "W", help: "classifier-free guidance of the \(role.rawValue) model: s + W (s_C - s) towards the class C",
                    default: "1 (the conditional model) or the config's", accepted: "a finite number >= 0", parse: Parse.number(where: { $0 >= 0 }))
    }
    public static let strongGuidance = guidanceWeight(.strong)
    public static let weakGuidance = guidanceWeight(.weak)
    public static let saturate = ValueOption("saturate", readers: saturatedModelReaders, value: "LIST",
                                             help: "saturate these models' scores: |s| capped smoothly at kappa / sqrt(l^2 + sigma^2), a learned-like bounded tail",
                                             default: "none", accepted: "strong, weak or strong,weak",
                                             parse: { text in
                                                 let roles = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                                                 guard !roles.isEmpty, roles.allSatisfy(["strong", "weak"].contains), Set(roles).count == roles.count else { throw InvalidValue() }
                                                 return roles
                                             })
    public static let saturationKappa = ValueOption("saturation-kappa", readers: saturatedModelReaders, value: "K", help: "the saturation's cap in noisy standard deviations",
                                                    default: "4 (or the config's)", accepted: "a finite number > 0", parse: Parse.number(where: { $0 > 0 }))
    public static let saturationLength = ValueOption("saturation-length", readers: saturatedModelReaders, value: "L", help: "the saturation's length scale l (the data's std)",
                                                     default: "0.8 (or the config's)", accepted: "a finite number > 0", parse: Parse.number(where: { $0 > 0 }))

    /// The saturation options are read by the methods using a saturated model.
    static let saturatedModelReaders = SettingReaders.methods(MethodReaders("the methods using a saturated model", members: { spec in
        [(MethodName.ModelRole.strong, spec.strong), (.weak, spec.weak)].filter { $0.1.saturation != nil }
            .reduce(into: Set<MethodName>()) { $0.formUnion(MethodName.using($1.0)) }
    }))

    /// The saturation `--saturate` gives when neither the options nor the experiment set one (the
    /// difference zoo's bounded-tail cases: 4 noisy standard deviations of a width-0.8 component).
    public static let defaultSaturation = SaturationSpec(kappa: 4, length: 0.8)

    public static let all: [any CommandOption] = [strongModel, weakModel, condition, strongGuidance, weakGuidance, saturate,
                                                  saturationKappa, saturationLength]

    /// Applies the given options to `spec` (learned models, then the class and guidance, then the
    /// saturation). Conflicts are usage errors naming both options.
    public static func apply(_ args: ParsedArguments, to spec: inout ExperimentSpec) throws {
        for (option, weights, role) in [(strongModel, ModelOptions.strongWeights, "strong"), (weakModel, ModelOptions.weakWeights, "weak")] {
            guard let path = try args.value(option) else { continue }
            if args.has(weights) {
                throw UsageError(message: "--\(option.name) replaces the \(role) mixture, and --\(weights.name) weights it; accepted: one of them")
            }
            if role == "weak", args.has(ModelOptions.missingLeft) || args.has(ModelOptions.missing) {
                throw UsageError(message: "--weak-model replaces the weak mixture, and --missing-left / --missing remove one of its modes; accepted: one of them")
            }
            let kept = role == "strong" ? spec.strong.saturation : spec.weak.saturation
            let learned = MixtureSpec(components: [], saturation: kept, model: path)
            if role == "strong" { spec.strong = learned } else { spec.weak = learned }
        }
        if let c = try args.value(condition) { spec.condition = c }
        for (option, role) in [(strongGuidance, "strong"), (weakGuidance, "weak")] {
            guard let w = try args.value(option) else { continue }
            guard spec.condition != nil else {
                throw UsageError(message: "--\(option.name) guides the \(role) model towards a class, and the experiment has none; accepted: --class C as well (or a guidance --case)")
            }
            if (role == "strong" ? spec.strong : spec.weak).model != nil {
                throw UsageError(message: "--\(option.name) guides a mixture, and the \(role) model is a learned model (unconditional); accepted: one of them")
            }
            if role == "strong" { spec.strong.cfg = w } else { spec.weak.cfg = w }
        }
        let kappa = try args.value(saturationKappa), length = try args.value(saturationLength)
        var roles = try args.value(saturate) ?? []
        if roles.isEmpty, kappa != nil || length != nil {
            roles = [("strong", spec.strong), ("weak", spec.weak)].filter { $0.1.saturation != nil }.map(\.0)
            guard !roles.isEmpty else {
                let given = kappa != nil ? saturationKappa.name : saturationLength.name
                throw UsageError(message: "--\(given) shapes a saturation, and no model is saturated; accepted: --saturate strong,weak (or a subset) as well")
            }
        }
        for role in roles {
            let present = (role == "strong" ? spec.strong.saturation : spec.weak.saturation) ?? defaultSaturation
            let saturation = SaturationSpec(kappa: kappa ?? present.kappa, length: length ?? present.length)
            if role == "strong" { spec.strong.saturation = saturation } else { spec.weak.saturation = saturation }
        }
    }
}
