import Foundation
import Testing
import TestSupport
@testable import Plot

/// Print sizes: the 7 pt text and 0.5 pt line floors measured in the written PDF, panel letters,
/// reflow at narrow widths, explicit ticks, heatmap cell labels and hatching, SVG sizes in points.
@Suite struct PrintSizeTests {
    /// A figure that asks for less than the floors everywhere: tiny annotations, subscripts in small
    /// text, hairlines, a rotated axis label, a tiny font scale.
    static func smallFigure(seed: UInt64) -> Figure {
        var rng = SplitMix64(seed: seed)
        var panels: [Panel] = []
        for index in 0..<5 {
            var panel = Panel(title: "panel \(index) σ₁ x₂", xAxis: Axis(label: "x₁ / √(1 + σ²)"), yAxis: Axis(label: "density p₁"))
            let x = (0..<20).map(Double.init)
            panel.add(.lines(Lines(x: x, y: x.map { _ in rng.unit() }, style: LineStyle(color: .blue, width: 0.1 + 0.3 * rng.unit()), label: "W₁ line")))
            panel.add(.text(TextAnnotation("tiny x₁", x: 3, y: 0.5, size: 2 + 3 * rng.unit())))
            panel.add(.scatter(Scatter(x: [1, 2], y: [0.2, 0.4], shape: .cross, color: .orange, size: 2)))
            panels.append(panel)
        }
        return Figure(title: "a small figure with a long title that must wrap at print width σ₁", width: 1500, height: 900,
                      rows: 2, columns: 3, panels: panels, fontScale: 0.3 + 0.5 * rng.unit())
    }

    @Test(arguments: [Figure.columnWidthInPoints, Figure.pageWidthInPoints])
    func everyTextAndLineMeetsTheFloorsInThePDF(widthPoints: Double) throws {
        for seed in UInt64(1)...4 {
            let figure = Self.smallFigure(seed: seed).fitted(width: Int((widthPoints / 0.75).rounded()), minimumPanelWidth: 200)
            let measures = try PDFPrintMeasures(pdf: try figure.pdf())
            #expect(abs(measures.pageWidth - widthPoints) < 0.5, "seed \(seed)")
            #expect(!measures.texts.isEmpty && !measures.lineWidths.isEmpty)
            let small = measures.texts.filter { $0.size < Figure.minimumTextPoints - 1e-6 }
            #expect(small.isEmpty, "seed \(seed): \(small.prefix(5))")
            let thin = measures.lineWidths.filter { $0 < Figure.minimumLinePoints - 1e-6 }
            #expect(thin.isEmpty, "seed \(seed): \(thin.prefix(5))")
        }
    }

    @Test func subscriptsAreRaisedToTheFloorAndMeasuredConsistently() {
        let size = FigureStyle.minimumTextSize
        let glyphs = TextShaping.glyphs("x₁", bold: false, size: size)
        #expect(glyphs.count == 2 && abs(glyphs[1].scale * size - size) < 1e-12)
        // At a large size the 0.7 script scale stays.
        #expect(TextShaping.glyphs("x₁", bold: false, size: 40)[1].scale == TextShaping.scriptScale)
        #expect(abs(TextMetrics.width("x₁", size: size) - TextShaping.glyphs("x₁", bold: false, size: size).reduce(0) { $0 + $1.advance } * size) < 1e-12)
    }

    @Test func panelLettersAreUniqueAndInReadingOrder() throws {
        var figure = Figure(width: 900, height: 600, rows: 2, columns: 2)
        // Placed out of reading order on purpose.
        figure.place(Panel(title: "bottom right"), row: 1, column: 1)
        figure.place(Panel(title: "top left"), row: 0, column: 0)
        figure.place(Panel(title: "bottom left"), row: 1, column: 0)
        figure.place(Panel(title: "top right"), row: 0, column: 1)
        figure.lettersPanels = true
        let svg = try figure.svg()
        let expected = ["(a) top left", "(b) top right", "(c) bottom left", "(d) bottom right"]
        for title in expected { #expect(svg.components(separatedBy: ">\(title)<").count == 2, "\(title)") }
        #expect(figure.panelLetters.map(\.letter) == ["a", "b", "c", "d"])
        #expect(figure.panelLetters.map(\.placement) == [1, 3, 2, 0])
        #expect(Figure.letter(25) == "z" && Figure.letter(26) == "aa" && Figure.letter(27) == "ab")
        // One panel alone carries no letter.
        var single = Figure(panels: [Panel(title: "alone")])
        single.lettersPanels = true
        #expect(try single.svg().contains(">alone<"))
    }

    @Test func narrowWidthsReflowInReadingOrderAndKeepTheAspect() {
        let panels = (0..<6).map { Panel(title: "p\($0)") }
        let figure = Figure(width: 1500, height: 1000, rows: 2, columns: 3, panels: panels)
        let page = figure.fitted(width: 648, minimumPanelWidth: 200)
        #expect(page.columns == 3 && page.rows == 2 && page.placements == figure.placements)
        // The grid keeps its aspect (within a pixel of rounding).
        let gridAspect = (Double(figure.height) - 16) / (Double(figure.width) - 16)
        #expect(abs((Double(page.height) - 16) - gridAspect * (648 - 16)) <= 1)
        let column = figure.fitted(width: 312, minimumPanelWidth: 200)
        #expect(column.columns == 1 && column.rows == 6)
        #expect(column.placements.map(\.panel.title) == panels.map(\.title) && column.placements.map(\.row) == Array(0..<6))
        let given = figure.fitted(width: 312, height: 700, minimumPanelWidth: 200)
        #expect(given.height == 700)
        // Four panels in a row, too narrow for three: two rows of two (balanced), not three and one.
        let four = Figure(width: 1840, height: 440, rows: 1, columns: 4, panels: Array(panels.prefix(4))).fitted(width: 648, minimumPanelWidth: 200)
        #expect(four.columns == 2 && four.rows == 2)
    }

    @Test func explicitTicksCarryTheirLabelsAndThinWhenCrowded() throws {
        var panel = Panel(xAxis: Axis(label: "solver", limits: AxisLimits(-0.5, 1.5), ticks: [Tick(value: 0, label: "euler"), Tick(value: 1, label: "heun")]),
                          yAxis: Axis(label: "gamma", limits: AxisLimits(-0.5, 1.5)))
        panel.add(.heatmap(Heatmap(grid: Grid2D(x: [0, 1], y: [0, 1], z: [1, 2, 3, 4]))))
        let svg = try Figure(width: 400, height: 300, panels: [panel]).svg()
        #expect(svg.contains(">euler<") && svg.contains(">heun<"))
        let style = FigureStyle()
        let crowded = (0..<40).map { Tick(value: Double($0), label: "value \($0)") }
        let ticks = Figure.axisTicks(-0.5...39.5, axis: Axis(ticks: crowded), pixels: 300, horizontal: true, style: style)
        let shown = ticks.filter { !$0.label.isEmpty }
        #expect(ticks.count == 40 && shown.count < 40 && shown.first?.label == "value 0")
        let gaps = zip(shown, shown.dropFirst()).map { ($1.value - $0.value) / 40 * 300 }
        let widest = shown.map { TextMetrics.width($0.label, size: style.tickLabelSize) }.max() ?? 0
        #expect(gaps.allSatisfy { $0 >= widest + 8 - 1e-9 })
    }

    @Test func heatmapCellLabelsOnlyWhenTheyFitAndHatchingInsideItsCells() throws {
        let grid = Grid2D(x: [0, 1, 2], y: [0, 1], z: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
        let labels = ["a1", "a2", "a3", "b1", "b2", "b3"]
        var panel = Panel(showsGrid: false)
        panel.add(.heatmap(Heatmap(grid: grid, cellLabels: labels, hatchedCells: [true, false, false, false, false, true])))
        let wide = try Figure(width: 600, height: 400, panels: [panel]).svg()
        #expect(labels.allSatisfy { wide.contains(">\($0)<") })
        var long = panel
        long.marks = [.heatmap(Heatmap(grid: grid, cellLabels: labels.map { $0 + " a label far wider than any cell" }))]
        let narrow = try Figure(width: 600, height: 400, panels: [long]).svg()
        #expect(!narrow.contains("a label far wider"))
        let rect = PixelRect(x: 10, y: 20, width: 30, height: 15)
        let lines = Heatmap.hatching(rect)
        #expect(!lines.isEmpty && lines.allSatisfy { $0.allSatisfy { rect.insetBy(-1e-9).contains($0) } })
        var bad = panel
        bad.marks = [.heatmap(Heatmap(grid: grid, cellLabels: ["x"]))]
        #expect(throws: PlotError.self) { try Figure(panels: [bad]).svg() }
    }

    /// A heatmap of one row (a one-axis sweep's difference panel with one compared method) renders, its
    /// lone row spanning one unit around its node; a contour still needs 2 x 2 nodes.
    @Test func aHeatmapOfOneRowSpansOneUnit() throws {
        let grid = Grid2D(x: [0, 1, 2], y: [0], z: [-1, 0, 1])
        var panel = Panel(showsGrid: false)
        panel.add(.heatmap(Heatmap(grid: grid, cellLabels: ["-1", "0", "1"])))
        let svg = try Figure(width: 600, height: 400, panels: [panel]).svg()
        #expect(["-1", "0", "1"].allSatisfy { svg.contains(">\($0)<") })
        #expect(Heatmap.cellEdges([0]) == [-0.5, 0.5])
        var contour = Panel()
        contour.add(.contour(Contour(grid: grid)))
        #expect(throws: PlotError.self) { try Figure(panels: [contour]).svg() }
    }

    @Test func svgSizeInPointsStatesThePhysicalSize() throws {
        let figure = Figure(width: 648, height: 400, panels: [Panel(title: "t")])
        let svg = try figure.svg(sizeInPoints: true)
        #expect(svg.contains("width=\"486pt\" height=\"300pt\" viewBox=\"0 0 648 400\""))
        #expect(try figure.svg().contains("width=\"648\" height=\"400\""))
        #expect(figure.rasterSize(dpi: 300) == (2025, 1250))
    }
}
