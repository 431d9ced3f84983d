import Toy

/// The options of `toy-w2sd delta` beyond the experiment's (each declared once).
public enum DeltaOptions {
    /// Noise levels in (0, 1e6]: beyond that p*(x; sigma) is a featureless Gaussian of scale sigma and
    /// the differences are below rounding.
    static func levels(_ text: String) throws -> [Double] {
        let values = try Parse.numbers(text)
        guard values.allSatisfy({ $0 > 0 && $0 <= 1e6 }) else { throw InvalidValue("every noise level must lie in (0, 1e6]") }
        return values
    }

    public static let sigmas = ValueOption("sigmas", readers: .command, value: "LIST", help: "noise levels of the per-sigma table",
                                           default: "the run's sigma grid", accepted: "a comma list of noise levels in (0, 1e6]", parse: levels)
    public static let proxySigmas = ValueOption("proxy-sigmas", readers: .command, value: "LIST", help: "levels of the proxy inner product",
                                                default: "20 geometric from 0.01 to 10", accepted: "a comma list of noise levels in (0, 1e6]",
                                                parse: levels)
    public static let weakFamily = ValueOption(
        "weak-family", readers: .command, value: "A:B:N",
        help: "the weight of the weak model's missing mode (1D: the left mode unless another weak weight is 0; 2D: the --missing mode) from A to B in N values, the others sharing the rest; each runs W2SD with --samples",
        default: "none", accepted: "A:B:N with 0 <= A, B <= 1 and 2 <= N <= 100", parse: parseFamily)

    static func parseFamily(_ text: String) throws -> DeltaStudy.WeakFamily {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let a = Double(parts[0]), let b = Double(parts[1]), let n = Int(parts[2]),
              (0...1).contains(a), (0...1).contains(b), (2...100).contains(n) else { throw InvalidValue() }
        return DeltaStudy.WeakFamily(lower: a, upper: b, count: n)
    }

    public static let grid = ValueOption("grid", readers: .command, value: "N",
                                         help: "2D: trapezoid grid points per axis; the error column compares it with 2 N - 1 points (raise N where a level prints unresolved)",
                                         default: "161", accepted: "an integer from 11 to 2001", parse: Parse.integer(in: 11...2001))

    /// The sampler settings that shape delta's default noise levels (the run's sigma grid) and the
    /// reflection's decomposition at them (its solver step and the seed of its draws), read unless
    /// `--sigmas` gives the levels.
    static let gridSettings: Set<String> = ["steps", "sigma-max", "sigma-min", "rho", "solver", "seed"]

    /// Refuses a sampler setting given on the command line that delta would not read: the grid settings
    /// are read unless `--sigmas` replaces the grid; the others only by the W2SD runs of `--weak-family`
    /// (as W2SD reads them; one run per member, so not `--repeats`). The model options are all read:
    /// Delta1 and Delta2 involve the ideal, strong and weak models.
    public static func refuseUnread(_ args: ParsedArguments, spec: ExperimentSpec) throws {
        let family = args.has(weakFamily)
        for setting in ExperimentSpec.allSettings where args.has(setting.option) {
            let name = setting.option.name
            if gridSettings.contains(name) && !args.has(sigmas) { continue }
            guard family, name != "repeats" else {
                let why = gridSettings.contains(name) ? "--sigmas gives the noise levels" : "only the W2SD runs of --weak-family read it"
                throw UsageError(message: "--\(name) is not read by delta here, so it would change nothing (\(why)); accepted: \(gridSettings.contains(name) ? "drop --sigmas or --\(name)" : name == "repeats" ? "no --repeats (delta runs each family member once)" : "--weak-family A:B:N as well, or no --\(name)")")
            }
            try SettingReaders.refuseUnread([(setting.option.readers, "--\(name)")], selected: [.w2sd], spec: spec)
        }
    }

    /// The groups of `delta` for a dimension (1, 2) or a config of any dimension (nil).
    public static func groups(dimension: Int?) -> [OptionGroup] {
        let experiment = ExperimentRequest.groups(dimension == 1 ? .one : dimension == 2 ? .two : .any)
        return [experiment[0], experiment[1],
                OptionGroup("Delta", [sigmas, proxySigmas, weakFamily, grid]),
                OptionGroup("Run", [RunOptions.threads]),
                OptionGroup("Output", [OutputOptions.json, OutputOptions.plot, OutputOptions.ppm, OutputOptions.report]),
                OptionGroup("Figure", OutputOptions.figureOptions)]
    }
}
