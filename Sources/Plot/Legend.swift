/// A panel legend: a framed box of swatch + label rows inside a corner of the plot area, or right of it
/// (`LegendPosition.outsideRight`, in space the layout takes from the plot's width).
struct Legend {
    var entries: [LegendEntry]
    var style: FigureStyle

    static let padding = 6.0
    static let swatchWidth = 22.0
    static let inset = 6.0

    var size: (width: Double, height: Double) {
        let widest = entries.map { TextMetrics.width($0.label, size: style.legendSize) }.max() ?? 0
        return (2 * Legend.padding + Legend.swatchWidth + 6 + widest, 2 * Legend.padding + Double(entries.count) * style.legendRowHeight - 4)
    }

    /// The legend box in each corner, in tie-break order: top-right, top-left, bottom-right, bottom-left.
    func candidateBoxes(in plot: PixelRect) -> [(LegendPosition, PixelRect)] {
        let (width, height) = size
        let left = plot.x + Legend.inset, right = plot.maxX - Legend.inset - width
        let top = plot.y + Legend.inset, bottom = plot.maxY - Legend.inset - height
        let corners: [(LegendPosition, Double, Double)] = [(.topRight, right, top), (.topLeft, left, top), (.bottomRight, right, bottom), (.bottomLeft, left, bottom)]
        return corners.map { ($0.0, PixelRect(x: $0.1, y: $0.2, width: width, height: height)) }
    }

    /// The box for `position`; `.automatic` picks the corner whose box covers the fewest vertices,
    /// marker centres and text anchors of `items`.
    func box(in plot: PixelRect, position: LegendPosition, avoiding items: [SceneItem]) -> PixelRect {
        if position == .outsideRight {
            let (width, height) = size
            return PixelRect(x: plot.maxX + Legend.inset, y: plot.y, width: width, height: height)
        }
        let candidates = candidateBoxes(in: plot)
        if let fixed = candidates.first(where: { $0.0 == position }) { return fixed.1 }
        let points = items.flatMap(Legend.anchorPoints)
        let best = candidates.min { a, b in
            points.filter(a.1.contains).count < points.filter(b.1.contains).count
        }
        return best?.1 ?? candidates[0].1
    }

    private static func anchorPoints(_ item: SceneItem) -> [PixelPoint] {
        switch item {
        case let .polyline(points, _): return points
        case let .polygon(rings, _, _, _): return rings.flatMap { $0 }
        case let .rectangle(rect, _, _, _): return [PixelPoint(x: rect.x + rect.width / 2, y: rect.y + rect.height / 2)]
        case let .circle(center, _, _, _, _): return [center]
        case let .text(text): return [text.position]
        }
    }

    func sceneItems(in plot: PixelRect, position: LegendPosition, avoiding items: [SceneItem]) -> [SceneItem] {
        let frame = box(in: plot, position: position, avoiding: items)
        var result: [SceneItem] = [.polygon(rings: [frame.corners], fill: .white, opacity: 0.88,
                                            stroke: Stroke(color: Color(hex: 0xBBBBBB), width: 0.8))]
        for (row, entry) in entries.enumerated() {
            let centerY = frame.y + Legend.padding + Double(row) * style.legendRowHeight + (style.legendRowHeight - 4) / 2
            let swatchLeft = frame.x + Legend.padding, swatchRight = swatchLeft + Legend.swatchWidth
            switch entry.swatch {
            case let .line(stroke):
                result.append(.polyline([PixelPoint(x: swatchLeft, y: centerY), PixelPoint(x: swatchRight, y: centerY)], stroke))
            case let .marker(shape, color, size, opacity):
                result += Scatter.marker(shape, at: PixelPoint(x: (swatchLeft + swatchRight) / 2, y: centerY), size: size, color: color, opacity: opacity)
            case let .patch(color, opacity):
                result.append(.rectangle(PixelRect(x: swatchLeft + 2, y: centerY - 5, width: Legend.swatchWidth - 4, height: 10),
                                         fill: color, opacity: max(opacity, 0.35), crisp: false))
            }
            result.append(.text(SceneText(position: PixelPoint(x: swatchRight + 6, y: centerY + style.legendSize * 0.35),
                                          text: entry.label, size: style.legendSize, anchor: .start)))
        }
        return result
    }
}
