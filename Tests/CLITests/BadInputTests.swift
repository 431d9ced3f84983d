import Foundation
import Testing

/// Every class of bad input: exit status 2, an `Error:` line on stderr naming the input, and no
/// output file touched.
@Suite struct BadInputTests {
    static let quick = ["--samples", "300", "--steps", "6"]

    /// (arguments, a fragment the error message must contain): one per kind of refusal, run on the
    /// binary for its exit status, stderr and untouched outputs. The full catalogue of bad command lines
    /// is parsed in process by ExperimentsTests.CommandLineParseTests.
    static let cases: [(String, [String], String)] = [
        ("unknown flag", ["1d", "--sampels", "10"], "did you mean --samples"),
        ("unknown subcommand", ["3d"], "unknown subcommand"),
        ("value out of range", ["1d", "--steps", "10", "--lambda", "10"], "steps - 1 = 9"),
        ("conflicting flags", ["1d", "--missing-left", "--weak-weights", "0.2,0.8"], "gives them too"),
        ("config of the wrong dimension", ["2d", "--config", "Examples/three-d.json"], "toy-w2sd run"),
        ("too large for memory", ["1d", "--samples", "2000000000", "--plot", "PLOT"], "memory"),
        ("too many steps for memory", ["1d", "--steps", "1000000", "--samples", "5000", "--trajectories", "5000"], "memory"),
        ("delta without its experiment", ["delta", "--missing-left"], "1d, 2d"),
        ("delta 2d with a 1d model option", ["delta", "2d", "--missing-left"], "did you mean --missing"),
        ("bench with a bad count", ["bench", "--samples", "0"], "--samples"),
        ("a font size that prints below 7 pt", ["1d", "--font-size", "9"], "the smallest allowed is 9.34"),
        ("a guidance interval no selected method reads", ["1d", "--methods", "strong", "--guidance-interval", "1:5"], "read by autoguidance"),
        // Refused before the run: no "timings:" line (written after the methods ran) is on stderr.
        ("a panel letter the figure does not have", ["1d", "--samples", "3000", "--panels", "b,z"], "'z' is not a panel of this figure; accepted: a comma list of a, b"),
        ("z-sampling without classes", ["1d", "--methods", "strong,z-sampling", "--samples", "300"], "method z-sampling: an experiment whose models have classes"),
    ]

    @Test(arguments: cases.indices)
    func rejected(_ index: Int) throws {
        let (name, arguments, fragment) = Self.cases[index]
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputs = ["json": "out.json", "plot": "out.svg", "ppm": "out.ppm"].mapValues { directory.appendingPathComponent($0).path }
        var args = arguments.map { $0 == "PLOT" ? outputs["plot"]! : $0 }
        // Commands that write files get every output, so "nothing written" is checked for each.
        if ["1d", "2d", "delta"].contains(args[0]) {
            if !args.contains("--plot") { args += ["--plot", outputs["plot"]!] }
            args += ["--json", outputs["json"]!, "--ppm", outputs["ppm"]!]
        }
        let outcome = try CLI.run(args)
        #expect(outcome.status == 2, "\(name): status \(outcome.status), stderr \(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("Error: "), "\(name): \(outcome.stderr)")
        #expect(outcome.stderr.contains(fragment), "\(name): expected '\(fragment)' in \(outcome.stderr)")
        #expect(!outcome.stderr.contains("Fatal error") && !outcome.stderr.contains("backtrace"), "\(name)")
        #expect(outcome.stdout.isEmpty, "\(name): stdout \(outcome.stdoutText)")
        #expect(!outcome.stderr.contains("timings:"), "\(name): refused before any method ran: \(outcome.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "\(name): an output file was touched")
    }

    /// Invalid config files on the binary (the full list is decoded in process by
    /// ExperimentsTests.ConfigFileTests, syntax errors by JSONSyntaxCheckTests): status 2, the JSON
    /// path named (a syntax error or duplicate key also at FILE:LINE:COLUMN), nothing written.
    static let configs: [(String, String, String)] = [
        ("malformed JSON", #"{"ideal": {"components": [ }"#, "well-formed JSON"),
        ("missing comma", "{\n  \"ideal\": {\"components\": []}\n  \"strong\": {}\n}", "config.json:3:3: ideal: well-formed JSON (expected ','"),
        ("duplicate key", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "sampler": {"steps": 10, "steps": 12}}
            """, "config.json:4:27: sampler.steps: each key once per object (duplicate key 'steps', first at line 4, column 14)"),
        ("bad sampler value", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "sampler": {"steps": 10, "lambda": 12}}
            """, "sampler.lambda"),
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
            (["--plot", directory.appendingPathComponent("out.gif").path], "ending in .svg"),
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
