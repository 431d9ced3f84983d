extension Mark {
    /// The extent of the mark's data in transformed space (what automatic limits must show).
    /// Reference lines, spans and text annotations never widen the limits.
    func bounds(xScale: Scale, yScale: Scale) -> DataBounds {
        var bounds = DataBounds()
        func include(_ x: Double, _ y: Double) {
            guard let tx = xScale.transform(x), let ty = yScale.transform(y) else { return }
            bounds.includeX(tx)
            bounds.includeY(ty)
        }
        func includeCorners(xEdges: [Double], yEdges: [Double]) {
            guard let x0 = xEdges.first, let x1 = xEdges.last, let y0 = yEdges.first, let y1 = yEdges.last else { return }
            include(x0, y0)
            include(x1, y1)
        }
        switch self {
        case let .lines(lines):
            for series in lines.series { for (x, y) in zip(series.x, series.y) { include(x, y) } }
        case let .scatter(scatter):
            for (x, y) in zip(scatter.x, scatter.y) { include(x, y) }
        case let .histogram(mark):
            let edges = mark.histogram.edges
            for (bin, height) in mark.heights.enumerated() {
                include(edges[bin], height)
                include(edges[bin + 1], 0)
            }
        case let .band(band):
            for (index, x) in band.x.enumerated() where index < band.lower.count && index < band.upper.count {
                include(x, band.lower[index])
                include(x, band.upper[index])
            }
        case let .contour(contour):
            includeCorners(xEdges: contour.grid.x, yEdges: contour.grid.y)
        case let .filledContour(filled):
            includeCorners(xEdges: filled.grid.x, yEdges: filled.grid.y)
        case let .heatmap(heatmap):
            includeCorners(xEdges: Heatmap.cellEdges(heatmap.grid.x), yEdges: Heatmap.cellEdges(heatmap.grid.y))
        case let .quiver(quiver):
            let scale = quiver.arrowScale
            for arrow in quiver.arrows {
                include(arrow.x, arrow.y)
                include(arrow.x + scale * arrow.u, arrow.y + scale * arrow.v)
            }
        case .span, .referenceLine, .text:
            break
        }
        return bounds
    }
}

extension Heatmap {
    /// Cell boundaries for node coordinates: midpoints between nodes, the outer cells as wide as
    /// their inner neighbours.
    static func cellEdges(_ nodes: [Double]) -> [Double] {
        if nodes.count == 1 { return [nodes[0] - 0.5, nodes[0] + 0.5] }   // a lone row or column spans one unit
        guard nodes.count >= 2 else { return nodes }
        let middles = zip(nodes, nodes.dropFirst()).map { ($0 + $1) / 2 }
        let first = nodes[0] - (middles[0] - nodes[0])
        let last = nodes[nodes.count - 1] + (nodes[nodes.count - 1] - middles[middles.count - 1])
        return [first] + middles + [last]
    }
}

extension Quiver {
    /// The finite arrows `(x, y, u, v)`.
    var arrows: [(x: Double, y: Double, u: Double, v: Double)] {
        let count = min(x.count, y.count, u.count, v.count)
        return (0..<count).map { (x[$0], y[$0], u[$0], v[$0]) }.filter {
            $0.x.isFinite && $0.y.isFinite && $0.u.isFinite && $0.v.isFinite
        }
    }

    /// Data units of arrow length per unit of vector length: `scale`, or 0.9 of the typical point
    /// spacing `sqrt(area / count)` divided by the longest vector.
    var arrowScale: Double {
        if let scale, scale.isFinite { return scale }
        let finite = arrows
        let longest = finite.map { ($0.u * $0.u + $0.v * $0.v).squareRoot() }.max() ?? 0
        guard longest > 0, let minX = finite.map(\.x).min(), let maxX = finite.map(\.x).max(),
              let minY = finite.map(\.y).min(), let maxY = finite.map(\.y).max() else { return 0 }
        let width = maxX - minX, height = maxY - minY
        let area = width > 0 && height > 0 ? width * height : max(width, height) * max(width, height)
        let spacing = area > 0 ? (area / Double(finite.count)).squareRoot() : 1
        return 0.9 * spacing / longest
    }
}
