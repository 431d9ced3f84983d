import Foundation
import Toy

/// Everything an experiment run needs, parsed and validated from the command line (and `--config`).
/// Building one touches no file except reading the config; every problem is a `UsageError`.
struct ExperimentSpec {
    var command: String
    var models: ModelTriple
    var modeNames: [String]
    var settings: SamplerSettings
    var exactPrior: Bool
    var particles: Int
    var seed: UInt64
    var threads: Int
    var trajectories: Int
    var guidance: Double
    /// k of the paper's Table 13 (0: exact weak score during W2SD's inversion).
    var inversionError: Double
    var methods: [MethodName]
    var jsonPath: String?
    var plotPath: String?
    var ppmPath: String?
    var timingsInJSON: Bool
    var configPath: String?
    /// The models as declared (raw weights, `std` or covariance rows), so the JSON echo reproduces them.
    var declared: ExperimentFile

    var dimension: Int { models.dimension }
    var prior: Prior { exactPrior ? .exact(models.ideal) : .gaussian }
    var wantsFigure: Bool { plotPath != nil || ppmPath != nil }

    /// The experiment as a config document (the `--config` format), for the JSON report.
    var experimentFile: ExperimentFile {
        let s = settings
        var sigmaMax = 80.0, sigmaMin = 0.002, rho = 7.0
        if case let .karras(a, b, r) = s.schedule { (sigmaMax, sigmaMin, rho) = (a, b, r) }
        var tolerance: Double?
        if case let .exact(t) = s.inversion { tolerance = t }
        var file = declared
        for k in file.ideal.components.indices where k < modeNames.count { file.ideal.components[k].name = modeNames[k] }
        file.sampler = .init(steps: s.steps, solver: s.solver.rawValue, inversion: s.inversion.name, inversionTolerance: tolerance,
                           lambda: s.lambda, gamma: s.gamma, sigmaMax: sigmaMax, sigmaMin: sigmaMin, rho: rho,
                           prior: exactPrior ? "exact" : "gaussian", samples: particles, seed: seed, guidance: guidance,
                           inversionError: inversionError == 0 ? nil : inversionError)
        return file
    }
}

extension ExperimentSpec {
    static let presetModeNames1D = ["left", "right"]
    static let presetModeNames2D = ["top-left", "top-right", "bottom-left", "bottom-right"]
    static let maxThreads = 256
    static let maxTrajectories = 5000

    static let options: [ParsedArguments.Option] = [
        .init(name: "missing-left", takesValue: false),
        .init(name: "missing", takesValue: true, accepted: "a mode index or top-left, top-right, bottom-left, bottom-right"),
        .init(name: "ideal-weights", takesValue: true, accepted: "a comma list of weights >= 0, e.g. 0.5,0.5"),
        .init(name: "strong-weights", takesValue: true, accepted: "a comma list of weights >= 0, e.g. 0.3,0.7"),
        .init(name: "weak-weights", takesValue: true, accepted: "a comma list of weights >= 0, e.g. 0.1,0.9"),
        .init(name: "means", takesValue: true, accepted: "a comma list of numbers, d per mode, e.g. -4,4"),
        .init(name: "std", takesValue: true, accepted: "a finite number > 0"),
        .init(name: "samples", takesValue: true, accepted: "an integer >= 1"),
        .init(name: "steps", takesValue: true, accepted: "an integer from 2 to 1000000"),
        .init(name: "lambda", takesValue: true, accepted: "an integer from 0 to steps - 1"),
        .init(name: "gamma", takesValue: true, accepted: "a finite number (1 = the paper)"),
        .init(name: "solver", takesValue: true, accepted: "euler, heun"),
        .init(name: "inversion", takesValue: true, accepted: "paper, ddim, exact"),
        .init(name: "sigma-max", takesValue: true, accepted: "a finite number > sigma-min, at most 1e6"),
        .init(name: "sigma-min", takesValue: true, accepted: "a finite number > 0"),
        .init(name: "rho", takesValue: true, accepted: "a finite number > 0"),
        .init(name: "prior", takesValue: true, accepted: "gaussian, exact"),
        .init(name: "guidance", takesValue: true, accepted: "a finite number"),
        .init(name: "inversion-error", takesValue: true, accepted: "a finite number >= 0"),
        .init(name: "methods", takesValue: true, accepted: "a comma list of " + MethodName.allCases.map(\.rawValue).joined(separator: ", ")),
        .init(name: "seed", takesValue: true, accepted: "an integer from 0 to 18446744073709551615"),
        .init(name: "threads", takesValue: true, accepted: "an integer from 1 to 256"),
        .init(name: "trajectories", takesValue: true, accepted: "an integer from 0 to min(samples, 5000)"),
        .init(name: "config", takesValue: true, accepted: "a JSON experiment file (see Examples/)"),
        .init(name: "json", takesValue: true, accepted: "a file path ending in .json, or - for stdout"),
        .init(name: "plot", takesValue: true, accepted: "a file path ending in .svg"),
        .init(name: "ppm", takesValue: true, accepted: "a file path ending in .ppm"),
        .init(name: "timings", takesValue: false),
        .init(name: "help", takesValue: false),
    ]

    /// Options that shape the models; they cannot be combined with `--config` (edit the file instead).
    static let modelOptions = ["missing-left", "missing", "ideal-weights", "strong-weights", "weak-weights", "means", "std"]

    static func parse(command: String, dimension: Int, _ args: ParsedArguments) throws -> ExperimentSpec {
        let models: ModelTriple
        var modeNames: [String]
        var settings: SamplerSettings
        var file: ExperimentFile?
        let declared: ExperimentFile
        let configPath = args.string("config")
        if let configPath {
            if let clash = modelOptions.first(where: args.has) {
                throw UsageError(message: "--\(clash) cannot be combined with --config; the config file defines the models (edit it instead)")
            }
            do {
                let loaded = try ExperimentFile.load(path: configPath)
                models = try loaded.models(source: configPath)
                settings = try loaded.settings(source: configPath)
                file = loaded
                declared = loaded
            } catch let error as ToyError {
                throw UsageError(message: "\(error)")
            }
            let d = models.dimension
            if dimension == 1 && d != 1 {
                throw UsageError(message: "--config \(configPath) describes a \(d)-dimensional experiment; 'toy-w2sd 1d' accepts 1-dimensional ones (use 'toy-w2sd 2d' for d >= 2)")
            }
            if dimension == 2 && d < 2 {
                throw UsageError(message: "--config \(configPath) describes a 1-dimensional experiment; 'toy-w2sd 2d' accepts d >= 2 (use 'toy-w2sd 1d')")
            }
            modeNames = (file?.modeNames ?? []).enumerated().map { k, name in name ?? defaultModeName(models.ideal.components[k].mean) }
        } else {
            (models, modeNames, declared) = try presetModels(dimension: dimension, args)
            settings = SamplerSettings()
        }

        // Sampler settings: command line over config over pinned defaults.
        if let steps = try args.integer("steps", accepted: "an integer from 2 to 1000000", where: { (2...1_000_000).contains($0) }) {
            settings.steps = steps
            if file?.sampler?.lambda == nil { settings.reflectionSteps = nil }
        }
        if let lambda = try args.integer("lambda", accepted: "an integer from 0 to steps - 1 = \(settings.steps - 1)",
                                         where: { (0...settings.steps - 1).contains($0) }) {
            settings.reflectionSteps = lambda
        } else if !(0...settings.steps - 1).contains(settings.lambda) {
            throw UsageError(message: "lambda \(settings.lambda) (from \(configPath ?? "the defaults")) is not valid for --steps \(settings.steps); accepted: an integer from 0 to steps - 1 = \(settings.steps - 1) (give --lambda)")
        }
        if let gamma = try args.double("gamma", accepted: "a finite number (1 = the paper)") { settings.gamma = gamma }
        if let solver = try args.choice("solver", [("euler", Solver.euler), ("heun", .heun)]) { settings.solver = solver }
        if let inversion = try args.choice("inversion", [("paper", Inversion.paper), ("ddim", .ddim), ("exact", .exactDefault)]) {
            settings.inversion = inversion
        }
        var (sigmaMax, sigmaMin, rho) = (80.0, 0.002, 7.0)
        if case let .karras(a, b, r) = settings.schedule { (sigmaMax, sigmaMin, rho) = (a, b, r) }
        sigmaMax = try args.double("sigma-max", accepted: "a finite number in (0, 1e6]", where: { $0 > 0 && $0 <= NoiseSchedule.largestSigma }) ?? sigmaMax
        sigmaMin = try args.double("sigma-min", accepted: "a finite number > 0", where: { $0 > 0 }) ?? sigmaMin
        rho = try args.double("rho", accepted: "a finite number > 0", where: { $0 > 0 }) ?? rho
        guard sigmaMin < sigmaMax else {
            throw UsageError(message: "--sigma-min \(sigmaMin) must be below --sigma-max \(sigmaMax); accepted: 0 < sigma-min < sigma-max")
        }
        settings.schedule = .karras(sigmaMax: sigmaMax, sigmaMin: sigmaMin, rho: rho)
        do { settings = try settings.validated() } catch let error as ToyError { throw UsageError(message: "\(error)") }

        let sampler = file?.sampler
        let exactPrior = try args.choice("prior", [("gaussian", false), ("exact", true)]) ?? (sampler?.prior == "exact")
        let particles = try args.integer("samples", accepted: "an integer >= 1", where: { $0 >= 1 })
            ?? sampler?.samples ?? (dimension == 1 ? 100_000 : 50_000)
        let seed: UInt64
        if let text = args.string("seed") {
            guard let value = UInt64(text) else {
                throw UsageError(message: "--seed '\(text)' is not valid; accepted: an integer from 0 to \(UInt64.max)")
            }
            seed = value
        } else {
            seed = sampler?.seed ?? 0
        }
        let guidance = try args.double("guidance", accepted: "a finite number") ?? sampler?.guidance ?? 2
        let inversionError = try args.double("inversion-error", accepted: "a finite number >= 0", where: { $0 >= 0 })
            ?? sampler?.inversionError ?? 0
        if inversionError > 0, settings.inversion.name == "exact" {
            throw UsageError(message: "--inversion-error \(inversionError) cannot be combined with --inversion exact (a randomly perturbed score has no Hessian); accepted: --inversion paper or ddim")
        }
        let threads = try args.integer("threads", accepted: "an integer from 1 to \(maxThreads)", where: { (1...maxThreads).contains($0) })
            ?? min(maxThreads, ProcessInfo.processInfo.activeProcessorCount)
        let trajectoryLimit = min(particles, maxTrajectories)
        let trajectories = try args.integer("trajectories", accepted: "an integer from 0 to min(samples, \(maxTrajectories)) = \(trajectoryLimit)",
                                            where: { (0...trajectoryLimit).contains($0) }) ?? min(64, particles)
        let methods = try parseMethods(args.string("methods"))

        let jsonPath = args.string("json"), plotPath = args.string("plot"), ppmPath = args.string("ppm")
        try OutputPaths.validate(json: jsonPath, plot: plotPath, ppm: ppmPath)
        if args.has("timings") && jsonPath == nil {
            throw UsageError(message: "--timings adds timings to the JSON report; give --json PATH as well")
        }
        return ExperimentSpec(
            command: command, models: models, modeNames: modeNames, settings: settings, exactPrior: exactPrior,
            particles: particles, seed: seed, threads: threads, trajectories: trajectories, guidance: guidance,
            inversionError: inversionError, methods: methods, jsonPath: jsonPath, plotPath: plotPath, ppmPath: ppmPath,
            timingsInJSON: args.has("timings"), configPath: configPath, declared: declared)
    }

    static func parseMethods(_ text: String?) throws -> [MethodName] {
        guard let text else { return [.ideal, .strong, .weak, .w2sd] }
        let accepted = MethodName.allCases.map(\.rawValue).joined(separator: ", ")
        var methods: [MethodName] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let method = MethodName(rawValue: part.lowercased()) else {
                let nearest = MethodName.allCases.map(\.rawValue).min { editDistance($0, part) < editDistance($1, part) } ?? ""
                throw UsageError(message: "--methods: unknown method '\(part)' (did you mean \(nearest)?); accepted: a comma list of \(accepted)")
            }
            guard !methods.contains(method) else {
                throw UsageError(message: "--methods: '\(part)' is listed twice; accepted: each of \(accepted) at most once")
            }
            methods.append(method)
        }
        return methods
    }

    /// A mode labelled by its mean, e.g. "-4" or "(-4,4)".
    static func defaultModeName(_ mean: [Double]) -> String {
        let parts = mean.map { v -> String in
            let t = SummaryTable.format(v, 3)
            var s = t
            while s.contains("."), s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
            return s
        }
        return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: ",") + ")"
    }

    /// The preset of the subcommand, reshaped by the model options.
    static func presetModels(dimension: Int, _ args: ParsedArguments) throws -> (ModelTriple, [String], ExperimentFile) {
        let preset = dimension == 1 ? Presets.oneDimensional() : Presets.twoDimensional()
        if dimension == 2 && args.has("missing-left") {
            throw UsageError(message: "--missing-left applies to '1d' only; for '2d' use --missing MODE (an index or top-left, top-right, bottom-left, bottom-right)")
        }
        if dimension == 1 && args.has("missing") {
            throw UsageError(message: "--missing applies to '2d' only; for '1d' use --missing-left")
        }
        let d = dimension
        var means = preset.ideal.components.map(\.mean)
        var names = dimension == 1 ? presetModeNames1D : presetModeNames2D
        if let flat = try args.doubles("means", accepted: "a comma list of finite numbers, \(d) per mode (e.g. \(d == 1 ? "-4,4" : "-4,4,4,4,-4,-4,4,-4"))") {
            guard flat.count % d == 0 else {
                throw UsageError(message: "--means has \(flat.count) numbers; accepted: \(d) numbers per mode (a multiple of \(d)), e.g. \(d == 1 ? "-4,4" : "-4,4,4,4")")
            }
            means = stride(from: 0, to: flat.count, by: d).map { Array(flat[$0..<($0 + d)]) }
            names = means.map(defaultModeName)
        }
        let k = means.count
        let std = try args.double("std", accepted: "a finite number > 0", where: { $0 > 0 }) ?? 0.8
        // The pinned weights as written in W2SD-NOTES section 6 (not re-read from the normalised preset,
        // so that the default run builds bit-identical mixtures to `Presets`).
        let presetWeights = dimension == 1 ? [[0.5, 0.5], [0.3, 0.7], [0.1, 0.9]]
            : [[0.25, 0.25, 0.25, 0.25], [0.3, 0.3, 0.1, 0.3], [1.0 / 3, 1.0 / 3, 0, 1.0 / 3]]

        func weights(_ option: String, _ fallback: [Double]) throws -> [Double] {
            guard let w = try args.doubles(option, accepted: "a comma list of \(k) finite weights >= 0, not all zero") else {
                guard fallback.count == k else {
                    throw UsageError(message: "--means gives \(k) modes but the preset has \(fallback.count); give --\(option) with \(k) weights")
                }
                return fallback
            }
            guard w.count == k else {
                throw UsageError(message: "--\(option) has \(w.count) values; accepted: \(k) weights, one per mode (\(names.joined(separator: ", ")))")
            }
            if let bad = w.firstIndex(where: { $0 < 0 }) {
                throw UsageError(message: "--\(option) value \(bad + 1) is \(w[bad]); accepted: weights >= 0")
            }
            guard w.contains(where: { $0 > 0 }) else {
                throw UsageError(message: "--\(option) are all zero; accepted: weights >= 0 with at least one > 0")
            }
            return w
        }

        let ideal = try weights("ideal-weights", presetWeights[0])
        var strongDefault = presetWeights[1], weakDefault = presetWeights[2]
        var missing: Int?
        if args.has("missing-left") { missing = 0 }
        if let text = args.string("missing") {
            if let index = Int(text) {
                guard (0..<k).contains(index) else {
                    throw UsageError(message: "--missing \(index) is not a mode; accepted: an index from 0 to \(k - 1)\(k == 4 && args.string("means") == nil ? " or top-left, top-right, bottom-left, bottom-right" : "")")
                }
                missing = index
            } else if let index = names.firstIndex(of: text) {
                missing = index
            } else {
                throw UsageError(message: "--missing '\(text)' is not a mode; accepted: an index from 0 to \(k - 1) or \(names.joined(separator: ", "))")
            }
            // 2D: the preset pattern moved to the chosen mode (under-weighted in strong, absent in weak).
            if let m = missing, k == 4, args.string("means") == nil {
                strongDefault = (0..<k).map { $0 == m ? 0.1 : 0.3 }
                weakDefault = (0..<k).map { $0 == m ? 0 : 1.0 / 3 }
            }
        }
        let strong = try weights("strong-weights", strongDefault)
        var weak = try weights("weak-weights", weakDefault)
        if let m = missing {
            weak[m] = 0
            guard weak.contains(where: { $0 > 0 }) else {
                throw UsageError(message: "--missing removes the only weak mode with positive weight; accepted: a weak model keeping at least one mode")
            }
        }
        do {
            let models = try Presets.make(means: means, std: std, ideal: ideal, strong: strong, weak: weak)
            func spec(_ w: [Double], named: Bool) -> ExperimentFile.MixtureSpec {
                .init(components: zip(w, means).enumerated().map { k, wm in
                    ExperimentFile.ComponentSpec(name: named ? names[k] : nil, weight: wm.0, mean: wm.1, std: std)
                })
            }
            return (models, names, ExperimentFile(ideal: spec(ideal, named: true), strong: spec(strong, named: false), weak: spec(weak, named: false)))
        } catch let error as ToyError {
            throw UsageError(message: "\(error)")
        }
    }
}

/// Output paths: checked before any work, so bad ones fail with status 2 and touch nothing.
enum OutputPaths {
    static func validate(json: String?, plot: String?, ppm: String?) throws {
        let given = [("json", json), ("plot", plot), ("ppm", ppm)].compactMap { name, path in path.map { (name, $0) } }
        for (name, path) in given {
            if name == "json" && path == "-" { continue }
            let suffix = name == "plot" ? ".svg" : "." + name
            guard path.lowercased().hasSuffix(suffix) else {
                throw UsageError(message: "--\(name) '\(path)' does not end in \(suffix); accepted: a file path ending in \(suffix)\(name == "json" ? " or - for stdout" : "")")
            }
            try checkWritable(path, option: name)
        }
        let files = given.filter { $0.1 != "-" }
        for i in files.indices {
            for j in files.indices where j > i && URL(fileURLWithPath: files[i].1).standardized == URL(fileURLWithPath: files[j].1).standardized {
                throw UsageError(message: "--\(files[i].0) and --\(files[j].0) name the same file '\(files[i].1)'; accepted: distinct paths")
            }
        }
    }

    /// The file's directory must exist and be writable; an existing target must be a writable file.
    static func checkWritable(_ path: String, option: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw UsageError(message: "--\(option) '\(path)': the directory '\(directory)' does not exist; accepted: a path in an existing, writable directory")
        }
        guard isDirectory.boolValue else {
            throw UsageError(message: "--\(option) '\(path)': '\(directory)' is not a directory; accepted: a path in an existing, writable directory")
        }
        guard access(directory, W_OK) == 0 else {
            throw UsageError(message: "--\(option) '\(path)': the directory '\(directory)' is not writable; accepted: a path in an existing, writable directory")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else {
                throw UsageError(message: "--\(option) '\(path)' is a directory; accepted: a file path")
            }
            guard access(url.path, W_OK) == 0 else {
                throw UsageError(message: "--\(option) '\(path)' exists and is not writable; accepted: a writable file path")
            }
        }
    }
}
