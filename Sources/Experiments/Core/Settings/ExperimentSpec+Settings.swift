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
    /// Z-Sampling's default weights, 2 (denoising) and 0 (inversion). The toy's ideal is the class-
    /// conditional p*(x | c), guidance weight 1; practice samples above it (the paper: SDXL at 5.5, which
    /// does not transfer to a toy whose modes are 0.8 wide), and 2 is the toy's over-guided weight (the
    /// strong weight of `guidance-over-1d`, so there z-sampling at the defaults is W2SD of that case);
    /// 0, the unconditional model, is the paper's inversion guidance. 0.5:0 gives the positive control of
    /// `guidance-under-1d` (Delta1 = Delta2 exactly).
    public static let zGuidanceDefault = 2.0
    public static let zInversionGuidanceDefault = 0.0

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
            // The stochastic baselines and Z-Sampling: left out of a document at their defaults.
            .init(SettingOptions.sChurn, jsonKey: "sChurn", field: \.churn.sChurn, encode: { $0 == Churn.toyDefault.sChurn ? nil : .number($0) }),
            .init(SettingOptions.sTmin, jsonKey: "sTmin", field: \.churn.sTmin, encode: { $0 == Churn.toyDefault.sTmin ? nil : .number($0) }),
            .init(SettingOptions.sTmax, jsonKey: "sTmax", field: \.churn.sTmax, encode: { $0 == Churn.toyDefault.sTmax ? nil : .number($0) }),
            .init(SettingOptions.sNoise, jsonKey: "sNoise", field: \.churn.sNoise, encode: { $0 == Churn.toyDefault.sNoise ? nil : .number($0) }),
            .init(SettingOptions.restartInterval, jsonKey: "restartInterval", field: \.restart.interval, encode: { interval in
                interval == Restart.toyDefault.interval ? nil : .string("\(interval.lowerBound):\(interval.upperBound)")
            }),
            .init(SettingOptions.restarts, jsonKey: "restarts", field: \.restart.count,
                  encode: { $0 == Restart.toyDefault.count ? nil : .integer(Int64($0)) }),
            .init(SettingOptions.restartSteps, jsonKey: "restartSteps", field: \.restart.steps,
                  encode: { $0 == Restart.toyDefault.steps ? nil : .integer(Int64($0)) }),
            .init(SettingOptions.zGuidance, jsonKey: "zGuidance", field: \.zGuidance,
                  encode: { $0 == ExperimentSpec.zGuidanceDefault ? nil : .number($0) }),
            .init(SettingOptions.zInversionGuidance, jsonKey: "zInversionGuidance", field: \.zInversionGuidance,
                  encode: { $0 == ExperimentSpec.zInversionGuidanceDefault ? nil : .number($0) }),
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
    public static let solver = ValueOption("solver", readers: .methods(MethodReaders("every sampling method but the Heun samplers", MethodName.sampling.subtracting(MethodName.heunOnly))),
                                           value: "NAME", help: "the step M: euler (the paper's operator) or heun (edm-churn and restart always step with Heun)",
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
    /// method using a model with classifier-free guidance (`cfg`), in all of its steps, reflections
    /// included; not z-sampling, which guides the strong mixture with its own weights at every step.
    static let guidanceIntervalReaders = MethodReaders("autoguidance, and with a class every method using a model with cfg", members: { spec in
        var members: Set<MethodName> = [.autoguidance]
        if spec.condition != nil {
            if spec.strong.cfg != nil { members.formUnion(MethodName.using(.strong)) }
            if spec.weak.cfg != nil { members.formUnion(MethodName.using(.weak)) }
        }
        return members.intersection(MethodName.sampling).subtracting([.zSampling])
    })

    public static let inversionError = ValueOption("inversion-error", readers: .inverting, value: "K",
                                                   help: "every inversion is perturbed by K eps, fresh eps each time (the paper's Table 13; units from --inversion-error-units)",
                                                   default: "0", accepted: "a finite number >= 0, not with --inversion exact",
                                                   parse: Parse.number(where: { $0 >= 0 }))
    public static let inversionErrorUnits = ValueOption(
        "inversion-error-units", readers: .methods(.inverting.needing { $0.inversionError > 0 ? nil : "--inversion-error K > 0" }), value: "UNITS",
        help: "score: the inverted score becomes s + K eps (the pinned convention, used by the Table 13 analogue); eps: after each inversion a kick of -(sigma_i - sigma_{i+1}) K eps, an error K in an eps-prediction network's output",
        default: "score", accepted: "score, eps", parse: Parse.named(InversionError.Units.self))
    // MARK: The stochastic baselines and Z-Sampling (each read by its one method)

    static let edmChurn = MethodReaders("EDM stochastic sampling", [.edmChurn])
    /// S_tmin, S_tmax and S_noise shape a churn, and with S_churn = 0 there is none.
    static let churnShape = edmChurn.needing { $0.churn.sChurn > 0 ? nil : "--s-churn S > 0" }
    static let restartSampling = MethodReaders("Restart sampling", [.restart])
    /// The interval and the steps shape a restart, and with K = 0 there is none.
    static let restartShape = restartSampling.needing { $0.restart.count > 0 ? nil : "--restarts K > 0" }
    static let zSampling = MethodReaders("Z-Sampling", [.zSampling])

    public static let sChurn = ValueOption("s-churn", readers: .methods(edmChurn), value: "S",
                                           help: "EDM churn S_churn: a step from sigma_i in [S_tmin, S_tmax] first raises sigma to (1 + gamma) sigma_i with fresh noise, gamma = min(S / T, sqrt(2) - 1); 0 is deterministic Heun. 10 gives gamma 0.2 at T = 50, the order of EDM's tuned ImageNet-64 value (40 over 256 steps)",
                                           default: "\(NumberFormat.significant(Churn.toyDefault.sChurn, 6))", accepted: "a finite number >= 0",
                                           parse: Parse.number(where: { $0 >= 0 }))
    public static let sTmin = ValueOption("s-tmin", readers: .methods(churnShape), value: "S", help: "EDM churn S_tmin: the lowest noise level sigma_i that churns (EDM's ImageNet value)",
                                          default: "\(NumberFormat.significant(Churn.toyDefault.sTmin, 6))", accepted: "a finite number >= 0, at most s-tmax, with --s-churn > 0",
                                          parse: Parse.number(where: { $0 >= 0 }))
    public static let sTmax = ValueOption("s-tmax", readers: .methods(churnShape), value: "S", help: "EDM churn S_tmax: the highest noise level sigma_i that churns (EDM's ImageNet value)",
                                          default: "\(NumberFormat.significant(Churn.toyDefault.sTmax, 6))", accepted: "a finite number >= 0, at least s-tmin, with --s-churn > 0",
                                          parse: Parse.number(where: { $0 >= 0 }))
    public static let sNoise = ValueOption("s-noise", readers: .methods(churnShape), value: "S",
                                           help: "EDM churn S_noise: the fresh noise is sqrt(sigma_hat^2 - sigma_i^2) S eps; 1 is the exact variance (EDM's 1.003-1.007 offset a learned denoiser's smoothing, which exact toy scores lack)",
                                           default: "\(NumberFormat.significant(Churn.toyDefault.sNoise, 6))", accepted: "a finite number >= 0, with --s-churn > 0",
                                           parse: Parse.number(where: { $0 >= 0 }))
    public static let restartInterval = ValueOption("restart-interval", readers: .methods(restartShape), value: "LO:HI",
                                                    help: "Restart's interval [t_min, t_max]: after the first main step that lands on a level sigma_j <= t_min, x gets noise sqrt(t_max^2 - sigma_j^2) eps and is brought back down to sigma_j; 2 is 2.5 mode std (reshapes modes, moves no mass between the preset's modes), 0.1 an eighth of one",
                                                    default: "\(NumberFormat.significant(Restart.toyDefault.interval.lowerBound, 6)):\(NumberFormat.significant(Restart.toyDefault.interval.upperBound, 6))",
                                                    accepted: "LO:HI with 0 < LO < HI finite, LO >= sigma-min, with --restarts > 0",
                                                    parse: parseOpenInterval)
    public static let restarts = ValueOption("restarts", readers: .methods(restartSampling), value: "K",
                                             help: "Restart's K: how often the interval is restarted (0 is deterministic Heun)",
                                             default: "\(Restart.toyDefault.count)", accepted: "an integer from 0 to 1000", parse: Parse.integer(in: 0...1000))
    public static let restartSteps = ValueOption("restart-steps", readers: .methods(restartShape), value: "N",
                                                 help: "Restart's N: Heun steps from t_max down to t_min (Karras-spaced) in each restart; 10 keeps a pass's own error on a preset mode under 1% of its std (5: 3%)",
                                                 default: "\(Restart.toyDefault.steps)", accepted: "an integer from 1 to 10000, with --restarts > 0",
                                                 parse: Parse.integer(in: 1...10_000))
    public static let zGuidance = ValueOption("z-guidance", readers: .methods(zSampling), value: "W",
                                              help: "Z-Sampling's denoising weight: the strong mixture guided s + W (s_C - s) towards the class C steps and reflects down. The toy's ideal is W = 1 (the conditional); 2 over-guides as practical guidance does (the paper's SDXL 5.5 does not transfer) and is guidance-over-1d's strong weight",
                                              default: "\(NumberFormat.significant(ExperimentSpec.zGuidanceDefault, 6))", accepted: "a finite number >= 0",
                                              parse: Parse.number(where: { $0 >= 0 }))
    public static let zInversionGuidance = ValueOption("z-inversion-guidance", readers: .methods(zSampling), value: "W",
                                                       help: "Z-Sampling's inversion weight: the same mixture guided with W inverts (the reflection's way up); 0, unconditional, as in the paper. Equal to --z-guidance it is self-reflection of that guided model",
                                                       default: "\(NumberFormat.significant(ExperimentSpec.zInversionGuidanceDefault, 6))", accepted: "a finite number >= 0",
                                                       parse: Parse.number(where: { $0 >= 0 }))

    /// "LO:HI" with 0 < LO < HI, both finite.
    static func parseOpenInterval(_ text: String) throws -> ClosedRange<Double> {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo.isFinite, hi.isFinite, lo > 0, lo < hi else { throw InvalidValue() }
        return lo...hi
    }

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
