import Foundation
import Testing
@testable import Plot

@Suite struct AtomicFileTests {
    @Test func writesAndReplacesWithoutLeavingTemporaryFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plot-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("figure.svg").path
        try writeAtomically(Array("first".utf8), to: path)
        try writeAtomically(Array("second".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["figure.svg"])
    }

    @Test func unwritablePathIsATypedError() {
        let path = "/nonexistent-directory-\(UUID().uuidString)/figure.svg"
        do {
            try writeAtomically([1, 2, 3], to: path)
            Issue.record("expected an error")
        } catch {
            guard case let .unwritablePath(failedPath, _) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(failedPath == path)
            #expect(error.description.contains(path))
        }
    }
}
