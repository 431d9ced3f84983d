import Experiments
import Foundation
import Plot

/// Runs one notebook and writes its folder: the body runs first with every file held in memory; only
/// when it has finished is `<out>/<name>/` created and each file written atomically (Plot's
/// `writeAtomically`). Files left in the folder from an earlier run that this run did not produce are
/// then removed, so the folder holds exactly what the README describes.
enum NotebookRunner {
    struct Finished {
        var notebook: Notebook
        var outcome: NotebookOutcome
        var files: [String]
        var seconds: Double
    }

    static func run(_ notebook: Notebook, settings: NotebookSettings, out: URL) throws -> Finished {
        let start = DispatchTime.now().uptimeNanoseconds
        var context = NotebookContext(notebook: notebook.name, settings: settings)
        defer { context.progress.finish() }
        let outcome = try notebook.body(&context)
        let names = context.files.map(\.name)
        guard names.contains("README.md"), names.contains(outcome.preview) else {
            throw RunError(message: "notebook \(notebook.name) must write README.md and its preview \(outcome.preview)")
        }
        let folder = out.appendingPathComponent(notebook.name)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in context.files { try writeAtomically(file.bytes, to: folder.appendingPathComponent(file.name).path) }
            for stale in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !names.contains(stale) {
                var isDirectory: ObjCBool = false
                let path = folder.appendingPathComponent(stale).path
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    try FileManager.default.removeItem(atPath: path)
                }
            }
        } catch {
            throw RunError(message: "writing \(folder.path): \(error)")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Finished(notebook: notebook, outcome: outcome, files: names, seconds: seconds)
    }
}
