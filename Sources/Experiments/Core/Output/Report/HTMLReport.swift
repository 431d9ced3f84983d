import Foundation

/// The one self-contained HTML file of `--report PATH.html` (run, sweep, frontier, delta): the command
/// line, toolkit version, seeds and timing, the printed tables with their notes (the same `ReportBlock`s
/// as the terminal text), the figure as inline SVG, and the full configuration as the JSON report has
/// it. A study report adds the cell explorer (`StudySelection`): the element `id="selected"` shows the
/// cell named by the URL fragment or clicked in the figure. No external resource: the style sheet, the
/// script, the data and the figures are all inside the file, and nothing is loaded from a URL.
///
/// The document is also well-formed XML (see `HTMLWriter`), so it can be checked by an XML parser.
public struct HTMLReport: Sendable {
    /// What the run was: its command line and timing, and notes the terminal printed beside the table.
    public struct Context: Sendable {
        /// The program's arguments as it received them (argv[0] first).
        public var commandLine: [String]
        /// The wall-clock seconds of the work (parsing to rendering).
        public var seconds: Double
        public var threads: Int
        /// Lines the command printed on stderr about the results (e.g. settings not read).
        public var notes: [String]

        public init(commandLine: [String], seconds: Double, threads: Int, notes: [String] = []) {
            (self.commandLine, self.seconds, self.threads, self.notes) = (commandLine, seconds, threads, notes)
        }
    }

    public var title: String
    public var context: Context
    /// "0 ... 2 (3 repeats)": the seeds as the kind of report states them.
    public var seeds: String
    /// Further timing detail (per-method seconds of a run).
    public var timingDetail: String?
    public var blocks: [ReportBlock]
    public var figure: ReportFigure?
    /// The configuration, as the JSON report writes it (pretty-printed JSON).
    public var configuration: String
    public var selection: StudySelection?

    /// The command line as a shell would take it back: arguments with characters a shell reads
    /// specially are single-quoted (a quote inside as '\'').
    static func shellLine(_ arguments: [String]) -> String {
        arguments.map { argument in
            let plain = !argument.isEmpty && argument.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || "-_./=:,+@%".unicodeScalars.contains($0)
            }
            return plain ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    /// The document, UTF-8.
    public func bytes() throws -> [UInt8] { Array(try html().utf8) }

    /// The document. Throws `PlotError` when the figure cannot be rendered.
    public func html() throws -> String {
        let svg = try figure?.svg()
        var w = HTMLWriter()
        w.trusted("<!DOCTYPE html>\n")
        w.element("html", [("lang", "en")]) { w in
            w.newline()
            w.element("head") { w in
                w.empty("meta", [("charset", "utf-8")])
                w.empty("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")])
                w.element("title", text: title)
                w.element("style") { $0.trusted(Self.styleSheet) }
            }
            w.newline()
            body(svg: svg, &w)
        }
        w.newline()
        return w.html
    }

    private func body(svg: String?, _ w: inout HTMLWriter) {
        w.element("body") { w in
            w.newline()
            w.element("h1", text: title)
            w.newline()
            facts(&w)
            if let selection { explorer(selection, &w) }
            w.element("section", [("id", "results")]) { w in
                w.element("h2", text: "Results")
                w.newline()
                for block in blocks { Self.write(block, &w) }
            }
            w.newline()
            if let svg {
                w.element("section", [("id", "figure")]) { w in
                    w.element("h2", text: "Figure")
                    w.element("figure") { $0.trusted(svg) }
                }
                w.newline()
            }
            w.element("section", [("id", "configuration")]) { w in
                w.element("h2", text: "Configuration")
                w.element("p", text: "The experiment as the JSON report writes it (--config of a file holding it reruns it):")
                w.element("pre", text: configuration)
            }
            w.newline()
            if let selection {
                w.element("script", [("type", "application/json"), ("id", "cell-data")]) { $0.trusted(selection.scriptJSON()) }
                w.newline()
                w.element("script") { $0.trusted("//<![CDATA[\n" + Self.script + "\n//]]>") }
                w.newline()
            }
        }
    }

    /// Command line, version, seeds, timing and the notes, as a definition list.
    private func facts(_ w: inout HTMLWriter) {
        w.element("section", [("id", "run")]) { w in
            w.element("h2", text: "Run")
            w.element("dl") { w in
                let timing = NumberFormat.fixed(context.seconds, 2) + " s wall clock (\(context.threads) \(context.threads == 1 ? "thread" : "threads"))"
                    + (timingDetail.map { "; " + $0 } ?? "")
                let rows: [(String, String)] = [("Command line", Self.shellLine(context.commandLine)), ("Toolkit", "toy-w2sd " + ToolVersion.current),
                                                ("Seeds", seeds), ("Timing", timing)]
                for (term, value) in rows {
                    w.element("dt", text: term)
                    w.element("dd") { $0.element("code", text: value) }
                }
                if !context.notes.isEmpty {
                    w.element("dt", text: "Notes")
                    for note in context.notes { w.element("dd", [("class", "note")], text: note) }
                }
            }
        }
        w.newline()
    }

    /// The `selected` element, its hint, and a link per cell.
    private func explorer(_ selection: StudySelection, _ w: inout HTMLWriter) {
        w.element("section", [("id", "explore")]) { w in
            w.element("h2", text: "Explore a cell")
            w.element("div", [("id", "selected"), ("aria-live", "polite")]) { $0.element("p", text: selection.hint) }
            w.element("nav", [("id", "cells")]) { w in
                w.element("span", text: "Cells: ")
                for cell in selection.cells {
                    w.element("a", [("href", "#" + cell.fragment), ("data-cell", String(cell.index)), ("class", "cell-link")], text: cell.label)
                    w.text(" ")
                }
            }
        }
        w.newline()
    }

    /// A line as a paragraph (a blank line as nothing: the paragraphs are spaced already), a table as
    /// an HTML table with the numbers right-aligned as in the text.
    static func write(_ block: ReportBlock, _ w: inout HTMLWriter) {
        switch block {
        case let .line(text):
            if !text.trimmingCharacters(in: .whitespaces).isEmpty { w.element("p", text: text) }
        case let .table(table, _):
            w.element("div", [("class", "table")]) { w in
                w.element("table") { w in
                    let right = { (c: Int) in c < table.alignments.count && table.alignments[c] == .right }
                    w.element("thead") { w in
                        w.element("tr") { w in
                            for (c, header) in table.headers.enumerated() { w.element("th", right(c) ? [("class", "num")] : [], text: header) }
                        }
                    }
                    w.element("tbody") { w in
                        for row in table.rows {
                            w.element("tr") { w in
                                for (c, cell) in row.enumerated() { w.element("td", right(c) ? [("class", "num")] : [], text: cell) }
                            }
                            w.newline()
                        }
                    }
                }
            }
        }
        w.newline()
    }
}
