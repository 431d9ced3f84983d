import Foundation
import Toy

/// What `toy-w2sd 1d | 2d | run` is asked to do, parsed and validated from the command line (and
/// `--config`) before any work: the experiment, how to run it and where to write. Building one touches
/// no file except reading the config; every problem is a `UsageError`.
public struct ExperimentRequest {
    public var command: String
    public var spec: ExperimentSpec
    public var models: ScoreModels
    public var configPath: String?
    /// The `--case` name, when the experiment is a case of the difference zoo.
    public var caseName: String?
    public var threads: Int
    public var trajectories: Int
    public var jsonPath: String?
    public var plotPath: String?
    public var ppmPath: String?
    /// `--report PATH.html`: the HTML report (it draws the figure too).
    public var reportPath: String?
    public var timingsInJSON: Bool
    /// `.csv` or `.npy` files of the final samples and of the recorded trajectories.
    public var samplesOutPath: String?
    public var trajectoriesOutPath: String?
    public var figureOptions: FigureOptions
    public var timeLimitMinutes: Double
    public var allowLong: Bool
    public var forceProgress: Bool
    /// Settings the config file, case or saved report gave that no selected method reads (JSON keys):
    /// listed by the run and in its JSON, not refused.
    public var settingsNotRead: [String]

    public var wantsFigure: Bool { plotPath != nil || ppmPath != nil || reportPath != nil }
    /// Where the experiment came from, for figure titles: the config file, "case NAME", or nil (a preset).
    public var source: String? { configPath ?? caseName.map { "case \($0)" } }
    /// Whether every method's samples must be held until the end (a figure or a samples file needs them).
    public var holdsAllSamples: Bool { wantsFigure || samplesOutPath != nil }
    /// Whether every repeat's samples and trajectories must be held (an export writes every repeat).
    public var holdsEveryRepeat: Bool { samplesOutPath != nil || trajectoriesOutPath != nil }

    /// Which dimensions a command accepts.
    public enum Dimensions: Sendable {
        case one, two, any
        var command: String { self == .one ? "1d" : self == .two ? "2d" : "run" }
    }

    public static let maxTrajectories = 5000
    public static let config = ValueOption("config", readers: .command, value: "FILE.json",
                                           help: "a whole experiment (models of any dimension, sampler settings, methods), or a saved JSON report; options given beside it override its settings",
                                           default: "none", accepted: "an experiment file (see Examples/) or a toy-w2sd JSON report", parse: Parse.text)
    public static let caseOption = ValueOption("case", readers: .command, value: "NAME",
                                               help: "a named toy of the difference zoo (toy-w2sd cases lists them) instead of the preset; options given beside it override its settings",
                                               default: "none", accepted: "a case of 'toy-w2sd cases'",
                                               parse: Parse.text)
    public static let trajectories = ValueOption("trajectories", readers: .noResult, value: "K", help: "particles whose paths are recorded and drawn",
                                                 default: "64", accepted: "an integer from 0 to min(samples, \(maxTrajectories))",
                                                 parse: Parse.integer(in: 0...maxTrajectories))
    public static let panels = ValueOption("panels", readers: .noResult, value: "LIST",
                                           help: "only these panels of the figure, by the letters it prints ((a), (b), ... in reading order); one panel alone is drawn at publication size",
                                           default: "all", accepted: "a comma list of panel letters (a, b, ..., z, aa, ...)", parse: { text in
                                               let letters = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                                               guard letters.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy { ("a"..."z").contains($0) } }) else { throw InvalidValue() }
                                               return letters
                                           })

    /// The option groups of the experiment commands, in help order.
    public static func groups(_ dimensions: Dimensions) -> [OptionGroup] {
        let models: [any CommandOption] = [config, caseOption]
            + (dimensions == .any ? [] : ModelOptions.all(dimension: dimensions == .one ? 1 : 2)) + FieldOptions.all
        return [
            OptionGroup("Models", models),
            OptionGroup("Sampler", ExperimentSpec.samplerSettings.map(\.option).filter { !Self.methodOptionNames.contains($0.name) }),
            OptionGroup("Methods", [SettingOptions.methods, SettingOptions.guidance, SettingOptions.guidanceInterval, SettingOptions.inversionError, SettingOptions.inversionErrorUnits]
                        + stochasticOptions),
            OptionGroup("Run", [RunOptions.threads, trajectories, RunOptions.timeLimit, RunOptions.allowLong, RunOptions.progress]),
            OptionGroup("Output", [OutputOptions.json, OutputOptions.timings, OutputOptions.plot, OutputOptions.ppm, OutputOptions.report,
                                   OutputOptions.samplesOut, OutputOptions.trajectoriesOut]),
            OptionGroup("Figure", [panels] + OutputOptions.figureOptions),
        ]
    }

    /// Sampler settings shown under "Methods" (they shape one method each).
    static let methodOptionNames: Set<String> = Set(["guidance", "guidance-interval", "inversion-error", "inversion-error-units"] + stochasticOptions.map(\.name))

    /// The settings of EDM churn, Restart and Z-Sampling (one method each), under "Methods".
    static let stochasticOptions: [any CommandOption] = [
        SettingOptions.sChurn, SettingOptions.sTmin, SettingOptions.sTmax, SettingOptions.sNoise,
        SettingOptions.restartInterval, SettingOptions.restarts, SettingOptions.restartSteps,
        SettingOptions.zGuidance, SettingOptions.zInversionGuidance,
    ]

    /// The experiment of a case, checked against the command's dimensions.
    static func caseExperiment(_ name: String, dimensions: Dimensions) throws -> ExperimentSpec {
        let found: DifferenceCase
        do { found = try DifferenceCase.named(name) } catch {
            let names = DifferenceCase.all.map(\.name)
            throw UsageError(message: "--case '\(name)' is not a case (did you mean \(nearestName(to: name, among: names) ?? "")?); accepted: \(names.joined(separator: ", "))")
        }
        let spec = found.experiment
        let d = spec.dimension
        switch dimensions {
        case .one where d != 1, .two where d != 2:
            let fits = d == 1 ? "1d" : d == 2 ? "2d" : "run"
            throw UsageError(message: "--case \(name) is \(d)-dimensional; 'toy-w2sd \(dimensions.command)' accepts \(dimensions == .one ? "1" : "2")-dimensional cases (use 'toy-w2sd \(fits) --case \(name)')")
        default: return spec
        }
    }

    /// Parses and validates a whole experiment command line.
    public static func parse(command: String, dimensions: Dimensions, _ arguments: [String]) throws -> ExperimentRequest {
        let args = try ParsedArguments(arguments, options: groups(dimensions).flatMap(\.options))
        let configPath = try args.value(config)
        var spec = try experiment(args, dimensions: dimensions, configPath: configPath)
        let models = try checkedModels(spec, source: configPath)
        if spec.methods.isEmpty { spec.methods = MethodName.defaults }
        try SettingReaders.refuseUnread(explicitSettings(args), selected: spec.methods, spec: spec)
        do {
            try ExperimentRunner(spec: spec, models: models, threads: 1).validateMethods()
        } catch let error as ToyError {
            throw UsageError(message: "\(error)")
        }

        let particles = spec.particles
        let threads = try RunOptions.threads(args)
        let trajectoryLimit = min(particles, maxTrajectories)
        let trajectories = try args.value(Self.trajectories) ?? min(64, particles)
        guard trajectories <= trajectoryLimit else {
            throw UsageError(message: "--trajectories \(trajectories) is not valid; accepted: an integer from 0 to min(samples, \(maxTrajectories)) = \(trajectoryLimit)")
        }
        let jsonPath = try OutputOptions.jsonPath(args), plotPath = try args.value(OutputOptions.plot), ppmPath = try args.value(OutputOptions.ppm)
        if let plotPath { try OutputPaths.check(plotPath, option: "plot", extensions: OutputOptions.plotExtensions) }
        if let ppmPath { try OutputPaths.check(ppmPath, option: "ppm", extensions: [".ppm"]) }
        let reportPath = try OutputOptions.reportPath(args)
        let samplesOutPath = try args.value(OutputOptions.samplesOut), trajectoriesOutPath = try args.value(OutputOptions.trajectoriesOut)
        if let samplesOutPath { try OutputPaths.check(samplesOutPath, option: "samples-out", extensions: [".csv", ".npy"]) }
        if let trajectoriesOutPath { try OutputPaths.check(trajectoriesOutPath, option: "trajectories-out", extensions: [".csv", ".npy"]) }
        if let path = trajectoriesOutPath, trajectories == 0 {
            throw UsageError(message: "--trajectories-out '\(path)' needs recorded trajectories, and --trajectories is 0; accepted: --trajectories K with K >= 1")
        }
        // A .npy file comes with its JSON sidecar <file>.json: that path must be free too.
        let sidecars = [("samples-out", samplesOutPath), ("trajectories-out", trajectoriesOutPath)].compactMap { o, p in
            p.flatMap { SampleExport.format(of: $0) == .npy ? (o + " sidecar", $0 + ".json") : nil }
        }
        for (option, path) in sidecars { try OutputPaths.checkWritable(path, option: option) }
        try OutputPaths.checkDistinct([("json", jsonPath), ("plot", plotPath), ("ppm", ppmPath), ("report", reportPath), ("samples-out", samplesOutPath),
                                       ("trajectories-out", trajectoriesOutPath)].compactMap { o, p in p.map { (o, $0) } } + sidecars)
        let figurePaths = [plotPath, ppmPath, reportPath].compactMap { $0 }
        if figurePaths.isEmpty, args.has(panels) {
            throw UsageError(message: "--panels shapes the figure; give --plot PATH (or --ppm PATH, or --report PATH.html) as well")
        }
        let figureOptions = try OutputOptions.figureOptions(args, panels: try args.value(panels), paths: figurePaths)
        if args.has(OutputOptions.timings) && jsonPath == nil {
            throw UsageError(message: "--timings adds timings to the JSON report; give --json PATH as well")
        }
        return ExperimentRequest(command: command, spec: spec, models: models, configPath: configPath,
                                 caseName: try args.value(caseOption), threads: threads,
                                 trajectories: trajectories, jsonPath: jsonPath, plotPath: plotPath, ppmPath: ppmPath, reportPath: reportPath,
                                 timingsInJSON: args.has(OutputOptions.timings), samplesOutPath: samplesOutPath, trajectoriesOutPath: trajectoriesOutPath,
                                 figureOptions: figureOptions, timeLimitMinutes: try args.value(RunOptions.timeLimit) ?? 60,
                                 allowLong: args.has(RunOptions.allowLong), forceProgress: args.has(RunOptions.progress),
                                 settingsNotRead: SettingReaders.unread(try sourceKeys(args, configPath: configPath), selected: spec.methods, spec: spec))
    }

    /// The settings given on the command line, each with the flag that gave it.
    public static func explicitSettings(_ args: ParsedArguments, options: [any CommandOption]) -> [(readers: SettingReaders, source: String)] {
        options.filter(args.has).map { ($0.readers, "--\($0.name)") }
    }

    /// The settings given on the command line of an experiment command (every group's options).
    static func explicitSettings(_ args: ParsedArguments) -> [(readers: SettingReaders, source: String)] {
        explicitSettings(args, options: experimentOptions)
    }

    /// The options that shape an experiment: its source, the model and field options, every setting.
    static var experimentOptions: [any CommandOption] {
        [config, caseOption] + ModelOptions.all(dimension: 1) + [ModelOptions.missing] + FieldOptions.all + ExperimentSpec.allSettings.map(\.option)
    }

    /// The sampler keys (JSON) that the experiment's source set and the command line did not override:
    /// the keys of the config file's `sampler` object (of its `experiment` for a saved report), or the
    /// keys a `--case` sets to other than the default; none for a preset.
    public static func sourceKeys(_ args: ParsedArguments, configPath: String?) throws -> Set<String> {
        let overridden = Set(ExperimentSpec.allSettings.filter { args.has($0.option) }.map(\.jsonKey))
        if let configPath {
            return (try ExperimentSpec.samplerKeys(path: configPath)).subtracting(overridden)
        }
        guard let name = try args.value(caseOption), let found = try? DifferenceCase.named(name) else { return [] }
        let defaults = ExperimentSpec(ideal: found.experiment.ideal, strong: found.experiment.strong, weak: found.experiment.weak).samplerDocument
        let document = found.experiment.samplerDocument
        return Set(document.keys.filter { document[$0] != defaults[$0] }).subtracting(overridden)
    }

    /// The experiment's models, built once to check them (model files read, classes and dimensions
    /// checked); errors are usage errors naming the config file or "models".
    public static func checkedModels(_ spec: ExperimentSpec, source configPath: String?) throws -> ScoreModels {
        do { return try spec.models(source: configPath ?? "models") } catch let error as ToyError { throw UsageError(message: "\(error)") }
    }

    /// The experiment: the config file or the reshaped preset, then the score-field options, then every sampler setting given on the
    /// command line, then the rules between settings (naming where each value came from).
    public static func experiment(_ args: ParsedArguments, dimensions: Dimensions, configPath: String?) throws -> ExperimentSpec {
        var spec: ExperimentSpec
        if let name = try args.value(caseOption) {
            if configPath != nil { throw UsageError(message: "--case and --config both define the experiment; accepted: one of them") }
            let modelOptions = dimensions == .any ? [] : ModelOptions.all(dimension: dimensions == .one ? 1 : 2)
            if let clash = modelOptions.first(where: args.has) {
                throw UsageError(message: "--\(clash.name) cannot be combined with --case; the case defines the models")
            }
            spec = try caseExperiment(name, dimensions: dimensions)
        } else if let configPath {
            let modelOptions = dimensions == .any ? [] : ModelOptions.all(dimension: dimensions == .one ? 1 : 2)
            if let clash = modelOptions.first(where: args.has) {
                throw UsageError(message: "--\(clash.name) cannot be combined with --config; the config file defines the models (edit it instead)")
            }
            do { spec = try ExperimentSpec.load(path: configPath) } catch let error as ToyError { throw UsageError(message: "\(error)") }
            let d = spec.dimension
            switch dimensions {
            case .one where d != 1, .two where d != 2:
                let fits = d == 1 ? "1d" : d == 2 ? "2d" : "run"
                throw UsageError(message: "--config \(configPath) describes a \(d)-dimensional experiment; 'toy-w2sd \(dimensions.command)' accepts \(dimensions == .one ? "1" : "2")-dimensional ones (use 'toy-w2sd \(fits) --config \(configPath)')")
            default: break
            }
        } else {
            guard dimensions != .any else {
                throw UsageError(message: "'toy-w2sd run' needs --config FILE.json or --case NAME (an experiment of any dimension); for the presets use 'toy-w2sd 1d' or '2d'")
            }
            spec = try ModelOptions.apply(args, dimension: dimensions == .one ? 1 : 2)
        }
        try FieldOptions.apply(args, to: &spec)
        var sources: [String: String] = [:]
        for setting in ExperimentSpec.allSettings {
            guard let text = args.text(setting.option) else {
                sources[setting.jsonKey] = configPath.map { "\($0)" } ?? "the default"
                continue
            }
            do {
                try setting.apply(&spec, text)
            } catch let error as InvalidValue {
                throw UsageError(message: "--\(setting.option.name) '\(text)' is not valid\(error.detail.map { " (\($0))" } ?? ""); accepted: \(setting.option.accepted)")
            }
            sources[setting.jsonKey] = "--\(setting.option.name)"
        }
        do {
            try spec.validate()
        } catch {
            let origins = error.keys.map { "\($0) from \(sources[$0] ?? "the default")" }.joined(separator: ", ")
            throw UsageError(message: "\(error.message) (\(origins))")
        }
        return spec
    }
}
