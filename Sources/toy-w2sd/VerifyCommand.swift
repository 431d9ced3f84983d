import Foundation
import Plot
import Toy

/// `toy-w2sd verify`: the numerical checks of the Delta1 ~ Delta2 claim (notes section 5), each with
/// PASS or FAIL and its numbers. Exit status 0 only if all pass (1 otherwise).
struct VerifyCommand {
    let arguments: [String]

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

    Options:
      --quick          reduced particle counts and step lists
      --json PATH      write the numbers as JSON (- for stdout)
      --report DIR     write DIR/report.md and DIR/*.svg
      --threads N      worker threads (default: all cores)
    Exit status: 0 all checks pass, 1 a check fails, 2 bad input.
    """

    func run() throws {
        let args = try ParsedArguments(arguments, options: [
            .init(name: "quick", takesValue: false), .init(name: "json", takesValue: true, accepted: "a file path, or -"),
            .init(name: "report", takesValue: true, accepted: "a folder path"),
            .init(name: "threads", takesValue: true, accepted: "an integer from 1 to 256"), .init(name: "help", takesValue: false),
        ])
        if args.has("help") { print(Self.help); return }
        let threads = try args.integer("threads", accepted: "an integer from 1 to 256", where: { (1...256).contains($0) })
            ?? ProcessInfo.processInfo.activeProcessorCount
        let jsonPath = args.string("json"), reportDirectory = args.string("report")
        if let reportDirectory { try Self.checkDirectory(reportDirectory) }
        if let jsonPath, jsonPath != "-" { try Self.checkWritable(jsonPath) }

        let progress = ProgressReporter()
        let checks = Verification(quick: args.has("quick"), threads: threads).checks
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
        if let reportDirectory { try Self.writeReport(results, quick: args.has("quick"), into: reportDirectory) }
        if !failed.isEmpty { throw VerificationFailed(checks: failed) }
    }

    struct VerificationFailed: Error, CustomStringConvertible {
        var checks: [String]
        var description: String { "verification failed: \(checks.joined(separator: ", "))" }
    }

    static func render(_ r: CheckResult) -> String {
        "[\(r.verdict)] \(r.name)\n" + table(r.headers, r.rows)
    }

    /// A plain table with columns padded to their widest cell.
    static func table(_ headers: [String], _ rows: [[String]]) -> String {
        let columns = ([headers] + rows).map(\.count).max() ?? 0
        let padded = ([headers] + rows).map { $0 + [String](repeating: "", count: columns - $0.count) }
        let widths = (0..<columns).map { c in padded.map { $0[c].count }.max() ?? 0 }
        return padded.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    /// A Markdown table; a `|` inside a cell (as in |Delta1|) is escaped so it does not split the cell.
    static func markdownTable(_ headers: [String], _ rows: [[String]]) -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let padded = rows.map { $0 + [String](repeating: "", count: max(0, headers.count - $0.count)) }
        return ([line(headers), "|" + String(repeating: "---|", count: headers.count)] + padded.map(line)).joined(separator: "\n")
    }

    /// Checks, before any work, that `path` is a writable folder or can be created in a writable parent;
    /// the folder itself is created only when the report is written.
    static func checkDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, FileManager.default.isWritableFile(atPath: path) else {
                throw UsageError(message: "--report '\(path)' is not a writable folder")
            }
        } else {
            var parent = (path as NSString).deletingLastPathComponent
            while !parent.isEmpty && !FileManager.default.fileExists(atPath: parent) { parent = (parent as NSString).deletingLastPathComponent }
            guard FileManager.default.isWritableFile(atPath: parent.isEmpty ? "." : parent) else {
                throw UsageError(message: "--report '\(path)': cannot create the folder (\(parent.isEmpty ? "." : parent) is not writable)")
            }
        }
    }

    static func checkWritable(_ path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        guard FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) else {
            throw UsageError(message: "--json '\(path)': the folder is not writable; accepted: a path in a writable folder, or -")
        }
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
                      markdownTable(r.headers, r.rows), "", "**Verdict.** \(r.verdict).", "",
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
