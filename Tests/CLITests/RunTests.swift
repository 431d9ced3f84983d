import Foundation
import Testing

/// Successful runs: the owner's two examples, JSON, determinism, config files, help.
@Suite struct RunTests {
    static let quick = ["--samples", "500", "--steps", "10"]

    @Test func ownerExampleOneD() throws {
        let outcome = try CLI.run(["1d", "--missing-left"] + Self.quick)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("method ") == true)
        for method in ["exact", "ideal-sampled", "strong", "weak", "w2sd"] {
            #expect(lines.contains { $0.hasPrefix(method + " ") }, "row for \(method)")
        }
        for column in ["mass", "on-mode", "std/ideal", "W1", "W2", "MMD2", "NLL", "spurious", "evals/particle"] {
            #expect(lines.first?.contains(column) == true, "column \(column)")
        }
        // The weak model has no left mode: its left row has mass 0 and no mean.
        let weakLeft = lines.first { $0.hasPrefix("weak ") } ?? ""
        #expect(weakLeft.contains("0.0000") && weakLeft.contains(" - "), "\(weakLeft)")
        #expect(!outcome.stdoutText.contains("timings"), "timings belong on stderr")
    }

    /// The stochastic baselines on the 1D preset, Z-Sampling on both guidance cases, with a figure and
    /// the trajectory export (the new phases named in the CSV).
    @Test func stochasticBaselinesAndZSamplingRun() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("paths.csv").path, svg = directory.appendingPathComponent("one.svg").path
        let outcome = try CLI.run(["1d", "--methods", "strong,edm-churn,restart", "--plot", svg, "--trajectories-out", csv] + Self.quick)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdoutText.split(separator: "\n").map(String.init)
        // T = 10: Heun 19 evaluations per particle, restart 19 + 2 x 2 x 10.
        #expect(lines.contains { $0.hasPrefix("edm-churn ") && $0.hasSuffix(" 19") }, "\(outcome.stdoutText)")
        #expect(lines.contains { $0.hasPrefix("restart ") && $0.hasSuffix(" 59") }, "\(outcome.stdoutText)")
        let paths = try String(contentsOfFile: csv, encoding: .utf8)
        for phase in ["churned", "restartNoise", "restartStep"] { #expect(paths.contains(phase), "phase \(phase)") }
        for name in ["guidance-over-1d", "guidance-under-1d"] {
            let z = try CLI.run(["1d", "--case", name, "--methods", "strong,w2sd,z-sampling"] + Self.quick)
            #expect(z.status == 0, "\(name): \(z.stderr)")
            #expect(z.stdoutText.contains("z-sampling "), "\(name)")
        }
    }

    @Test func ownerExampleTwoDWithFigure() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = directory.appendingPathComponent("out.svg").path, ppm = directory.appendingPathComponent("out.ppm").path
        let outcome = try CLI.run(["2d", "--plot", svg, "--ppm", ppm] + Self.quick)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(CLI.isWellFormedXML(text))
        // Panel letters are unique, in reading order.
        for title in ["(a) ideal", "(b) strong", "(c) weak", "(d) strong", "(e) weak", "(f) W2SD",
                      "(g) strong", "(h) weak", "(i) W2SD", "(j) Δ₁", "(k) Δ₂", "(l) cos"] {
            #expect(text.contains(title), "panel \(title)")
        }
        let raster = try Data(contentsOf: URL(fileURLWithPath: ppm))
        #expect(raster.starts(with: Data("P6".utf8)))
    }

    @Test func oneDFigurePanels() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = directory.appendingPathComponent("one.svg").path
        let outcome = try CLI.run(["1d", "--missing-left", "--plot", svg] + Self.quick)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(CLI.isWellFormedXML(text))
        for title in ["(a) ideal", "(b) strong", "(c) weak", "(d) final samples", "(e) trajectories", "(f) Δ₁ and Δ₂ at σ = 0.5",
                      "(g) Δ₁ and Δ₂ at σ = 2", "(h) Δ₁ and Δ₂ at σ = 5", "(i) one W2SD trajectory",
                      "reflection: strong step down", "reflection: weak inversion up"] {
            #expect(text.contains(title), "panel \(title)")
        }
    }

    @Test func threeDimensionalConfigPlotsFirstTwoCoordinates() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = directory.appendingPathComponent("three.svg").path
        let outcome = try CLI.run(["run", "--config", "Examples/three-d.json", "--plot", svg] + Self.quick)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(CLI.isWellFormedXML(text) && text.contains("x₁,x₂ of d=3"))
    }

    @Test func jsonCarriesTheDocumentedKeys() throws {
        let outcome = try CLI.run(["1d", "--json", "-", "--methods", "strong,w2sd,s2wd,autoguidance"] + Self.quick)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: outcome.stdout) as? [String: Any])
        for key in ["schema", "version", "command", "dimension", "threads", "trajectoriesRecorded", "wasserstein1Kind", "samplesKept", "experiment", "methods"] {
            #expect(root[key] != nil, "key \(key)")
        }
        #expect(root["schema"] as? String == "toy-w2sd.experiment/3")
        let methods = try #require(root["methods"] as? [[String: Any]])
        #expect(methods.map { $0["method"] as? String } == ["strong", "w2sd", "s2wd", "autoguidance"])
        for m in methods {
            for key in ["modes", "wasserstein1", "wasserstein1Error", "meanNLL", "scoreEvaluations", "samples"] {
                #expect(m[key] != nil, "method key \(key)")
            }
            #expect(m["seconds"] == nil, "no timings without --timings")
            let modes = try #require(m["modes"] as? [[String: Any]])
            #expect(modes.count == 2)
            for key in ["name", "component", "mass", "count", "mean", "std"] { #expect(modes[0][key] != nil, "mode key \(key)") }
        }
        let experiment = try #require(root["experiment"] as? [String: Any])
        for key in ["ideal", "strong", "weak", "sampler", "methods"] { #expect(experiment[key] != nil) }
        #expect(experiment["methods"] as? [String] == ["strong", "w2sd", "s2wd", "autoguidance"])
    }

    @Test func timingsOnlyOnRequest() throws {
        let outcome = try CLI.run(["1d", "--json", "-", "--timings"] + Self.quick)
        let root = try #require(try JSONSerialization.jsonObject(with: outcome.stdout) as? [String: Any])
        let methods = try #require(root["methods"] as? [[String: Any]])
        #expect(methods.allSatisfy { $0["seconds"] is Double })
        #expect(outcome.stderr.contains("timings:"))
    }

    @Test func sameArgumentsGiveIdenticalBytes() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for command in ["1d", "2d"] {
            var outputs: [[Data]] = []
            for (run, threads) in [(0, "1"), (1, "2")] {
                let json = directory.appendingPathComponent("\(command)-\(run).json").path
                let svg = directory.appendingPathComponent("\(command)-\(run).svg").path
                let outcome = try CLI.run([command, "--json", json, "--plot", svg, "--threads", threads] + Self.quick)
                #expect(outcome.status == 0, "\(outcome.stderr)")
                outputs.append([outcome.stdout, try Data(contentsOf: URL(fileURLWithPath: json)),
                                try Data(contentsOf: URL(fileURLWithPath: svg))])
            }
            #expect(outputs[0][0] == outputs[1][0], "\(command) stdout")
            #expect(outputs[0][2] == outputs[1][2], "\(command) SVG")
            // The JSON records the thread count; everything else must match.
            let a = String(decoding: outputs[0][1], as: UTF8.self).replacingOccurrences(of: "\"threads\" : 1", with: "")
            let b = String(decoding: outputs[1][1], as: UTF8.self).replacingOccurrences(of: "\"threads\" : 2", with: "")
            #expect(a == b, "\(command) JSON")
        }
    }

    @Test(arguments: ["1d", "2d"])
    func configFileReproducesThePreset(_ command: String) throws {
        let settings = Self.quick + ["--lambda", "9"]
        let preset = try CLI.run([command, "--json", "-"] + settings)
        let config = try CLI.run([command, "--config", "Examples/preset-\(command).json", "--json", "-"] + settings)
        #expect(preset.status == 0 && config.status == 0, "\(preset.stderr) \(config.stderr)")
        // The 1D file gives the autoguidance weight, which none of the default methods reads: the run
        // lists it (stderr and JSON) and is otherwise the preset's. The 2D file gives only the samples.
        let notRead = command == "1d" ? ["guidance"] : nil
        let document = try #require(try JSONSerialization.jsonObject(with: config.stdout) as? [String: Any])
        #expect(document["settingsNotRead"] as? [String] == notRead)
        #expect(config.stderr.contains("not read by the selected methods: guidance") == (notRead != nil))
        let listing = try NSRegularExpression(pattern: "\n  \"settingsNotRead\" : \\[[^\\]]*\\],")
        let text = config.stdoutText
        #expect(preset.stdoutText == listing.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: ""))
        let table = try CLI.run([command] + settings)
        let tableFromConfig = try CLI.run([command, "--config", "Examples/preset-\(command).json"] + settings)
        #expect(table.stdout == tableFromConfig.stdout)
        #expect(!table.stdout.isEmpty)
    }

    @Test func jsonExperimentIsAConfigThatReproducesTheRun() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let args = ["2d", "--missing", "top-right", "--seed", "5", "--gamma", "0.5"] + Self.quick
        let first = try CLI.run(args + ["--json", "-"])
        let root = try #require(try JSONSerialization.jsonObject(with: first.stdout) as? [String: Any])
        let experiment = try JSONSerialization.data(withJSONObject: try #require(root["experiment"]))
        let config = directory.appendingPathComponent("echo.json")
        try experiment.write(to: config)
        let again = try CLI.run(["2d", "--config", config.path])
        let table = try CLI.run(args)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == table.stdout)
        // The whole saved report is a config too, methods included.
        let report = directory.appendingPathComponent("report.json")
        try first.stdout.write(to: report)
        let fromReport = try CLI.run(["2d", "--config", report.path])
        #expect(fromReport.status == 0, "\(fromReport.stderr)")
        #expect(fromReport.stdout == table.stdout)
    }

    /// A score-field case runs from `--case` and from its example file with identical output, and a
    /// learned model trained by `train` runs as the weak model and reruns from the saved report (the
    /// report's experiment names the model file and the saturation given on the command line).
    @Test func fieldModelsRunFromCaseFileAndReport() throws {
        let args = ["--samples", "300", "--steps", "8", "--lambda", "7", "--methods", "strong,w2sd"]
        let fromCase = try CLI.run(["1d", "--case", "guidance-and-weights-1d"] + args)
        let fromFile = try CLI.run(["1d", "--config", "Examples/cases/guidance-and-weights-1d.json"] + args)
        #expect(fromCase.status == 0 && fromFile.status == 0, "\(fromCase.stderr)\(fromFile.stderr)")
        #expect(fromCase.stdout == fromFile.stdout && fromCase.stdoutText.contains("centre"))
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("weak.model").path
        let trained = try CLI.run(["train", "--toy", "1d", "--width", "8", "--depth", "1", "--steps", "20", "--batch", "32", "--out", model])
        #expect(trained.status == 0, "\(trained.stderr)")
        let learned = ["1d", "--weak-model", model, "--saturate", "weak"] + args
        let first = try CLI.run(learned + ["--json", "-"])
        #expect(first.status == 0, "\(first.stderr)")
        let report = directory.appendingPathComponent("report.json")
        try first.stdout.write(to: report)
        let root = try #require(try JSONSerialization.jsonObject(with: first.stdout) as? [String: Any])
        let weak = try #require((root["experiment"] as? [String: Any])?["weak"] as? [String: Any])
        #expect(weak["model"] as? String == model && weak["saturation"] != nil && weak["components"] == nil)
        let again = try CLI.run(["1d", "--config", report.path]), table = try CLI.run(learned)
        #expect(again.status == 0 && again.stdout == table.stdout, "\(again.stderr)")
    }

    @Test func helpOpensWithTheOwnerExamples() throws {
        let main = try CLI.run(["help"])
        #expect(main.status == 0)
        let lines = main.stdoutText.split(separator: "\n").map(String.init)
        let examples = try #require(lines.firstIndex { $0.hasPrefix("Examples") })
        #expect(examples <= 2)
        #expect(lines[examples + 1].contains("toy-w2sd 1d --missing-left"))
        #expect(lines[examples + 2].contains("toy-w2sd 2d --plot out.svg"))
        for command in ["1d", "2d", "bench"] {
            let help = try CLI.run([command, "--help"])
            #expect(help.status == 0, "\(command)")
            #expect(help.stdoutText.contains("Examples:"), "\(command)")
        }
        let oneD = try CLI.run(["1d", "--help"]).stdoutText
        #expect(oneD.contains("--missing-left") && oneD.contains("--config") && oneD.contains("--trajectories"))
        let twoD = try CLI.run(["2d", "--help"]).stdoutText
        #expect(twoD.contains("toy-w2sd 2d --plot out.svg") && twoD.contains("--missing MODE"))
    }
}
