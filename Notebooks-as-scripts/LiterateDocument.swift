import Experiments

/// The README.md of a notebook, written as a study: the question, the method, the tables and figures
/// of this run, and what they show. Tables come from `TextTable.markdown()`, numbers from
/// `NumberFormat` (through `Say`); this type only arranges Markdown blocks.
struct LiterateDocument {
    private var blocks: [String] = []

    /// Opens with the title, how to regenerate the page, and, for a quick run, a warning.
    init(title: String, notebook: String, settings: NotebookSettings) {
        blocks.append("# \(title)")
        blocks.append("""
            Notebook `\(notebook)` (`Notebooks-as-scripts/\(notebook).swift`); regenerate this folder with \
            `swift run -c release notebooks \(notebook)`. Every number on this page comes from that run (this one: \
            \(ToolVersion.description)), and every sentence that compares numbers is computed from them.
            """)
        if settings.quick {
            blocks.append("""
                **Quick run** (`--quick`): \(settings.samples(dimension: 1) ?? 0) particles in 1D and \
                \(settings.samples(dimension: 2) ?? 0) in 2D, T = \(settings.steps), coarse integration grids. These numbers \
                only show that the notebook runs; the study's numbers come from a full run.
                """)
        }
    }

    mutating func section(_ heading: String) { blocks.append("## \(heading)") }
    mutating func subsection(_ heading: String) { blocks.append("### \(heading)") }
    mutating func paragraph(_ text: String) { blocks.append(text) }

    mutating func bullets(_ items: [String]) {
        guard !items.isEmpty else { return }
        blocks.append(items.map { "- " + $0 }.joined(separator: "\n"))
    }

    /// A table with an optional caption line above it.
    mutating func table(_ table: TextTable, caption: String? = nil) {
        if let caption { blocks.append(caption) }
        blocks.append(table.markdown())
    }

    /// The figure shown inline, with a link to its SVG and a caption below.
    mutating func figure(_ files: FigureFiles, alt: String, caption: String) {
        blocks.append("![\(alt)](\(files.shown))")
        blocks.append("\(caption) (`\(files.svg)`\(files.png.map { ", preview `\($0)`" } ?? ""))")
    }

    mutating func code(_ text: String) { blocks.append("```\n\(text)\n```") }

    /// "What changed since the previous version": why this page's numbers differ from its previous run.
    mutating func changes(_ items: [String]) {
        guard !items.isEmpty else { return }
        section("What changed since version \(ChangeNotes.previousVersion)")
        bullets(items)
    }

    var markdown: String { blocks.joined(separator: "\n\n") + "\n" }
}
