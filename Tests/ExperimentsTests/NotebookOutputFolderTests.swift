import Experiments
import Foundation
import Testing
import Toy

/// Where `notebooks` writes (`NotebookOutputFolder`): the Output/ of the toy-w2sd package containing the
/// current directory, refused outside one, a scratch folder for a quick run, never the package's Output/
/// for a quick run even when asked with --out.
@Suite struct NotebookOutputFolderTests {
    /// A scratch tree: `root/pkg` holds a toy-w2sd Package.swift and `pkg/Sources/deep`; `root/other`
    /// holds another package's manifest; `root/loose` holds none.
    static func tree() throws -> (root: URL, package: URL, deep: URL, other: URL, loose: URL) {
        let root = try NotebookOutputFolder.makeScratchFolder()
        let package = root.appendingPathComponent("pkg"), deep = package.appendingPathComponent("Sources/deep")
        let other = root.appendingPathComponent("other"), loose = root.appendingPathComponent("loose")
        for folder in [deep, other, loose] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try Data("// swift-tools-version:6.0\nimport PackageDescription\n\nlet package = Package(\n    name: \"toy-w2sd\",\n    targets: []\n)\n".utf8)
            .write(to: package.appendingPathComponent("Package.swift"))
        try Data("import PackageDescription\nlet package = Package(name: \"something-else\")\n".utf8).write(to: other.appendingPathComponent("Package.swift"))
        return (root, package, deep, other, loose)
    }

    @Test func aFullRunWritesTheOutputOfThePackageContainingTheCurrentDirectory() throws {
        let t = try Self.tree()
        defer { try? FileManager.default.removeItem(at: t.root) }
        let expected = NotebookOutputFolder.Choice.packageOutput(t.package.appendingPathComponent("Output").resolvingSymlinksInPath())
        #expect(try NotebookOutputFolder.choose(out: nil, quick: false, currentDirectory: t.deep) == expected)
        #expect(try NotebookOutputFolder.choose(out: nil, quick: false, currentDirectory: t.package) == expected)
    }

    @Test func aFullRunOutsideThePackageIsRefusedAndAsksForOut() throws {
        let t = try Self.tree()
        defer { try? FileManager.default.removeItem(at: t.root) }
        for directory in [t.loose, t.other] {
            do {
                _ = try NotebookOutputFolder.choose(out: nil, quick: false, currentDirectory: directory)
                Issue.record("\(directory.path) (no toy-w2sd package) was accepted")
            } catch let error as UsageError {
                #expect(error.message.contains("--out"), "\(error.message)")
            }
        }
        #expect(try NotebookOutputFolder.choose(out: "out", quick: false, currentDirectory: t.loose)
                == .given(t.loose.appendingPathComponent("out").standardizedFileURL))
    }

    @Test func aQuickRunWritesAScratchFolderAndNeverThePackagesOutput() throws {
        let t = try Self.tree()
        defer { try? FileManager.default.removeItem(at: t.root) }
        #expect(try NotebookOutputFolder.choose(out: nil, quick: true, currentDirectory: t.deep) == .scratch)
        #expect(try NotebookOutputFolder.choose(out: nil, quick: true, currentDirectory: t.loose) == .scratch)
        for out in [t.package.appendingPathComponent("Output").path, t.package.appendingPathComponent("Output/sub").path, "../../Output"] {
            #expect(throws: UsageError.self, "--quick --out \(out)") { try NotebookOutputFolder.choose(out: out, quick: true, currentDirectory: t.deep) }
        }
        // A folder called Output elsewhere, or another package's Output/, is only a folder.
        for out in [t.loose.appendingPathComponent("Output").path, t.other.appendingPathComponent("Output").path] {
            #expect(try NotebookOutputFolder.choose(out: out, quick: true, currentDirectory: t.deep) == .given(URL(fileURLWithPath: out).standardizedFileURL))
        }
        // The full run may be pointed at the package's Output/ explicitly.
        let output = t.package.appendingPathComponent("Output").path
        #expect(try NotebookOutputFolder.choose(out: output, quick: false, currentDirectory: t.loose) == .given(URL(fileURLWithPath: output)))
    }

    @Test func scratchFoldersAreNewAndEmpty() throws {
        let a = try NotebookOutputFolder.makeScratchFolder(), b = try NotebookOutputFolder.makeScratchFolder()
        defer { for f in [a, b] { try? FileManager.default.removeItem(at: f) } }
        #expect(a != b)
        #expect(try FileManager.default.contentsOfDirectory(atPath: a.path).isEmpty)
        #expect(a.lastPathComponent.hasPrefix("notebooks-quick-"))
    }

    @Test func recognisesTheManifestByItsPackageName() {
        #expect(NotebookOutputFolder.declaresToyPackage("let package = Package(\n    name: \"toy-w2sd\",\n"))
        #expect(NotebookOutputFolder.declaresToyPackage("let package = Package(name:\"toy-w2sd\")"))
        #expect(!NotebookOutputFolder.declaresToyPackage("let package = Package(name: \"toy-w2sd-fork\")"))
        #expect(!NotebookOutputFolder.declaresToyPackage("// name: \"toy-w2sd\"\nlet package = Package(name: \"other\")"))
    }
}

/// The progress line of a notebook (`StepProgress`): step n of m and the time left from the steps done.
@Suite struct StepProgressTests {
    @Test func showsTheStepAndTheTimeLeftFromTheStepsDone() {
        #expect(StepProgress.text("zoo", done: 3, of: 12, elapsed: 30) == "zoo: step 4 of 12 (30.0 s so far, about 90.0 s left)")
        #expect(StepProgress.text("zoo", done: 1, of: 4, elapsed: 2) == "zoo: step 2 of 4 (2.0 s so far, about 6.0 s left)")
        #expect(StepProgress.text("zoo", done: 1, of: 5, elapsed: 40) == "zoo: step 2 of 5 (40.0 s so far, about 2.7 min left)")
        #expect(StepProgress.text("zoo", done: 0, of: 4, elapsed: 5) == "zoo: step 1 of 4 (5.0 s so far, the time left is known after the first step)")
        #expect(StepProgress.text("zoo", done: 4, of: 4, elapsed: 150) == "zoo: 4 of 4 steps done (2.5 min)")
    }

    @Test func clampsOutOfRangeInput() {
        #expect(StepProgress.text("a", done: 9, of: 4, elapsed: 8) == "a: 4 of 4 steps done (8.0 s)")
        #expect(StepProgress.text("a", done: -1, of: 4, elapsed: -3) == "a: step 1 of 4 (0.0 s so far, the time left is known after the first step)")
        #expect(StepProgress.text("a", done: 1, of: 2, elapsed: .nan) == "a: step 2 of 2 (0.0 s so far, about 0.0 s left)")
        #expect(StepProgress.text("a", done: 0, of: 0, elapsed: 1) == "a: nothing to do")
    }

    /// The time left is elapsed / done x (total - done), for seeded random cases.
    @Test func timeLeftIsTheMeanStepTimeTimesTheStepsLeft() {
        for seed in 0..<200 {
            var g = SplitMix64(seed: UInt64(seed))
            let total = 2 + Int(g.next() % 50), done = 1 + Int(g.next() % UInt64(total - 1)), elapsed = Double(g.next() % 10_000) / 10
            let left = elapsed / Double(done) * Double(total - done)
            let text = StepProgress.text("n", done: done, of: total, elapsed: elapsed)
            #expect(text == "n: step \(done + 1) of \(total) (\(RunTimeEstimate.describe(elapsed)) so far, about \(RunTimeEstimate.describe(left)) left)", "seed \(seed)")
        }
    }
}
