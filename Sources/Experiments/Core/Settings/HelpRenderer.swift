/// Help text and the README's option tables, generated from the option declarations.
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

    /// The groups as one Markdown table (option, accepted, default, who reads it, meaning), for the README.
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
