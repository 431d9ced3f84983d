import Foundation

/// Writes `bytes` to `path` atomically: the data goes to a temporary file in the same directory,
/// which is then renamed over `path`, so readers see the old file or the new one, never a part.
/// Throws `PlotError.unwritablePath` (naming the path and the reason) when either step fails.
public func writeAtomically(_ bytes: [UInt8], to path: String) throws(PlotError) {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UUID().uuidString).tmp")
    do {
        try Data(bytes).write(to: temporary)
    } catch {
        throw .unwritablePath(path: path, reason: "cannot create a file in \(directory.path)")
    }
    guard rename(temporary.path, url.path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw .unwritablePath(path: path, reason: reason)
    }
}
