import Foundation

/// Where `notebooks` writes, decided before any work (a refusal is a `UsageError`, status 2):
///
/// - `--out DIR` is used as given, except that a `--quick` run may not write into the `Output/` of a
///   toy-w2sd package (or a folder inside it): quick numbers are reduced-size checks, never committed results.
/// - A `--quick` run without `--out` writes into a fresh scratch folder `notebooks-quick-XXXXXX` in the
///   system's temporary directory (created by `mkdtemp`, so it is new and empty; its path is printed first).
/// - A full run without `--out` writes into the `Output/` of the toy-w2sd package that contains the
///   current directory: the nearest directory, from the current one upwards, holding a `Package.swift`
///   whose package is named toy-w2sd. Outside such a package the run is refused and asks for `--out`.
///   Where the binary was compiled plays no part.
public enum NotebookOutputFolder {
    /// The package whose `Output/` is the default.
    public static let packageName = "toy-w2sd"

    /// The chosen folder and why it was chosen.
    public enum Choice: Equatable, Sendable {
        /// `--out DIR`.
        case given(URL)
        /// `Output/` of the package containing the current directory (a full run without `--out`).
        case packageOutput(URL)
        /// A fresh folder in the temporary directory is to be created (a quick run without `--out`).
        case scratch
    }

    /// Whether `manifest` (the text of a `Package.swift`) declares the package toy-w2sd:
    /// `Package(` followed, after white space, by `name: "toy-w2sd"`.
    public static func declaresToyPackage(_ manifest: String) -> Bool {
        manifest.range(of: #"Package\(\s*name:\s*"\#(packageName)""#, options: .regularExpression) != nil
    }

    /// Whether `directory` holds the `Package.swift` of toy-w2sd.
    static func isPackageRoot(_ directory: URL) -> Bool {
        (try? String(contentsOf: directory.appendingPathComponent("Package.swift"), encoding: .utf8)).map(declaresToyPackage) ?? false
    }

    /// The nearest directory from `directory` upwards (itself included) that holds the `Package.swift`
    /// of toy-w2sd; nil when there is none up to the file-system root.
    public static func packageRoot(containing directory: URL) -> URL? {
        var current = directory.standardizedFileURL.resolvingSymlinksInPath()
        while true {
            if isPackageRoot(current) { return current }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    /// The `Output/` folder of a toy-w2sd package that `folder` is, or lies inside; nil otherwise.
    public static func enclosingPackageOutput(_ folder: URL) -> URL? {
        var current = folder.standardizedFileURL.resolvingSymlinksInPath()
        while true {
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            if current.lastPathComponent == "Output", isPackageRoot(parent) { return current }
            current = parent
        }
    }

    /// The folder of a run with `out` (the value of `--out`, relative paths taken from `currentDirectory`).
    public static func choose(out: String?, quick: Bool, currentDirectory: URL) throws -> Choice {
        if let out {
            let folder = (out.hasPrefix("/") ? URL(fileURLWithPath: out) : currentDirectory.appendingPathComponent(out)).standardizedFileURL
            if quick, let output = enclosingPackageOutput(folder) {
                throw UsageError(message: "--quick writes reduced-size numbers, never into the package's committed results, and --out '\(out)' is in \(output.path); accepted: --out DIR outside the package's Output/, or no --out (a fresh scratch folder in \(FileManager.default.temporaryDirectory.path))")
            }
            return .given(folder)
        }
        if quick { return .scratch }
        guard let root = packageRoot(containing: currentDirectory) else {
            throw UsageError(message: "no --out given, and the current directory '\(currentDirectory.path)' is not inside the \(packageName) package (no Package.swift of \(packageName) in it or above it), whose Output/ is the default; accepted: --out DIR, or run from inside the package")
        }
        return .packageOutput(root.appendingPathComponent("Output"))
    }

    /// Creates a new, empty scratch folder `notebooks-quick-XXXXXX` in `parent` (the temporary
    /// directory by default) and returns it.
    public static func makeScratchFolder(in parent: URL = FileManager.default.temporaryDirectory) throws -> URL {
        var template = Array(parent.appendingPathComponent("notebooks-quick-XXXXXX").path.utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else {
            throw RunError(message: "cannot create a scratch folder in \(parent.path) (\(String(cString: strerror(errno)))); give --out DIR")
        }
        return URL(fileURLWithPath: String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
