import Foundation
import Toy

/// The one place where typed results become text: a number formatter that applies a column's
/// `NumberFormat`, and renderers of `ResultTable` (fixed-width plain text, Markdown) and `CheckText`.
///
/// Numbers: locale-independent; a value that rounds to zero is written without a sign ("0.000", never
/// "-0.000"); non-finite values are written explicitly as "nan", "inf" or "-inf". An `undefined` cell is "-".
enum TableRenderer {
    /// `value` in `format`.
    static func format(_ value: Double, _ format: NumberFormat) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        switch format {
        case let .fixed(decimals):
            let places = clamp(decimals)
            let text = String(format: "%.\(places)f", value)
            return Double(text) == 0 ? String(format: "%.\(places)f", 0.0) : text
        case let .signedFixed(decimals):
            let places = clamp(decimals)
            let text = String(format: "%+.\(places)f", value)
            return Double(text) == 0 ? String(format: "%.\(places)f", 0.0) : text
        case let .scientific(decimals):
            let places = clamp(decimals)
            let text = String(format: "%.\(places)e", value)
            return Double(text) == 0 ? String(format: "%.\(places)e", 0.0) : text
        case let .significant(digits):
            let text = String(format: "%.\(max(1, clamp(digits)))g", value)
            return Double(text) == 0 ? "0" : text
        }
    }

    private static func clamp(_ digits: Int) -> Int { max(0, min(digits, 17)) }

    /// One cell: numbers in the column's format, integers in full, text as it is, undefined as "-".
    static func format(_ cell: Cell, _ format: NumberFormat) -> String {
        switch cell {
        case let .number(value): return Self.format(value, format)
        case let .integer(value): return String(value)
        case let .text(value): return value
        case .undefined: return "-"
        }
    }

    /// Every row of `table` as formatted cells, headers excluded.
    static func cells(_ table: ResultTable) -> [[String]] {
        (0..<table.rowCount).map { r in table.columns.map { format($0.values[r], $0.format) } }
    }

    /// A fixed-width table: the title (if any) on its own line, then the headers and one line per row,
    /// columns left-aligned and padded to their widest cell, separated by two spaces.
    static func text(_ table: ResultTable) -> String {
        ((table.title.isEmpty ? [] : [table.title]) + [fixedWidth([table.columns.map(\.name)] + cells(table))])
            .joined(separator: "\n")
    }

    /// Lines of cells, columns left-aligned and padded to their widest cell, separated by two spaces,
    /// trailing blanks trimmed; a short line is padded with empty cells.
    static func fixedWidth(_ lines: [[String]]) -> String {
        let columns = lines.map(\.count).max() ?? 0
        let padded = lines.map { $0 + [String](repeating: "", count: columns - $0.count) }
        let widths = (0..<columns).map { c in padded.map { $0[c].count }.max() ?? 0 }
        return padded.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    /// A Markdown table (title, if any, as an italic line above it). A `|` inside a cell (as in |Delta1|)
    /// is escaped so it does not split the cell.
    static func markdown(_ table: ResultTable) -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rows = [line(table.columns.map(\.name)), "|" + String(repeating: "---|", count: table.columns.count)]
            + cells(table).map(line)
        return ((table.title.isEmpty ? [] : ["*\(table.title)*", ""]) + rows).joined(separator: "\n")
    }

    /// Prose with its numbers formatted.
    static func text(_ prose: CheckText) -> String {
        prose.parts.map { part in
            switch part {
            case let .text(value): return value
            case let .number(value, numberFormat): return format(value, numberFormat)
            case let .integer(value): return String(value)
            }
        }.joined()
    }
}
