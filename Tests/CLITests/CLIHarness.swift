import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Runs the built `toy-w2sd` executable and captures its output.
///
/// The executable is found next to the test bundle: `swift test` builds every product into the same
/// `<scratch>/<triple>/<configuration>/` folder as `<package>PackageTests.xctest`, whatever the scratch
/// path (`.build` in CI, `.build-cli` here). Fallbacks: `TOY_W2SD_BINARY`, then the usual scratch paths
/// relative to this source file.
enum CLI {
    struct Outcome {
        var status: Int32
        var stdout: Data
        var stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    static let binary: String? = {
        let fm = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["TOY_W2SD_BINARY"], fm.isExecutableFile(atPath: explicit) {
            return explicit
        }
        var candidates: [URL] = []
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent())
        if let bundle = Bundle.main.executableURL?.resolvingSymlinksInPath() { candidates.append(bundle.deletingLastPathComponent()) }
        // Inside an .xctest bundle directory (macOS layout): go up to the build folder.
        for url in candidates where url.path.contains(".xctest") {
            var u = url
            while u.path.contains(".xctest") { u.deleteLastPathComponent() }
            candidates.append(u)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for scratch in [".build", ".build-cli"] {
            candidates.append(root.appendingPathComponent("\(scratch)/debug"))
            candidates.append(root.appendingPathComponent("\(scratch)/release"))
        }
        return candidates.map { $0.appendingPathComponent("toy-w2sd").path }.first { fm.isExecutableFile(atPath: $0) }
    }()

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func run(_ arguments: [String]) throws -> Outcome {
        guard let binary else { throw HarnessError.noBinary }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so a large output cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }

    enum HarnessError: Error, CustomStringConvertible {
        case noBinary
        var description: String { "toy-w2sd executable not found next to the test bundle; build it first (swift build)" }
    }

    /// A fresh empty temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("toy-w2sd-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func isWellFormedXML(_ text: String) -> Bool {
        XMLParser(data: Data(text.utf8)).parse()
    }
}
