import Foundation
import Toy

/// The plain-text results table: one row per method and ideal mode, fixed-width, locale-independent.
/// A mode no sample reached shows "-" for mean and std; a streamed W1 shows its binning error as "+-".
enum SummaryTable {
    static func render(_ results: [MethodResult], modeNames: [String]) -> String {
        var lines: [String] = []
        let header = ["method", "mode", "mass", "mean", "std", "W1 to ideal", "NLL", "score evals"]
        var rows: [[String]] = []
        for result in results {
            let s = result.statistics
            for (index, mode) in s.modes.enumerated() {
                let first = index == 0
                rows.append([
                    first ? result.method.rawValue : "",
                    modeNames[mode.component],
                    format(mode.mass, 4),
                    mode.count == 0 ? "-" : mode.mean.map { format($0, 3) }.joined(separator: ","),
                    mode.count < 2 ? "-" : mode.std.map { format($0, 3) }.joined(separator: ","),
                    first ? format(s.wasserstein, 4) + (s.wassersteinError > 0 ? " +-" + format(s.wassersteinError, 4) : "") : "",
                    first ? format(s.meanNegativeLogLikelihood, 4) : "",
                    first ? String(result.evaluations) : "",
                ])
            }
        }
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.indices.map { c in c < 2 ? cells[c].padding(toLength: widths[c], withPad: " ", startingAt: 0)
                : String(repeating: " ", count: widths[c] - cells[c].count) + cells[c] }
                .joined(separator: "  ")
        }
        lines.append(line(header))
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }

    /// Fixed-point formatting with `digits` decimals, never "-0.000".
    static func format(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        let text = String(format: "%.\(digits)f", value)
        return Double(text) == 0 ? String(format: "%.\(digits)f", 0.0) : text
    }
}
