import Foundation
import Testing
@testable import Plot

@Suite struct RendererTests {
    static let nastyTitles = ["a < b & c > d", "\"quoted\" 'single'", "Größe µ σ² — 漢字 🎲", "<![CDATA[x]]>", "tab\tand\u{1}control", "&amp; already"]

    /// A random figure with random marks; data contain NaN and infinities.
    static func randomFigure(seed: UInt64) -> Figure {
        var generator = SplitMix64(seed: seed)
        func value() -> Double {
            switch generator.next() % 20 {
            case 0: return .nan
            case 1: return .infinity
            case 2: return -.infinity
            default: return generator.normal() * pow(10, Double(generator.next() % 5) - 2)
            }
        }
        func title() -> String { nastyTitles[Int(generator.next() % UInt64(nastyTitles.count))] }
        let rows = 1 + Int(generator.next() % 2), columns = 1 + Int(generator.next() % 3)
        let panels = (0..<(rows * columns)).map { _ -> Panel in
            var panel = Panel(title: title(), xAxis: Axis(label: title(), scale: generator.next() % 4 == 0 ? .log : .linear),
                              yAxis: Axis(label: title()), equalAspect: generator.next() % 3 == 0)
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let n = 1 + Int(generator.next() % 30)
                let xs = (0..<n).map { _ in value() }, ys = (0..<n).map { _ in value() }
                let color = Color.categorical(Int(generator.next() % 8))
                let grid = Grid2D(x: (0..<6).map(Double.init), y: (0..<5).map(Double.init), z: (0..<30).map { _ in value() })
                let marks: [Mark] = [
                    .lines(Lines(x: xs, y: ys, style: LineStyle(color: color, opacity: 0.5), label: title())),
                    .scatter(Scatter(x: xs, y: ys, shape: [.dot, .cross, .circle][Int(generator.next() % 3)], color: color, label: title())),
                    .histogram(HistogramMark(histogram: Histogram(values: xs, binCount: 5), style: generator.next() % 2 == 0 ? .bars : .step, color: color, label: title())),
                    .band(Band(x: xs.sorted(), lower: ys, upper: ys.map { $0 + 1 }, color: color, label: title())),
                    .contour(Contour(grid: grid, levels: .values([value(), value()]))),
                    .filledContour(FilledContour(grid: grid, colorbarLabel: title())),
                    .heatmap(Heatmap(grid: grid, colorbarLabel: title())),
                    .quiver(Quiver(x: xs, y: ys, u: ys, v: xs, color: color, label: title())),
                    .text(TextAnnotation(title(), x: value(), y: value())),
                    .referenceLine(ReferenceLine(.horizontal, at: value(), label: title())),
                    .span(Span(.vertical, from: value(), to: value(), color: color, label: title())),
                ]
                panel.add(marks[Int(generator.next() % UInt64(marks.count))])
            }
            return panel
        }
        return Figure(title: title(), width: 300 + Int(generator.next() % 900), height: 200 + Int(generator.next() % 700),
                      rows: rows, columns: columns, panels: panels)
    }

    @Test func randomFiguresWithNastyTextAndNonFiniteDataGiveWellFormedSVG() throws {
        for seed in UInt64(1)...60 {
            let svg = try Self.randomFigure(seed: seed).svg()
            #expect(isWellFormedXML(svg), "seed \(seed): SVG does not parse")
            let lower = svg.lowercased()
            #expect(!lower.contains("nan") && !lower.contains("inf"), "seed \(seed): non-finite number written")
        }
    }

    @Test func svgHasViewBoxAndTwoDecimalCoordinates() throws {
        let svg = try SampleFigures.budgetFigure().svg()
        #expect(svg.contains("viewBox=\"0 0 1500 900\""))
        let numbers = svg.split(whereSeparator: { " ,\"".contains($0) }).filter { $0.first?.isNumber == true && $0.contains(".") }
        #expect(numbers.allSatisfy { ($0.split(separator: ".").last?.count ?? 0) <= 3 })
    }

    @Test func renderingIsByteIdentical() throws {
        for seed in UInt64(100)...105 {
            let figure = Self.randomFigure(seed: seed)
            #expect(try figure.svg() == Self.randomFigure(seed: seed).svg(), "seed \(seed)")
            #expect(try figure.ppm(width: 160, height: 120) == figure.ppm(width: 160, height: 120), "seed \(seed)")
        }
    }

    @Test func ppmHasHeaderAndExactLength() throws {
        let figure = Self.randomFigure(seed: 7)
        for (width, height) in [(1, 1), (97, 31), (320, 240)] {
            let bytes = try figure.ppm(width: width, height: height)
            let header = Array("P6\n\(width) \(height)\n255\n".utf8)
            #expect(Array(bytes.prefix(header.count)) == header)
            #expect(bytes.count == header.count + width * height * 3)
        }
        #expect(throws: PlotError.self) { try figure.ppm(width: 0, height: 10) }
    }

    /// A heatmap filling the plot shows its colours in the PPM where text never goes.
    @Test func ppmDrawsHeatmapColours() throws {
        let grid = Grid2D(x: [0, 1], y: [0, 1], z: [0, 0, 0, 0])
        let figure = Figure(width: 200, height: 200, panels: [Panel(marks: [.heatmap(Heatmap(grid: grid, colormap: Colormap(stops: [.blue, .blue])))])])
        let bytes = try figure.ppm()
        let headerLength = "P6\n200 200\n255\n".utf8.count
        let center = headerLength + (100 * 200 + 110) * 3
        let (r, g, b) = Color.blue.bytes
        #expect(Array(bytes[center..<(center + 3)]) == [r, g, b])
    }

    @Test func budgetFigureStaysUnder500KB() throws {
        let size = try SampleFigures.budgetFigure().svg().utf8.count
        print("budget figure SVG: \(size) bytes")
        #expect(size < 500_000)
    }

    @Test func invalidInputsGiveTypedPrintableErrors() {
        let mismatched = Figure(panels: [Panel(marks: [.scatter(Scatter(x: [1, 2], y: [1], color: .blue))])])
        #expect(throws: PlotError.mismatchedLengths(name: "panel 0 mark 0 scatter y", expected: 2, actual: 1)) { try mismatched.svg() }
        let logLimits = Figure(panels: [Panel(xAxis: Axis(scale: .log, limits: AxisLimits(0, 1)))])
        do {
            _ = try logLimits.svg()
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("0 < lower < upper"))
        }
    }
}
