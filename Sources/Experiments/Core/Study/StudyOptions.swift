import Foundation

/// The options of the study commands (`sweep`, `frontier`, `merge`) beyond the experiment's, each
/// declared once and shared by the commands that take it.
public enum StudyOptions {
    public static let sweep = ValueOption(
        "sweep", readers: .command, value: "NAME=VALUES",
        help: "an axis of the sweep (give one or two; cells are their Cartesian product, first axis outermost): a sampler or method setting (steps, lambda, gamma, solver, inversion, sigma-max, sigma-min, rho, guidance, inversion-error, reflect-sigma, prior, samples, ...), reflect-sigma-lo / reflect-sigma-hi (one end of the window; the other from --reflect-sigma, else 0 or sigma-max), weak-weight-K / strong-weight-K (mode K's weight by index or name, the others sharing the rest in their present proportions), strong-cfg / weak-cfg (classifier-free guidance weight, an experiment with a class) or strong-kappa / weak-kappa (saturation cap); VALUES a comma list or A:B:N (N evenly spaced values; lambda fractions as 0.2T:1T:9)",
        default: "none (required)", accepted: "NAME=VALUES with a setting name and values that setting accepts", parse: Parse.text)
    public static let metric = ValueOption(
        "metric", readers: .command, value: "LIST",
        help: "the metrics shown in the table and the figure (every metric is in the JSON and CSV): W1, W2, MMD2, NLL, spurious (on no mode), evals/particle, mass:MODE (nearest mode), on-mode:MODE (squared Mahalanobis distance below the chi-square quantile at q = 0.999, nearest such mode), std-ratio:MODE",
        default: "W1", accepted: "a comma list of metric names", parse: { text in
            text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        })
    public static let shard = ValueOption(
        "shard", readers: .command, value: "K/N",
        help: "run only the cells j (0-based, in the fixed cell order) with j mod N = K - 1 and write a partial JSON for 'toy-w2sd merge'",
        default: "all cells", accepted: "K/N with integers 1 <= K <= N <= 100000", parse: StudyShard.parse)
    public static let budgets = ValueOption(
        "budgets", readers: .command, value: "LIST",
        help: "score evaluations per particle allowed; each variant runs with the largest T whose exact count does not exceed the budget",
        default: "none (required)", accepted: "a comma list of distinct integers from 1 to 1000000", parse: parseBudgets)
    public static let variants = ValueOption(
        "variants", readers: .command, value: "LIST",
        help: "method variants: strong-euler, strong-heun, or METHOD[:SETTING=VALUE...] with any sampling method and sampler setting (w for guidance), e.g. autoguidance:w=1.5, w2sd:gamma=0.5, w2sd:reflect-sigma=0:2",
        default: FrontierVariant.defaults.map(\.name).joined(separator: ","),
        accepted: "a comma list of distinct variants", parse: FrontierVariant.parseList)
    public static let tune = SwitchOption(
        "tune", readers: .command,
        help: "tune every family the same way per budget (its first --tune-configurations candidates of its own settings) on --tuning-seeds, report the chosen ones on the disjoint --held-out-seeds as paired differences to strong; replaces --variants")
    public static let families = ValueOption(
        "families", readers: .command, value: "LIST", help: "the method families --tune compares (strong is always the reference)",
        default: TuningFamily.defaultMethods.map(\.rawValue).joined(separator: ","),
        accepted: "a comma list of \(TuningFamily.grids.keys.map(\.rawValue).sorted().joined(separator: ", ")), with strong", parse: parseFamilies)
    public static let tuneConfigurations = ValueOption(
        "tune-configurations", readers: .command, value: "N", help: "configurations each family tries per budget (the same number for all)",
        default: "\(FrontierTuning.defaultConfigurations)", accepted: "an integer from 1 to the smallest family's candidate count (9)",
        parse: Parse.integer(in: 1...1000))
    public static let tuningSeeds = ValueOption(
        "tuning-seeds", readers: .command, value: "A..B", help: "the seeds the configurations are selected on (inclusive range)",
        default: "0..4", accepted: "A..B with integers 0 <= A <= B", parse: parseSeedRange)
    public static let heldOutSeeds = ValueOption(
        "held-out-seeds", readers: .command, value: "A..B", help: "the seeds the chosen configurations are reported on, disjoint from the tuning seeds",
        default: "100..109", accepted: "A..B with integers 0 <= A < B, not overlapping --tuning-seeds", parse: parseSeedRange)

    /// "A..B" (inclusive).
    static func parseSeedRange(_ text: String) throws -> ClosedRange<UInt64> {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let a = UInt64(parts[0].trimmingCharacters(in: .whitespaces)), let b = UInt64(parts[1].trimmingCharacters(in: .whitespaces)),
              a <= b, b - a < 10_000 else { throw InvalidValue() }
        return a...b
    }

    /// A comma list of distinct families with a declared search.
    static func parseFamilies(_ text: String) throws -> [TuningFamily] {
        var families: [TuningFamily] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            guard let method = MethodName(rawValue: part), let family = TuningFamily.named(method) else {
                let names = TuningFamily.grids.keys.map(\.rawValue).sorted()
                throw InvalidValue("'\(part)' has no declared search\(nearestName(to: part, among: names).map { "; did you mean \($0)?" } ?? "")")
            }
            guard !families.contains(where: { $0.method == method }) else { throw InvalidValue("'\(part)' is listed twice") }
            families.append(family)
        }
        return families
    }

    public static let benchmark = SwitchOption("benchmark", readers: .command, help: "time the sweep benchmark (10 x 10 cells of gamma x reflect-sigma-hi, 3 repeats, 20000 particles, 1D W2SD, T = 50) and print seconds for both ways of using the cores (meaningful on a release build)")

    static func parseBudgets(_ text: String) throws -> [Int] {
        var budgets: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let b = Int(part), (1...1_000_000).contains(b) else { throw InvalidValue("'\(part)' is not an integer from 1 to 1000000") }
            guard !budgets.contains(b) else { throw InvalidValue("\(b) is listed twice") }
            budgets.append(b)
        }
        return budgets
    }

    /// Takes every occurrence of a repeatable option (`--sweep A --sweep B`, or `--sweep=A`) out of the
    /// arguments; the rest go to `ParsedArguments`, which refuses repeated options.
    public static func extractRepeated(_ option: any CommandOption, from arguments: [String]) throws -> (values: [String], rest: [String]) {
        var values: [String] = [], rest: [String] = []
        var i = 0
        let flag = "--" + option.name
        while i < arguments.count {
            let argument = arguments[i]
            if argument == flag {
                guard i + 1 < arguments.count, !arguments[i + 1].hasPrefix("--"), !arguments[i + 1].isEmpty else {
                    throw UsageError(message: "\(flag) needs a value; accepted: \(option.accepted)")
                }
                values.append(arguments[i + 1])
                i += 2
            } else if argument.hasPrefix(flag + "=") {
                let value = String(argument.dropFirst(flag.count + 1))
                guard !value.isEmpty else { throw UsageError(message: "\(flag) needs a non-empty value; accepted: \(option.accepted)") }
                values.append(value)
                i += 1
            } else {
                rest.append(argument)
                i += 1
            }
        }
        return (values, rest)
    }
}

/// `--shard K/N`: this process runs cell j (0-based, in the fixed cell order) iff j mod N = K - 1.
public struct StudyShard: Codable, Sendable, Equatable {
    /// K, from 1.
    public var index: Int
    /// N.
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    static func parse(_ text: String) throws -> StudyShard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let k = parts[0], let n = parts[1], (1...100_000).contains(n), (1...n).contains(k) else { throw InvalidValue() }
        return StudyShard(index: k, count: n)
    }

    /// Whether cell `j` belongs to this shard.
    public func holds(_ j: Int) -> Bool { j % count == index - 1 }

    /// The cells of `total` this shard holds, in order.
    public func cells(of total: Int) -> [Int] { (0..<total).filter(holds) }
}
