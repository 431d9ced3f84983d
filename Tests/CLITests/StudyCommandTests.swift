import Foundation
import Testing

/// `sweep`, `frontier` and `merge` through the binary: exit statuses, the files written (atomically:
/// no temporary file left), shards merged into the unsharded bytes, and bad input (status 2, nothing
/// written).
@Suite struct StudyCommandTests {
    static let quick = ["--samples", "200", "--steps", "6", "--repeats", "2"]

    static func files(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    @Test func sweepWritesTableJSONCSVAndFigure() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let outcome = try CLI.run(["sweep", "1d", "--missing-left", "--sweep", "gamma=0:1:2", "--sweep", "lambda=0.5T,1T",
                                   "--json", path("s.json"), "--csv", path("s.csv"), "--plot", path("s.svg")] + Self.quick)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdoutText.contains("gamma  lambda") && outcome.stdoutText.contains("best w2sd W1"))
        #expect(try Self.files(directory) == ["s.csv", "s.json", "s.svg"])
        let json = try String(contentsOfFile: path("s.json"), encoding: .utf8)
        #expect(json.contains("\"schema\" : \"toy-w2sd.sweep/1\""))
        #expect(CLI.isWellFormedXML(try String(contentsOfFile: path("s.svg"), encoding: .utf8)))
        #expect(try String(contentsOfFile: path("s.csv"), encoding: .utf8).hasPrefix("gamma,lambda,method,metric,n,mean,sd,lower,upper\n"))
    }

    @Test func shardedFrontierMergesOnTheCommandLine() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let common = ["frontier", "1d", "--budgets", "4,12", "--samples", "200", "--repeats", "2"]
        let whole = try CLI.run(common + ["--json", path("whole.json"), "--csv", path("whole.csv")])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.stdoutText.contains("Pareto front"))
        for k in 1...2 {
            let part = try CLI.run(common + ["--shard", "\(k)/2", "--json", path("part-\(k).json")])
            #expect(part.status == 0, "\(part.stderr)")
        }
        let merged = try CLI.run(["merge", path("part-2.json"), path("part-1.json"), "--json", path("merged.json"), "--csv", path("merged.csv")])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("merged.json"))) == (try Data(contentsOf: URL(fileURLWithPath: path("whole.json")))))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("merged.csv"))) == (try Data(contentsOf: URL(fileURLWithPath: path("whole.csv")))))
        // A missing shard: status 2, nothing written.
        let missing = try CLI.run(["merge", path("part-1.json"), "--json", path("broken.json")])
        #expect(missing.status == 2 && missing.stderr.hasPrefix("Error: ") && missing.stderr.contains("2/2 missing"), "\(missing.stderr)")
        #expect(try Self.files(directory) == ["merged.csv", "merged.json", "part-1.json", "part-2.json", "whole.csv", "whole.json"])
    }

    static let bad: [(String, [String], String)] = [
        ("unknown axis", ["sweep", "1d", "--sweep", "gama=0,1"], "did you mean gamma"),
        ("lambda beyond a cell's steps", ["sweep", "1d", "--lambda", "4", "--sweep", "steps=3,10"], "cell 0"),
        ("axis and flag", ["sweep", "1d", "--gamma", "1", "--sweep", "gamma=0,1"], "fixes it too"),
        ("frontier without budgets", ["frontier", "1d"], "--budgets"),
        ("merge without files", ["merge"], "needs the shard files"),
    ]

    @Test(arguments: bad.indices)
    func rejected(_ index: Int) throws {
        let (name, arguments, fragment) = Self.bad[index]
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputs = ["--json", directory.appendingPathComponent("o.json").path, "--csv", directory.appendingPathComponent("o.csv").path]
        let outcome = try CLI.run(arguments + outputs + (arguments[0] == "merge" ? [] : ["--samples", "200"]))
        #expect(outcome.status == 2, "\(name): status \(outcome.status), \(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("Error: ") && outcome.stderr.contains(fragment), "\(name): \(outcome.stderr)")
        #expect(outcome.stdout.isEmpty, "\(name)")
        #expect(try Self.files(directory).isEmpty, "\(name): a file was written")
    }
}
