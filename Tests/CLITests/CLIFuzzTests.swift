import Foundation
import Testing
import TestSupport

/// A fuzzed command line, shrinkable by dropping arguments.
struct ArgumentsCase: CustomStringConvertible {
    var arguments: [String]

    var shrinks: [ArgumentsCase] {
        guard arguments.count > 1 else { return [] }
        var out = [ArgumentsCase(arguments: Array(arguments.prefix(1)))]
        for i in 1..<arguments.count { var c = arguments; c.remove(at: i); out.append(ArgumentsCase(arguments: c)) }
        return out
    }

    var description: String { "toy-w2sd " + arguments.map { $0.debugDescription }.joined(separator: " ") }
}

/// CLI fuzzing and interruption (see Tests/README.md), through `CLI.run` / `CLI.start` (CLIHarness.swift).
@Suite(.serialized) struct CLIFuzzTests {
    /// The options a subcommand lists in its `--help` (so the fuzzer follows the CLI as it evolves),
    /// each with whether it takes a value (its placeholder starts with an upper-case letter).
    static func options(_ subcommand: String) -> [(name: String, takesValue: Bool)] {
        guard let help = try? CLI.run([subcommand, "--help"]).stdoutText else { return [] }
        return help.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard let first = words.first, first.hasPrefix("--"), line.hasPrefix("  ") else { return nil }
            let value = words.count > 1 && (words[1].first?.isUppercase ?? false)
            return (String(first), value)
        }
    }

    static let optionsBySubcommand: [String: [(name: String, takesValue: Bool)]] = {
        Dictionary(uniqueKeysWithValues: ["1d", "2d", "delta"].map { ($0, options($0)) })
    }()

    static let garbage = ["", " ", "-", "--", "---", "-h", "--samples=32", "σ²", "漢字", "🎲", "\u{202E}evil", "a\nb", "\t",
                          String(repeating: "x", count: 10_000), "--help", "1d", "nan", "-inf", "1e400", "0x10", "٣٢"]
    static let numbers = ["0", "1", "-1", "0.5", "-0.5", "2", "nan", "NaN", "inf", "-inf", "1e308", "-1e308", "1e-308", "5e-324",
                          "1e400", "", "abc", "٣", "1_000", "0x10", " 3", "3 ", "+2", "1e", "--1", "18446744073709551616",
                          "99999999999999999999999999"]

    /// A value for `flag`: mostly plausible, often hostile; paths only under `directory` or unwritable.
    static func value(for flag: String, directory: URL, _ rng: inout PropertyGenerator) -> String {
        let hostile = Draw.bool(&rng, probability: 0.3)
        if hostile { return Draw.element(numbers + garbage, &rng) }
        switch flag {
        case "--samples", "--particles", "--memory-particles": return Draw.element(["32", "17", "1", "0", "-1", "many", "1e3", "40000000000000000000"], &rng)
        case "--steps": return Draw.element(["4", "2", "3", "1", "0", "1000001", "4.5", "-2"], &rng)
        case "--trajectories": return Draw.element(["0", "2", "5", "-1", "5001", "33"], &rng)
        case "--threads": return Draw.element(["1", "2", "7", "0", "257", "-1"], &rng)
        case "--lambda": return Draw.element(["0", "1", "3", "-1", "4", "100"], &rng)
        case "--seed": return Draw.element(["0", "7", "18446744073709551615", "18446744073709551616", "-3"], &rng)
        case "--solver": return Draw.element(["euler", "heun", "rk4", "EULER"], &rng)
        case "--inversion": return Draw.element(["paper", "ddim", "exact", "newton"], &rng)
        case "--prior": return Draw.element(["gaussian", "exact", "uniform"], &rng)
        case "--methods": return Draw.element(["ideal,strong,weak,w2sd", "w2sd", "s2wd,autoguidance", "w2sd,w2sd", "w2s", ",", "strong,"], &rng)
        case "--missing": return Draw.element(["bottom-left", "top-right", "0", "3", "nowhere"], &rng)
        case "--means": return Draw.element(["-4,4", "0,0", "1e6,-1e6", "-4,4,-4,-4", "1,2,3", "a,b", "4,4,-4,4,-4,-4,4,-4"], &rng)
        case let f where f.hasSuffix("weights"):
            return Draw.element(["0.5,0.5", "0,1", "1e-300,1", "0.25,0.25,0.25,0.25", "0,0,0,1", "-1,2", "nan,1", "1,,1", "1e308,1e308"], &rng)
        case "--sigmas", "--proxy-sigmas": return Draw.element(["1", "0.1,1,10", "0", "-1", "1e4", ""], &rng)
        case "--weak-family": return Draw.element(["0:0.3:3", "0.1:0.1:1", "1:0:2", "0:1:0", "a:b:c", "0:1"], &rng)
        case "--json", "--plot", "--ppm", "--report":
            let name = Draw.element(["out.json", "figure.svg", "figure.ppm", "σ² 漢字.svg", "report"], &rng)
            return Draw.element([directory.appendingPathComponent(name).path, "/nonexistent-\(UUID().uuidString)/x.svg",
                                 directory.path, "-", ""], &rng)
        case "--config":
            return Draw.element(["{", "[]", "{\"dimension\": 1e400}", "", "\u{FEFF}{\"ideal\": 3}", "not json"].enumerated().map { index, text in
                let url = directory.appendingPathComponent("config-\(index).json")
                try? Data(text.utf8).write(to: url)
                return url.path
            } + ["/nonexistent/config.json", directory.path], &rng)
        default:
            return Draw.element(numbers, &rng)
        }
    }

    /// A random command line: a subcommand (real or garbage), a few distinct options with random values,
    /// a few garbage tokens; runs stay cheap (few samples and steps unless the fuzzer sets them).
    static func draw(directory: URL, _ rng: inout PropertyGenerator) -> ArgumentsCase {
        let roll = Draw.integer(0...39, &rng)
        let subcommand = roll < 18 ? "1d" : roll < 36 ? "2d" : roll == 36 ? "delta" : roll == 37 ? "help" : Draw.element(garbage, &rng)
        var arguments = [subcommand]
        let options = optionsBySubcommand[subcommand] ?? []
        var used = Set<String>()
        for _ in 0..<Draw.integer(0...6, &rng) where !options.isEmpty {
            let option = Draw.element(options, &rng)
            guard !used.contains(option.name) || Draw.bool(&rng, probability: 0.1) else { continue }
            used.insert(option.name)
            arguments.append(option.name)
            if option.takesValue && !Draw.bool(&rng, probability: 0.05) {
                arguments.append(value(for: option.name, directory: directory, &rng))
            }
        }
        for _ in 0..<(Draw.bool(&rng, probability: 0.3) ? Draw.integer(1...2, &rng) : 0) {
            arguments.insert(Draw.element(garbage, &rng), at: Draw.integer(1...arguments.count, &rng))
        }
        if ["1d", "2d", "delta"].contains(subcommand) {
            if !used.contains("--samples") { arguments += ["--samples", "32"] }
            if !used.contains("--steps") { arguments += ["--steps", "4"] }
            if subcommand == "delta" && !used.contains("--sigmas") { arguments += ["--sigmas", "1"] }
            // 10^12 samples would stream for hours without a figure: only with one (refused for memory).
            if let i = arguments.firstIndex(of: "40000000000000000000"), !used.contains("--plot") {
                arguments[i] = "1000000000000"
                arguments += ["--plot", directory.appendingPathComponent("huge.svg").path]
            }
        }
        return ArgumentsCase(arguments: arguments)
    }

    /// Random argument vectors never crash: the process exits (no signal) with status 0, 1 or 2; every
    /// non-zero exit prints `Error:`; no temporary file of the atomic writer is left behind.
    @Test func randomArgumentVectorsNeverCrash() throws {
        guard CLI.binary != nil else { Issue.record("toy-w2sd binary not found"); return }
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var tally: [Int32: Int] = [:]
        let failures = Property.check("CLI fuzz", generate: { Self.draw(directory: directory, &$0) }, shrink: \.shrinks) { c in
            // Run in the scratch folder, so a garbage relative output path lands there, not in the package.
            let outcome: CLI.Outcome
            do {
                outcome = try CLI.run(c.arguments, directory: directory, timeout: 120)
            } catch CLI.HarnessError.timedOut {
                return "did not finish within 120 s"
            }
            tally[outcome.signal.map { -$0 } ?? outcome.status, default: 0] += 1
            if let signal = outcome.signal { return "killed by signal \(signal): \(outcome.stderr.prefix(300))" }
            guard [0, 1, 2].contains(outcome.status) else { return "exit status \(outcome.status)" }
            if outcome.status != 0 && !outcome.stderr.contains("Error:") { return "status \(outcome.status) without 'Error:': \(outcome.stderr.prefix(300))" }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
            for file in leftovers { try? FileManager.default.removeItem(at: directory.appendingPathComponent(file)) }
            return leftovers.isEmpty ? nil : "temporary files left: \(leftovers)"
        }
        print("CLI fuzz exit statuses (negative: signal): \(tally.sorted { $0.key < $1.key })")
        #expect(failures.isEmpty, "\(failures)")
        #expect(tally[0, default: 0] > 0 && tally[2, default: 0] > 0, "the fuzzer should reach both successful runs and usage errors")
    }

    /// SIGINT (and SIGTERM) during a run that would write a figure and JSON leaves neither target nor a
    /// temporary file (the atomic writer only renames complete files, at the end); the run dies of the
    /// signal. No sleeps: each run is signalled when its `--progress` output (stderr, one line per 10%
    /// of a method when stderr is not a terminal, then "sampled; computing statistics and W1") shows it
    /// has reached the point: sampling the first method, the first method's statistics, sampling the
    /// second method, the second method's statistics. The 1D preset runs five methods, so at least
    /// three are still to run when the signal is sent.
    @Test func interruptingARunLeavesNoPartialOutput() throws {
        guard CLI.binary != nil else { Issue.record("toy-w2sd binary not found"); return }
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let points: [(name: String, signal: Int32, reached: (String) -> Bool)] = [
            ("sampling method 1", SIGINT, { $0.contains("(1/") && $0.contains("%") }),
            ("statistics of method 1", SIGINT, { $0.contains("(1/") && $0.contains("sampled; computing statistics") }),
            ("sampling method 2", SIGINT, { $0.contains("(2/") && $0.contains("%") }),
            ("statistics of method 2", SIGTERM, { $0.contains("(2/") && $0.contains("sampled; computing statistics") }),
        ]
        for point in points {
            let signalName = point.signal == SIGINT ? "SIGINT" : "SIGTERM"
            let child = try CLI.start(["1d", "--samples", "2000000", "--steps", "50", "--threads", "1", "--progress",
                                       "--plot", directory.appendingPathComponent("figure.svg").path,
                                       "--json", directory.appendingPathComponent("result.json").path])
            let line = try child.waitForLine(on: .stderr, description: "showing \(point.name)", where: point.reached)
            child.signal(point.signal)
            let outcome: CLI.Outcome
            do {
                outcome = try child.wait(timeout: 20)
            } catch CLI.HarnessError.timedOut {
                Issue.record("the run ignored \(signalName) for 20 s (killed)")
                continue
            }
            #expect(!outcome.exited || outcome.status != 0, "the run finished before the interrupt at \(point.name) (\(line)); make it longer")
            #expect(outcome.signal == point.signal, "the run dies of \(signalName) at \(point.name): status \(outcome.status), \(outcome.stderr.suffix(300))")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(files.isEmpty, "after \(signalName) at \(point.name) (\(line)): \(files)")
        }
    }
}
