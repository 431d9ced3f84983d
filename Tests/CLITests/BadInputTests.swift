import Foundation
import Testing

/// Every class of bad input: exit status 2, an `Error:` line on stderr naming the input, and no
/// output file touched.
@Suite struct BadInputTests {
    static let quick = ["--samples", "300", "--steps", "6"]

    /// (arguments, a fragment the error message must contain)
    static let cases: [(String, [String], String)] = [
        ("unknown flag", ["1d", "--sampels", "10"], "did you mean --samples"),
        ("unknown flag, single dash", ["2d", "-plot", "x.svg"], "did you mean --plot"),
        ("unknown subcommand", ["3d"], "unknown subcommand"),
        ("stray positional", ["1d", "fast"], "unexpected argument"),
        ("missing value", ["1d", "--samples"], "--samples needs a value"),
        ("missing value before next flag", ["1d", "--steps", "--samples", "5"], "--steps needs a value"),
        ("non-numeric samples", ["1d", "--samples", "many"], "--samples 'many'"),
        ("non-numeric std", ["1d", "--std", "wide"], "--std 'wide'"),
        ("samples < 1", ["1d", "--samples", "0"], "an integer >= 1"),
        ("steps < 2", ["1d", "--steps", "1"], "--steps '1'"),
        ("lambda > steps - 1", ["1d", "--steps", "10", "--lambda", "10"], "steps - 1 = 9"),
        ("lambda < 0", ["1d", "--lambda", "-1"], "--lambda '-1'"),
        ("negative weight", ["1d", "--ideal-weights", "-0.5,1.5"], "weights >= 0"),
        ("all-zero weights", ["1d", "--strong-weights", "0,0"], "all zero"),
        ("wrong number of weights", ["1d", "--weak-weights", "0.2,0.3,0.5"], "2 weights"),
        ("wrong number of means (2D)", ["2d", "--means", "1,2,3"], "2 numbers per mode"),
        ("means changing the mode count without weights", ["1d", "--means", "-4,0,4"], "--ideal-weights with 3"),
        ("std = 0", ["1d", "--std", "0"], "> 0"),
        ("std < 0", ["1d", "--std", "-1"], "> 0"),
        ("non-finite gamma", ["1d", "--gamma", "nan"], "finite"),
        ("infinite sigma-max", ["1d", "--sigma-max", "inf"], "--sigma-max"),
        ("sigma-min above sigma-max", ["1d", "--sigma-min", "90"], "sigma-min"),
        ("non-finite weight", ["1d", "--ideal-weights", "inf,1"], "finite"),
        ("bad solver", ["1d", "--solver", "rk4"], "euler, heun"),
        ("bad inversion", ["1d", "--inversion", "newton"], "paper, ddim, exact"),
        ("bad prior", ["1d", "--prior", "uniform"], "gaussian, exact"),
        ("bad method", ["1d", "--methods", "w2sd,w2s"], "did you mean w2sd"),
        ("duplicate method", ["1d", "--methods", "w2sd,w2sd"], "twice"),
        ("bad seed", ["1d", "--seed", "-3"], "--seed"),
        ("bad threads", ["1d", "--threads", "0"], "--threads"),
        ("too many trajectories", ["1d", "--samples", "10", "--trajectories", "11"], "--trajectories"),
        ("missing-left in 2d", ["2d", "--missing-left"], "--missing MODE"),
        ("missing index out of range", ["2d", "--missing", "4"], "0 to 3"),
        ("missing name unknown", ["2d", "--missing", "middle"], "top-left"),
        ("missing in 1d", ["1d", "--missing", "0"], "--missing-left"),
        ("option given twice", ["1d", "--seed", "1", "--seed", "2"], "more than once"),
        ("model option with config", ["1d", "--config", "Examples/preset-1d.json", "--std", "1"], "cannot be combined with --config"),
        ("config of the wrong dimension", ["1d", "--config", "Examples/preset-2d.json"], "1-dimensional"),
        ("config missing", ["1d", "--config", "Examples/no-such-file.json"], "no such file"),
        ("too large for memory", ["1d", "--samples", "2000000000", "--plot", "PLOT"], "memory"),
        ("too many steps for memory", ["1d", "--steps", "1000000", "--samples", "5000", "--trajectories", "5000"], "memory"),
    ]

    @Test(arguments: cases.indices)
    func rejected(_ index: Int) throws {
        let (name, arguments, fragment) = Self.cases[index]
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputs = ["json": "out.json", "plot": "out.svg", "ppm": "out.ppm"].mapValues { directory.appendingPathComponent($0).path }
        var args = arguments.map { $0 == "PLOT" ? outputs["plot"]! : $0 }
        if !args.contains("--plot") { args += ["--plot", outputs["plot"]!] }
        args += ["--json", outputs["json"]!, "--ppm", outputs["ppm"]!]
        let outcome = try CLI.run(args)
        #expect(outcome.status == 2, "\(name): status \(outcome.status), stderr \(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("Error: "), "\(name): \(outcome.stderr)")
        #expect(outcome.stderr.contains(fragment), "\(name): expected '\(fragment)' in \(outcome.stderr)")
        #expect(!outcome.stderr.contains("Fatal error") && !outcome.stderr.contains("backtrace"), "\(name)")
        #expect(outcome.stdout.isEmpty, "\(name): stdout \(outcome.stdoutText)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "\(name): an output file was touched")
    }

    /// Malformed or invalid JSON config files: the message names the JSON path.
    static let configs: [(String, String, String)] = [
        ("malformed JSON", #"{"ideal": {"components": [ }"#, "well-formed JSON"),
        ("wrong covariance shape", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}, {"weight": 1, "mean": [1, 1], "std": 1},
                                       {"weight": 1, "mean": [2, 2], "covariance": [[1, 0]]}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "strong.components[2].covariance"),
        ("non-symmetric covariance", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "covariance": [[1, 0.5], [0, 1]]}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "ideal.components[0].covariance"),
        ("not positive definite", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "covariance": [[1, 2], [2, 1]]}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "ideal.components[0].covariance"),
        ("string where a number belongs", """
            {"ideal": {"components": [{"weight": "half", "mean": [0, 0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "ideal.components[0].weight"),
        ("unknown key", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "stong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "stong"),
        ("missing key", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "strong"),
        ("negative weight", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}, {"weight": -1, "mean": [0, 0], "std": 1}]}}
            """, "weak.components[1].weight"),
        ("all-zero weights", """
            {"ideal": {"components": [{"weight": 0, "mean": [0, 0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "ideal.components"),
        ("dimension mismatch", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "strong.components[0].mean"),
        ("both std and covariance", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1, "covariance": [[1, 0], [0, 1]]}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "ideal.components[0]"),
        ("bad sampler value", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "sampler": {"steps": 10, "lambda": 12}}
            """, "sampler.lambda"),
        ("bad sampler solver", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "sampler": {"solver": "rk45"}}
            """, "sampler.solver"),
    ]

    @Test(arguments: configs.indices)
    func invalidConfig(_ index: Int) throws {
        let (name, text, path) = Self.configs[index]
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config.json")
        try Data(text.utf8).write(to: config)
        let svg = directory.appendingPathComponent("out.svg").path
        let outcome = try CLI.run(["2d", "--config", config.path, "--plot", svg] + Self.quick)
        #expect(outcome.status == 2, "\(name): \(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("Error: "), "\(name)")
        #expect(outcome.stderr.contains(path), "\(name): expected the JSON path '\(path)' in \(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: svg), "\(name)")
    }

    @Test func unwritableOutputs() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases: [([String], String)] = [
            (["--json", "/nonexistent-dir/x.json"], "does not exist"),
            (["--plot", directory.appendingPathComponent("out.png").path], "ending in .svg"),
            (["--plot", directory.appendingPathComponent("sub.svg").path], "is a directory"),
            (["--ppm", directory.appendingPathComponent("a.svg").path], "ending in .ppm"),
            (["--json", "/dev/null/x.json"], "not a directory"),
            (["--timings"], "--json"),
        ]
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub.svg"), withIntermediateDirectories: true)
        for (extra, fragment) in cases {
            let outcome = try CLI.run(["1d"] + Self.quick + extra)
            #expect(outcome.status == 2, "\(extra): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("Error: ") && outcome.stderr.contains(fragment), "\(extra): \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["sub.svg"])
    }

    @Test func failedRunExitsOne() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("strict.json")
        try Data("""
            {"ideal": {"components": [{"weight": 1, "mean": [0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [3], "std": 0.01}]},
             "sampler": {"inversion": "exact", "inversionTolerance": 1e-300, "samples": 50, "steps": 5}}
            """.utf8).write(to: config)
        let json = directory.appendingPathComponent("out.json").path
        let outcome = try CLI.run(["1d", "--config", config.path, "--json", json])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("Error: ") && outcome.stderr.contains("did not converge"))
        #expect(!FileManager.default.fileExists(atPath: json))
    }
}
