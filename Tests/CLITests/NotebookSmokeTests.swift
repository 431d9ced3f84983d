import Foundation
import Testing

/// Runs the built `notebooks` executable (beside `toy-w2sd` in the build folder) through `CLI.run`:
/// every notebook in `--quick` mode writes its folder (a README.md with a table and an image,
/// well-formed SVG figures, valid JSON, every linked file present) and the index; bad input exits with
/// status 2 and writes nothing.
@Suite struct NotebookSmokeTests {
    /// The notebooks the issue asks for (verify-report stays with `toy-w2sd verify`).
    static let expected = ["figure-01-04-one-dimensional", "figure-05-20-two-dimensional", "figure-11-difference-sweep",
                           "figure-19-cosine", "table-13-inversion-error", "difference-zoo",
                           "study-reflection-window", "study-equal-budget", "study-convergence-in-t", "learned-models"]

    /// The targets of Markdown links and images, `[text](target)`, that are local files.
    static func linkedFiles(_ markdown: String) -> [String] {
        var targets: [String] = []
        var rest = Substring(markdown)
        while let open = rest.range(of: "](") {
            rest = rest[open.upperBound...]
            guard let close = rest.firstIndex(of: ")") else { break }
            let target = String(rest[..<close])
            if !target.contains("://") { targets.append(target) }
            rest = rest[close...]
        }
        return targets
    }

    @Test func listNamesEveryNotebook() throws {
        let outcome = try CLI.run(["list"], program: .notebooks)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let names = outcome.stdoutText.split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) }
        #expect(names == Self.expected)
    }

    @Test func everyNotebookRunsQuickAndWritesItsStudy() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Every notebook in one process: allow it more than the default time limit on a busy machine.
        let outcome = try CLI.run(["all", "--quick", "--out", directory.path], program: .notebooks, timeout: 900)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let table = outcome.stderr.split(separator: "\n").drop { !$0.hasPrefix("notebook") }
        #expect(Self.expected.allSatisfy { name in table.contains { $0.hasPrefix(name + " ") } } && table.contains { $0.hasPrefix("total ") },
                "the timing table names every notebook and the total: \(outcome.stderr)")
        let fm = FileManager.default
        for name in Self.expected {
            let folder = directory.appendingPathComponent(name)
            let readme = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
            let lines = readme.split(separator: "\n")
            #expect(lines.first?.hasPrefix("# ") == true, "\(name): a title")
            #expect(lines.contains { $0.hasPrefix("|---") || $0.hasPrefix("| ---") }, "\(name): at least one Markdown table")
            #expect(readme.contains("![") && readme.contains("## Question") && readme.contains("## Method"), "\(name): question, method, a figure")
            #expect(readme.contains("Quick run"), "\(name): says it is a quick run")
            for target in Self.linkedFiles(readme) {
                #expect(fm.fileExists(atPath: folder.appendingPathComponent(target).path), "\(name): README links \(target), which exists")
            }
            let files = try fm.contentsOfDirectory(atPath: folder.path)
            let svgs = files.filter { $0.hasSuffix(".svg") }
            #expect(!svgs.isEmpty, "\(name): at least one SVG figure")
            for svg in svgs {
                let text = try String(contentsOf: folder.appendingPathComponent(svg), encoding: .utf8)
                #expect(CLI.isWellFormedXML(text) && text.contains("<svg"), "\(name)/\(svg) is well-formed SVG")
            }
            let jsons = files.filter { $0.hasSuffix(".json") }
            #expect(!jsons.isEmpty, "\(name): its data")
            for json in jsons {
                let data = try Data(contentsOf: folder.appendingPathComponent(json))
                #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "\(name)/\(json) is valid JSON")
            }
            #expect(!files.contains { $0.hasPrefix(".") }, "\(name): no temporary files left")
        }
        // The learned models are kept with their recipes; a second run into the same folder reads every one
        // of them instead of training, and writes the same files.
        let models = directory.appendingPathComponent("learned-models/models")
        let modelFiles = try fm.contentsOfDirectory(atPath: models.path).sorted()
        #expect(modelFiles.contains("strong-1d.seed-0.model") && modelFiles.contains("weak-1d-biased.seed-1.model") && modelFiles.count == 12,
                "2 seeds x (strong + 5 weak recipes): \(modelFiles)")
        let before = try modelFiles.map { try Data(contentsOf: models.appendingPathComponent($0)) }
        try Data("stale".utf8).write(to: models.appendingPathComponent("old.model"))
        let again = try CLI.run(["learned-models", "--quick", "--out", directory.path], program: .notebooks, timeout: 600)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("12 models read from") && again.stderr.contains(", 0 trained"), "\(again.stderr)")
        #expect(try fm.contentsOfDirectory(atPath: models.path).sorted() == modelFiles, "the stale file is removed, the models kept")
        #expect(try modelFiles.map { try Data(contentsOf: models.appendingPathComponent($0)) } == before, "read models are written back unchanged")
        let index = try String(contentsOf: directory.appendingPathComponent("README.md"), encoding: .utf8)
        for name in Self.expected {
            #expect(index.contains("(\(name)/README.md)"), "the index links \(name)")
        }
        for target in Self.linkedFiles(index) {
            #expect(fm.fileExists(atPath: directory.appendingPathComponent(target).path), "the index links \(target), which exists")
        }
    }

    @Test func aFailingNotebookExitsOneAndIsNamed() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A file where the notebook's folder should go: the notebook runs, then cannot write.
        let name = "table-13-inversion-error"
        try Data("in the way".utf8).write(to: directory.appendingPathComponent(name))
        let outcome = try CLI.run([name, "--quick", "--out", directory.path], program: .notebooks)
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("Error: notebook \(name) failed"), "\(outcome.stderr)")
        #expect(try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) == "in the way", "the file in the way is untouched")
    }

    @Test func badInputExitsTwoAndWritesNothing() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out").path
        for arguments in [["nonsense", "--out", out], ["all", "--quick", "--out", out, "--frobnicate"], ["all", "--threads", "0", "--out", out],
                          ["figure-11-difference-sweep", "extra", "--out", out],
                          // --retrain is read by learned-models only, and a quick run always trains.
                          ["figure-11-difference-sweep", "--retrain", "--out", out], ["learned-models", "--retrain", "--quick", "--out", out]] {
            let outcome = try CLI.run(arguments, program: .notebooks)
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("Error: "), "\(arguments): \(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(arguments) wrote nothing")
        }
        let unknown = try CLI.run(["nonsense"], program: .notebooks)
        #expect(unknown.stderr.contains("figure-11-difference-sweep") && unknown.stderr.contains("all"), "the error lists the accepted names")
    }

    /// A scratch tree holding a toy-w2sd package (`pkg/Package.swift`, `pkg/Sources`) and a folder outside it.
    static func packageTree() throws -> (root: URL, package: URL, inside: URL, outside: URL) {
        let root = try CLI.temporaryDirectory()
        let package = root.appendingPathComponent("pkg"), inside = package.appendingPathComponent("Sources"), outside = root.appendingPathComponent("elsewhere")
        for folder in [inside, outside] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try Data("// swift-tools-version:6.0\nimport PackageDescription\n\nlet package = Package(\n    name: \"toy-w2sd\"\n)\n".utf8)
            .write(to: package.appendingPathComponent("Package.swift"))
        return (root, package, inside, outside)
    }

    @Test func aFullRunOutsideThePackageIsRefusedAndAsksForOut() throws {
        let tree = try Self.packageTree()
        defer { try? FileManager.default.removeItem(at: tree.root) }
        let outcome = try CLI.run(["table-13-inversion-error"], program: .notebooks, directory: tree.outside)
        #expect(outcome.status == 2, "\(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("Error: ") && outcome.stderr.contains("--out"), "\(outcome.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.outside.path).isEmpty, "nothing written")
    }

    /// From inside the package, a quick run writes a fresh scratch folder (named on stderr) and leaves the
    /// package untouched; pointed at the package's Output/ it is refused. `--progress` shows the steps.
    @Test func aQuickRunNeverWritesThePackagesOutput() throws {
        let tree = try Self.packageTree()
        defer { try? FileManager.default.removeItem(at: tree.root) }
        let name = "table-13-inversion-error"
        let outcome = try CLI.run([name, "--quick", "--progress"], program: .notebooks, directory: tree.inside)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let marker = "writes into the scratch folder "
        let line = try #require(outcome.stderr.split(separator: "\n").first { $0.contains(marker) }, "\(outcome.stderr)")
        let scratch = URL(fileURLWithPath: String(line[line.range(of: marker)!.upperBound...]))
        defer { try? FileManager.default.removeItem(at: scratch) }
        #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent(name).appendingPathComponent("README.md").path))
        #expect(!scratch.path.hasPrefix(tree.root.path), "the scratch folder is outside the package")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.package.path).sorted() == ["Package.swift", "Sources"], "the package is untouched")
        #expect(outcome.stderr.contains("\(name): step 1 of ") && outcome.stderr.contains("steps done"), "progress lines: \(outcome.stderr)")

        let refused = try CLI.run([name, "--quick", "--out", "../Output"], program: .notebooks, directory: tree.inside)
        #expect(refused.status == 2 && refused.stderr.hasPrefix("Error: ") && refused.stderr.contains("--out"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tree.package.appendingPathComponent("Output").path), "nothing written")
    }
}
