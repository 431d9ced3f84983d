import Experiments
import Foundation
import Testing
import Toy

/// Every (setting, method) pair, walked from the declarations: where a setting's declaration says a
/// method reads it, changing it changes that method's outcome (samples, evaluations or metrics); where it
/// says not, `ExperimentRequest.parse` refuses the request with the setting named, and a library-level
/// run that bypasses the refusal shows the outcome really is unchanged (bit for bit). A declaration made
/// wider or narrower than what the code reads fails here, and a new setting without a case below fails
/// `everySettingHasACase`.
@Suite struct SettingReadersTests {
    /// Where a setting is tried: the 1D or 2D preset, or an experiment file (its values are not refused,
    /// so a prerequisite goes there).
    enum Base: Sendable {
        case preset1D, preset2D
        case config(ExperimentSpec)
    }

    /// One setting under test: its flag, a value that differs from the base's, and the base.
    struct Case: Sendable {
        var name: String
        var value: String?
        var base: Base = .preset1D
    }

    /// A 1D experiment with a class (the guidance cases' ideal p*(x | a)): cfg weights apply to it.
    static let classConfig = (try? DifferenceCase.named("guidance-under-1d").experiment) ?? ExperimentSpec.preset(dimension: 1)

    static var saturatedConfig: ExperimentSpec {
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.strong.saturation = SaturationSpec(kappa: 4, length: 0.8)
        return spec
    }

    static func preset(with edit: (inout ExperimentSpec) -> Void) -> ExperimentSpec {
        var spec = ExperimentSpec.preset(dimension: 1)
        edit(&spec)
        return spec
    }

    /// The model file of `strong-model` / `weak-model`: a tiny network trained on the 1D ideal.
    static let modelPath: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("readers-\(getpid()).model").path
        let recipe = TrainingRecipe(width: 6, depth: 2, frequencies: 1, steps: 5, batchSize: 40, learningRate: 3e-3,
                                    trainingSet: .fixed(size: 12), seed: 3)
        if let ideal = try? ExperimentSpec.preset(dimension: 1).models().ideal,
           let model = try? DenoiserTrainer(recipe: recipe, source: ideal, threads: 1, preset: "custom").train() {
            try? model.write(to: path)
        }
        return path
    }()

    static let cases: [Case] = [
        Case(name: "missing-left", value: nil),
        Case(name: "missing", value: "top-left", base: .preset2D),
        Case(name: "ideal-weights", value: "0.3,0.7"),
        Case(name: "strong-weights", value: "0.5,0.5"),
        Case(name: "weak-weights", value: "0.5,0.5"),
        Case(name: "means", value: "-3,3"),
        Case(name: "std", value: "1.1"),
        Case(name: "strong-model", value: modelPath),
        Case(name: "weak-model", value: modelPath),
        Case(name: "class", value: "b", base: .config(classConfig)),
        Case(name: "cfg-strong", value: "3", base: .config(classConfig)),
        Case(name: "cfg-weak", value: "3", base: .config(classConfig)),
        Case(name: "saturate", value: "strong"),
        Case(name: "saturation-kappa", value: "1.5", base: .config(saturatedConfig)),
        Case(name: "saturation-length", value: "0.3", base: .config(saturatedConfig)),
        Case(name: "steps", value: "7"),
        Case(name: "solver", value: "heun"),
        Case(name: "inversion", value: "ddim"),
        Case(name: "inversion-tolerance", value: "0.3", base: .config(preset { $0.inversion = .exact })),
        Case(name: "lambda", value: "3"),
        Case(name: "reflect-sigma", value: "0.5:5"),
        Case(name: "gamma", value: "0.5"),
        Case(name: "sigma-max", value: "40"),
        Case(name: "sigma-min", value: "0.05"),
        Case(name: "rho", value: "3"),
        Case(name: "prior", value: "exact"),
        Case(name: "samples", value: "40"),
        Case(name: "seed", value: "7"),
        Case(name: "repeats", value: "2"),
        Case(name: "guidance", value: "3"),
        // Its readers depend on the models: autoguidance always, and with a class every method using a
        // model with cfg (here strong w = 0.5 and weak w = 0, so every method using either model).
        Case(name: "guidance-interval", value: "0.5:5", base: .config(classConfig)),
        Case(name: "inversion-error", value: "0.5"),
        Case(name: "inversion-error-units", value: "eps", base: .config(preset { $0.inversionError = 0.5 })),
        // At the walker's T = 6 (sigmas 80, 24.4, 5.84, 0.965, 0.0851, 0.002) the default churn (gamma capped
        // at sqrt(2) - 1) raises steps 1 ... 4; each value below changes which steps churn or by how much.
        Case(name: "s-churn", value: "1"),
        Case(name: "s-tmin", value: "1"),
        Case(name: "s-tmax", value: "5"),
        Case(name: "s-noise", value: "1.5"),
        // The default restart interval ends on level 4 (0.0851 <= 0.1).
        Case(name: "restart-interval", value: "0.5:5"),
        Case(name: "restarts", value: "1"),
        Case(name: "restart-steps", value: "2"),
        Case(name: "z-guidance", value: "3", base: .config(classConfig)),
        Case(name: "z-inversion-guidance", value: "0.5", base: .config(classConfig)),
    ]

    /// Every option of the experiment commands whose declaration names method readers.
    static var declaredSettings: [any CommandOption] {
        var seen: Set<String> = []
        return (ExperimentRequest.groups(.one) + ExperimentRequest.groups(.two)).flatMap(\.options).filter {
            $0.readers.methodReaders != nil && seen.insert($0.name).inserted
        }
    }

    @Test func everySettingHasACase() {
        let covered = Set(Self.cases.map(\.name))
        let declared = Self.declaredSettings.map(\.name)
        #expect(declared.filter { !covered.contains($0) } == [], "settings read by methods without a case here")
        #expect(covered.subtracting(declared).isEmpty, "cases of settings that are not declared as read by methods")
    }

    /// Samples (bit patterns), evaluations and every metric of every repeat: the outcome of one method.
    struct Outcome: Equatable {
        var samples: [UInt64]
        var evaluations: Int
        var metrics: [[UInt64]]
    }

    /// The base experiment file's path (written once per case), or nil for a preset.
    static func configFile(_ base: Base, name: String) throws -> String? {
        guard case let .config(spec) = base else { return nil }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("readers-\(getpid())-\(name).json").path
        try JSONEncoder().encode(spec).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func dimensions(_ base: Base) -> ExperimentRequest.Dimensions {
        if case .preset2D = base { return .two }
        return .one
    }

    /// The outcome of `method` on the experiment of `arguments`, parsed without the readers' refusal
    /// (the library path), at a small size unless the setting under test sets it.
    static func outcome(_ arguments: [String], base: Base, method: MethodName, under name: String) throws -> Outcome? {
        let dims = dimensions(base)
        let options = ExperimentRequest.groups(dims).flatMap(\.options)
        let args = try ParsedArguments(arguments, options: options)
        var spec = try ExperimentRequest.experiment(args, dimensions: dims, configPath: try args.value(ExperimentRequest.config))
        if name != "samples" { spec.samples = 48 }
        if name != "steps" { spec.steps = 6 }
        if name != "lambda" { spec.lambda = nil }  // an experiment file holds lambda resolved for its own steps
        if name != "repeats" { spec.repeats = 1 }
        spec.methods = [method]
        let models: ScoreModels, runner: ExperimentRunner
        do {
            models = try spec.models()
            runner = ExperimentRunner(spec: spec, models: models, threads: 1)
            try runner.validateMethods()
        } catch {
            return nil
        }
        let (first, runs) = try runner.runRepeats(spec.repeats, modeNames: spec.modeNames)
        return Outcome(samples: first[0].samples.map(\.bitPattern), evaluations: first[0].evaluations,
                       metrics: runs.metrics[0].map { $0.values.map(\.bitPattern) })
    }

    /// The usage error of the full request (with the refusal), or nil when it is accepted.
    static func refusal(_ arguments: [String], base: Base) -> String? {
        let dims = dimensions(base)
        do {
            _ = try ExperimentRequest.parse(command: "test", dimensions: dims, arguments)
            return nil
        } catch let error as UsageError {
            return error.message
        } catch {
            return "not a usage error: \(error)"
        }
    }

    @Test(arguments: cases.map(\.name))
    func declaredReadersAreExactlyTheReaders(_ name: String) throws {
        try Self.walk(try #require(Self.cases.first { $0.name == name }))
    }

    /// The guidance interval's readers are a condition on the models: the case above walks a class
    /// experiment with guided models; on the unconditional preset autoguidance alone reads it.
    @Test func guidanceIntervalWithoutAClassIsReadByAutoguidanceAlone() throws {
        let testCase = Case(name: "guidance-interval", value: "0.5:5")
        let readers = try #require(SettingOptions.guidanceInterval.readers.methodReaders)
        #expect(readers.readers(among: MethodName.allCases, in: .preset(dimension: 1)) == [.autoguidance])
        try Self.walk(testCase)
    }

    /// Walks every method for one setting (see the type's comment).
    static func walk(_ testCase: Case) throws {
        let name = testCase.name
        let setting = try #require(Self.declaredSettings.first { $0.name == name })
        let readers = try #require(setting.readers.methodReaders)
        let config = try Self.configFile(testCase.base, name: name)
        defer { if let config { try? FileManager.default.removeItem(atPath: config) } }
        let baseArguments = config.map { ["--config", $0] } ?? []
        let changed = baseArguments + ["--\(name)"] + (testCase.value.map { [$0] } ?? [])
        // The experiment with the setting applied decides who reads it (a condition on the models).
        let dims = Self.dimensions(testCase.base)
        let args = try ParsedArguments(changed, options: ExperimentRequest.groups(dims).flatMap(\.options))
        let changedSpec = try ExperimentRequest.experiment(args, dimensions: dims, configPath: config)
        let reading = Set(readers.readers(among: MethodName.allCases, in: changedSpec))
        for method in MethodName.allCases {
            let before = try Self.outcome(baseArguments, base: testCase.base, method: method, under: name)
            let after = try Self.outcome(changed, base: testCase.base, method: method, under: name)
            let refused = Self.refusal(changed + ["--methods", method.rawValue], base: testCase.base)
            guard let before, let after else {
                // The method cannot run on this experiment: the request must be refused, whatever the reason.
                #expect(refused != nil, "\(name) with \(method.rawValue): the method cannot run, and the request was accepted")
                continue
            }
            if reading.contains(method) {
                #expect(refused == nil, "\(name) is declared read by \(method.rawValue), and the request was refused: \(refused ?? "")")
                #expect(before != after, "\(name) is declared read by \(method.rawValue), and changing it changed nothing (declaration too wide)")
            } else {
                #expect(refused?.contains("--\(name)") == true, "\(name) is declared not read by \(method.rawValue): \(refused ?? "accepted")")
                #expect(before == after, "\(name) is declared not read by \(method.rawValue), and changing it changed the outcome (declaration too narrow)")
            }
        }
    }

    /// The five requests of the issue that used to run with a setting that did nothing: each refused,
    /// naming the setting and the methods that would read it.
    @Test func requestsThatChangedNothingAreRefused() {
        let refusedRuns: [([String], String, String)] = [
            (["--methods", "autoguidance", "--reflect-sigma", "5:80"], "--reflect-sigma", "w2sd"),
            (["--methods", "strong", "--gamma", "3"], "--gamma", "w2sd"),
            (["--methods", "autoguidance", "--lambda", "10"], "--lambda", "w2sd"),
            (["--methods", "strong", "--guidance-interval", "1:5"], "--guidance-interval", "autoguidance"),
        ]
        for (arguments, setting, reader) in refusedRuns {
            let message = Self.refusal(arguments, base: .preset1D)
            #expect(message?.contains(setting) == true && message?.contains(reader) == true, "\(arguments): \(message ?? "accepted")")
        }
        let sweep = Self.studyRefusal { _ = try StudyRequest.parseSweep(["1d", "--methods", "strong", "--sweep", "gamma=0,1"]) }
        #expect(sweep?.contains("--sweep gamma") == true && sweep?.contains("w2sd") == true, "\(sweep ?? "accepted")")
        let frontier = Self.studyRefusal { _ = try StudyRequest.parseFrontier(["1d", "--budgets", "50", "--variants", "autoguidance:gamma=2"]) }
        #expect(frontier?.contains("gamma") == true && frontier?.contains("w2sd") == true, "\(frontier ?? "accepted")")
        // The solver shorthands take further settings; a setting strong does not read is refused, and
        // no suggestion repeats the rejected word.
        let shorthand = Self.studyRefusal { _ = try StudyRequest.parseFrontier(["1d", "--budgets", "50", "--variants", "strong-heun:w=2"]) }
        #expect(shorthand?.contains("guidance") == true && shorthand?.contains("autoguidance") == true, "\(shorthand ?? "accepted")")
        let unknown = Self.studyRefusal { _ = try StudyRequest.parseFrontier(["1d", "--budgets", "50", "--variants", "w2sd:gama=2"]) }
        #expect(unknown?.contains("gama") == true && unknown?.contains("did you mean gamma") == true && unknown?.contains("lambda") == true,
                "\(unknown ?? "accepted")")
        // Prerequisites: the units of the inversion error need an inversion error.
        let units = Self.refusal(["--methods", "w2sd", "--inversion-error-units", "eps"], base: .preset1D)
        #expect(units?.contains("--inversion-error K > 0") == true, "\(units ?? "accepted")")
        // A sampler setting delta would not read is refused; the grid settings are read.
        let delta = Self.studyRefusal {
            let args = try ParsedArguments(["--gamma", "2"], options: DeltaOptions.groups(dimension: 1).flatMap(\.options))
            try DeltaOptions.refuseUnread(args, spec: .preset(dimension: 1))
        }
        #expect(delta?.contains("--gamma") == true && delta?.contains("--weak-family") == true, "\(delta ?? "accepted")")
    }

    static func studyRefusal(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as UsageError {
            return error.message
        } catch let error as InvalidValue {
            return error.detail
        } catch {
            return "\(error)"
        }
    }

    /// Values from a config file or a saved report are listed, not refused: the preset file with only
    /// strong selected runs, and lists the reflection and guidance keys it gives.
    @Test func configValuesNoMethodReadsAreListed() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("readers-\(getpid())-listed.json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try JSONEncoder().encode(ExperimentSpec.preset(dimension: 1)).write(to: URL(fileURLWithPath: path))
        let request = try ExperimentRequest.parse(command: "1d", dimensions: .one, ["--config", path, "--methods", "strong"])
        #expect(request.settingsNotRead == ["inversion", "lambda", "gamma", "guidance"])
        let all = try ExperimentRequest.parse(command: "1d", dimensions: .one, ["--config", path, "--methods", "w2sd,autoguidance"])
        #expect(all.settingsNotRead == [])
    }
}
