import Experiments
import Foundation
import Plot
import Testing
import TestSupport
import Toy

/// Figures for print: the written PDF of the 1d, 2d, sweep and delta figures at column and page width
/// has every text >= 7 pt (Tf size x text matrix x transformation) and every line >= 0.5 pt; the
/// default PDF is page-wide; panel letters are unique and in reading order; sweep heatmaps label their
/// cells with the values; the size and font-size options are parsed and refused as documented.
@Suite struct PrintFigureTests {
    static func run(dimension: Int) throws -> ExperimentRun {
        var spec = ExperimentSpec.preset(dimension: dimension)
        spec.samples = 400
        spec.steps = 8
        spec.methods = [.strong, .weak, .w2sd]
        let runner = try ExperimentRunner(spec: spec, threads: 2, trajectories: 6)
        return ExperimentRun(spec: spec, models: runner.models, results: try runner.runAll(), trajectories: 6)
    }

    /// A two-axis sweep over the solver (words) and lambda (fractions of T), 2 repeats, strong and W2SD.
    static func sweep() throws -> SweepDocument {
        let base = StudyRunTests.base
        let sweep = try Sweep(base: base, axes: [try SweepAxis.parse("solver=euler,heun", base: base), try SweepAxis.parse("lambda=0.5T,1T", base: base)])
        return try sweep.run(command: "sweep 1d", metrics: ["W1"], executor: StudyExecutor(threads: 2, keepSamples: false))
    }

    static func delta() throws -> Figure {
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.steps = 8
        let models = try ExperimentRequest.checkedModels(spec, source: nil)
        let study = DeltaStudy(spec: spec, models: models, sigmas: [0.5, 2, 8], proxySigmas: [0.5, 2], threads: 2, gridPoints: 41)
        return DeltaFigure(title: "Δ₁ against Δ₂ (1D)", try study.run()).figure()
    }

    static func figures() throws -> [(String, Figure)] {
        [("1d", try ExperimentFigure.figure(try run(dimension: 1))), ("2d", try ExperimentFigure.figure(try run(dimension: 2))),
         ("sweep", SweepFigure.figure(try sweep())), ("delta", try delta())]
    }

    @Test func everyTextAndLinePrintsAtLeastTheFloorsAtColumnAndPageWidth() throws {
        for (name, figure) in try Self.figures() {
            for (sizeName, size) in [("column", FigureSize.column), ("page", FigureSize.page)] {
                let pdf = try FigureOptions(size: size).bytes(figure, path: "figure.pdf")
                let measures = try PDFPrintMeasures(pdf: pdf)
                guard case let .print(width, _) = size else { continue }
                #expect(abs(measures.pageWidth - width) < 0.5, "\(name) at \(sizeName): \(measures.pageWidth) pt wide")
                let small = measures.texts.filter { $0.size < 7 - 1e-6 }
                #expect(small.isEmpty, "\(name) at \(sizeName): \(small.count) texts below 7 pt, e.g. \(small.prefix(3))")
                let thin = measures.lineWidths.filter { $0 < 0.5 - 1e-6 }
                #expect(thin.isEmpty, "\(name) at \(sizeName): \(thin.count) lines below 0.5 pt, e.g. \(thin.prefix(3))")
                #expect(measures.texts.count > 20 && measures.lineWidths.count > 20, "\(name) at \(sizeName)")
            }
        }
    }

    @Test func theDefaultPDFIsPageWideAndOtherFormatsKeepTheirPixels() throws {
        let figure = try ExperimentFigure.figure(try Self.run(dimension: 2))
        let measures = try PDFPrintMeasures(pdf: try FigureOptions().bytes(figure, path: "f.pdf"))
        #expect(measures.pageWidth <= 504 && abs(measures.pageWidth - Figure.pageWidthInPoints) < 0.5)
        let svg = String(decoding: try FigureOptions().bytes(figure, path: "f.svg"), as: UTF8.self)
        #expect(svg.contains("width=\"\(figure.width)\" height=\"\(figure.height)\""))
        let printed = String(decoding: try FigureOptions(size: .column).bytes(figure, path: "f.svg"), as: UTF8.self)
        #expect(printed.contains("width=\"234pt\""))
        let png = try FigureOptions(size: .print(widthPoints: 234, heightPoints: 144), dpi: 300).bytes(figure, path: "f.png")
        // IHDR: width and height at bytes 16...23 (big endian): 3.25 in x 2 in at 300 dpi.
        let side = { (at: Int) in png[at..<(at + 4)].reduce(0) { $0 * 256 + Int($1) } }
        #expect(side(16) == 975 && side(20) == 600)
    }

    @Test func panelLettersAreUniqueAndInReadingOrder() throws {
        for (name, figure) in try Self.figures() {
            let letters = figure.panelLetters
            #expect(Set(letters.map(\.letter)).count == figure.placements.count, "\(name)")
            let places = letters.map { (figure.placements[$0.placement].row, figure.placements[$0.placement].column) }
            #expect(zip(places, places.dropFirst()).allSatisfy { $0 < $1 }, "\(name): \(places)")
            let svg = try figure.svg()
            for letter in letters.map(\.letter) {
                #expect(svg.components(separatedBy: ">(\(letter))").count == 2, "\(name): (\(letter)) once")
            }
        }
        // A cut is lettered again from (a); a letter the figure lacks is refused.
        let figure = try ExperimentFigure.figure(try Self.run(dimension: 2))
        let cut = FigureOptions(panels: ["d", "e"]).apply(to: figure)
        #expect(cut.placements.count == 2 && cut.panelLetters.map(\.letter) == ["a", "b"])
        #expect(throws: UsageError.self) { try FigureOptions(panels: ["zz"]).checkPanels(of: figure) }
    }

    @Test func sweepHeatmapsLabelTheirCellsWithTheValuesAndShowThePairedDifference() throws {
        let document = try Self.sweep()
        let svg = try SweepFigure.figure(document).svg()
        for word in ["euler", "heun", "0.5T", "1T"] { #expect(svg.contains(">\(word)<"), "\(word)") }
        #expect(!svg.contains("0 = euler") && !svg.contains("(fraction of T)"))
        #expect(svg.contains("W2SD − strong, W1") && svg.contains("W1 (lower is better)"))
        // The difference panel's cells are the paired means W2SD - strong over the seeds.
        let cell = try #require(document.cells.first)
        let paired = try #require(document.pairedToStrong(cell: cell, method: "w2sd", metric: "W1"))
        let a = try #require(document.summary(cell: cell, method: "w2sd", metric: "W1")?.values)
        let b = try #require(document.summary(cell: cell, method: "strong", metric: "W1")?.values)
        #expect(abs(paired.mean - zip(a, b).map { $0 - $1 }.reduce(0, +) / Double(a.count)) <= 1e-15 * max(1, abs(paired.mean)))
    }

    @Test func sizesAreParsedAndBadOnesRefused() {
        #expect(FigureSize.parse("column") == .column && FigureSize.parse("PAGE") == .page)
        #expect(FigureSize.parse("3.25x2in") == .print(widthPoints: 234, heightPoints: 144))
        #expect(FigureSize.parse("486x300pt") == .print(widthPoints: 486, heightPoints: 300))
        #expect(FigureSize.parse("640x480") == .pixels(width: 640, height: 480))
        for bad in ["", "x", "3.25x2", "3.25in", "0x2in", "25x2in", "640x", "50x50", "axbpt", "column2", "3x2cm", "-3x2in"] {
            #expect(FigureSize.parse(bad) == nil, "\(bad)")
        }
        #expect(FigureOptions.minimumFontSize * Figure.pointsPerPixel >= 7 && (FigureOptions.minimumFontSize - 0.01) * Figure.pointsPerPixel < 7)
    }
}
