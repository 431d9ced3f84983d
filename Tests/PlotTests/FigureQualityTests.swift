import Foundation
import Testing
@testable import Plot

@Suite struct FigureQualityTests {
    /// Grid lines are drawn after the heatmap / filled contour and before the lines drawn after them.
    @Test func gridLiesAboveFilledAreasAndBelowLines() throws {
        let grid = Grid2D(x: [0, 1, 2], y: [0, 1], z: [0, 1, 2, 3, 4, 5])
        let line = LineStyle(color: .vermillion, width: 2)
        let figure = Figure(width: 400, height: 300, panels: [Panel(marks: [
            .heatmap(Heatmap(grid: grid)), .lines(Lines(x: [0, 2], y: [0, 1], style: line)),
        ])])
        let plotted = try #require(try figure.scene().groups.first { $0.clip != nil }).items
        func isGrid(_ item: SceneItem) -> Bool {
            if case let .polyline(_, stroke) = item { return stroke.color == FigureStyle.gridColor }
            return false
        }
        let lastCell = try #require(plotted.lastIndex { if case .rectangle = $0 { return true } else { return false } })
        let firstGrid = try #require(plotted.firstIndex(where: isGrid)), lastGrid = try #require(plotted.lastIndex(where: isGrid))
        let dataLine = try #require(plotted.firstIndex { if case let .polyline(_, stroke) = $0 { return stroke.color == .vermillion } else { return false } })
        #expect(lastCell < firstGrid && lastGrid < dataLine)
        // Without area marks the grid stays first, as before.
        let plain = try Figure(width: 400, height: 300, panels: [Panel(marks: [.lines(Lines(x: [0, 2], y: [0, 1], style: line))])]).scene()
        #expect(isGrid(try #require(plain.groups.first { $0.clip != nil }?.items.first)))
    }

    /// An outside legend sits right of the plot area, inside its cell, and the plot gives up the width
    /// it takes; inside legends leave the plot its full width.
    @Test func anOutsideLegendCoversNoData() throws {
        func layout(_ position: LegendPosition) throws -> (plot: PixelRect, legend: Legend, cell: PixelRect) {
            let panel = Panel(legend: position, marks: [.lines(Lines(x: [0, 1], y: [0, 1], style: LineStyle(color: .blue), label: "a long label"))])
            let layout = try #require(Figure(width: 500, height: 300, panels: [panel]).layout().first)
            return (layout.frame.rect, Legend(entries: panel.marks.compactMap(\.legendEntry), style: layout.style), layout.cell)
        }
        let inside = try layout(.topRight), outside = try layout(.outsideRight)
        let box = outside.legend.box(in: outside.plot, position: .outsideRight, avoiding: [])
        #expect(box.x >= outside.plot.maxX && box.maxX <= outside.cell.maxX + 1e-9, "legend \(box) right of plot \(outside.plot) in \(outside.cell)")
        #expect(abs(inside.plot.width - outside.plot.width - (Legend.inset + outside.legend.size.width)) < 1e-9)
        let corner = inside.legend.box(in: inside.plot, position: .topRight, avoiding: [])
        #expect(corner.maxX <= inside.plot.maxX && corner.x >= inside.plot.x)
    }

    @Test func tickLabelsUseTheMinusSign() throws {
        let figure = Figure(width: 400, height: 300, panels: [Panel(marks: [.lines(Lines(x: [-3, 3], y: [-0.5, 0.5], style: LineStyle(color: .blue)))])])
        let labels = PDFTests.sceneTexts(try figure.scene()).map(\.text)
        #expect(labels.contains("\u{2212}2") && labels.contains("\u{2212}0.4"))
        #expect(labels.allSatisfy { !$0.contains("-") })
    }

    @Test func fontScaleScalesEveryTextAndIsValidated() throws {
        let panel = Panel(title: "panel", xAxis: Axis(label: "x"), yAxis: Axis(label: "y"), marks: [
            .lines(Lines(x: [0, 1], y: [0, 1], style: LineStyle(color: .blue), label: "line")),
        ])
        let normal = PDFTests.sceneTexts(try Figure(title: "T", width: 500, height: 400, panels: [panel]).scene())
        let large = PDFTests.sceneTexts(try Figure(title: "T", width: 500, height: 400, panels: [panel], fontScale: 1.5).scene())
        #expect(Set(normal.map(\.size)) == [17, 14, 13, 11])
        #expect(Set(large.map(\.size)) == [25.5, 21, 19.5, 16.5])
        #expect(throws: PlotError.invalidValue(name: "figure font scale", value: 0, accepted: "0.25...8")) {
            try Figure(fontScale: 0).svg()
        }
    }

    @Test func sizeCanBeSetInPoints() throws {
        var figure = Figure(width: 100, height: 100)
        figure.widthInPoints = 504
        figure.heightInPoints = 216
        #expect(figure.width == 672 && figure.height == 288)
        #expect(figure.widthInPoints == 504)
        figure.widthInPoints = .infinity
        #expect(throws: PlotError.self) { try figure.pdf() }
    }
}
