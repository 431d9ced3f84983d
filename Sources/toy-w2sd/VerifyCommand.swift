import Experiments
import Foundation
import Plot
import Toy

/// `toy-w2sd verify`: the numerical checks of the Delta1 ~ Delta2 claim (notes section 5), each with
/// PASS or FAIL and its numbers. Exit status 0 only if all pass (1 otherwise).
struct VerifyCommand {
    let arguments: [String]

    static let quick = SwitchOption("quick", help: "reduced particle counts and step lists (as in the test suite)")
    static let json = ValueOption("json", value: "PATH", help: "the numbers as JSON; - writes them to stdout instead of the text",
                                  default: "none", accepted: "a path ending in .json, or -", parse: Parse.text)
    static let report = ValueOption("report", value: "DIR", help: "write DIR/report.md and DIR/convergence.svg",
                                    default: "none", accepted: "a writable folder (created if missing)", parse: Parse.text)
    static var subcommand: Subcommand { Subcommand(name: "verify", summary: "the numerical checks of the claim, PASS/FAIL (exit 0 = all pass)",
                                       header: help, groups: [OptionGroup("Verify", [quick]), OptionGroup("Run", [RunOptions.threads]),
                                                              OptionGroup("Output", [json, report])],
                                       footer: "Exit status: 0 all checks pass, 1 a check fails, 2 bad input.") { try VerifyCommand(arguments: $0).run() } }

    static let help = """
    toy-w2sd verify: check the paper's claims numerically on both presets.

    Examples:
      toy-w2sd verify                         all five checks, full size (a few seconds on a release build)
      toy-w2sd verify --quick                 reduced sizes, as in the test suite
      toy-w2sd verify --report Output/verify  write report.md and its figures into a folder
      toy-w2sd verify --json -                the numbers as JSON on stdout

    Checks: 1 Theorem 1 locally (slope of |R(x) - x - h Delta1| in h), 2 identity (weak = strong),
    3 oracle convergence (weak := 2 s_s - s*), 4 small-step link to autoguidance (w = 2),
    5 the local claim of Figure 3.

    """

    func run() throws {
        let args = try ParsedArguments(arguments, options: Self.subcommand.groups.flatMap(\.options))
        let threads = try RunOptions.threads(args)
        let jsonPath = try args.value(Self.json), reportDirectory = try args.value(Self.report)
        if let reportDirectory { try OutputPaths.checkFolder(reportDirectory, option: "report") }
        if let jsonPath { try OutputPaths.check(jsonPath, option: "json", extensions: [".json"], allowStdout: true) }

        let progress = ProgressReporter()
        let checks = Verification(quick: args.has(Self.quick), threads: threads).checks
        var results: [CheckResult] = []
        for (index, check) in checks.enumerated() {
            progress.begin("check \(index + 1)/\(checks.count): \(check.name)", whenDone: "done")
            progress.update(index, checks.count)
            results.append(try check.run())
        }
        progress.finish()
        let text = results.map(Self.render).joined(separator: "\n\n")
        if jsonPath != "-" { print(text) }
        let failed = results.filter { !$0.passed }.map(\.name)
        if jsonPath != "-" { print(failed.isEmpty ? "\nAll \(results.count) checks PASS." : "\nFAILED: \(failed.joined(separator: ", "))") }
        if let jsonPath { try Self.writeJSON(results, to: jsonPath) }
        if let reportDirectory { try Self.writeReport(results, quick: args.has(Self.quick), into: reportDirectory) }
        if !failed.isEmpty { throw VerificationFailed(checks: failed) }
    }

    struct VerificationFailed: Error, CustomStringConvertible {
        var checks: [String]
        var description: String { "verification failed: \(checks.joined(separator: ", "))" }
    }

    static func render(_ r: CheckResult) -> String {
        "[\(r.verdict)] \(r.name)\n" + TextTable(headers: r.headers, rows: r.rows).text(trimmingTrailingSpace: true)
    }





    struct CheckJSON: Codable {
        var name: String
        var passed: Bool
        var headers: [String]
        var rows: [[String]]
        var numbers: [String: Double]
    }

    static func writeJSON(_ results: [CheckResult], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Non-finite numbers are not JSON: they are written as null-free strings by dropping them.
        let checks = results.map { r in CheckJSON(name: r.name, passed: r.passed, headers: r.headers, rows: r.rows,
                                                 numbers: r.numbers.filter { $0.value.isFinite }) }
        let data = try encoder.encode(["checks": checks])
        if path == "-" {
            print(String(decoding: data, as: UTF8.self))
        } else {
            try writeAtomically(Array(data) + [10], to: path)
        }
    }

    static func writeReport(_ results: [CheckResult], quick: Bool, into folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw UsageError(message: "--report '\(folder)': cannot create the folder (\(error.localizedDescription))")
        }
        var lines = ["# toy-w2sd verify report", "",
                     "Generated by `toy-w2sd verify\(quick ? " --quick" : "") --report \(folder)` (release build). Every number below comes from this run.", ""]
        for (index, r) in results.enumerated() {
            lines += ["## \(index + 1). \(r.name): \(r.verdict)", "", "**What it tests.** \(r.tests)", "",
                      TextTable(headers: r.headers, rows: r.rows).markdown(), "", "**Verdict.** \(r.verdict).", "",
                      "**Interpretation.** \(r.interpretation)", ""]
        }
        let passed = results.filter(\.passed).count
        lines += ["## Summary", "", "\(passed) of \(results.count) checks pass.", "",
                  "![Convergence with T](convergence.svg)", ""]
        try writeAtomically(Array(lines.joined(separator: "\n").utf8), to: folder + "/report.md")
        try convergenceFigure(results).writeSVG(to: folder + "/convergence.svg")
    }

    /// Log-log panels of the quantities that must fall with T (checks 2, 3 and 4).
    static func convergenceFigure(_ results: [CheckResult]) -> Figure {
        // (T, value) pairs from the rows of a check whose first cell is a step count.
        func series(_ check: CheckResult, column: Int) -> ([Double], [Double]) {
            let rows = check.rows.filter { Int($0.first ?? "") != nil }
            return (rows.compactMap { Double($0[0]) }, rows.compactMap { Double($0[column].split(separator: " ").first ?? "") })
        }
        var panels: [Panel] = []
        // One step-count range for all panels, so their x axes line up.
        let stepLimits = AxisLimits(15, 500)
        if results.count >= 4 {
            var oracle = Panel(title: "Oracle weak field: W1 to ideal (1D)", xAxis: Axis(label: "steps T", scale: .log, limits: stepLimits),
                               yAxis: Axis(label: "W1", scale: .log))
            let (t, w) = series(results[2], column: 1), (t2, s) = series(results[2], column: 3)
            oracle.add(.lines(Lines(x: t, y: w, style: LineStyle(color: .vermillion, width: 2), label: "W2SD, weak = 2 s_s - s*")))
            oracle.add(.scatter(Scatter(x: t, y: w, shape: .dot, color: .vermillion)))
            oracle.add(.lines(Lines(x: t2, y: s, style: LineStyle(color: .blue, width: 2), label: "strong only")))
            oracle.add(.scatter(Scatter(x: t2, y: s, shape: .dot, color: .blue)))
            panels.append(oracle)
            var link = Panel(title: "W2SD vs autoguidance (w = 2)", xAxis: Axis(label: "steps T", scale: .log, limits: stepLimits),
                             yAxis: Axis(label: "mean |x_w2sd - x_ag|", scale: .log))
            let (t3, d) = series(results[3], column: 1)
            link.add(.lines(Lines(x: t3, y: d, style: LineStyle(color: .green, width: 2), label: "mean distance")))
            link.add(.scatter(Scatter(x: t3, y: d, shape: .dot, color: .green)))
            panels.append(link)
            var identity = Panel(title: "Identity bias (weak = strong)", xAxis: Axis(label: "steps T", scale: .log, limits: stepLimits),
                                 yAxis: Axis(label: "mean |x_w2sd - x_standard|", scale: .log))
            for (name, color) in [("paper", Color.purple), ("ddim", Color.orange)] {
                let rows = results[1].rows.filter { $0.count > 2 && $0[0] == name && Int($0[1]) != nil }
                let x = rows.compactMap { Double($0[1]) }, y = rows.compactMap { Double($0[2]) }
                identity.add(.lines(Lines(x: x, y: y, style: LineStyle(color: color, width: 2), label: "\(name) inversion")))
                identity.add(.scatter(Scatter(x: x, y: y, shape: .dot, color: color)))
            }
            panels.append(identity)
        }
        return Figure(title: "toy-w2sd verify: discretisation errors vanish as T grows", width: 1500, height: 460,
                      rows: 1, columns: max(1, panels.count), panels: panels)
    }
}
