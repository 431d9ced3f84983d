extension Mark {
    /// Filled contours and heatmaps paint the plot area opaquely; grid lines go on top of them.
    var coversPlotArea: Bool {
        switch self {
        case .filledContour, .heatmap: return true
        default: return false
        }
    }

    /// The mark's primitives in pixel space, drawn inside the plot area (the caller clips).
    func sceneItems(in frame: PlotFrame) -> [SceneItem] {
        switch self {
        case let .lines(lines):
            return lines.series.flatMap { series in
                frame.visibleRuns(series.points).map { run in
                    SceneItem.polyline(PolylineSimplification.simplified(run), lines.style.stroke)
                }
            }
        case let .scatter(scatter):
            return scatter.sceneItems(in: frame)
        case let .histogram(mark):
            return mark.sceneItems(in: frame)
        case let .band(band):
            return band.sceneItems(in: frame)
        case let .span(span):
            return span.sceneItems(in: frame)
        case let .contour(contour):
            return contour.sceneItems(in: frame)
        case let .filledContour(filled):
            return filled.sceneItems(in: frame)
        case let .heatmap(heatmap):
            return heatmap.sceneItems(in: frame)
        case let .quiver(quiver):
            return quiver.sceneItems(in: frame)
        case let .text(annotation):
            guard let position = frame.visiblePixel(Point(x: annotation.x, y: annotation.y)) else { return [] }
            return [.text(SceneText(position: position, text: annotation.text, size: annotation.size,
                                    anchor: annotation.anchor, color: annotation.color))]
        case let .referenceLine(line):
            return line.sceneItems(in: frame)
        }
    }
}

extension Scatter {
    func sceneItems(in frame: PlotFrame) -> [SceneItem] {
        zip(x, y).compactMap { frame.visiblePixel(Point(x: $0, y: $1)) }.flatMap { center in
            Scatter.marker(shape, at: center, size: size, color: color, opacity: opacity)
        }
    }

    /// The primitives of one marker of diameter `size` centred at `center`.
    static func marker(_ shape: MarkerShape, at center: PixelPoint, size: Double, color: Color, opacity: Double) -> [SceneItem] {
        let radius = max(size, 0) / 2
        let alpha = min(max(opacity, 0), 1)
        switch shape {
        case .dot:
            return [.circle(center: center, radius: radius, fill: color, opacity: alpha, stroke: nil)]
        case .circle:
            let stroke = Stroke(color: color, width: max(1, size / 5), opacity: alpha)
            return [.circle(center: center, radius: radius, fill: nil, opacity: alpha, stroke: stroke)]
        case .cross:
            let stroke = Stroke(color: color, width: max(1.2, size / 4), opacity: alpha)
            let d = radius * 0.85
            return [
                .polyline([PixelPoint(x: center.x - d, y: center.y - d), PixelPoint(x: center.x + d, y: center.y + d)], stroke),
                .polyline([PixelPoint(x: center.x - d, y: center.y + d), PixelPoint(x: center.x + d, y: center.y - d)], stroke),
            ]
        }
    }
}

extension HistogramMark {
    func sceneItems(in frame: PlotFrame) -> [SceneItem] {
        let edges = histogram.edges, heights = self.heights
        switch style {
        case .bars:
            let baseline = frame.pixelY(0) ?? frame.rect.maxY
            return heights.indices.compactMap { bin in
                guard heights[bin] > 0, let left = frame.pixelX(edges[bin]), let right = frame.pixelX(edges[bin + 1]),
                      let top = frame.pixelY(heights[bin]) else { return nil }
                let corners = [PixelPoint(x: left, y: baseline), PixelPoint(x: left, y: top),
                               PixelPoint(x: right, y: top), PixelPoint(x: right, y: baseline)].map(frame.clamped)
                let outline = Stroke(color: color, width: 0.6, opacity: min(1, opacity + 0.3))
                return .polygon(rings: [corners], fill: color, opacity: opacity, stroke: outline)
            }
        case .step:
            var outline = [Point(x: edges[0], y: 0)]
            for (bin, height) in heights.enumerated() {
                outline.append(Point(x: edges[bin], y: height))
                outline.append(Point(x: edges[bin + 1], y: height))
            }
            outline.append(Point(x: edges[edges.count - 1], y: 0))
            let stroke = LineStyle(color: color, width: lineWidth, opacity: opacity).stroke
            return frame.visibleRuns(outline).map { .polyline(PolylineSimplification.simplified($0), stroke) }
        }
    }
}

extension Band {
    func sceneItems(in frame: PlotFrame) -> [SceneItem] {
        let count = min(x.count, lower.count, upper.count)
        var items: [SceneItem] = []
        var upperRun: [PixelPoint] = [], lowerRun: [PixelPoint] = []
        func finishRun() {
            if upperRun.count >= 2 {
                items.append(.polygon(rings: [upperRun + lowerRun.reversed()], fill: color, opacity: opacity, stroke: nil))
            }
            upperRun = []
            lowerRun = []
        }
        for index in 0..<count {
            guard let top = frame.pixel(Point(x: x[index], y: upper[index])),
                  let bottom = frame.pixel(Point(x: x[index], y: lower[index])) else {
                finishRun()
                continue
            }
            upperRun.append(frame.clamped(top))
            lowerRun.append(frame.clamped(bottom))
        }
        finishRun()
        return items
    }
}

extension Span {
    func sceneItems(in frame: PlotFrame) -> [SceneItem] {
        let rect = frame.rect
        let project: (Double) -> Double? = orientation == .vertical ? { frame.pixelX($0) } : { frame.pixelY($0) }
        guard let a = project(from), let b = project(to) else { return [] }
        let span: PixelRect
        if orientation == .vertical {
            let left = min(max(min(a, b), rect.x), rect.maxX), right = min(max(max(a, b), rect.x), rect.maxX)
            span = PixelRect(x: left, y: rect.y, width: right - left, height: rect.height)
        } else {
            let top = min(max(min(a, b), rect.y), rect.maxY), bottom = min(max(max(a, b), rect.y), rect.maxY)
            span = PixelRect(x: rect.x, y: top, width: rect.width, height: bottom - top)
        }
        guard span.width > 0, span.height > 0 else { return [] }
        return [.rectangle(span, fill: color, opacity: min(max(opacity, 0), 1), crisp: false)]
    }
}

extension ReferenceLine {
    func sceneItems(in frame: PlotFrame) -> [SceneItem] {
        let rect = frame.rect
        switch orientation {
        case .horizontal:
            guard let y = frame.pixelY(value), y >= rect.y, y <= rect.maxY else { return [] }
            return [.polyline([PixelPoint(x: rect.x, y: y), PixelPoint(x: rect.maxX, y: y)], style.stroke)]
        case .vertical:
            guard let x = frame.pixelX(value), x >= rect.x, x <= rect.maxX else { return [] }
            return [.polyline([PixelPoint(x: x, y: rect.y), PixelPoint(x: x, y: rect.maxY)], style.stroke)]
        }
    }
}

extension Quiver {
    /// Each arrow is a shaft and a filled head; heads are 0.3 of the arrow (at most 8 px) long.
    /// Arrows shorter than half a pixel are skipped.
    func sceneItems(in frame: PlotFrame) -> [SceneItem] {
        let scale = arrowScale
        let stroke = Stroke(color: color, width: lineWidth)
        return arrows.flatMap { arrow -> [SceneItem] in
            guard let tail = frame.visiblePixel(Point(x: arrow.x, y: arrow.y)),
                  let tip = frame.pixel(Point(x: arrow.x + scale * arrow.u, y: arrow.y + scale * arrow.v)) else { return [] }
            let dx = tip.x - tail.x, dy = tip.y - tail.y
            let length = (dx * dx + dy * dy).squareRoot()
            guard length >= 0.5, length < 1e5 else { return [] }
            let (ux, uy) = (dx / length, dy / length)
            let headLength = min(0.3 * length, 8), headHalfWidth = 0.45 * min(0.3 * length, 8)
            let base = PixelPoint(x: tip.x - ux * headLength, y: tip.y - uy * headLength)
            let head = [tip, PixelPoint(x: base.x - uy * headHalfWidth, y: base.y + ux * headHalfWidth),
                        PixelPoint(x: base.x + uy * headHalfWidth, y: base.y - ux * headHalfWidth)]
            return [.polyline([tail, base], stroke), .polygon(rings: [head], fill: color, opacity: 1, stroke: nil)]
        }
    }
}
