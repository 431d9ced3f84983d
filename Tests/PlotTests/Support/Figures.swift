import Foundation
@testable import Plot

/// Figures shared by several tests.
enum SampleFigures {
    static func gaussianBump(count: Int = 41) -> Grid2D {
        let axis = Grid2D.evenlySpaced(from: -3, to: 3, count: count)
        return Grid2D(x: axis, y: axis) { x, y in exp(-(x * x + y * y) / 2) }
    }

    /// Two bumps of different heights, so contours have several components.
    static func twoBumps(count: Int = 41) -> Grid2D {
        let axis = Grid2D.evenlySpaced(from: -3, to: 3, count: count)
        return Grid2D(x: axis, y: axis) { x, y in
            exp(-((x + 1.2) * (x + 1.2) + y * y) / 0.8) + 0.6 * exp(-((x - 1.3) * (x - 1.3) + (y - 0.8) * (y - 0.8)) / 0.5)
        }
    }

    /// `groups` x `perGroup` random-walk trajectories of `length` points.
    static func trajectories(groups: Int, perGroup: Int, length: Int, seed: UInt64) -> [[[Double]]] {
        var generator = SplitMix64(seed: seed)
        return (0..<groups).map { group in
            (0..<perGroup).map { _ in
                var position = generator.normal() * 2
                let target = Double(group) * 2 - 2
                return (0..<length).map { _ in
                    position += 0.08 * (target - position) + 0.15 * generator.normal()
                    return position
                }
            }
        }
    }

    /// The size-budget figure: 5 panels with 3 x 64 trajectories of 100 points, 4 histograms and
    /// 3 filled contour plots.
    static func budgetFigure() -> Figure {
        let steps = (0..<100).map(Double.init)
        let groups = trajectories(groups: 3, perGroup: 64, length: 100, seed: 7)
        var trajectoryPanel = Panel(title: "Trajectories", xAxis: Axis(label: "step"), yAxis: Axis(label: "x"))
        for (index, group) in groups.enumerated() {
            trajectoryPanel.add(.lines(Lines(x: steps, ys: group, style: LineStyle(color: .categorical(index), width: 0.8, opacity: 0.25), label: "group \(index)")))
        }
        var generator = SplitMix64(seed: 11)
        var histogramPanel = Panel(title: "Histograms", xAxis: Axis(label: "x"), yAxis: Axis(label: "density"))
        for index in 0..<4 {
            let values = (0..<5000).map { _ in generator.normal() + Double(index) }
            histogramPanel.add(.histogram(HistogramMark(histogram: Histogram(values: values, binCount: 60), color: .categorical(index), label: "h\(index)")))
        }
        let contourPanels = [gaussianBump(count: 60), twoBumps(count: 60), twoBumps(count: 50)].enumerated().map { index, grid in
            Panel(title: "Density \(index)", equalAspect: true, marks: [.filledContour(FilledContour(grid: grid, levels: .automatic(count: 10)))])
        }
        return Figure(title: "Budget", width: 1500, height: 900, rows: 2, columns: 3,
                      panels: [trajectoryPanel, histogramPanel] + contourPanels)
    }
}
