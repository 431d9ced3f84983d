/// Text for XML (and for HTML written as well-formed XML): the five special characters as entities
/// (`&amp; &lt; &gt; &quot; &apos;`) and the characters XML 1.0 forbids removed (controls other than
/// tab, line feed and carriage return; U+FFFE, U+FFFF; lone surrogates cannot occur in a `String`).
public enum XMLText {
    /// `text` escaped; tab, line feed and carriage return are kept when `keepingLineBreaks`, else
    /// written as spaces (an SVG text line).
    public static func escaped(_ text: String, keepingLineBreaks: Bool) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": if keepingLineBreaks { result.unicodeScalars.append(scalar) } else { result += " " }
            default:
                let value = scalar.value
                let allowed = (0x20...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value) || value >= 0x10000
                if allowed { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }
}
