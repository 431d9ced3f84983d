import Plot

/// Builds an HTML document that is also well-formed XML (every element closed, attributes quoted, only
/// the five XML entities), so a report can be checked with an XML parser. Every text and attribute
/// value goes through `escaped`; only `trusted` inserts markup unchanged, for markup this program made
/// itself (the SVG of `Plot`, the style sheet, the script).
struct HTMLWriter {
    private(set) var html = ""

    /// `text` with `&`, `<`, `>`, `"` and `'` as entities and the characters XML 1.0 forbids removed
    /// (`XMLText`), line breaks kept.
    static func escaped(_ text: String) -> String { XMLText.escaped(text, keepingLineBreaks: true) }

    private static func attributeText(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(escaped($0.1))\"" }.joined()
    }

    /// An element with children written by `body`.
    mutating func element(_ tag: String, _ attributes: [(String, String)] = [], _ body: (inout HTMLWriter) -> Void) {
        html += "<\(tag)\(Self.attributeText(attributes))>"
        body(&self)
        html += "</\(tag)>"
    }

    /// An element holding only `text` (escaped).
    mutating func element(_ tag: String, _ attributes: [(String, String)] = [], text: String) {
        html += "<\(tag)\(Self.attributeText(attributes))>\(Self.escaped(text))</\(tag)>"
    }

    /// An element without content (`<meta .../>`).
    mutating func empty(_ tag: String, _ attributes: [(String, String)]) {
        html += "<\(tag)\(Self.attributeText(attributes))/>"
    }

    /// Text, escaped.
    mutating func text(_ text: String) { html += Self.escaped(text) }

    /// A line break in the source (for a readable file).
    mutating func newline() { html += "\n" }

    /// Markup inserted unchanged: only for markup this program generated and knows to be well-formed.
    mutating func trusted(_ markup: String) { html += markup }
}
