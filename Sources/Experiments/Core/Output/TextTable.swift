/// The one table renderer of every report: a fixed-width plain-text table (columns padded to their
/// widest cell, left- or right-aligned, optionally a dashed rule under the header) and the same table
/// as Markdown. Cells are formatted before they get here (`NumberFormat`).
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public var headers: [String]
    public var rows: [[String]]
    /// Per column; missing entries are left-aligned.
    public var alignments: [Alignment]
    /// A line of dashes under the header.
    public var rule: Bool

    public init(headers: [String], rows: [[String]], alignments: [Alignment] = [], rule: Bool = false) {
        self.headers = headers
        self.rows = rows
        self.alignments = alignments
        self.rule = rule
    }

    /// Columns separated by two spaces. With `trimmingTrailingSpace`, each line loses its trailing blanks.
    public func text(trimmingTrailingSpace: Bool = false) -> String {
        let columns = ([headers] + rows).map(\.count).max() ?? 0
        let padded = ([headers] + rows).map { $0 + [String](repeating: "", count: columns - $0.count) }
        let widths = (0..<columns).map { c in padded.map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            let text = cells.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return (c < alignments.count && alignments[c] == .right) ? pad + cell : cell + pad
            }.joined(separator: "  ")
            return trimmingTrailingSpace ? String(text.reversed().drop(while: { $0 == " " }).reversed()) : text
        }
        var lines = [line(padded[0])]
        if rule { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        lines += padded.dropFirst().map(line)
        return lines.joined(separator: "\n")
    }

    /// A Markdown table; a `|` inside a cell (as in |Delta1|) is escaped so it does not split the cell.
    public func markdown() -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let padded = rows.map { $0 + [String](repeating: "", count: max(0, headers.count - $0.count)) }
        let separator = "|" + headers.indices.map { c in c < alignments.count && alignments[c] == .right ? "---:|" : "---|" }.joined()
        return ([line(headers), separator] + padded.map(line)).joined(separator: "\n")
    }
}
