import Foundation
import Toy

/// What `toy-w2sd sweep` or `toy-w2sd frontier` is asked to do, parsed and validated before any work
/// (every problem a `UsageError`, nothing written): the study, the metrics shown, the shard, the output
/// paths and how to run. The experiment comes from the preset (`1d`, the default, or `2d`, with their
/// model options) or `--config`, and the sampler options as for `1d`/`2d`.
public struct StudyRequest {
    public enum Study: Sendable {
        case sweep(Sweep)
        case frontier(Frontier)
        case tunedFrontier(FrontierTuning)
    }

    public var command: String
    public var study: Study
    public var metrics: [String]
    public var shard: StudyShard?
    public var jsonPath: String?
    public var csvPath: String?
    public var plotPath: String?
    /// The figure's size, font size and resolution (`--size`, `--font-size`, `--dpi`).
    public var figureOptions = FigureOptions()
    /// `--report PATH.html`: the HTML report with the cell explorer.
    public var reportPath: String?
    public var threads: Int
    public var timeLimitMinutes: Double
    public var allowLong: Bool
    public var forceProgress: Bool

    /// `--methods` of a sweep: the same declaration with the sweep's default.
    static var sweepMethods: ValueOption<[MethodName]> {
        var option = SettingOptions.methods
        option.defaultText = "strong,w2sd"
        return option
    }

    static let runGroup = OptionGroup("Run", [RunOptions.threads, RunOptions.timeLimit, RunOptions.allowLong, RunOptions.progress])
    static let outputGroup = OptionGroup("Output", [OutputOptions.json, OutputOptions.csv, OutputOptions.plot, OutputOptions.report])
    static let figureGroup = OptionGroup("Figure", OutputOptions.figureOptions)

    /// The option groups of `sweep` (`dimension` 1 or 2, nil for --config).
    public static func sweepGroups(dimension: Int?) -> [OptionGroup] {
        let experiment = ExperimentRequest.groups(dimension == 1 ? .one : dimension == 2 ? .two : .any)
        let methodOptions: [any CommandOption] = [sweepMethods, SettingOptions.guidance, SettingOptions.guidanceInterval, SettingOptions.inversionError, SettingOptions.inversionErrorUnits]
        return [experiment[0], experiment[1], OptionGroup("Methods", methodOptions),
                OptionGroup("Sweep", [StudyOptions.sweep, StudyOptions.metric, StudyOptions.shard, StudyOptions.benchmark]),
                runGroup, outputGroup, figureGroup]
    }

    /// The option groups of `frontier`: T is chosen per budget (no --steps) and the variants are the methods.
    public static func frontierGroups(dimension: Int?) -> [OptionGroup] {
        let experiment = ExperimentRequest.groups(dimension == 1 ? .one : dimension == 2 ? .two : .any)
        let sampler = OptionGroup("Sampler", experiment[1].options.filter { $0.name != "steps" })
        let methodOptions: [any CommandOption] = [SettingOptions.guidance, SettingOptions.guidanceInterval, SettingOptions.inversionError, SettingOptions.inversionErrorUnits]
        return [experiment[0], sampler, OptionGroup("Methods", methodOptions),
                OptionGroup("Frontier", [StudyOptions.budgets, StudyOptions.variants, StudyOptions.metric, StudyOptions.shard]),
                OptionGroup("Tuning", [StudyOptions.tune, StudyOptions.families, StudyOptions.tuneConfigurations, StudyOptions.tuningSeeds,
                                       StudyOptions.heldOutSeeds]),
                runGroup, outputGroup, figureGroup]
    }

    /// `1d` (default) or `2d` first, or any dimension with `--config` or `--case`.
    static func dimensions(_ arguments: [String]) -> (ExperimentRequest.Dimensions, [String]) {
        var rest = arguments
        if let first = rest.first, first == "1d" || first == "2d" {
            rest.removeFirst()
            return (first == "1d" ? .one : .two, rest)
        }
        let config = rest.contains { ["--config", "--case"].contains($0) || $0.hasPrefix("--config=") || $0.hasPrefix("--case=") }
        return (config ? .any : .one, rest)
    }

    static func dimension(_ d: ExperimentRequest.Dimensions) -> Int? { d == .one ? 1 : d == .two ? 2 : nil }

    /// Parses `toy-w2sd sweep ...` (without the subcommand).
    public static func parseSweep(_ arguments: [String]) throws -> StudyRequest {
        let (dims, rest) = dimensions(arguments)
        let (axisTexts, others) = try StudyOptions.extractRepeated(StudyOptions.sweep, from: rest)
        let args = try ParsedArguments(others, options: sweepGroups(dimension: dimension(dims)).flatMap(\.options))
        var spec = try ExperimentRequest.experiment(args, dimensions: dims, configPath: try args.value(ExperimentRequest.config))
        if !args.has(SettingOptions.methods) { spec.methods = [.strong, .w2sd] }
        guard axisTexts.count <= 2 else {
            throw UsageError(message: "\(axisTexts.count) --sweep axes given; accepted: one or two")
        }
        var axes: [SweepAxis] = []
        for text in axisTexts {
            let axis = try SweepAxis.parse(text, base: spec)
            if args.has(axis.name) {
                throw UsageError(message: "--sweep \(axis.name) varies \(axis.name), and --\(axis.name) fixes it too; accepted: one of them")
            }
            axes.append(axis)
        }
        try SettingReaders.refuseUnread(ExperimentRequest.explicitSettings(args), selected: spec.methods, spec: spec)
        for axis in axes {
            guard let readers = axis.readers(modeNames: spec.modeNames) else { continue }
            try SettingReaders.refuseUnread([(readers, "--sweep \(axis.name)")], selected: spec.methods, spec: spec)
        }
        let sweep = try Sweep(base: spec, axes: axes)
        let request = try common(args, command: "sweep" + (dimension(dims).map { " \($0)d" } ?? ""), study: .sweep(sweep), spec: spec)
        if request.plotPath != nil, axes.count == 2, let single = axes.first(where: { $0.values.count < 2 }) {
            throw UsageError(message: "--plot of a two-axis sweep draws heatmaps, and --sweep \(single.name) has one value; accepted: at least two values on each axis (or sweep one axis)")
        }
        return request
    }

    /// Parses `toy-w2sd frontier ...` (without the subcommand).
    public static func parseFrontier(_ arguments: [String]) throws -> StudyRequest {
        let (dims, rest) = dimensions(arguments)
        let args = try ParsedArguments(rest, options: frontierGroups(dimension: dimension(dims)).flatMap(\.options))
        var spec = try ExperimentRequest.experiment(args, dimensions: dims, configPath: try args.value(ExperimentRequest.config))
        guard let budgets = try args.value(StudyOptions.budgets) else {
            throw UsageError(message: "frontier needs --budgets LIST (score evaluations per particle), e.g. --budgets 25,50,100,200")
        }
        if args.has(StudyOptions.tune) { return try parseTunedFrontier(args, dims: dims, spec: spec, budgets: budgets) }
        let tuningOptions: [any CommandOption] = [StudyOptions.families, StudyOptions.tuneConfigurations, StudyOptions.tuningSeeds, StudyOptions.heldOutSeeds]
        if let given = tuningOptions.first(where: args.has) {
            throw UsageError(message: "--\(given.name) shapes the tuning; give --tune as well")
        }
        // At least three repeats by default: a frontier point is reported with its interval.
        if !args.has(SettingOptions.repeats) && (try? args.value(ExperimentRequest.config)) == nil { spec.repeats = 3 }
        let variants = try args.value(StudyOptions.variants) ?? FrontierVariant.defaults
        // A setting given beside the variants is read by the variants that read it and do not set it themselves.
        for option in ExperimentRequest.experimentOptions where args.has(option) {
            let selected = variants.filter { !$0.overrides.contains { $0.option == option.name } }.map(\.method)
            try SettingReaders.refuseUnread([(option.readers, "--\(option.name)")], selected: selected, spec: spec)
        }
        for variant in variants {
            var cell = spec
            try variant.apply(to: &cell)
            let given = variant.overrides.compactMap { o in
                ExperimentSpec.allSettings.first { $0.option.name == o.option }.map { ($0.option.readers, "\(o.option) (in the variant \(variant.name))") }
            }
            try SettingReaders.refuseUnread(given, selected: [variant.method], spec: cell)
        }
        let frontier = try Frontier(base: spec, budgets: budgets, variants: variants)
        return try common(args, command: "frontier" + (dimension(dims).map { " \($0)d" } ?? ""), study: .frontier(frontier), spec: spec)
    }

    /// `frontier --tune`: the families, their configurations and the two seed ranges; the seeds and
    /// repeats of the experiment, the variants and shards do not apply.
    static func parseTunedFrontier(_ args: ParsedArguments, dims: ExperimentRequest.Dimensions, spec: ExperimentSpec,
                                   budgets: [Int]) throws -> StudyRequest {
        let clashes: [any CommandOption] = [StudyOptions.variants, SettingOptions.seed, SettingOptions.repeats, StudyOptions.shard]
        if let clash = clashes.first(where: args.has) {
            throw UsageError(message: "--\(clash.name) does not apply with --tune (the families' candidates replace the variants, --tuning-seeds and --held-out-seeds the seeds, and a tuned frontier runs unsharded); accepted: --tune without it")
        }
        let families = try args.value(StudyOptions.families) ?? TuningFamily.defaultMethods.compactMap(TuningFamily.named)
        let metrics = try args.value(StudyOptions.metric) ?? ["W1"]
        // A setting given beside the families is read by the families whose method reads it.
        for option in ExperimentRequest.experimentOptions where args.has(option) {
            try SettingReaders.refuseUnread([(option.readers, "--\(option.name)")], selected: families.map(\.method), spec: spec)
        }
        let tuning = try FrontierTuning(base: spec, budgets: budgets, families: families,
                                        configurations: try args.value(StudyOptions.tuneConfigurations) ?? FrontierTuning.defaultConfigurations,
                                        tuningSeeds: try args.value(StudyOptions.tuningSeeds) ?? FrontierTuning.defaultTuningSeeds,
                                        heldOutSeeds: try args.value(StudyOptions.heldOutSeeds) ?? FrontierTuning.defaultHeldOutSeeds,
                                        metric: metrics.first ?? "W1")
        return try common(args, command: "frontier" + (dimension(dims).map { " \($0)d" } ?? "") + " --tune", study: .tunedFrontier(tuning), spec: spec)
    }

    /// The options both studies share: metrics, shard, outputs, threads, the time limit.
    static func common(_ args: ParsedArguments, command: String, study: Study, spec: ExperimentSpec) throws -> StudyRequest {
        let metrics = try args.value(StudyOptions.metric) ?? ["W1"]
        try RunMetrics.checkChoice(metrics, modeNames: spec.modeNames)
        let shard = try args.value(StudyOptions.shard)
        let outputs = try StudyOutputs.check(json: try args.value(OutputOptions.json), csv: try args.value(OutputOptions.csv),
                                             plot: try args.value(OutputOptions.plot), report: try args.value(OutputOptions.report))
        if let shard {
            guard let json = outputs.json, json != "-" else {
                throw UsageError(message: "--shard \(shard.index)/\(shard.count) writes a partial JSON for 'toy-w2sd merge'; give --json PATH as well")
            }
            if outputs.csv != nil || outputs.plot != nil || outputs.report != nil {
                throw UsageError(message: "--shard writes only the partial JSON; make the CSV and the figure with 'toy-w2sd merge PART.json ... --csv PATH --plot PATH'")
            }
        }
        return StudyRequest(command: command, study: study, metrics: metrics, shard: shard, jsonPath: outputs.json, csvPath: outputs.csv,
                            plotPath: outputs.plot, figureOptions: try OutputOptions.figureOptions(args, paths: [outputs.plot, outputs.report].compactMap { $0 }),
                            reportPath: outputs.report, threads: try RunOptions.threads(args), timeLimitMinutes: try args.value(RunOptions.timeLimit) ?? 60,
                            allowLong: args.has(RunOptions.allowLong), forceProgress: args.has(RunOptions.progress))
    }

    /// The experiments this process runs (its shard's cells; unavailable frontier cells left out).
    public func cellSpecs() throws -> [ExperimentSpec] {
        switch study {
        case let .sweep(sweep):
            return try (shard?.cells(of: sweep.cellCount) ?? Array(0..<sweep.cellCount)).map { try sweep.spec(ofCell: $0) }
        case let .frontier(frontier):
            return try (shard?.cells(of: frontier.cellCount) ?? Array(0..<frontier.cellCount)).compactMap { try frontier.spec(ofCell: $0) }
        case let .tunedFrontier(tuning):
            return try tuning.plannedRuns()
        }
    }

    /// The run-time estimate of every cell this process runs, summed, checked against --time-limit
    /// (refused with status 2 unless --allow-long); returns the note for long runs.
    public func checkTime(_ specs: [ExperimentSpec]) throws -> String? {
        guard let first = specs.first else { return nil }
        var total = try RunTimeEstimate(spec: first, models: try first.models(), threads: threads)
        for spec in specs.dropFirst() {
            let estimate = try RunTimeEstimate(spec: spec, models: try spec.models(), threads: threads)
            total.seconds += estimate.seconds
            total.evaluationsPerParticle += estimate.evaluationsPerParticle
        }
        return try total.check(limitMinutes: timeLimitMinutes, allowLong: allowLong)
    }

    /// Runs the study (its shard) and returns its document.
    public func run(_ specs: [ExperimentSpec], parallelism: StudyExecutor.Parallelism? = nil,
                    progress: ProgressReporter? = nil) throws -> StudyOutputs.Document {
        let executor = try StudyExecutor(threads: threads, parallelism: parallelism, cells: specs)
        switch study {
        case let .sweep(sweep):
            return .sweep(try sweep.run(command: command, metrics: metrics, shard: shard, executor: executor, progress: progress))
        case let .frontier(frontier):
            return .frontier(try frontier.run(command: command, metrics: metrics, shard: shard, executor: executor, progress: progress))
        case let .tunedFrontier(tuning):
            return .tunedFrontier(try tuning.run(command: command, metrics: metrics, executor: executor, progress: progress))
        }
    }
}
