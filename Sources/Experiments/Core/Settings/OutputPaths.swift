import Foundation

/// Output paths, checked before any work: a wrong extension, a missing or unwritable folder (tested by
/// creating and removing a scratch file there, so `/proc/x.svg` fails up front), a directory in place of
/// the file, or two options naming one file are errors (status 2) and nothing is written.
public enum OutputPaths {
    /// Checks `path` for `--<option>`; `extensions` lists the accepted endings (lowercase, with the dot).
    public static func check(_ path: String, option: String, extensions: [String], allowStdout: Bool = false) throws {
        if allowStdout && path == "-" { return }
        guard extensions.contains(where: { path.lowercased().hasSuffix($0) }) else {
            throw UsageError(message: "--\(option) '\(path)' does not end in \(extensions.joined(separator: " or ")); accepted: a file path ending in \(extensions.joined(separator: " or "))\(allowStdout ? ", or - for stdout" : "")")
        }
        try checkWritable(path, option: option)
    }

    /// Two options may not name one file.
    public static func checkDistinct(_ given: [(option: String, path: String)]) throws {
        let files = given.filter { $0.path != "-" }
        for i in files.indices {
            for j in files.indices where j > i && URL(fileURLWithPath: files[i].path).standardized == URL(fileURLWithPath: files[j].path).standardized {
                throw UsageError(message: "--\(files[i].option) and --\(files[j].option) name the same file '\(files[i].path)'; accepted: distinct paths")
            }
        }
    }

    /// The file's folder must exist and accept a new file; an existing target must be a writable file.
    public static func checkWritable(_ path: String, option: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw UsageError(message: "--\(option) '\(path)': the directory '\(directory)' does not exist; accepted: a path in an existing, writable directory")
        }
        guard isDirectory.boolValue else {
            throw UsageError(message: "--\(option) '\(path)': '\(directory)' is not a directory; accepted: a path in an existing, writable directory")
        }
        guard canCreateFile(in: directory) else {
            throw UsageError(message: "--\(option) '\(path)': the directory '\(directory)' is not writable; accepted: a path in an existing, writable directory")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else {
                throw UsageError(message: "--\(option) '\(path)' is a directory; accepted: a file path")
            }
            guard access(url.path, W_OK) == 0 else {
                throw UsageError(message: "--\(option) '\(path)' exists and is not writable; accepted: a writable file path")
            }
        }
    }

    /// A folder for a report: an existing writable folder, or one that can be created (its nearest
    /// existing ancestor accepts a new file). Nothing is created here.
    public static func checkFolder(_ path: String, option: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, canCreateFile(in: path) else {
                throw UsageError(message: "--\(option) '\(path)' is not a writable folder; accepted: a writable folder, or a new one in a writable folder")
            }
        } else {
            var parent = (path as NSString).deletingLastPathComponent
            while !parent.isEmpty && !FileManager.default.fileExists(atPath: parent) { parent = (parent as NSString).deletingLastPathComponent }
            guard canCreateFile(in: parent.isEmpty ? "." : parent) else {
                throw UsageError(message: "--\(option) '\(path)': cannot create the folder (\(parent.isEmpty ? "." : parent) is not writable); accepted: a writable folder")
            }
        }
    }

    /// Whether a new file can be created in `directory` (tried, then removed): permission bits alone
    /// do not tell (e.g. /proc for root).
    static func canCreateFile(in directory: String) -> Bool {
        let probe = (directory as NSString).appendingPathComponent(".toy-w2sd-probe-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { return false }
        close(fd)
        unlink(probe)
        return true
    }
}
