import Experiments
import Foundation
import Testing
import Toy

/// Experiment files decoded in process: every invalid one is refused with the JSON path at fault;
/// valid ones round-trip; a saved report is itself a config.
@Suite struct ConfigFileTests {
    static let models2D = """
        "ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
        "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
        "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}
        """

    /// (name, document, the JSON path the error must name)
    static let invalid: [(String, String, String)] = [
        ("malformed JSON", #"{"ideal": {"components": [ }"#, "well-formed JSON"),
        ("wrong covariance shape", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}, {"weight": 1, "mean": [1, 1], "std": 1},
                                       {"weight": 1, "mean": [2, 2], "covariance": [[1, 0]]}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "strong.components[2].covariance"),
        ("non-symmetric covariance", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "covariance": [[1, 0.5], [0, 1]]}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "ideal.components[0].covariance"),
        ("not positive definite", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "covariance": [[1, 2], [2, 1]]}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "ideal.components[0].covariance"),
        ("string where a number belongs", """
            {"ideal": {"components": [{"weight": "half", "mean": [0, 0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "ideal.components[0].weight"),
        ("unknown key", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "stong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "stong"),
        ("missing key", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "strong"),
        ("negative weight", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}, {"weight": -1, "mean": [0, 0], "std": 1}]}}
            """, "weak.components[1].weight"),
        ("all-zero weights", """
            {"ideal": {"components": [{"weight": 0, "mean": [0, 0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "ideal.components"),
        ("dimension mismatch", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "strong.components[0].mean"),
        ("both std and covariance", """
            {"ideal": {"components": [{"weight": 1, "mean": [0, 0], "std": 1, "covariance": [[1, 0], [0, 1]]}]},
             "strong": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]},
             "weak": {"components": [{"weight": 1, "mean": [0, 0], "std": 1}]}}
            """, "ideal.components[0]"),
        ("lambda above steps - 1", "{\(models2D), \"sampler\": {\"steps\": 10, \"lambda\": 12}}", "sampler.lambda"),
        ("bad solver", "{\(models2D), \"sampler\": {\"solver\": \"rk45\"}}", "sampler.solver"),
        ("unknown sampler key", "{\(models2D), \"sampler\": {\"stpes\": 10}}", "sampler.stpes"),
        ("duplicate sampler key", "{\(models2D), \"sampler\": {\"steps\": 10, \"steps\": 12}}", "sampler.steps"),
        ("steps as text", "{\(models2D), \"sampler\": {\"steps\": \"ten\"}}", "sampler.steps"),
        ("tolerance without exact inversion", "{\(models2D), \"sampler\": {\"inversionTolerance\": 1e-9}}", "sampler.inversionTolerance"),
        ("inversion error with exact inversion", "{\(models2D), \"sampler\": {\"inversion\": \"exact\", \"inversionError\": 0.1}}", "sampler.inversionError"),
        ("unknown method", "{\(models2D), \"methods\": [\"w2sd\", \"magic\"]}", "methods"),
        ("seed above 2^64 - 1", "{\(models2D), \"sampler\": {\"seed\": 18446744073709551616}}", "sampler.seed"),
    ]

    @Test(arguments: invalid.indices)
    func refusedWithItsPath(_ index: Int) {
        let (name, text, path) = Self.invalid[index]
        do {
            let spec = try ExperimentSpec.decode(Data(text.utf8), source: "test.json")
            _ = try spec.models(source: "test.json")
            Issue.record("\(name): accepted")
        } catch let error as ToyError {
            #expect("\(error)".contains(path), "\(name): expected '\(path)' in '\(error)'")
        } catch {
            Issue.record("\(name): \(error)")
        }
    }

    /// Every example file decodes, and encoding then decoding gives the same experiment.
    @Test func examplesRoundTrip() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in ["preset-1d", "preset-2d", "three-d"] {
            let spec = try ExperimentSpec.load(path: root.appendingPathComponent("Examples/\(name).json").path)
            let again = try ExperimentSpec.decode(try ReportEncoding.encode(spec), source: name)
            #expect(again == spec.resolvedForEcho, "\(name)")
            #expect(try again.models().mixtures == spec.models().mixtures)
        }
    }

    /// The 1D preset file is the 1D preset.
    @Test func presetFileIsThePreset() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try ExperimentSpec.load(path: root.appendingPathComponent("Examples/preset-1d.json").path)
        #expect(try file.models().mixtures == Presets.oneDimensional())
        #expect(file.resolvedForEcho == ExperimentSpec.preset(dimension: 1).resolvedForEcho)
    }
}
