import Experiments
import Foundation
import Plot

/// Runs one notebook and writes its folder: the body runs first with every file held in memory; only
/// when it has finished is `<out>/<name>/` created and each file written atomically (Plot's
/// `writeAtomically`; a name may hold a subfolder, `models/x.model`). Files left in the folder, or in a
/// subfolder this run wrote into, from an earlier run that this run did not produce are then removed, so
/// the folder holds exactly what the README describes.
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
            for file in context.files {
                let url = folder.appendingPathComponent(file.name)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try writeAtomically(file.bytes, to: url.path)
            }
            // Stale files: in the folder and in every subfolder this run wrote into (a subfolder it did not
            // write is left alone).
            let subfolders = Set(names.compactMap { name in name.contains("/") ? String(name[..<(name.lastIndex(of: "/") ?? name.endIndex)]) : nil })
            for directory in [""] + subfolders.sorted() {
                let path = directory.isEmpty ? folder.path : folder.appendingPathComponent(directory).path
                for entry in try FileManager.default.contentsOfDirectory(atPath: path) {
                    let name = directory.isEmpty ? entry : directory + "/" + entry
                    var isDirectory: ObjCBool = false
                    let entryPath = folder.appendingPathComponent(name).path
                    if !names.contains(name), FileManager.default.fileExists(atPath: entryPath, isDirectory: &isDirectory), !isDirectory.boolValue {
                        try FileManager.default.removeItem(atPath: entryPath)
                    }
                }
            }
        } catch {
            throw RunError(message: "writing \(folder.path): \(error)")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Finished(notebook: notebook, outcome: outcome, files: names, seconds: seconds)
    }
}
