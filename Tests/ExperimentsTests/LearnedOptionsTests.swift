import Experiments
import Foundation
import Testing
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
        #expect(LearnedPreset.weak1D.recipe.steps == LearnedPreset.strong1D.recipe.steps / 10)
        #expect(LearnedPreset.weak2DMissing.recipe.removedComponents == [2])
        #expect(LearnedPreset.weak1DData.recipe.sigmaData == LearnedPreset.strong1D.recipe.sigmaData)
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
