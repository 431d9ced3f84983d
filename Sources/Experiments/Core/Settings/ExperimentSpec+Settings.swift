import Foundation
import Toy

/// A setting of the experiment, declared once: its command-line option (name, value, help, default,
/// accepted values, typed parser), its key in the JSON experiment file, the field it sets and how it
/// is written back. The command line and the file apply it through the same closure.
public struct ExperimentSetting {
    public var option: any CommandOption
    /// The key under `sampler` (or at the top level for `methods`).
    public var jsonKey: String
    /// Parses `text` and sets the field; throws `InvalidValue`.
    public var apply: (inout ExperimentSpec, String) throws -> Void
    /// The value as written into the JSON file; nil leaves the key out.
    public var encode: (ExperimentSpec) -> ScalarValue?

    init<Value>(_ option: ValueOption<Value>, jsonKey: String, field: WritableKeyPath<ExperimentSpec, Value>,
                encode: @escaping (Value) -> ScalarValue?) {
        self.option = option
        self.jsonKey = jsonKey
        apply = { spec, text in spec[keyPath: field] = try option.parse(text) }
        self.encode = { encode($0[keyPath: field]) }
    }

    init<Value>(_ option: ValueOption<Value>, jsonKey: String, field: WritableKeyPath<ExperimentSpec, Value?>,
                encode: @escaping (Value?) -> ScalarValue?) {
        self.option = option
        self.jsonKey = jsonKey
        apply = { spec, text in spec[keyPath: field] = try option.parse(text) }
        self.encode = { encode($0[keyPath: field]) }
    }
}

extension ExperimentSpec {
    /// The sampler settings (under `sampler` in the file), in the order of help and of the file.
    public static var samplerSettings: [ExperimentSetting] {
        [
            .init(SettingOptions.steps, jsonKey: "steps", field: \.steps, encode: { .integer(Int64($0)) }),
            .init(SettingOptions.solver, jsonKey: "solver", field: \.solver, encode: { .string($0.rawValue) }),
            .init(SettingOptions.inversion, jsonKey: "inversion", field: \.inversion, encode: { .string($0.rawValue) }),
            .init(SettingOptions.inversionTolerance, jsonKey: "inversionTolerance", field: \.inversionTolerance, encode: { $0.map { .number($0) } }),
            .init(SettingOptions.lambda, jsonKey: "lambda", field: \.lambda, encode: { lambda in
                lambda.map { if case let .steps(l) = $0 { return .integer(Int64(l)) } else { return .string($0.text) } }
            }),
            .init(SettingOptions.reflectSigma, jsonKey: "reflectSigma", field: \.reflectSigma, encode: { window in
                window.map { .string("\($0.lowerBound):\($0.upperBound)") }
            }),
            .init(SettingOptions.gamma, jsonKey: "gamma", field: \.gamma, encode: { .number($0) }),
            .init(SettingOptions.sigmaMax, jsonKey: "sigmaMax", field: \.sigmaMax, encode: { .number($0) }),
            .init(SettingOptions.sigmaMin, jsonKey: "sigmaMin", field: \.sigmaMin, encode: { .number($0) }),
            .init(SettingOptions.rho, jsonKey: "rho", field: \.rho, encode: { .number($0) }),
            .init(SettingOptions.prior, jsonKey: "prior", field: \.prior, encode: { .string($0.rawValue) }),
            .init(SettingOptions.samples, jsonKey: "samples", field: \.samples, encode: { $0.map { .integer(Int64($0)) } }),
            .init(SettingOptions.seed, jsonKey: "seed", field: \.seed, encode: { .unsigned($0) }),
            .init(SettingOptions.repeats, jsonKey: "repeats", field: \.repeats, encode: { $0 == 1 ? nil : .integer(Int64($0)) }),
            .init(SettingOptions.guidance, jsonKey: "guidance", field: \.guidance, encode: { .number($0) }),
            .init(SettingOptions.guidanceInterval, jsonKey: "guidanceInterval", field: \.guidanceInterval, encode: { interval in
                interval.map { .string("\($0.lowerBound):\($0.upperBound)") }
            }),
            .init(SettingOptions.inversionError, jsonKey: "inversionError", field: \.inversionError, encode: { $0 == 0 ? nil : .number($0) }),
            .init(SettingOptions.inversionErrorUnits, jsonKey: "inversionErrorUnits", field: \.inversionErrorUnits,
                  encode: { $0 == .score ? nil : .string($0.rawValue) }),
        ]
    }

    /// `methods`, at the top level of the file.
    public static var methodsSetting: ExperimentSetting {
        .init(SettingOptions.methods, jsonKey: "methods", field: \.methods, encode: { .strings($0.map(\.rawValue)) })
    }

    /// Every setting, sampler first.
    public static var allSettings: [ExperimentSetting] { samplerSettings + [methodsSetting] }
}

/// The command-line options of the experiment settings (each declared once; see `ExperimentSpec.samplerSettings`).
public enum SettingOptions {
    public static let steps = ValueOption("steps", readers: .sampling, value: "T", help: "Karras noise levels (sampling steps)", default: "50",
                                          accepted: "an integer from 2 to 1000000", parse: Parse.integer(in: 2...1_000_000))
    public static let solver = ValueOption("solver", readers: .sampling, value: "NAME", help: "the step M: euler (the paper's operator) or heun",
                                           default: "euler", accepted: "euler, heun", parse: Parse.named(Solver.self))
    public static let inversion = ValueOption("inversion", readers: .inverting, value: "NAME",
                                              help: "how W2SD goes back up a level: paper (eq. 5), ddim, or exact (Newton; a run fails with status 1 if it does not converge)",
                                              default: "paper", accepted: "paper, ddim, exact", parse: Parse.named(ExperimentSpec.InversionKind.self))
    public static let inversionTolerance = ValueOption("inversion-tolerance", readers: .methods(.inverting.needing { $0.inversion == .exact ? nil : "--inversion exact" }), value: "TOL",
                                                       help: "relative tolerance of exact inversion, max|M(x) - y| <= TOL max(1, |y|)",
                                                       default: "1e-13", accepted: "a finite number > 0, with --inversion exact",
                                                       parse: Parse.number(where: { $0 > 0 }))
    public static let lambda = ValueOption("lambda", readers: .reflecting, value: "L",
                                           help: "reflect at steps i < L (the paper's lambda); fT is the fraction f of T (floor(f T), at most T - 1), kept when --steps changes",
                                           default: "steps - 1", accepted: "an integer from 0 to steps - 1, or a fraction of T from 0T to 1T (e.g. 0.5T)",
                                           parse: parseLambda)
    public static let reflectSigma = ValueOption("reflect-sigma", readers: .reflecting, value: "LO:HI",
                                                 help: "reflect only at steps whose noise level sigma_i lies in [LO, HI] (and i < lambda)",
                                                 default: "none (every step i < lambda)", accepted: "LO:HI with 0 <= LO <= HI finite",
                                                 parse: parseWindow)

    static func parseLambda(_ text: String) throws -> ExperimentSpec.Lambda {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("T") || t.hasSuffix("t") {
            guard let f = Double(t.dropLast()), f.isFinite, (0...1).contains(f) else { throw InvalidValue() }
            return .fraction(f)
        }
        guard let l = Int(t), l >= 0 else { throw InvalidValue() }
        return .steps(l)
    }

    static func parseWindow(_ text: String) throws -> ClosedRange<Double> {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo.isFinite, hi.isFinite, lo >= 0, lo <= hi else { throw InvalidValue() }
        return lo...hi
    }
    public static let gamma = ValueOption("gamma", readers: .reflecting, value: "G", help: "reflection strength: x + G (R(x) - x)", default: "1 (the paper)",
                                          accepted: "a finite number", parse: Parse.number())
    public static let sigmaMax = ValueOption("sigma-max", readers: .sampling, value: "S", help: "largest noise level", default: "80",
                                             accepted: "a finite number in (0, 1e6], above sigma-min",
                                             parse: Parse.number(where: { $0 > 0 && $0 <= NoiseSchedule.largestSigma }))
    public static let sigmaMin = ValueOption("sigma-min", readers: .sampling, value: "S", help: "smallest nonzero noise level", default: "0.002",
                                             accepted: "a finite number > 0, below sigma-max", parse: Parse.number(where: { $0 > 0 }))
    public static let rho = ValueOption("rho", readers: .sampling, value: "R", help: "Karras schedule exponent", default: "7",
                                        accepted: "a finite number > 0", parse: Parse.number(where: { $0 > 0 }))
    public static let prior = ValueOption("prior", readers: .sampling, value: "NAME",
                                          help: "first iterate: gaussian N(0, sigma_max^2 I), or exact samples of the ideal p(x; sigma_max)",
                                          default: "gaussian", accepted: "gaussian, exact", parse: Parse.named(ExperimentSpec.PriorKind.self))
    public static let samples = ValueOption("samples", readers: .everyMethod, value: "N", help: "particles per method", default: "100000 (1D), 50000 (d >= 2)",
                                            accepted: "an integer >= 1", parse: Parse.integer(in: 1...Int.max))
    public static let seed = ValueOption("seed", readers: .everyMethod, value: "N", help: "random seed; particle i draws from stream i, so results do not depend on --threads",
                                         default: "0", accepted: "an integer from 0 to 18446744073709551615", parse: Parse.unsigned)
    public static let repeats = ValueOption("repeats", readers: .everyMethod, value: "N",
                                            help: "run every method with seeds seed ... seed + N - 1 and report each metric's mean, standard deviation and 95% interval, and paired differences to strong",
                                            default: "1", accepted: "an integer from 1 to 1000", parse: Parse.integer(in: 1...1000))
    public static let guidance = ValueOption("guidance", readers: .methods(MethodReaders("autoguidance", [.autoguidance])), value: "W", help: "autoguidance weight: s_w + W (s_s - s_w)", default: "2",
                                             accepted: "a finite number", parse: Parse.number())
    public static let guidanceInterval = ValueOption("guidance-interval", readers: .methods(guidanceIntervalReaders), value: "LO:HI",
                                                     help: "guide only the steps whose starting noise level sigma_i lies in [LO, HI] (Kynkaanniemi et al. 2024): autoguidance takes the strong model alone at the other steps (1 evaluation instead of 2), a classifier-free guided model (cfg, with a class) the conditional score s_C",
                                                     default: "none (every step guided)", accepted: "LO:HI with 0 <= LO <= HI finite",
                                                     parse: parseWindow)

    /// Who reads the guidance interval: autoguidance, and on an experiment with a class every sampling
    /// method using a model with classifier-free guidance (`cfg`), in all of its steps, reflections included.
    static let guidanceIntervalReaders = MethodReaders("autoguidance, and with a class every method using a model with cfg", members: { spec in
        var members: Set<MethodName> = [.autoguidance]
        if spec.condition != nil {
            if spec.strong.cfg != nil { members.formUnion(MethodName.using(.strong)) }
            if spec.weak.cfg != nil { members.formUnion(MethodName.using(.weak)) }
        }
        return members.intersection(MethodName.sampling)
    })

    public static let inversionError = ValueOption("inversion-error", readers: .inverting, value: "K",
                                                   help: "every inversion is perturbed by K eps, fresh eps each time (the paper's Table 13; units from --inversion-error-units)",
                                                   default: "0", accepted: "a finite number >= 0, not with --inversion exact",
                                                   parse: Parse.number(where: { $0 >= 0 }))
    public static let inversionErrorUnits = ValueOption(
        "inversion-error-units", readers: .methods(.inverting.needing { $0.inversionError > 0 ? nil : "--inversion-error K > 0" }), value: "UNITS",
        help: "score: the inverted score becomes s + K eps (the pinned convention, used by the Table 13 analogue); eps: after each inversion a kick of -(sigma_i - sigma_{i+1}) K eps, an error K in an eps-prediction network's output",
        default: "score", accepted: "score, eps", parse: Parse.named(InversionError.Units.self))
    public static let methods = ValueOption("methods", readers: .command, value: "LIST", help: "the methods to run, in this order",
                                            default: MethodName.defaults.map(\.rawValue).joined(separator: ","),
                                            accepted: "a comma list of " + MethodName.allCases.map(\.rawValue).joined(separator: ", "),
                                            parse: parseMethods)

    /// A comma list of distinct method names.
    static func parseMethods(_ text: String) throws -> [MethodName] {
        var methods: [MethodName] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            guard let method = MethodName(rawValue: part) else {
                throw InvalidValue("unknown method '\(part)'; did you mean \(nearestName(to: part, among: MethodName.allCases.map(\.rawValue)) ?? "w2sd")?")
            }
            guard !methods.contains(method) else { throw InvalidValue("'\(part)' is listed twice") }
            methods.append(method)
        }
        return methods
    }
}
