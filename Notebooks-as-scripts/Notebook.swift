import Experiments
import Foundation

/// A literate notebook: one figure, table or study of the paper reproduced on the toy. Its `body` runs
/// the study through the Experiments library and hands every file (README.md, SVG figures, PNG
/// previews, data) to the context; nothing touches the disk until the body has finished, so a notebook
/// that fails writes nothing (see `NotebookRunner`).
struct Notebook: Sendable {
    /// The command-line name, the output folder's name and the source file's name.
    let name: String
    /// The heading of its README.md and of its entry in the index.
    let title: String
    /// One sentence for the index: what the notebook shows.
    let summary: String
    let body: @Sendable (inout NotebookContext) throws -> NotebookOutcome

    /// Every notebook, in the order of `notebooks all` and of the index.
    static let all: [Notebook] = [.oneDimensional, .twoDimensional, .differenceSweep, .cosine, .inversionError, .differenceZoo,
                                   .studyReflectionWindow, .studyEqualBudget, .studyConvergenceInT, .learnedModels]

    /// The notebook called `name`; the error names the accepted ones.
    static func named(_ name: String) throws -> Notebook {
        guard let notebook = all.first(where: { $0.name == name }) else {
            let accepted = all.map(\.name) + ["all", "list"]
            throw UsageError(message: "unknown notebook '\(name)' (did you mean \(nearestName(to: name, among: accepted) ?? "list")?); accepted: \(accepted.joined(separator: ", "))",
                             hint: NotebookCommand.hint)
        }
        return notebook
    }
}

/// What a finished notebook tells the index: its preview image and one sentence of its findings.
struct NotebookOutcome: Sendable {
    /// A file of the notebook's folder shown in the index (a PNG preview, or an SVG when no previews are written).
    var preview: String
    /// A finding computed from the run, for the index.
    var headline: String
}
