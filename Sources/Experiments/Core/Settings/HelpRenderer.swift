/// Help text, the Markdown option reference and the man page's option lists, generated from the option
/// declarations.
public enum HelpRenderer {
    /// "--steps T", "--timings".
    public static func usage(_ option: any CommandOption) -> String {
        "--\(option.name)" + (option.valueName.map { " \($0)" } ?? "")
    }

    /// The groups as plain text: one entry per option, its help sentence, what it accepts and its
    /// default, wrapped to `width` columns.
    public static func text(_ groups: [OptionGroup], width: Int = 100) -> String {
        let column = 26
        var lines: [String] = []
        for group in groups where !group.options.isEmpty {
            lines.append("\(group.title):")
            for option in group.options {
                var sentence = option.help
                if option.valueName != nil { sentence += "; accepted: \(option.accepted); default: \(option.defaultText)" }
                if !option.readers.helpText.isEmpty { sentence += "; read by: \(option.readers.helpText)" }
                let head = "  " + usage(option)
                let words = wrap(sentence, width: width - column)
                if head.count + 2 <= column {
                    lines.append(head.padding(toLength: column, withPad: " ", startingAt: 0) + (words.first ?? ""))
                } else {
                    lines.append(head)
                    lines.append(String(repeating: " ", count: column) + (words.first ?? ""))
                }
                lines += words.dropFirst().map { String(repeating: " ", count: column) + $0 }
            }
            lines.append("")
        }
        return lines.dropLast().joined(separator: "\n")
    }

    /// The groups as one Markdown table (option, accepted, default, who reads it, meaning), for the option
    /// reference (`Documentation/reference/options.md`).
    public static func markdown(_ groups: [OptionGroup]) -> String {
        var rows: [[String]] = []
        for group in groups {
            for option in group.options {
                rows.append([group.title, "`\(usage(option))`", option.valueName == nil ? "switch" : option.accepted,
                             option.defaultText, option.readers.helpText.isEmpty ? "the command" : option.readers.helpText, option.help])
            }
        }
        return TextTable(headers: ["group", "option", "accepted", "default", "read by", "meaning"], rows: rows).markdown()
    }

    /// The groups as roff for a man page: per group a bold title, per option a tagged paragraph (the
    /// usage in bold, its value in italics) with the help sentence, what it accepts, its default and who
    /// reads it, as the text help says them.
    public static func roff(_ groups: [OptionGroup]) -> String {
        var lines: [String] = []
        for group in groups where !group.options.isEmpty {
            lines += [".PP", ".B " + roffEscaped(group.title)]
            for option in group.options {
                let value = option.valueName.map { " \\fI" + roffEscaped($0) + "\\fR" } ?? ""
                lines += [".TP", "\\fB" + roffEscaped("--" + option.name) + "\\fR" + value]
                var sentence = option.help
                if option.valueName != nil { sentence += "; accepted: \(option.accepted); default: \(option.defaultText)" }
                if !option.readers.helpText.isEmpty { sentence += "; read by: \(option.readers.helpText)" }
                lines.append(roffText(sentence))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `text` made literal for roff: backslashes as `\e`, every hyphen as `\-` (an ASCII minus, so options
    /// and examples copy correctly).
    public static func roffEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
    }

    /// `roffEscaped(text)` as a text line: a line starting with "." or "'" (which roff reads as a request)
    /// is guarded by the zero-width `\&`; an empty line becomes `.sp` (roff reads a blank line as one).
    public static func roffText(_ text: String) -> String {
        let escaped = roffEscaped(text)
        if escaped.isEmpty { return ".sp" }
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }

    /// Greedy word wrap.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = String(word)
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
