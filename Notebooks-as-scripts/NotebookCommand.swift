import Experiments
import Foundation
import Plot

/// `notebooks NAME | all | list [--out DIR] [--quick] [--threads N]`: parse (bad input is a
/// `UsageError`, status 2, nothing written), run the chosen notebooks, report each on stderr, and fail
/// (status 1) naming every notebook that failed. `all` also writes the index `<out>/README.md`, but
/// only when every notebook succeeded.
enum NotebookCommand {
    static let hint = "Run 'notebooks --help' for usage."

    static let out = ValueOption("out", readers: .noResult, value: "DIR", help: "the output folder; each notebook writes DIR/NAME/",
                                 default: "the package's Output/ (or ./Output when the package is not found)",
                                 accepted: "a writable folder, or a new one in a writable folder", parse: Parse.text)
    static let quick = SwitchOption("quick", readers: .command, help: "small particle counts, T = 10, coarse grids, no PNG previews: checks that every notebook runs, in seconds")
    static let help = SwitchOption("help", readers: .noResult, help: "this help")
    static var options: [any CommandOption] { [out, quick, RunOptions.threads, help] }

    static var helpText: String {
        let names = Notebook.all.map { "  \($0.name.padding(toLength: 32, withPad: " ", startingAt: 0))\($0.title)" }
        return """
            notebooks: the paper's figures and tables on the toy, as literate studies. Each notebook runs its study
            through the Experiments library and writes OUT/NAME/README.md (question, method, tables, figures,
            findings; every number from the run), its SVG figures (with PNG previews) and its data (JSON).

            Usage: notebooks NAME | all | list [options]

            Examples:
              swift run -c release notebooks all                       every notebook, and the index Output/README.md
              swift run -c release notebooks figure-11-difference-sweep
              swift run notebooks all --quick --out /tmp/nb            a quick check that every notebook runs

            Notebooks:
            \(names.joined(separator: "\n"))

            \(HelpRenderer.text([OptionGroup("Options", options)]))

            Exit status: 0 success, 1 a notebook failed (each failure is named on stderr), 2 bad input.
            """
    }

    /// The package's Output/ folder (found from this source file), else ./Output.
    static var defaultOut: URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            return root.appendingPathComponent("Output")
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Output")
    }

    static func run(_ arguments: [String]) throws {
        if arguments.isEmpty || arguments.contains("-h") || arguments.first == "help" {
            print(helpText)
            return
        }
        let args: ParsedArguments
        do { args = try ParsedArguments(arguments, options: options, allowPositionals: 1) } catch var error as UsageError {
            error.hint = hint
            throw error
        }
        if args.has(help) {
            print(helpText)
            return
        }
        guard let name = args.positionals.first else {
            throw UsageError(message: "which notebook? accepted: a notebook name, all or list", hint: hint)
        }
        if name == "list" {
            for notebook in Notebook.all { print("\(notebook.name)\t\(notebook.title)") }
            return
        }
        let notebooks = name == "all" ? Notebook.all : [try Notebook.named(name)]
        let threads: Int
        do { threads = try RunOptions.threads(args) } catch var error as UsageError {
            error.hint = hint
            throw error
        }
        let settings = NotebookSettings(quick: args.has(quick), threads: threads)
        let folder = try outputFolder(args)

        var finished: [NotebookRunner.Finished] = [], failed: [String] = []
        for notebook in notebooks {
            FileHandle.standardError.write(Data("\(notebook.name): running\(settings.quick ? " (quick)" : "")...\n".utf8))
            do {
                let done = try NotebookRunner.run(notebook, settings: settings, out: folder)
                finished.append(done)
                FileHandle.standardError.write(Data("\(notebook.name): \(NumberFormat.fixed(done.seconds, 1)) s\n".utf8))
                print("\(folder.appendingPathComponent(notebook.name).path)/: \(done.files.joined(separator: ", "))")
            } catch {
                failed.append(notebook.name)
                FileHandle.standardError.write(Data("Error: notebook \(notebook.name) failed: \(error)\n".utf8))
            }
        }
        guard failed.isEmpty else {
            throw RunError(message: "\(failed.count) of \(notebooks.count) notebooks failed: \(failed.joined(separator: ", "))"
                + (name == "all" ? "; the index \(folder.appendingPathComponent("README.md").path) was not rewritten" : ""))
        }
        if name == "all" {
            let index = folder.appendingPathComponent("README.md")
            do {
                try writeAtomically(Array(NotebookIndex.markdown(finished, settings: settings, out: folder).utf8), to: index.path)
            } catch {
                throw RunError(message: "writing the index \(index.path): \(error)")
            }
            print(index.path)
        }
    }

    /// `--out`, or the default, checked (an existing writable folder, or one that can be created) and created.
    static func outputFolder(_ args: ParsedArguments) throws -> URL {
        let folder = try args.value(out).map { URL(fileURLWithPath: $0) } ?? defaultOut
        do { try OutputPaths.checkFolder(folder.path, option: "out") } catch var error as UsageError {
            error.hint = hint
            throw error
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw UsageError(message: "--out '\(folder.path)' cannot be created (\(error.localizedDescription)); accepted: a writable folder", hint: hint)
        }
        return folder
    }
}
