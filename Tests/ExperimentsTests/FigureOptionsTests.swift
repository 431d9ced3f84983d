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
        let letters = Set(figure.placements.compactMap { $0.panel.title.first == "(" ? String($0.panel.title.dropFirst().prefix(1)) : nil })
        #expect(letters == Set(FigureOptions.letters(dimension: 1)))
        let cut = FigureOptions(panels: ["b", "d"]).apply(to: figure)
        #expect(cut.placements.allSatisfy { $0.panel.title.hasPrefix("(b)") || $0.panel.title.hasPrefix("(d)") })
        #expect(cut.placements.count == 4 && cut.rows == 2 && cut.height == figure.height / 2)
        let one = FigureOptions(panels: ["e"], fontSize: 22).apply(to: figure)
        #expect(one.placements.count == 1 && one.rows == 1 && one.columns == 1 && one.width == 900 && one.title.isEmpty)
        #expect(one.fontScale == 2)
        let sized = FigureOptions(size: (width: 640, height: 480)).apply(to: figure)
        #expect(sized.width == 640 && sized.height == 480 && sized.placements.count == figure.placements.count)
        #expect(try sized.svg().contains("width=\"640\""))
    }

    @Test func titleNamesTheMethodsDrawn() throws {
        let figure = try ExperimentFigure.figure(try Self.run([.strong, .autoguidance]))
        #expect(figure.title.hasPrefix("strong, autoguidance w=2 on the 1D toy"))
        #expect(!figure.title.contains("W2SD"))
    }
}
