extension Contour {
    /// Contour lines: each level in `color`, or coloured by its position in the level list.
    func sceneItems(in frame: PlotFrame) -> [SceneItem] {
        guard let range = grid.valueRange else { return [] }
        let resolved = levels.resolved(for: range)
        return resolved.enumerated().flatMap { index, level -> [SceneItem] in
            let position = resolved.count > 1 ? Double(index) / Double(resolved.count - 1) : 0.5
            let stroke = Stroke(color: color ?? colormap.color(at: position), width: lineWidth)
            return grid.contourPaths(level: level).flatMap { path in
                let points = path.isClosed ? path.points + [path.points[0]] : path.points
                return frame.visibleRuns(points).map { SceneItem.polyline(PolylineSimplification.simplified($0), stroke) }
            }
        }
    }
}

extension FilledContour {
    /// The levels and the value range they split into bands (band `k` lies between levels `k-1` and `k`).
    var bandLevels: (levels: [Double], range: ClosedRange<Double>)? {
        guard let data = grid.valueRange else { return nil }
        let range = self.range ?? data
        return (levels.resolved(for: range), range)
    }

    /// Painter's algorithm: the whole (finite) grid in the lowest band's colour, then for each level
    /// the region `z >= level` (closed contours, even-odd) in the colour of the band above it.
    func sceneItems(in frame: PlotFrame) -> [SceneItem] {
        guard let (resolved, _) = bandLevels, let (closedGrid, floor) = grid.closedForFilling(),
              let lowest = grid.valueRange?.lowerBound else { return [] }
        let thresholds = [(floor + lowest) / 2] + resolved
        return thresholds.enumerated().compactMap { band, level -> SceneItem? in
            let rings = closedGrid.contourPaths(level: level).compactMap { path -> [PixelPoint]? in
                let ring = path.points.compactMap(frame.pixel).map(frame.clamped)
                return ring.count >= 3 ? PolylineSimplification.simplified(ring) : nil
            }
            guard !rings.isEmpty else { return nil }
            let color = colormap.color(at: resolved.isEmpty ? 0.5 : Double(band) / Double(resolved.count))
            return .polygon(rings: rings, fill: color, opacity: min(max(opacity, 0), 1), stroke: nil)
        }
    }
}

extension Heatmap {
    /// The colour scale: `range`, or the finite value range.
    var colorRange: ClosedRange<Double>? {
        if let range, range.lowerBound.isFinite, range.upperBound.isFinite { return range }
        return grid.valueRange
    }

    /// One crisp rectangle per finite node, spanning the cell edges around it; then the hatching of
    /// `hatchedCells` and the `cellLabels` (all or none, see `Heatmap`).
    func sceneItems(in frame: PlotFrame) -> [SceneItem] {
        guard let colorRange else { return [] }
        let xEdges = Heatmap.cellEdges(grid.x).map { frame.pixelX($0) }, yEdges = Heatmap.cellEdges(grid.y).map { frame.pixelY($0) }
        let width = colorRange.upperBound - colorRange.lowerBound
        var cells: [(index: Int, rect: PixelRect, color: Color)] = []
        for row in grid.y.indices {
            for column in grid.x.indices {
                let value = grid.value(column: column, row: row)
                guard value.isFinite, let left = xEdges[column], let right = xEdges[column + 1],
                      let bottom = yEdges[row], let top = yEdges[row + 1] else { continue }
                let corner = frame.clamped(PixelPoint(x: min(left, right), y: min(top, bottom)))
                let opposite = frame.clamped(PixelPoint(x: max(left, right), y: max(top, bottom)))
                let position = width > 0 ? (value - colorRange.lowerBound) / width : 0.5
                let rect = PixelRect(x: corner.x, y: corner.y, width: opposite.x - corner.x, height: opposite.y - corner.y)
                guard rect.width > 0, rect.height > 0 else { continue }
                cells.append((row * grid.x.count + column, rect, colormap.color(at: position)))
            }
        }
        var items = cells.map { SceneItem.rectangle($0.rect, fill: $0.color, opacity: 1, crisp: true) }
        if let hatchedCells {
            let stroke = Stroke(color: Heatmap.hatchColor, width: FigureStyle.minimumLineWidth, opacity: 0.7)
            for cell in cells where hatchedCells[cell.index] {
                items += Heatmap.hatching(cell.rect).map { SceneItem.polyline($0, stroke) }
            }
        }
        if let cellLabels {
            let size = max(cellLabelSize, FigureStyle.minimumTextSize)
            let fits = cells.allSatisfy { cell in
                TextMetrics.width(cellLabels[cell.index], size: size) <= cell.rect.width - 2 && size <= cell.rect.height - 2
            }
            for cell in cells where fits && !cellLabels[cell.index].isEmpty {
                let center = PixelPoint(x: cell.rect.x + cell.rect.width / 2, y: cell.rect.y + cell.rect.height / 2 + size * 0.35)
                items.append(.text(SceneText(position: center, text: cellLabels[cell.index], size: size,
                                             color: cell.color.relativeLuminance > 0.4 ? .nearBlack : .white)))
            }
        }
        return items
    }

    static let hatchColor = Color(hex: 0x333333)
    /// The distance between hatch lines along an axis, in pixels.
    static let hatchSpacing = 5.0

    /// Diagonal lines x + y = c (rising to the right on screen) across `rect`, every `hatchSpacing` of c.
    static func hatching(_ rect: PixelRect) -> [[PixelPoint]] {
        var lines: [[PixelPoint]] = []
        var c = rect.x + rect.y + hatchSpacing / 2
        while c < rect.maxX + rect.maxY {
            let x0 = max(rect.x, c - rect.maxY), x1 = min(rect.maxX, c - rect.y)
            if x1 > x0 { lines.append([PixelPoint(x: x0, y: c - x0), PixelPoint(x: x1, y: c - x1)]) }
            c += hatchSpacing
        }
        return lines
    }
}
