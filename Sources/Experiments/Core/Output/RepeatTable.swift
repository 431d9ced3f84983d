import Toy

/// The tables of a run repeated over seeds: each metric as mean +- the half-width of its 95% Student-t
/// interval over the repeats, and each method's paired difference to the strong sampler (same prior
/// draws, per seed) with its interval. "undefined" where a value cannot be computed (e.g. one repeat).
public enum RepeatTable {
    /// The metrics shown, in order: per method, then per mode.
    static let methodMetrics = ["W1", "W2", "MMD2", "NLL", "spurious", "evals/particle"]
    static let modeMetrics = ["mass", "on-mode", "std-ratio"]

    public static func cell(_ summary: RepeatSummary?, digits: Int = 4) -> String {
        guard let summary else { return "undefined" }
        return NumberFormat.fixed(summary.mean, digits) + (summary.halfWidth.map { " +-" + NumberFormat.fixed($0, digits) } ?? " (1 repeat: no interval)")
    }

    public static func interval(_ summary: RepeatSummary?) -> String {
        guard let summary else { return "undefined" }
        let ci = summary.confidenceInterval.map { "[\(NumberFormat.fixed($0.lowerBound, 4)), \(NumberFormat.fixed($0.upperBound, 4))]" } ?? "[1 repeat: no interval]"
        return NumberFormat.fixed(summary.mean, 4) + " " + ci
    }

    /// Method metrics (mean +- 95% half-width) and per-mode metrics.
    public static func table(_ runs: RepeatedRuns, modeNames: [String]) -> TextTable {
        let headers = ["method", "mode"] + modeMetrics + methodMetrics
        var rows: [[String]] = []
        for method in runs.methods {
            for (k, mode) in modeNames.enumerated() {
                let first = k == 0
                rows.append([first ? method.rawValue : "", mode]
                            + modeMetrics.map { cell(runs.summary(method, "\($0):\(mode)"), digits: $0 == "std-ratio" ? 2 : 4) }
                            + methodMetrics.map { first ? cell(runs.summary(method, $0), digits: $0 == "MMD2" ? 5 : 4) : "" })
            }
        }
        return TextTable(headers: headers, rows: rows, alignments: [.left, .left] + Array(repeating: .right, count: headers.count - 2), rule: true)
    }

    /// Paired differences to strong: W1, W2, MMD2 and each mode's on-mode mass, mean [95% CI].
    public static func pairedTable(_ runs: RepeatedRuns, modeNames: [String]) -> TextTable? {
        guard runs.methods.contains(.strong) else { return nil }
        let metrics = ["W1", "W2", "MMD2"] + modeNames.map { "on-mode:\($0)" }
        let rows = runs.methods.filter { $0 != .strong }.map { method in
            [method.rawValue] + metrics.map { interval(runs.pairedToStrong(method, $0)) }
        }
        return TextTable(headers: ["method - strong"] + metrics, rows: rows, alignments: [.left] + Array(repeating: .right, count: metrics.count), rule: true)
    }

    public static func render(_ runs: RepeatedRuns, modeNames: [String]) -> String { blocks(runs, modeNames: modeNames).text }

    /// The text of `render` as blocks (shared with the HTML report).
    public static func blocks(_ runs: RepeatedRuns, modeNames: [String]) -> [ReportBlock] {
        let seeds = runs.seeds
        var blocks: [ReportBlock] = [
            .line("\(seeds.count) repeats (seeds \(seeds.first ?? 0) ... \(seeds.last ?? 0)); each cell: mean +- half-width of the 95% Student-t interval over the repeats"),
            .table(table(runs, modeNames: modeNames), trimmed: false)]
        if let paired = pairedTable(runs, modeNames: modeNames) {
            blocks += [.line(""), .line("Difference to strong on the same seeds (paired): mean [95% interval]; a negative W1/W2/MMD2 difference means closer to the ideal"),
                       .table(paired, trimmed: false)]
        }
        return blocks
    }
}
