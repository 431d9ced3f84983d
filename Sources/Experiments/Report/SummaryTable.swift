import Toy

/// The plain-text results table: one row per method and ideal mode, fixed-width, locale-independent.
/// A mode no sample reached shows "-" for mean and std; a streamed W1 shows its binning error as "+-".
public enum SummaryTable {
    public static func table(_ results: [MethodResult], modeNames: [String]) -> TextTable {
        let header = ["method", "mode", "mass", "mean", "std", "W1 to ideal", "NLL", "score evals"]
        var rows: [[String]] = []
        for result in results {
            let s = result.statistics
            for (index, mode) in s.modes.enumerated() {
                let first = index == 0
                rows.append([
                    first ? result.method.rawValue : "",
                    mode.component < modeNames.count ? modeNames[mode.component] : "\(mode.component)",
                    NumberFormat.fixed(mode.mass, 4),
                    mode.count == 0 ? "-" : mode.mean.map { NumberFormat.fixed($0, 3) }.joined(separator: ","),
                    mode.count < 2 ? "-" : mode.std.map { NumberFormat.fixed($0, 3) }.joined(separator: ","),
                    first ? NumberFormat.fixed(s.wasserstein, 4) + (s.wassersteinError > 0 ? " +-" + NumberFormat.fixed(s.wassersteinError, 4) : "") : "",
                    first ? NumberFormat.fixed(s.meanNegativeLogLikelihood, 4) : "",
                    first ? String(result.evaluations) : "",
                ])
            }
        }
        return TextTable(headers: header, rows: rows, alignments: [.left, .left] + Array(repeating: .right, count: 6), rule: true)
    }

    public static func render(_ results: [MethodResult], modeNames: [String]) -> String {
        table(results, modeNames: modeNames).text()
    }
}
