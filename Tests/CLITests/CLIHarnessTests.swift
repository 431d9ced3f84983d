import Foundation
import Testing

/// The child-process helper itself (CLIHarness.swift): the watchdog ends a hung child, ready lines are
/// seen and still reported, the working directory, stdin and environment reach the child.
@Suite struct CLIHarnessTests {
    /// A run estimated at hours (10^9 samples, 1000 steps) is killed at the child's time limit, and at
    /// the limit `wait(timeout:)` gives after a ready line; both throw `timedOut` instead of hanging.
    @Test func aHungChildIsKilledAtItsTimeLimit() throws {
        guard CLI.binary != nil else { Issue.record("toy-w2sd binary not found"); return }
        let endless = ["1d", "--samples", "1000000000", "--steps", "1000", "--threads", "1", "--allow-long"]
        let hung = #expect(throws: CLI.HarnessError.self) { try CLI.run(endless, timeout: 2) }
        guard case .timedOut(_, let seconds, _, _) = hung else { Issue.record("\(String(describing: hung))"); return }
        #expect(seconds == 2)
        let child = try CLI.start(endless)
        _ = try child.waitForLine(containing: "this run needs about")
        let stopped = #expect(throws: CLI.HarnessError.self) { try child.wait(timeout: 1) }
        guard case .timedOut(_, let limit, _, let stderr) = stopped else { Issue.record("\(String(describing: stopped))"); return }
        #expect(limit == 1 && stderr.contains("this run needs about"))
    }

    /// A ready line on stderr is returned while the child runs; the child then finishes as usual and its
    /// outcome still holds every line (stdout and stderr read concurrently). A line that never comes
    /// gives `noReadyLine` once the stream ends.
    @Test func readyLinesAreSeenAndKept() throws {
        guard CLI.binary != nil else { Issue.record("toy-w2sd binary not found"); return }
        let child = try CLI.start(["1d", "--samples", "20000", "--steps", "4", "--progress", "--json", "-"])
        let first = try child.waitForLine { $0.contains("(1/") && $0.contains("%") }
        let later = try child.waitForLine(containing: "(2/")
        let outcome = try child.wait()
        #expect(outcome.status == 0 && outcome.exited, "\(outcome.stderr)")
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        let firstIndex = try #require(lines.firstIndex(of: first)), laterIndex = try #require(lines.firstIndex(of: later))
        #expect(firstIndex < laterIndex, "lines are consumed in order")
        #expect((try? JSONSerialization.jsonObject(with: outcome.stdout)) is [String: Any])

        let help = try CLI.start(["1d", "--help"])
        let missing = #expect(throws: CLI.HarnessError.self) { try help.waitForLine(containing: "no such line", on: .stdout) }
        guard case .noReadyLine(_, .stdout, _, let stdout) = missing else { Issue.record("\(String(describing: missing))"); return }
        #expect(stdout.contains("--samples"))
        #expect(try help.wait().status == 0)
    }

    /// Relative output paths land in the given working directory; stdin bytes and extra environment
    /// variables are accepted (the commands read neither).
    @Test func workingDirectoryStdinAndEnvironment() throws {
        guard CLI.binary != nil else { Issue.record("toy-w2sd binary not found"); return }
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try CLI.run(["1d", "--samples", "200", "--steps", "4", "--json", "result.json"], stdin: Data("ignored\n".utf8),
                                  environment: ["TOY_W2SD_HARNESS_TEST": "1"], directory: directory)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("result.json").path))
        #expect(!FileManager.default.fileExists(atPath: CLI.packageRoot.appendingPathComponent("result.json").path))
    }
}
