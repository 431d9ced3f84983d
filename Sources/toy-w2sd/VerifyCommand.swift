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

    Checks: 1 Theorem 1 locally (slope of |R(x) - x - h Delta1| in h; its size at the schedule's own
    steps), 2 identity (weak = strong), 3 oracle convergence (weak := 2 s_s - s*), 4 small-step link
    to autoguidance (gamma = 0.5, 1, 2 against w = 1 + gamma), 5 the global claim (Spearman rho of
    W2SD's W1 against the schedule-weighted |Delta1 - Delta2| across weak models, with n and p).

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

    /// "[PASS] name", its tables and its verdict sentence.
    static func render(_ r: CheckResult) -> String {
        (["[\(Self.word(r.passed))] \(r.name)"] + r.tables.map(TableRenderer.text) + [TableRenderer.text(r.verdict)])
            .joined(separator: "\n\n")
    }

    static func word(_ passed: Bool) -> String { passed ? "PASS" : "FAIL" }

    /// A plain table of pre-formatted cells (used by `delta`, whose tables are not typed yet).
    static func table(_ headers: [String], _ rows: [[String]]) -> String {
        TableRenderer.fixedWidth([headers] + rows)
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

    /// A check as JSON: the tables keep their numbers (non-finite ones, which JSON cannot hold, as null),
    /// the prose is rendered.
    struct CheckJSON: Encodable {
        var name: String
        var passed: Bool
        var verdict: String
        var interpretation: String
        var tables: [TableJSON]
        var numbers: [String: Double]
    }

    struct TableJSON: Encodable {
        var title: String
        var columns: [ColumnJSON]
    }

    struct ColumnJSON: Encodable {
        var name: String
        var values: [Cell]

        enum Keys: String, CodingKey { case name, values }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(name, forKey: .name)
            var list = container.nestedUnkeyedContainer(forKey: .values)
            for cell in values {
                switch cell {
                case let .number(value): if value.isFinite { try list.encode(value) } else { try list.encodeNil() }
                case let .integer(value): try list.encode(value)
                case let .text(value): try list.encode(value)
                case .undefined: try list.encodeNil()
                }
            }
        }
    }

    static func writeJSON(_ results: [CheckResult], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Non-finite named numbers are not JSON: they are left out.
        let checks = results.map { r in
            CheckJSON(name: r.name, passed: r.passed, verdict: TableRenderer.text(r.verdict),
                      interpretation: TableRenderer.text(r.interpretation),
                      tables: r.tables.map { TableJSON(title: $0.title, columns: $0.columns.map { ColumnJSON(name: $0.name, values: $0.values) }) },
                      numbers: r.numbers.filter { $0.value.isFinite })
        }
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
            lines += ["## \(index + 1). \(r.name): \(word(r.passed))", "", "**What it tests.** \(r.tests)", ""]
            for table in r.tables { lines += [TableRenderer.markdown(table), ""] }
            lines += ["**Verdict.** \(TableRenderer.text(r.verdict))", "",
                      "**Interpretation.** \(TableRenderer.text(r.interpretation))", ""]
        }
        let passed = results.filter(\.passed).count
        lines += ["## Summary", "", "\(passed) of \(results.count) checks pass.", "",
                  "![Convergence with T](convergence.svg)", ""]
        try writeAtomically(Array(lines.joined(separator: "\n").utf8), to: folder + "/report.md")
        try convergenceFigure(results).writeSVG(to: folder + "/convergence.svg")
    }

    /// Log-log panels of the quantities that must fall with T: one panel per check with a convergence
    /// study, one line per series.
    static func convergenceFigure(_ results: [CheckResult]) -> Figure {
        // One step-count range for all panels, so their x axes line up.
        let stepLimits = AxisLimits(15, 500)
        let panels = results.compactMap(\.convergence).map { study in
            var panel = Panel(title: study.title, xAxis: Axis(label: "steps T", scale: .log, limits: stepLimits),
                              yAxis: Axis(label: study.quantity, scale: .log))
            for (index, series) in study.series.enumerated() {
                let color = Color.palette[index % Color.palette.count]
                let t = series.steps.map(Double.init)
                panel.add(.lines(Lines(x: t, y: series.values, style: LineStyle(color: color, width: 2), label: series.label)))
                panel.add(.scatter(Scatter(x: t, y: series.values, shape: .dot, color: color)))
            }
            return panel
        }
        return Figure(title: "toy-w2sd verify: discretisation errors vanish as T grows", width: 1500, height: 460,
                      rows: 1, columns: max(1, panels.count), panels: panels)
    }
}
