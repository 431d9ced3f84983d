import Foundation
import Testing

/// `toy-w2sd train` with checkpoints and seeds, `--check` of what it wrote, and runs that use the files
/// reporting evaluations outside the models' trained sigma ranges. Tiny networks and few steps.
@Suite struct TrainCommandTests {
    static let tiny = ["train", "--toy", "1d", "--width", "4", "--depth", "1", "--frequencies", "1", "--steps", "12", "--batch", "16"]

    static func models(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".model") }.sorted()
    }

    /// --checkpoints writes NAME.step-S.model beside NAME.model; the final file is byte-identical to a
    /// run without checkpoints, a checkpoint to the run stopped there; --check states recipe, seed, stop
    /// step, trained sigma range and held-out loss.
    @Test func checkpointsAreWrittenBesideTheModel() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let outcome = try CLI.run(Self.tiny + ["--checkpoints", "8,4", "--out", path("s.model")])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try Self.models(directory) == ["s.model", "s.step-4.model", "s.step-8.model"])
        #expect(outcome.stdoutText.contains("checkpoint at step 4: held-out loss") && outcome.stdoutText.contains("held-out loss: "))
        let plain = try CLI.run(Self.tiny + ["--out", path("plain.model")])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("s.model"))) == Data(contentsOf: URL(fileURLWithPath: path("plain.model"))))
        let check = try CLI.run(["train", "--check", path("s.step-4.model"), "--samples", "200"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdoutText.contains("checkpoint at step 4 of 12 steps") && check.stdoutText.contains("training seed 0")
                && check.stdoutText.contains("trained sigma range: [0.06025, 100.2]") && check.stdoutText.contains("held-out loss: "),
                "\(check.stdoutText)")
        // The loss of the checkpoint on the held-out set is the one the training run printed for it.
        func heldOutLoss(_ text: String, line prefix: String) -> String? {
            text.split(separator: "\n").first { $0.hasPrefix(prefix) }?.components(separatedBy: "held-out loss ").dropFirst().first?
                .split(separator: " ").first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
        }
        let printed = heldOutLoss(outcome.stdoutText, line: "checkpoint at step 4:")
        #expect(printed != nil && printed == heldOutLoss(check.stdoutText.replacingOccurrences(of: "held-out loss:", with: "held-out loss"), line: "held-out loss"))
    }

    /// Refused with status 2 before any training, nothing written: a checkpoint at or beyond --steps, a
    /// duplicate, a non-number, --checkpoints or --seeds without --out, --seeds with --seed.
    @Test func badCheckpointsAndSeedsAreRefusedBeforeTraining() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("s.model").path
        let cases: [([String], String)] = [
            (["--checkpoints", "12", "--out", out], "--checkpoints 12 is not before the end of training at step 12"),
            (["--checkpoints", "20", "--out", out], "is not before the end of training"),
            (["--checkpoints", "4,4", "--out", out], "--checkpoints '4,4' is not valid"),
            (["--checkpoints", "4,a", "--out", out], "--checkpoints '4,a' is not valid"),
            (["--checkpoints", "4", "--json", "-"], "--checkpoints writes model files named after --out"),
            (["--seeds", "0..2", "--evaluate"], "--seeds writes model files named after --out"),
            (["--seeds", "0..2", "--seed", "3", "--out", out], "--seeds and --seed both choose the training seed"),
        ]
        for (extra, expected) in cases {
            let outcome = try CLI.run(Self.tiny + extra)
            #expect(outcome.status == 2 && outcome.stderr.contains(expected) && !outcome.stderr.contains("trained in"), "\(extra): \(outcome.stderr)")
        }
        #expect(try Self.models(directory).isEmpty)
    }

    /// --seeds 1..2 with a checkpoint: NAME.seed-K.model and NAME.seed-K.step-S.model per seed, each
    /// byte-identical to the run with --seed K.
    @Test func seedsWriteOneModelPerSeed() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let outcome = try CLI.run(Self.tiny + ["--seeds", "1..2", "--checkpoints", "6", "--out", path("m.model"), "--json", path("m.json")])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try Self.models(directory) == ["m.seed-1.model", "m.seed-1.step-6.model", "m.seed-2.model", "m.seed-2.step-6.model"])
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("m.json")))) as? [[String: Any]])
        #expect(reports.count == 2 && reports.allSatisfy { ($0["heldOutLoss"] as? Double)?.isFinite == true })
        let two = try CLI.run(Self.tiny + ["--seed", "2", "--checkpoints", "6", "--out", path("two.model")])
        #expect(two.status == 0, "\(two.stderr)")
        for (a, b) in [("m.seed-2.model", "two.model"), ("m.seed-2.step-6.model", "two.step-6.model")] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: path(a))) == Data(contentsOf: URL(fileURLWithPath: path(b))), "\(a) vs \(b)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("m.seed-1.model"))) != Data(contentsOf: URL(fileURLWithPath: path("m.seed-2.model"))))
    }

    /// A checkpoint serves as the weak model of run, sweep and delta; each reports per learned model how
    /// many evaluations fell outside its trained sigma range [0.0603, 100.2]: some with sigma_max = 200,
    /// none with the schedule inside the range (sigma in [0.1, 50]).
    @Test func runsCountEvaluationsOutsideTheTrainedRange() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let trained = try CLI.run(Self.tiny + ["--checkpoints", "4", "--out", path("s.model")])
        #expect(trained.status == 0, "\(trained.stderr)")
        let models = ["--strong-model", path("s.model"), "--weak-model", path("s.step-4.model")]
        let quick = ["--samples", "200", "--steps", "6", "--methods", "strong,w2sd"]
        func learned(_ arguments: [String]) throws -> [[String: Any]] {
            let outcome = try CLI.run(arguments + ["--json", "-"])
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            let root = try #require(try JSONSerialization.jsonObject(with: outcome.stdout) as? [String: Any])
            return try #require(root["learnedModels"] as? [[String: Any]])
        }
        let outside = try learned(["1d"] + models + quick + ["--sigma-max", "200"])
        #expect(outside.map { $0["role"] as? String } == ["strong", "weak"])
        #expect(outside.allSatisfy { ($0["outsideTrainedRange"] as? Int ?? 0) > 0 && ($0["evaluations"] as? Int ?? 0) > ($0["outsideTrainedRange"] as? Int ?? 0) })
        let inside = try learned(["1d"] + models + quick + ["--sigma-max", "50", "--sigma-min", "0.1"])
        #expect(inside.allSatisfy { $0["outsideTrainedRange"] as? Int == 0 && ($0["evaluations"] as? Int ?? 0) > 0 }, "\(inside)")
        let table = try CLI.run(["1d"] + models + quick + ["--sigma-max", "200"])
        #expect(table.stdoutText.contains("note: learned weak model '\(path("s.step-4.model"))' (trained sigma range [0.0603, 100]): "), "\(table.stdoutText)")
        let sweep = try CLI.run(["sweep", "1d"] + models + quick + ["--sweep", "sigma-max=50,200", "--sigma-min", "0.1", "--json", "-"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let cells = try #require((try JSONSerialization.jsonObject(with: sweep.stdout) as? [String: Any])?["cells"] as? [[String: Any]])
        let weakOutside = cells.map { (($0["learnedModels"] as? [[String: Any]])?.last?["outsideTrainedRange"] as? Int) }
        #expect(weakOutside.count == 2 && weakOutside[0] == 0 && (weakOutside[1] ?? 0) > 0, "\(weakOutside)")
        let delta = try CLI.run(["delta", "1d"] + models + ["--sigmas", "0.5,150", "--proxy-sigmas", "0.5,2"])
        #expect(delta.status == 0 && delta.stdoutText.contains("note: learned strong model"), "\(delta.stderr)")
        #expect(!delta.stdoutText.contains(": 0 of "), "\(delta.stdoutText)")
    }
}
