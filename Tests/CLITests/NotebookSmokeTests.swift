import Foundation
import Testing

/// Runs the built `notebooks` executable (beside `toy-w2sd` in the build folder): every notebook in
/// `--quick` mode writes its folder (a README.md with a table and an image, well-formed SVG figures,
/// valid JSON, every linked file present) and the index; bad input exits with status 2 and writes nothing.
@Suite struct NotebookSmokeTests {
    /// The notebooks the issue asks for (verify-report stays with `toy-w2sd verify`).
    static let expected = ["figure-01-04-one-dimensional", "figure-05-20-two-dimensional", "figure-11-difference-sweep",
                           "figure-19-cosine", "table-13-inversion-error", "difference-zoo",
                           "study-reflection-window", "study-equal-budget", "study-convergence-in-t", "learned-models"]

    static let binary: String? = CLI.binary.map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("notebooks").path }
        .flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `notebooks` with stdout and stderr going to files (no pipe can fill up and block it).
    static func run(_ arguments: [String]) throws -> Outcome {
        guard let binary else { throw CLI.HarnessError.noBinary }
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout"), err = directory.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: out.path, contents: nil), FileManager.default.createFile(atPath: err.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = CLI.packageRoot
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                       stderr: try String(contentsOf: err, encoding: .utf8))
    }

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
        let outcome = try Self.run(["list"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let names = outcome.stdout.split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) }
        #expect(names == Self.expected)
    }

    @Test func everyNotebookRunsQuickAndWritesItsStudy() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try Self.run(["all", "--quick", "--out", directory.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
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
        let outcome = try Self.run([name, "--quick", "--out", directory.path])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("Error: notebook \(name) failed"), "\(outcome.stderr)")
        #expect(try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) == "in the way", "the file in the way is untouched")
    }

    @Test func badInputExitsTwoAndWritesNothing() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out").path
        for arguments in [["nonsense", "--out", out], ["all", "--quick", "--out", out, "--frobnicate"], ["all", "--threads", "0", "--out", out],
                          ["figure-11-difference-sweep", "extra", "--out", out]] {
            let outcome = try Self.run(arguments)
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("Error: "), "\(arguments): \(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(arguments) wrote nothing")
        }
        let unknown = try Self.run(["nonsense"])
        #expect(unknown.stderr.contains("figure-11-difference-sweep") && unknown.stderr.contains("all"), "the error lists the accepted names")
    }
}
