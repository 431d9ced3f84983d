/// Builds an HTML document that is also well-formed XML (every element closed, attributes quoted, only
/// the five XML entities), so a report can be checked with an XML parser. Every text and attribute
/// value goes through `escaped`; only `trusted` inserts markup unchanged, for markup this program made
/// itself (the SVG of `Plot`, the style sheet, the script).
struct HTMLWriter {
    private(set) var html = ""

    /// `text` with `&`, `<`, `>`, `"` and `'` as entities, and the characters XML 1.0 forbids (control
    /// characters other than tab, line feed and carriage return) removed.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

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
