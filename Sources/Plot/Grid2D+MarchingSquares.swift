/// A contour line in data coordinates. Closed paths do not repeat their first point at the end.
public struct ContourPath: Sendable, Hashable {
    public var points: [Point]
    public var isClosed: Bool
}

extension Grid2D {
    /// The level set `z == level` by marching squares with linear interpolation along cell edges.
    ///
    /// A node counts as inside when `z >= level`. Saddle cells (diagonal corners inside) are resolved
    /// by the cell-centre average: when it is inside, the two inside corners are joined through the
    /// cell; otherwise they are separated. Each edge crossing is computed once and shared by the two
    /// cells that meet there, so segments join exactly into paths: closed loops, or open paths whose
    /// ends lie on the grid boundary or next to missing (non-finite) values, whose cells are skipped.
    /// Coordinates only need to be non-decreasing (zero-width cells are allowed).
    public func contourPaths(level: Double) -> [ContourPath] {
        let columns = x.count, rows = y.count
        guard columns >= 2, rows >= 2, z.count == columns * rows, level.isFinite else { return [] }
        let horizontalEdgeCount = (columns - 1) * rows
        let edgeCount = horizontalEdgeCount + columns * (rows - 1)
        func horizontalEdge(_ column: Int, _ row: Int) -> Int { row * (columns - 1) + column }
        func verticalEdge(_ column: Int, _ row: Int) -> Int { horizontalEdgeCount + row * columns + column }

        var segments: [(Int, Int)] = []
        for row in 0..<(rows - 1) {
            for column in 0..<(columns - 1) {
                let corners = [value(column: column, row: row), value(column: column + 1, row: row),
                               value(column: column + 1, row: row + 1), value(column: column, row: row + 1)]
                guard corners.allSatisfy(\.isFinite) else { continue }
                let bottom = horizontalEdge(column, row), right = verticalEdge(column + 1, row)
                let top = horizontalEdge(column, row + 1), left = verticalEdge(column, row)
                var caseIndex = 0
                for (bit, corner) in corners.enumerated() where corner >= level { caseIndex |= 1 << bit }
                let centerInside = corners.reduce(0, +) / 4 >= level
                switch caseIndex {
                case 1, 14: segments.append((left, bottom))
                case 2, 13: segments.append((bottom, right))
                case 3, 12: segments.append((left, right))
                case 4, 11: segments.append((right, top))
                case 6, 9: segments.append((bottom, top))
                case 7, 8: segments.append((left, top))
                case 5:
                    segments += centerInside ? [(bottom, right), (top, left)] : [(left, bottom), (right, top)]
                case 10:
                    segments += centerInside ? [(left, bottom), (right, top)] : [(bottom, right), (top, left)]
                default: break
                }
            }
        }

        func crossing(_ edge: Int) -> Point {
            let (column, row, isHorizontal) = edge < horizontalEdgeCount
                ? (edge % (columns - 1), edge / (columns - 1), true)
                : ((edge - horizontalEdgeCount) % columns, (edge - horizontalEdgeCount) / columns, false)
            let (nextColumn, nextRow) = isHorizontal ? (column + 1, row) : (column, row + 1)
            let start = value(column: column, row: row), end = value(column: nextColumn, row: nextRow)
            let t = end == start ? 0.5 : min(max((level - start) / (end - start), 0), 1)
            return Point(x: x[column] + (x[nextColumn] - x[column]) * t, y: y[row] + (y[nextRow] - y[row]) * t)
        }

        // Up to two segments meet at an edge crossing; join them into chains of edges.
        var segmentsAtEdge = Array(repeating: [Int](), count: edgeCount)
        for (index, segment) in segments.enumerated() {
            segmentsAtEdge[segment.0].append(index)
            segmentsAtEdge[segment.1].append(index)
        }
        var used = Array(repeating: false, count: segments.count)
        func extend(_ chain: inout [Int], from startSegment: Int) {
            var segment = startSegment
            while let edge = chain.last,
                  let next = segmentsAtEdge[edge].first(where: { $0 != segment && !used[$0] }) {
                used[next] = true
                chain.append(segments[next].0 == edge ? segments[next].1 : segments[next].0)
                segment = next
            }
        }
        var paths: [ContourPath] = []
        for start in segments.indices where !used[start] {
            used[start] = true
            var forward = [segments[start].0, segments[start].1]
            extend(&forward, from: start)
            if forward.count > 2, forward.first == forward.last {
                paths.append(ContourPath(points: forward.dropLast().map(crossing), isClosed: true))
                continue
            }
            var backward = [segments[start].0]
            extend(&backward, from: start)
            let chain = backward.reversed() + forward.dropFirst()
            paths.append(ContourPath(points: chain.map(crossing), isClosed: false))
        }
        return paths
    }

    /// A copy framed by a border of zero-width cells holding a value below every finite `z`, with
    /// missing values replaced by that floor, so every contour at a level above the floor is closed and
    /// the region `z >= level` can be filled with the even-odd rule. Returns the grid and the floor.
    func closedForFilling() -> (grid: Grid2D, floor: Double)? {
        guard let range = valueRange else { return nil }
        let floor = range.lowerBound - 1 - (range.upperBound - range.lowerBound)
        let paddedX = [x[0]] + x + [x[x.count - 1]]
        let paddedY = [y[0]] + y + [y[y.count - 1]]
        var paddedZ: [Double] = []
        paddedZ.reserveCapacity(paddedX.count * paddedY.count)
        for row in 0..<paddedY.count {
            for column in 0..<paddedX.count {
                let isBorder = row == 0 || column == 0 || row == paddedY.count - 1 || column == paddedX.count - 1
                let inner = isBorder ? floor : value(column: column - 1, row: row - 1)
                paddedZ.append(inner.isFinite ? inner : floor)
            }
        }
        return (Grid2D(x: paddedX, y: paddedY, z: paddedZ), floor)
    }
}
