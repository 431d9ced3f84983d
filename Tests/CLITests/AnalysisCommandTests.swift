import Foundation
import Testing

/// `delta`, `verify` and `bench` run as a user runs them: the built binary, small sizes.
@Suite struct AnalysisCommandTests {
    func json(_ outcome: CLI.Outcome) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: outcome.stdout) as? [String: Any])
    }

    @Test func deltaTablesJSONAndFigure() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = directory.appendingPathComponent("delta.svg").path
        let outcome = try CLI.run(["delta", "1d", "--missing-left", "--sigmas", "0.5,2", "--proxy-sigmas", "0.5,2",
                                   "--json", "-", "--plot", svg])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let document = try json(outcome)
        let levels = try #require(document["levels"] as? [[String: Any]])
        #expect(levels.count == 2 && levels[0]["sigma"] as? Double == 0.5)
        let proxy = try #require(document["proxy"] as? [String: Any])
        for key in ["fieldCosine", "bestAlpha", "errorRatioAtOne", "safeLower", "safeUpper", "sigmas"] {
            #expect(proxy[key] != nil, "proxy.\(key)")
        }
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(CLI.isWellFormedXML(text))
        for title in ["(a) cos", "(b) mean size", "(c) proxy error"] { #expect(text.contains(title), "\(title)") }
    }

    /// On the run's own grid every reflecting step carries the reflection's parts (the last step, to
    /// sigma = 0, and levels off the grid do not); the table says which of the first two is larger.
    @Test func deltaDecomposesTheReflection() throws {
        let outcome = try CLI.run(["delta", "1d", "--steps", "6", "--proxy-sigmas", "0.5,2", "--json", "-"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let levels = try #require(try json(outcome)["levels"] as? [[String: Any]])
        #expect(levels.count == 6)
        for level in levels.dropLast() {
            for key in ["displacementExact", "inversionBias", "idealCorrection", "exactFloor"] { #expect(level[key] is Double, "\(key)") }
            #expect(["Delta1 part", "inversion bias", "no difference shown"].contains(level["larger"] as? String ?? ""))
        }
        #expect(levels.last?["inversionBias"] is NSNull)
        let text = try CLI.run(["delta", "1d", "--steps", "6", "--proxy-sigmas", "0.5,2"]).stdoutText
        #expect(text.contains("E|R_paper - R_exact|") && text.contains("inversion bias"))
    }

    @Test func deltaWeakFamilySaysWhetherTheProxyPredicts() throws {
        let outcome = try CLI.run(["delta", "1d", "--sigmas", "1", "--proxy-sigmas", "0.5,2", "--weak-family", "0.05:0.25:3",
                                   "--samples", "300", "--steps", "8"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let sentences = outcome.stdoutText.components(separatedBy: "\n").filter { $0.hasPrefix("Spearman(") }
        #expect(sentences.count == 3)
        // Three weak models: no permutation p-value can fall below 0.05 (the exact one-sided minimum is
        // 1/6, two-sided 1/3), so no sentence may claim that the proxy predicts.
        #expect(sentences.allSatisfy { $0.contains("no association shown at n = 3") && !$0.contains("predicts") }, "\(sentences)")
    }

    @Test(arguments: [
        ["delta", "1d", "--weak-family", "1:2:3"], ["delta", "1d", "--sigmas", "0,1"], ["delta", "1d", "--sigmas", "x"],
        ["delta", "3d"], ["verify", "--quik"], ["verify", "--threads", "0"], ["bench", "--particles", "-1"], ["bench", "--rounds", "0"],
        ["delta", "1d", "--sigmas", "1e20"], ["delta", "1d", "--methods", "w2sd"], ["delta", "2d", "--weak-family", "0:0.3:1"],
        ["1d", "--sigma-max", "1e200"],
    ])
    func badInputIsAUsageError(_ arguments: [String]) throws {
        let outcome = try CLI.run(arguments)
        #expect(outcome.status == 2, "\(arguments): \(outcome.status) \(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("Error: "), "\(arguments): \(outcome.stderr)")
    }

    /// A 2D weak model without a missing mode: --weak-family has no mode to vary unless told (--missing).
    @Test func weakFamilyWithoutAMissingModeIsAUsageError() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let mixture = #"{ "components": [ { "weight": 0.5, "mean": [-4, 0], "std": 0.8 }, { "weight": 0.5, "mean": [4, 0], "std": 0.8 } ] }"#
        let config = #"{ "ideal": \#(mixture), "strong": \#(mixture), "weak": \#(mixture) }"#
        let path = directory.appendingPathComponent("two-modes.json").path
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = try CLI.run(["delta", "2d", "--config", path, "--sigmas", "1", "--proxy-sigmas", "1", "--weak-family", "0:0.3:3"])
        #expect(outcome.status == 2 && outcome.stderr.hasPrefix("Error: ") && outcome.stderr.contains("--missing"), "\(outcome.stderr)")
    }

    /// Steps that overflow end the run with status 1 and a message, never with NaN in the table.
    @Test func nonFiniteSamplesFailTheRun() throws {
        let outcome = try CLI.run(["1d", "--gamma", "1e300", "--methods", "w2sd", "--samples", "200", "--steps", "6"])
        #expect(outcome.status == 1 && outcome.stderr.hasPrefix("Error: ") && outcome.stdout.isEmpty, "\(outcome.stderr)")
    }

    @Test(arguments: ["1d", "2d", "delta", "verify", "bench"])
    func helpWithASubcommandIsThatSubcommandsHelp(_ subcommand: String) throws {
        let viaHelp = try CLI.run(["help", subcommand]), direct = try CLI.run([subcommand, "--help"])
        #expect(viaHelp.status == 0 && viaHelp.stdout == direct.stdout && viaHelp.stdoutText.contains("Examples:"))
    }

    /// `help` followed by anything that is not a subcommand (including `--help` itself) is the main help.
    @Test(arguments: [["help", "--help"], ["--help", "--help"], ["help", "help"], ["-h", "-h"]])
    func helpOfHelpIsTheMainHelp(_ arguments: [String]) throws {
        let outcome = try CLI.run(arguments)
        #expect(outcome.status == 0 && outcome.stdoutText.hasPrefix("toy-w2sd: "), "\(arguments): \(outcome.status) \(outcome.stderr)")
    }

    @Test func benchJSONIsOneDocument() throws {
        let outcome = try CLI.run(["bench", "--json", "-", "--samples", "300", "--memory-samples", "300", "--tree-samples", "1", "--rounds", "2"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try json(outcome)["rounds"] as? Int == 2)
        let cases = try #require(try json(outcome)["cases"] as? [[String: Any]])
        // Kernel and whole-run cases for 1D, 2D and the 1023-component tree (W2SD, and Heun from exact
        // p(x; 5)), the statistics-only memory case and the learned field.
        #expect(cases.count == 10 && cases.allSatisfy { ($0["scoreEvaluationsPerSecond"] as? Double ?? 0) > 0 })
    }
}
