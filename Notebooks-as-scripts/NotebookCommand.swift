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
                                 default: "a full run: the Output/ of the toy-w2sd package containing the current directory (refused outside one); --quick: a fresh scratch folder in the temporary directory",
                                 accepted: "a writable folder, or a new one in a writable folder; with --quick not the package's Output/", parse: Parse.text)
    static let quick = SwitchOption("quick", readers: .command, help: "small particle counts, T = 10, coarse grids, no PNG previews: checks that every notebook runs, in seconds")
    static let retrain = SwitchOption("retrain", readers: .command,
                                      help: "learned-models: train every model again, even where OUT/learned-models/models/ holds one of the same recipe (without it, only models whose recipe changed are trained)")
    static let help = SwitchOption("help", readers: .noResult, help: "this help")
    static var options: [any CommandOption] { [out, quick, retrain, RunOptions.threads, RunOptions.progress, help] }

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
              swift run notebooks all --quick                          a quick check that every notebook runs (into a fresh scratch folder)

            Notebooks:
            \(names.joined(separator: "\n"))

            \(HelpRenderer.text([OptionGroup("Options", options)]))

            Output folder: a full run without --out writes the Output/ of the toy-w2sd package that contains the current
            directory (found upwards from it; outside a package the run is refused and asks for --out). A --quick run
            without --out writes a fresh scratch folder in the temporary directory (its path is printed first), and
            never the package's Output/.

            Trained models: learned-models keeps its trained networks, with their recipes, in OUT/learned-models/models/
            (committed in Output/). It reads a model from there when the file's stored recipe, seed and data match the
            recipe asked for, and trains it (and writes the file) otherwise, so only a changed recipe costs training;
            --retrain trains them all again.

            Progress: on a terminal (or with --progress) each notebook shows step n of m and the time left; each
            notebook's time is printed when it ends, and `all` ends with a table of them.

            Exit status: 0 success, 1 a notebook failed (each failure is named on stderr), 2 bad input.
            """
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
        if args.has(retrain) {
            guard notebooks.contains(where: { $0.name == Notebook.learnedModels.name }) else {
                throw UsageError(message: "--retrain is read by the notebook \(Notebook.learnedModels.name) only, which this request does not run; accepted: --retrain with \(Notebook.learnedModels.name) or all", hint: hint)
            }
            guard !args.has(quick) else {
                throw UsageError(message: "--retrain with --quick: a quick run always trains its small recipes (into a fresh folder); accepted: one of them", hint: hint)
            }
        }
        var settings = NotebookSettings(quick: args.has(quick), threads: threads, showsProgress: args.has(RunOptions.progress) || isatty(2) == 1)
        let folder = try outputFolder(args, quick: settings.quick)
        settings.modelFolder = folder.appendingPathComponent(Notebook.learnedModels.name).appendingPathComponent(LearnedModelsNotebook.modelFolder)
        settings.retrain = args.has(retrain)

        var finished: [NotebookRunner.Finished] = [], failed: [String] = []
        var timings: [(name: String, seconds: Double, succeeded: Bool)] = []
        for notebook in notebooks {
            FileHandle.standardError.write(Data("\(notebook.name): running\(settings.quick ? " (quick)" : "")...\n".utf8))
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                let done = try NotebookRunner.run(notebook, settings: settings, out: folder)
                finished.append(done)
                timings.append((notebook.name, done.seconds, true))
                FileHandle.standardError.write(Data("\(notebook.name): \(NumberFormat.fixed(done.seconds, 1)) s\n".utf8))
                print("\(folder.appendingPathComponent(notebook.name).path)/: \(done.files.joined(separator: ", "))")
            } catch {
                failed.append(notebook.name)
                timings.append((notebook.name, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, false))
                FileHandle.standardError.write(Data("Error: notebook \(notebook.name) failed: \(error)\n".utf8))
            }
        }
        if notebooks.count > 1 {
            FileHandle.standardError.write(Data(timingTable(timings).utf8))
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

    /// The time of each notebook and their total, as a text table for stderr.
    static func timingTable(_ timings: [(name: String, seconds: Double, succeeded: Bool)]) -> String {
        let rows = timings.map { [$0.name, NumberFormat.fixed($0.seconds, 1), $0.succeeded ? "" : "failed"] }
            + [["total", NumberFormat.fixed(timings.reduce(0) { $0 + $1.seconds }, 1), ""]]
        return TextTable(headers: ["notebook", "seconds", ""], rows: rows, alignments: [.left, .right, .left], rule: true)
            .text(trimmingTrailingSpace: true) + "\n"
    }

    /// The folder `NotebookOutputFolder` chooses: `--out` or the package's `Output/` checked (an existing
    /// writable folder, or one that can be created) and created; for a quick run without `--out` a fresh
    /// scratch folder, whose path is printed on stderr before any work.
    static func outputFolder(_ args: ParsedArguments, quick: Bool) throws -> URL {
        let choice: NotebookOutputFolder.Choice
        do {
            choice = try NotebookOutputFolder.choose(out: try args.value(out), quick: quick,
                                                     currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        } catch var error as UsageError {
            error.hint = hint
            throw error
        }
        let folder: URL
        switch choice {
        case .scratch:
            let scratch = try NotebookOutputFolder.makeScratchFolder()
            FileHandle.standardError.write(Data("notebooks: a quick run writes into the scratch folder \(scratch.path)\n".utf8))
            return scratch
        case .given(let given): folder = given
        case .packageOutput(let output): folder = output
        }
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
