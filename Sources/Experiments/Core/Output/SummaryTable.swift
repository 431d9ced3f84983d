import Toy

/// The plain-text results table of one run: one row per method and ideal mode, fixed-width,
/// locale-independent. Per mode: nearest-mode mass, on-mode mass (squared Mahalanobis distance below the
/// chi-square quantile chi2_d(0.999), for the nearest such mode), the
/// nearest-mode mean and std, and the on-mode std over the ideal std; per method: W1, W2, MMD^2 (with
/// its standard error and z = MMD^2 / null standard error, `MMDEstimate`), NLL (starred when below the exact reference's: it rewards collapse), the
/// spurious fraction and score evaluations per particle. A mode no sample reached shows "-"; a streamed
/// W1 or W2 shows its binning error as "+-". A method with more than `modeLimit` modes shows its
/// `modeLimit` heaviest (by nearest-mode mass, ties to the lower index; in mode order) and one row
/// "N other modes" with their total nearest-mode and on-mode mass; the JSON report keeps every mode.
public enum SummaryTable {
    /// Modes shown per method before the rest are summarised in one row.
    public static let modeLimit = 12

    public static let headers = ["method", "mode", "mass", "on-mode", "mean", "std", "std/ideal", "W1", "W2", "MMD2", "NLL",
                                 "spurious", "evals/particle"]

    public static func table(_ results: [MethodResult], modeNames: [String]) -> TextTable {
        let floor = results.first { $0.method == .exact }?.statistics.meanNegativeLogLikelihood
        var rows: [[String]] = []
        for result in results {
            let s = result.statistics
            let shown = shownModes(s.modes)
            for (index, mode) in shown.enumerated() {
                let first = index == 0
                let onMode = s.onMode.first { $0.component == mode.component }
                let nll = NumberFormat.fixed(s.meanNegativeLogLikelihood, 4)
                    + (floor.map { !result.method.isExact && s.meanNegativeLogLikelihood < $0 } == true ? "*" : "")
                rows.append([
                    first ? result.method.rawValue : "",
                    mode.component < modeNames.count ? modeNames[mode.component] : "\(mode.component)",
                    NumberFormat.fixed(mode.mass, 4),
                    onMode.map { NumberFormat.fixed($0.mass, 4) } ?? "-",
                    mode.count == 0 ? "-" : mode.mean.map { NumberFormat.fixed($0, 3) }.joined(separator: ","),
                    mode.count < 2 ? "-" : mode.std.map { NumberFormat.fixed($0, 3) }.joined(separator: ","),
                    onMode.flatMap { $0.count < 2 ? nil : $0.stdRatio.map { NumberFormat.fixed($0, 2) }.joined(separator: ",") } ?? "-",
                    first ? withError(s.wasserstein, s.wassersteinError) : "",
                    first ? withError(s.wasserstein2, s.wasserstein2Error) : "",
                    first ? s.mmd.map(mmdCell) ?? "undefined" : "",
                    first ? nll : "",
                    first ? NumberFormat.fixed(s.spuriousFraction, 4) : "",
                    first ? NumberFormat.significant(Double(result.evaluations) / Double(max(1, s.count)), 6) : "",
                ])
            }
            if shown.count < s.modes.count {
                let shownComponents = Set(shown.map(\.component))
                let others = s.modes.filter { !shownComponents.contains($0.component) }
                let otherComponents = Set(others.map(\.component))
                let onMode = s.onMode.filter { otherComponents.contains($0.component) }.reduce(0) { $0 + $1.mass }
                rows.append(["", "\(others.count) other modes", NumberFormat.fixed(others.reduce(0) { $0 + $1.mass }, 4),
                             NumberFormat.fixed(onMode, 4)] + Array(repeating: "", count: headers.count - 4))
            }
        }
        return TextTable(headers: headers, rows: rows, alignments: [.left, .left] + Array(repeating: .right, count: headers.count - 2), rule: true)
    }

    /// All modes when there are at most `modeLimit`, else the `modeLimit` heaviest in mode order.
    static func shownModes(_ modes: [ModeSummary]) -> [ModeSummary] {
        guard modes.count > modeLimit else { return modes }
        let heaviest = modes.indices.sorted { modes[$0].mass > modes[$1].mass || (modes[$0].mass == modes[$1].mass && $0 < $1) }
        return heaviest.prefix(modeLimit).sorted().map { modes[$0] }
    }

    /// The table, and a note under it when an NLL is starred.
    public static func render(_ results: [MethodResult], modeNames: [String]) -> String { blocks(results, modeNames: modeNames).text }

    /// The text of `render` as blocks (shared with the HTML report).
    public static func blocks(_ results: [MethodResult], modeNames: [String]) -> [ReportBlock] {
        let table = table(results, modeNames: modeNames)
        let starred = table.rows.contains { $0[10].hasSuffix("*") }
        return [.table(table, trimmed: false)]
            + (starred ? [.line("* NLL below the exact reference's: those samples sit where p* is high but too narrowly (NLL rewards collapse).")] : [])
    }

    /// "0.0570 +-0.0062 z 211.2": MMD^2, its standard error and z (the value alone below 4 samples).
    static func mmdCell(_ m: MMDEstimate) -> String {
        NumberFormat.significant(m.value, 3)
            + (m.standardError.map { " +-" + NumberFormat.significant($0, 2) } ?? "")
            + (m.z.map { " z " + NumberFormat.fixed($0, 1) } ?? "")
    }

    /// "0.4063", or "0.4063 +-0.0012" when the value carries a method error.
    static func withError(_ value: Double, _ error: Double) -> String {
        NumberFormat.fixed(value, 4) + (error > 0 ? " +-" + NumberFormat.fixed(error, 4) : "")
    }
}
