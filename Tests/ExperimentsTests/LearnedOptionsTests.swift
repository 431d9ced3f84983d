import Experiments
import Foundation
import Testing
import TestSupport
import Toy

/// `toy-w2sd train` command lines parsed in process: presets, overrides, and refusals with the option named.
@Suite struct LearnedOptionsTests {
    static func request(_ arguments: [String]) throws -> TrainRequest {
        try TrainOptions.request(ParsedArguments(arguments, options: TrainOptions.groups.flatMap(\.options)))
    }

    static func usageMessage(_ arguments: [String]) -> String? {
        do {
            _ = try request(arguments)
            return nil
        } catch let error as UsageError {
            return error.message
        } catch {
            return "not a usage error: \(error)"
        }
    }

    /// A preset gives its recipe and toy; explicit options override single fields and nothing else.
    @Test func presetsAndOverrides() throws {
        let strong = try Self.request(["--preset", "strong-2d"])
        #expect(strong.toy == .two && strong.recipe == LearnedPreset.strong2D.recipe)
        let custom = try Self.request(["--preset", "strong-1d", "--width", "32", "--depth", "2", "--steps", "100", "--batch", "64",
                                       "--learning-rate", "0.01", "--data", "set:50", "--remove", "1", "--seed", "5",
                                       "--noise-mean", "0.5", "--frequencies", "2"])
        var expected = LearnedPreset.strong1D.recipe
        expected.width = 32; expected.depth = 2; expected.steps = 100; expected.batchSize = 64; expected.learningRate = 0.01
        expected.trainingSet = .fixed(size: 50); expected.removedComponents = [1]; expected.seed = 5; expected.frequencies = 2
        expected.noise = try LogNormalNoise(mean: 0.5, std: try #require(LearnedPreset.strong1D.recipe.noise).std)
        #expect(custom.recipe == expected && custom.toy == .one)
        #expect(try Self.request(["--toy", "2d"]).recipe.steps == 3000)
        // The weak presets differ from the strong one in exactly the field their summary names.
        #expect(LearnedPreset.weak1D.recipe.steps == LearnedPreset.strong1D.recipe.steps
                && LearnedPreset.weak1D.recipe.stopStep == LearnedPreset.strong1D.recipe.steps / 10)
        #expect(LearnedPreset.weak2DBiased.recipe.meanShift == MeanShift(component: 2, shift: [0.8, 0.8]))
        #expect(try Self.request(["--preset", "weak-2d", "--steps", "500"]).recipe.stopStep == 50)
        #expect(LearnedPreset.weak2DMissing.recipe.removedComponents == [2])
        #expect(LearnedPreset.weak1DData.recipe.sigmaData == LearnedPreset.strong1D.recipe.sigmaData)
    }

    /// A format-1 model file: its report says "recipe unknown" (no seed, no trained range) and still gives
    /// the held-out loss; a run using it lists it as recipe unknown, with nothing counted.
    @Test func formatOneModelsAreRecipeUnknown() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("learned-old-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.model").path
        try ModelFileFixtures.formatOne.write(to: URL(fileURLWithPath: path))
        let (model, toy) = try TrainOptions.loadModel(path)
        let report = try TrainReport(model: model, toy: toy, evaluation: nil)
        #expect(report.training == nil && report.trainedSigmaRange == nil && report.heldOutLoss.isFinite)
        #expect(report.text.contains("recipe unknown") && !report.text.contains("trained sigma range:"))
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.weak = MixtureSpec(components: [], model: path)
        let uses = TrainedRangeUse.snapshot(spec: spec, models: try spec.models())
        #expect(uses == [TrainedRangeUse(role: "weak", model: path)] && uses[0].note.contains("recipe unknown"))
    }

    /// The held-out loss of a report: equal for two loads of one model file, different for a model of
    /// another recipe (both on the toy's one held-out set).
    @Test func heldOutLossIsComparableAcrossRecipes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("learned-held-out-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let recipe = TrainingRecipe(width: 5, depth: 1, frequencies: 1, steps: 6, batchSize: 32, seed: 2)
        var narrower = recipe
        narrower.width = 3
        let path = folder.appendingPathComponent("m.model").path
        try DenoiserTrainer(recipe: recipe, source: LearnedToy.one.ideal, threads: 1).train().write(to: path)
        let losses = try (0..<2).map { _ in try TrainReport(model: try TrainOptions.loadModel(path).model, toy: .one, evaluation: nil).heldOutLoss }
        #expect(losses[0].bitPattern == losses[1].bitPattern)
        let other = try DenoiserTrainer(recipe: narrower, source: LearnedToy.one.ideal, threads: 1).train()
        #expect(try TrainReport(model: other, toy: .one, evaluation: nil).heldOutLoss != losses[0])
    }

    /// --seeds as a range or list, --checkpoints in increasing order, and the file names they give.
    @Test func seedsCheckpointsAndTheirFiles() throws {
        #expect(try Self.request(["--seeds", "0..4"]).seeds == [0, 1, 2, 3, 4])
        #expect(try Self.request(["--seeds", "0, 3,7"]).seeds == [0, 3, 7])
        let request = try Self.request(["--steps", "300", "--checkpoints", "200,100", "--seeds", "2..3"])
        #expect(request.checkpoints == [100, 200])
        #expect(request.modelFiles(out: "/tmp/s.model").map(\.path) == [
            "/tmp/s.seed-2.step-100.model", "/tmp/s.seed-2.step-200.model", "/tmp/s.seed-2.model",
            "/tmp/s.seed-3.step-100.model", "/tmp/s.seed-3.step-200.model", "/tmp/s.seed-3.model"])
        #expect(try Self.request(["--steps", "300", "--checkpoints", "100"]).modelFiles(out: "m.model").map(\.path) == ["m.step-100.model", "m.model"])
        #expect(try Self.request(["--seeds", "1..2"]).trainer(seed: 2, threads: 1).recipe.seed == 2)
    }

    /// Bad values and inconsistent combinations: a usage error naming the option and what is accepted.
    @Test func badCommandLinesNameTheOption() {
        let cases: [([String], String)] = [
            (["--preset", "medium"], "--preset 'medium' is not valid"),
            (["--preset", "strong-1d", "--toy", "2d"], "does not match --preset"),
            (["--width", "0"], "--width '0' is not valid"),
            (["--data", "set:0"], "--data 'set:0' is not valid"),
            (["--data", "some"], "accepted: fresh, or set:N"),
            (["--remove", "2"], "removed component"),
            (["--remove", "0,1"], "at least one component"),
            (["--remove", "0,0", "--toy", "2d"], "distinct"),
            (["--learning-rate", "2"], "--learning-rate '2' is not valid"),
            (["--noise-std", "0"], "--noise-std '0' is not valid"),
            (["--checkpoints", "10,x"], "--checkpoints '10,x' is not valid"),
            (["--checkpoints", "20,20"], "--checkpoints '20,20' is not valid"),
            (["--checkpoints", "0"], "--checkpoints '0' is not valid"),
            (["--steps", "100", "--checkpoints", "50,100"], "--checkpoints 100 is not before the end of training at step 100"),
            (["--preset", "weak-1d", "--checkpoints", "300"], "not before the end of training at step 300"),
            (["--seeds", "0..4", "--seed", "1"], "--seeds and --seed both choose the training seed"),
            (["--seeds", "4..2"], "--seeds '4..2' is not valid"),
            (["--seeds", "1,1"], "--seeds '1,1' is not valid"),
            (["--seeds", "0..1000"], "--seeds '0..1000' is not valid"),
            (["--seeds", "a"], "--seeds 'a' is not valid"),
        ]
        for (arguments, expected) in cases {
            let message = Self.usageMessage(arguments)
            #expect(message?.contains(expected) == true, "\(arguments): \(message ?? "accepted")")
        }
    }

    /// A bad, missing or mismatched model file is a usage error (exit status 2 on the command line).
    @Test func badModelFilesAreUsageErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("learned-options-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.model").path
        try Data("toy-w2sd learned denoiser\n{}\n".utf8).write(to: URL(fileURLWithPath: bad))
        let threeD = folder.appendingPathComponent("three.model").path
        let network = DenoiserNetwork(architecture: try DenoiserArchitecture(dimension: 3, width: 2, depth: 1), seed: 0)
        try LearnedDenoiser(network: network, preconditioning: try EDMPreconditioning(sigmaData: 1)).write(to: threeD)
        for (path, expected) in [(bad, "missing key"), (threeD, "dimension 3"), (folder.appendingPathComponent("none.model").path, "an existing, readable model file")] {
            do {
                _ = try TrainOptions.loadModel(path)
                Issue.record("\(path) accepted")
            } catch let error as UsageError {
                #expect(error.message.contains(expected), "\(error.message)")
            }
        }
    }
}
