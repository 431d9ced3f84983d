
/// Where typed check results (`ResultTable`, `Cell`, `CheckText` of the verify layer) become text, through the one
/// number formatter (`NumberFormat`) and the one table renderer (`TextTable`). An `undefined` cell is "-".
public enum ResultTableRendering {
    /// `value` in a column's `CellFormat`; a value that rounds to zero carries no sign.
    public static func format(_ value: Double, _ format: CellFormat) -> String {
        switch format {
        case let .fixed(decimals): return NumberFormat.fixed(value, clamp(decimals))
        case let .signedFixed(decimals):
            let text = NumberFormat.fixed(value, clamp(decimals))
            return value.isFinite && Double(text) != 0 && !text.hasPrefix("-") ? "+" + text : text
        case let .scientific(decimals): return NumberFormat.scientific(value, clamp(decimals))
        case let .significant(digits):
            let text = NumberFormat.significant(value, max(1, clamp(digits)))
            return Double(text) == 0 ? "0" : text
        }
    }

    private static func clamp(_ digits: Int) -> Int { max(0, min(digits, 17)) }

    /// One cell: numbers in the column's format, integers in full, text as it is, undefined as "-".
    public static func format(_ cell: Cell, _ format: CellFormat) -> String {
        switch cell {
        case let .number(value): return Self.format(value, format)
        case let .integer(value): return String(value)
        case let .text(value): return value
        case .undefined: return "-"
        }
    }

    /// The table as a `TextTable` of formatted cells.
    public static func textTable(_ table: ResultTable) -> TextTable {
        TextTable(headers: table.columns.map(\.name),
                  rows: (0..<table.rowCount).map { r in table.columns.map { format($0.values[r], $0.format) } })
    }

    /// Plain text: the title (if any) on its own line, then the fixed-width table.
    public static func text(_ table: ResultTable) -> String {
        ((table.title.isEmpty ? [] : [table.title]) + [textTable(table).text(trimmingTrailingSpace: true)]).joined(separator: "\n")
    }

    /// Markdown: the title (if any) as an italic line, then the table.
    public static func markdown(_ table: ResultTable) -> String {
        ((table.title.isEmpty ? [] : ["*\(table.title)*", ""]) + [textTable(table).markdown()]).joined(separator: "\n")
    }

    /// Prose with its numbers formatted.
    public static func text(_ prose: CheckText) -> String {
        prose.parts.map { part in
            switch part {
            case let .text(value): return value
            case let .number(value, cellFormat): return format(value, cellFormat)
            case let .integer(value): return String(value)
            }
        }.joined()
    }
}
