import Foundation

/// `<out>/README.md`, written by `notebooks all`: one entry per notebook (title, what it shows, its
/// preview image, one finding of this run), then the folders other tools write (listed only when present).
enum NotebookIndex {
    /// Folders of `Output/` written by other tools, with how they are made and what they hold.
    static let otherFolders: [(folder: String, title: String, text: String, image: String)] = [
        ("verify", "The five numerical checks of the claim (`verify/`)",
         "Written by `swift run -c release toy-w2sd verify --report Output/verify --json Output/verify/verify.json` "
            + "(not a notebook yet): `report.md` with each check's table and PASS/FAIL, `verify.json`, `summary.txt`, "
            + "and the convergence figure (`convergence.svg` and its `convergence.png`, both written by verify).",
         "verify/convergence.png"),
        ("gallery", "The Plot library's gallery (`gallery/`)",
         "Written by `PLOT_GALLERY_DIR=Output/gallery swift test --filter Gallery`: every mark type of the Plot library as SVG and raster.",
         "gallery/gallery.png"),
    ]

    static func markdown(_ finished: [NotebookRunner.Finished], settings: NotebookSettings, out: URL) -> String {
        var blocks = ["# Output: the notebooks' studies, figures and data"]
        blocks.append("""
            Each folder below is written by one notebook, a Swift file in `Notebooks-as-scripts/` that runs a study \
            of the paper through the `Experiments` library and writes its `README.md` (the question, the method, the \
            tables and figures of the run and what they show), its figures (SVG, with a PNG preview rendered by \
            Plot's own rasteriser, so text in the previews is bitmap text) and its data (JSON). Regenerate every \
            folder and this index with `swift run -c release notebooks all`; one notebook with \
            `swift run -c release notebooks NAME`; `notebooks list` lists them.
            """)
        if settings.quick {
            blocks.append("**Quick run** (`--quick`): reduced sizes; the numbers only show that the notebooks run.")
        }
        for f in finished {
            blocks.append("## [\(f.notebook.title)](\(f.notebook.name)/README.md)")
            blocks.append("`\(f.notebook.name)/`: \(f.notebook.summary)")
            blocks.append("![\(f.notebook.title)](\(f.notebook.name)/\(f.outcome.preview))")
            blocks.append("This run: \(f.outcome.headline)")
        }
        for other in otherFolders where FileManager.default.fileExists(atPath: out.appendingPathComponent(other.folder).path) {
            blocks.append("## \(other.title)")
            blocks.append(other.text)
            if FileManager.default.fileExists(atPath: out.appendingPathComponent(other.image).path) {
                blocks.append("![\(other.folder)](\(other.image))")
            }
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }
}
