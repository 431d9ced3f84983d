import Experiments
import Foundation
import Plot
import Toy

/// `toy-w2sd verify`: the numerical checks of the Delta1 ~ Delta2 claim (notes section 5), each with
/// PASS or FAIL and its numbers. Exit status 0 only if all pass (1 otherwise).
enum VerifyCommand {
    static let quick = SwitchOption("quick", readers: .command, help: "reduced particle counts and step lists (as in the test suite)")
    static let report = ValueOption("report", readers: .command, value: "DIR", help: "write DIR/report.md, DIR/convergence.svg and its PNG",
                                    default: "none", accepted: "a writable folder (created if missing)", parse: Parse.text)

    static let header = """
    toy-w2sd verify: check the paper's claims numerically on both presets.

    Examples:
      toy-w2sd verify                         all five checks, full size (about a minute on a release build)
      toy-w2sd verify --quick                 reduced sizes, as in the test suite
      toy-w2sd verify --report Output/verify  write report.md and its figure into a folder
      toy-w2sd verify --json -                the numbers as JSON on stdout

    Checks: 1 Theorem 1 locally (slope of |R(x) - x - h Delta1| in h; its size at the schedule's own
    steps), 2 identity (weak = strong), 3 oracle convergence (weak := 2 s_s - s*), 4 small-step link
    to autoguidance (gamma = 0.5, 1, 2 against w = 1 + gamma), 5 the global claim (Spearman rho of
    W2SD's W1 against the schedule-weighted |Delta1 - Delta2| across weak models, with n and p).
    """

    static var subcommand: Subcommand {
        Subcommand(name: "verify", summary: "the numerical checks of the claim, PASS/FAIL (exit 0 = all pass)", header: header,
                   groups: [OptionGroup("Verify", [quick]), OptionGroup("Run", [RunOptions.threads, RunOptions.progress]),
                            OptionGroup("Output", [OutputOptions.json, report])],
                   footer: "Exit status: 0 all checks pass, 1 a check fails, 2 bad input.", run: run)
    }

    struct VerificationFailed: Error, CustomStringConvertible {
        var checks: [String]
        var description: String { "verification failed: \(checks.joined(separator: ", "))" }
    }

    static func run(_ arguments: [String]) throws {
        let args = try ParsedArguments(arguments, options: subcommand.groups.flatMap(\.options))
        let threads = try RunOptions.threads(args)
        let jsonPath = try OutputOptions.jsonPath(args), reportDirectory = try args.value(report)
        if let reportDirectory { try OutputPaths.checkFolder(reportDirectory, option: "report") }

        let progress = RunOptions.progressReporter(args)
        let checks = Verification(quick: args.has(quick), threads: threads).checks
        var results: [CheckResult] = []
        for (index, check) in checks.enumerated() {
            progress.begin("check \(index + 1)/\(checks.count): \(check.name)", whenDone: "done")
            progress.update(index, checks.count)
            results.append(try check.run())
        }
        progress.finish()
        if jsonPath != "-" { print(VerifyReport.text(results)) }
        var files: [(String, [UInt8])] = []
        if let jsonPath {
            let data = try VerifyReport.json(results, quick: args.has(quick))
            if jsonPath == "-" { FileHandle.standardOutput.write(data) } else { files.append((jsonPath, Array(data))) }
        }
        if let reportDirectory {
            let command = "toy-w2sd verify" + (args.has(quick) ? " --quick" : "") + " --report \(reportDirectory)"
            files += try VerifyReport.files(results, command: command, folder: reportDirectory)
            do {
                try FileManager.default.createDirectory(atPath: reportDirectory, withIntermediateDirectories: true)
            } catch {
                throw RunError(message: "--report '\(reportDirectory)': cannot create the folder (\(error.localizedDescription))")
            }
        }
        do {
            for (path, bytes) in files { try writeAtomically(bytes, to: path) }
        } catch {
            throw RunError(message: "\(error)")
        }
        let failed = results.filter { !$0.passed }.map(\.name)
        if !failed.isEmpty { throw VerificationFailed(checks: failed) }
    }
}
