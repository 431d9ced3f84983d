import Experiments
import Foundation
import Testing

/// Bad command lines of the experiment commands, parsed in process (no binary, no run): each must be
/// a `UsageError` whose message names the input and contains the expected fragment. Exit statuses and
/// "nothing written" are checked on the real binary in CLITests.BadInputTests.
@Suite struct CommandLineParseTests {
    /// (name, subcommand, arguments, a fragment the error message must contain)
    static let cases: [(String, ExperimentRequest.Dimensions, [String], String)] = [
        ("unknown flag", .one, ["--sampels", "10"], "did you mean --samples"),
        ("unknown flag, single dash", .two, ["-plot", "x.svg"], "did you mean --plot"),
        ("stray positional", .one, ["fast"], "unexpected argument"),
        ("missing value", .one, ["--samples"], "--samples needs a value"),
        ("missing value before next flag", .one, ["--steps", "--samples", "5"], "--steps needs a value"),
        ("empty value", .one, ["--seed="], "non-empty value"),
        ("switch with a value", .one, ["--missing-left=yes"], "takes no value"),
        ("non-numeric samples", .one, ["--samples", "many"], "--samples 'many'"),
        ("non-numeric std", .one, ["--std", "wide"], "--std 'wide'"),
        ("samples < 1", .one, ["--samples", "0"], "an integer >= 1"),
        ("steps < 2", .one, ["--steps", "1"], "--steps '1'"),
        ("lambda > steps - 1", .one, ["--steps", "10", "--lambda", "10"], "steps - 1 = 9"),
        ("lambda < 0", .one, ["--lambda", "-1"], "--lambda '-1'"),
        ("negative weight", .one, ["--ideal-weights", "-0.5,1.5"], "weights >= 0"),
        ("all-zero weights", .one, ["--strong-weights", "0,0"], "all zero"),
        ("wrong number of weights", .one, ["--weak-weights", "0.2,0.3,0.5"], "2 weights"),
        ("wrong number of means (2D)", .two, ["--means", "1,2,3"], "2 numbers per mode"),
        ("means changing the mode count without weights", .one, ["--means", "-4,0,4"], "--ideal-weights with 3"),
        ("std = 0", .one, ["--std", "0"], "> 0"),
        ("std < 0", .one, ["--std", "-1"], "> 0"),
        ("non-finite gamma", .one, ["--gamma", "nan"], "finite"),
        ("infinite sigma-max", .one, ["--sigma-max", "inf"], "--sigma-max"),
        ("sigma-max above 1e6", .one, ["--sigma-max", "2e6"], "1e6"),
        ("sigma-min above sigma-max", .one, ["--sigma-min", "90"], "sigma-min"),
        ("non-finite weight", .one, ["--ideal-weights", "inf,1"], "finite"),
        ("bad solver", .one, ["--solver", "rk4"], "euler, heun"),
        ("bad inversion", .one, ["--inversion", "newton"], "paper, ddim, exact"),
        ("bad prior", .one, ["--prior", "uniform"], "gaussian, exact"),
        ("bad method", .one, ["--methods", "w2sd,w2s"], "did you mean w2sd"),
        ("duplicate method", .one, ["--methods", "w2sd,w2sd"], "twice"),
        ("bad seed", .one, ["--seed", "-3"], "--seed"),
        ("seed above 2^64 - 1", .one, ["--seed", "18446744073709551616"], "18446744073709551615"),
        ("bad threads", .one, ["--threads", "0"], "--threads"),
        ("too many trajectories", .one, ["--samples", "10", "--trajectories", "11"], "--trajectories"),
        ("missing-left in 2d", .two, ["--missing-left"], "did you mean --missing"),
        ("missing index out of range", .two, ["--missing", "4"], "0 to 3"),
        ("missing name unknown", .two, ["--missing", "middle"], "top-left"),
        ("missing in 1d", .one, ["--missing", "0"], "did you mean --missing-left"),
        ("option given twice", .one, ["--seed", "1", "--seed", "2"], "more than once"),
        ("config missing", .one, ["--config", "Examples/no-such-file.json"], "no such file"),
        ("timings without json", .one, ["--timings"], "--json"),
        ("json with a wrong extension", .one, ["--json", "/tmp/x.txt"], "ending in .json"),
        ("plot with a wrong extension", .one, ["--plot", "/tmp/x.gif"], "ending in .svg"),
        ("plot in a missing folder", .one, ["--plot", "/nonexistent-dir/x.svg"], "does not exist"),
        ("plot where no file can be created", .one, ["--plot", "/proc/x.svg"], "not writable"),
        ("two outputs naming one file", .one, ["--json", "/tmp/same.json", "--plot", "/tmp/same.json"], "ending in .svg"),
        ("run without a config", .any, [], "needs --config"),
        ("panels without a figure", .one, ["--panels", "b"], "give --plot"),
        ("a panel that is not a letter", .two, ["--plot", "/tmp/x.svg", "--panels", "a,1"], "comma list of panel letters"),
        ("size out of range", .one, ["--plot", "/tmp/x.svg", "--size", "50x50"], "WxH"),
        ("size in inches too wide", .one, ["--plot", "/tmp/x.pdf", "--size", "25x2in"], "20 in"),
        ("size with a fraction of a pixel", .one, ["--plot", "/tmp/x.svg", "--size", "3.25x2"], "WxHin"),
        ("font size not a number", .one, ["--plot", "/tmp/x.svg", "--font-size", "big"], "--font-size"),
        ("font size that prints below 7 pt", .one, ["--plot", "/tmp/x.pdf", "--font-size", "8"], "the smallest allowed is 9.34"),
        ("dpi without a print size", .one, ["--plot", "/tmp/x.png", "--dpi", "300"], "needs a print size"),
        ("dpi for a vector figure", .one, ["--plot", "/tmp/x.svg", "--size", "column", "--dpi", "300"], "PNG or PPM"),
        ("size without a figure", .one, ["--size", "page"], "give --plot"),
        ("plot as a jpeg", .one, ["--plot", "/tmp/x.jpg"], ".svg or .pdf or .png"),
        ("samples-out as text", .one, ["--samples-out", "/tmp/x.txt"], ".csv or .npy"),
        ("trajectories-out without trajectories", .one, ["--trajectories", "0", "--trajectories-out", "/tmp/t.csv"], "--trajectories is 0"),
    ]

    /// The conflicting combinations refused since the experiment layer (each would otherwise have been
    /// silently merged): the closing note of the "Experiments as a library" issue lists these.
    static let conflicts: [(String, ExperimentRequest.Dimensions, [String], String)] = [
        ("--missing-left with --weak-weights", .one, ["--missing-left", "--weak-weights", "0.2,0.8"], "--weak-weights gives them too"),
        ("--missing with --weak-weights", .two, ["--missing", "top-right", "--weak-weights", "1,1,1,1"], "--weak-weights gives them too"),
        ("--missing with --strong-weights (2D pattern)", .two, ["--missing", "top-right", "--strong-weights", "1,1,1,1"], "--strong-weights gives them too"),
        ("model option with --config", .one, ["--config", "Examples/preset-1d.json", "--std", "1"], "cannot be combined with --config"),
        ("1d with a 2D config", .one, ["--config", "Examples/preset-2d.json"], "use 'toy-w2sd 2d"),
        ("2d with a 3D config", .two, ["--config", "Examples/three-d.json"], "use 'toy-w2sd run"),
        ("inversion tolerance without exact inversion", .one, ["--inversion-tolerance", "1e-10"], "exact inversion only"),
        ("inversion error with exact inversion", .one, ["--inversion", "exact", "--inversion-error", "0.1"], "cannot be combined with exact inversion"),
        ("--steps below a config's lambda", .one, ["--config", "Examples/preset-1d.json", "--steps", "20"], "lambda from Examples/preset-1d.json"),
        ("guidance without a class", .one, ["--cfg-strong", "2"], "--class C as well"),
        ("a class on unlabelled components", .one, ["--class", "a"], "ideal.components[0].class"),
        ("a class the case lacks", .one, ["--case", "guidance-over-1d", "--class", "c"], "class labels a, b"),
        ("guidance of a learned model", .one, ["--case", "guidance-over-1d", "--strong-model", "/nonexistent.model", "--cfg-strong", "1"], "learned model (unconditional)"),
        ("learned strong model with strong weights", .one, ["--strong-model", "x.model", "--strong-weights", "1,1"], "one of them"),
        ("learned weak model with a missing mode", .one, ["--weak-model", "x.model", "--missing-left"], "one of them"),
        ("missing model file", .one, ["--weak-model", "/nonexistent/w.model"], "model file '/nonexistent/w.model'"),
        ("saturation shape without saturation", .one, ["--saturation-kappa", "2"], "--saturate strong,weak"),
        ("saturate an unknown model", .one, ["--saturate", "ideal"], "strong, weak or strong,weak"),
        ("saturation length <= 0", .one, ["--saturate", "weak", "--saturation-length", "0"], "> 0"),
        ("exact samples of a field", .one, ["--saturate", "strong", "--methods", "exact-strong"], "no exact samples"),
        ("weak family of a field", .one, ["--case", "saturated-weak-1d", "--methods", "exact-weak"], "sample it with the method weak"),
    ]

    @Test(arguments: cases.indices)
    func rejected(_ index: Int) { check(Self.cases[index]) }

    @Test(arguments: conflicts.indices)
    func conflictRejected(_ index: Int) { check(Self.conflicts[index]) }

    func check(_ c: (String, ExperimentRequest.Dimensions, [String], String)) {
        let (name, dimensions, arguments, fragment) = c
        do {
            let request = try ExperimentRequest.parse(command: "test", dimensions: dimensions, arguments)
            _ = try MemoryPlan(request)
            Issue.record("\(name): accepted")
        } catch let error as UsageError {
            #expect(error.message.contains(fragment), "\(name): expected '\(fragment)' in '\(error.message)'")
        } catch {
            Issue.record("\(name): not a usage error: \(error)")
        }
    }

    /// Two outputs naming the same file, both with the right extension.
    @Test func outputsMustBeDistinct() {
        #expect(throws: UsageError.self) {
            _ = try ExperimentRequest.parse(command: "1d", dimensions: .one, ["--plot", "/tmp/a.svg", "--json", "/tmp/../tmp/a.svg"])
        }
        do {
            try OutputPaths.checkDistinct([("json", "/tmp/a.json"), ("plot", "/tmp/../tmp/a.json")])
            Issue.record("same file accepted")
        } catch let error as UsageError {
            #expect(error.message.contains("name the same file"))
        } catch { Issue.record("\(error)") }
    }

    /// The command line and the file fill one type through one set of declarations: a flag and the
    /// same value in a file give equal experiments.
    @Test func flagsAndFileFillTheSameSpec() throws {
        let flags = try ExperimentRequest.parse(command: "1d", dimensions: .one,
                                                ["--steps", "30", "--gamma", "0.5", "--inversion", "exact", "--inversion-tolerance", "1e-11",
                                                 "--seed", "18446744073709551615", "--methods", "strong,w2sd", "--samples", "77"]).spec
        var file = ExperimentSpec.preset(dimension: 1)
        let document = try ReportEncoding.encode(flags)
        file = try ExperimentSpec.decode(document, source: "echo")
        #expect(file == flags.resolvedForEcho)
        #expect(file.inversionTolerance == 1e-11 && file.seed == UInt64.max && file.methods == [.strong, .w2sd])
    }
}

extension ExperimentSpec {
    /// What a spec becomes after a JSON round trip: lambda and samples resolved, mode names written.
    var resolvedForEcho: ExperimentSpec {
        var s = self
        if s.lambda == nil { s.lambda = .steps(reflectionSteps) }
        s.samples = particles
        for (k, name) in componentNames.enumerated() { s.ideal.components[k].name = name }
        return s
    }
}
