import Experiments
import Plot
import Testing
import Toy

/// Cutting the composite figure: the chosen panels keep their places, rows without one are dropped,
/// one panel alone becomes a publication-size figure; titles name the methods drawn.
@Suite struct FigureOptionsTests {
    static func run(_ methods: [MethodName], dimension: Int = 1) throws -> ExperimentRun {
        var spec = ExperimentSpec.preset(dimension: dimension)
        spec.samples = 200
        spec.steps = 8
        spec.methods = methods
        let runner = try ExperimentRunner(spec: spec, threads: 2, trajectories: 4)
        return ExperimentRun(spec: spec, models: runner.models, results: try runner.runAll(), trajectories: 4)
    }

    @Test func panelSubsetsAndSizes() throws {
        let figure = try ExperimentFigure.figure(try Self.run([.strong, .w2sd]))
        // 1D: three densities, histograms and trajectories, three Delta panels, the close-up.
        #expect(FigureOptions.letters(figure) == ["a", "b", "c", "d", "e", "f", "g", "h", "i"])
        let cut = FigureOptions(panels: ["d", "f"]).apply(to: figure)
        #expect(cut.placements.map(\.panel.title) == [figure.placements[3].panel.title, figure.placements[5].panel.title])
        #expect(cut.placements.count == 2 && cut.rows == 2 && cut.height == figure.height / 2)
        let one = FigureOptions(panels: ["i"], fontSize: 22).apply(to: figure)
        #expect(one.placements.count == 1 && one.rows == 1 && one.columns == 1 && one.width == 900 && one.title.isEmpty)
        #expect(one.fontScale == 2 && one.placements[0].panel.title.hasPrefix("one W2SD trajectory close up"))
        let sized = FigureOptions(size: .pixels(width: 640, height: 480)).apply(to: figure)
        #expect(sized.width == 640 && sized.height == 480 && sized.placements.count == figure.placements.count)
        #expect(try sized.svg().contains("width=\"640\""))
    }

    @Test func titleNamesTheMethodsDrawn() throws {
        let figure = try ExperimentFigure.figure(try Self.run([.strong, .autoguidance]))
        #expect(figure.title.hasPrefix("strong, autoguidance w=2 on the 1D toy"))
        #expect(!figure.title.contains("W2SD"))
    }
}
