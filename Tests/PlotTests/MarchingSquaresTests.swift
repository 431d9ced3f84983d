import Foundation
import Testing
@testable import Plot

@Suite struct MarchingSquaresTests {
    /// Shoelace area of a closed polygon.
    static func area(_ points: [Point]) -> Double {
        abs(zip(points, points.dropFirst() + points.prefix(1)).map { $0.x * $1.y - $1.x * $0.y }.reduce(0, +)) / 2
    }

    /// exp(-(x² + y²) / 2) = level is a circle of radius sqrt(-2 ln level): area -2π ln(level).
    @Test(arguments: [0.1, 0.3, 0.5, 0.8])
    func gaussianBumpContourEnclosesAnalyticArea(level: Double) {
        let paths = SampleFigures.gaussianBump(count: 41).contourPaths(level: level)
        #expect(paths.count == 1)
        guard let path = paths.first else { return }
        #expect(path.isClosed)
        let expected = -2 * Double.pi * log(level)
        let measured = Self.area(path.points)
        #expect(abs(measured - expected) / expected < 0.02, "area \(measured) vs analytic \(expected)")
    }

    @Test func twoSeparateBumpsGiveTwoClosedContours() {
        let paths = SampleFigures.twoBumps(count: 61).contourPaths(level: 0.3)
        #expect(paths.count == 2)
        #expect(paths.allSatisfy { $0.isClosed })
    }

    /// A 2 x 2 saddle: high corners on one diagonal. The centre average decides which corners connect.
    @Test func saddleCellsFollowTheCentreAverage() {
        let grid = Grid2D(x: [0, 1], y: [0, 1], z: [1, 0, 0, 1]) // high at (0,0) and (1,1)
        func cutsOff(_ path: ContourPath, corner: Point) -> Bool {
            path.points.allSatisfy { $0.x == corner.x || $0.y == corner.y }
        }
        // Centre average 0.5 >= 0.4: the high corners join, so each segment cuts off a low corner.
        let joined = grid.contourPaths(level: 0.4)
        #expect(joined.count == 2)
        #expect(joined.allSatisfy { cutsOff($0, corner: Point(x: 1, y: 0)) || cutsOff($0, corner: Point(x: 0, y: 1)) })
        // Centre average 0.5 < 0.6: the high corners are separated, each cut off by its own segment.
        let separated = grid.contourPaths(level: 0.6)
        #expect(separated.count == 2)
        #expect(separated.allSatisfy { cutsOff($0, corner: Point(x: 0, y: 0)) || cutsOff($0, corner: Point(x: 1, y: 1)) })
    }

    /// On random grids every path is either closed or ends on the grid boundary: saddles are
    /// resolved the same way for both cells that share an edge, so no path stops in the interior.
    @Test func randomGridsGiveClosedOrBoundaryEndingPaths() {
        for seed in UInt64(1)...40 {
            var generator = SplitMix64(seed: seed)
            let columns = 3 + Int(generator.next() % 12), rows = 3 + Int(generator.next() % 12)
            let grid = Grid2D(x: (0..<columns).map(Double.init), y: (0..<rows).map(Double.init),
                              z: (0..<(columns * rows)).map { _ in generator.unit() })
            for path in grid.contourPaths(level: 0.5) where !path.isClosed {
                for end in [path.points[0], path.points[path.points.count - 1]] {
                    let onBoundary = end.x == 0 || end.y == 0 || end.x == Double(columns - 1) || end.y == Double(rows - 1)
                    #expect(onBoundary, "seed \(seed): open path ends inside at \(end)")
                }
            }
        }
    }

    /// After framing with a low border every contour is closed, which filled contours rely on.
    @Test func framedGridsGiveOnlyClosedContours() {
        let grid = SampleFigures.twoBumps(count: 31)
        guard let (framed, _) = grid.closedForFilling() else {
            Issue.record("grid has finite values")
            return
        }
        for level in [0.05, 0.3, 0.7] {
            #expect(framed.contourPaths(level: level).allSatisfy { $0.isClosed })
        }
    }
}
