import Experiments
import Foundation
import Testing
import Toy

/// The "Experiments as a library" program of Documentation/library.md, verbatim apart from its sizes (made small for a
/// debug build): a researcher's own study in a few lines, with no command line in between.
@Suite struct LibraryExampleTests {
    @Test func manualProgramRuns() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("toy-w2sd-library-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var printed: [String] = []

        // --- Documentation/library.md program (sizes: samples 100_000 -> 400, steps 50 -> 8) ---
        var spec = ExperimentSpec.preset(dimension: 1)              // the pinned 1D preset
        spec.weak.components[0].weight = 0                          // weak model without the left mode
        spec.methods = [.exact, .strong, .w2sd, .w2sdCorrected]
        spec.samples = 400
        spec.steps = 8
        for gamma in [0.25, 0.5, 1.0] {
            spec.gamma = gamma
            let runner = try ExperimentRunner(spec: spec, trajectories: 16)
            let (results, repeated) = try runner.runRepeats(3, modeNames: spec.modeNames)
            let w1 = repeated.pairedToStrong(.w2sd, "W1")                // W2SD minus strong, same seeds
            printed.append("gamma \(gamma): W2SD - strong W1 = \(RepeatTable.interval(w1))")
            let run = ExperimentRun(spec: spec, models: runner.models, results: results, trajectories: 16)
            let figure = FigureOptions(panels: ["b"]).apply(to: try ExperimentFigure.figure(run))
            try Data(try figure.pdf()).write(to: directory.appendingPathComponent("gamma-\(gamma).pdf"))
        }
        // --- end of the Documentation/library.md program ---

        #expect(printed.count == 3 && printed.allSatisfy { $0.contains("[") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 3)
    }
}
