/// A report's printed text as a list of blocks: the terminal text and the HTML report (`--report`) are
/// both made from the same blocks, so they show the same numbers with the same notes and caveats.
public enum ReportBlock: Sendable {
    /// One line of prose (a heading line, a caveat, a best cell, a sentence); "" is a blank line.
    case line(String)
    /// A table; with `trimmed` its text lines lose their trailing blanks.
    case table(TextTable, trimmed: Bool)

    /// The block as terminal text (a table on several lines).
    public var text: String {
        switch self {
        case let .line(text): return text
        case let .table(table, trimmed): return table.text(trimmingTrailingSpace: trimmed)
        }
    }
}

extension [ReportBlock] {
    /// The blocks as terminal text, one block after the other on its own lines.
    public var text: String { map(\.text).joined(separator: "\n") }
}
