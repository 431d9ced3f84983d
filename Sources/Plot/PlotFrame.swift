/// Maps data coordinates to pixels inside a panel's plot area.
///
/// Axis ranges are stored in transformed (scale) space, e.g. log10 units for a log axis.
struct PlotFrame {
    var rect: PixelRect
    var xScale: Scale
    var yScale: Scale
    var xRange: ClosedRange<Double>
    var yRange: ClosedRange<Double>

    /// Lines are clipped to the plot area grown by this many pixels (the SVG clip path trims the rest),
    /// which keeps coordinates small and finite however far outside the limits the data lie.
    static let clipMargin = 8.0

    func pixelX(transformed value: Double) -> Double {
        rect.x + (value - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * rect.width
    }

    func pixelY(transformed value: Double) -> Double {
        rect.maxY - (value - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * rect.height
    }

    func pixelX(_ value: Double) -> Double? { xScale.transform(value).map { pixelX(transformed: $0) } }
    func pixelY(_ value: Double) -> Double? { yScale.transform(value).map { pixelY(transformed: $0) } }

    /// The pixel position of a data point, or nil when it cannot be shown (non-finite, or <= 0 on a log axis).
    func pixel(_ point: Point) -> PixelPoint? {
        guard let px = pixelX(point.x), let py = pixelY(point.y) else { return nil }
        return PixelPoint(x: px, y: py)
    }

    /// `pixel(point)` when the point lies in the plot area (grown by the clip margin), else nil.
    func visiblePixel(_ point: Point) -> PixelPoint? {
        guard let projected = pixel(point), rect.insetBy(-Self.clipMargin).contains(projected) else { return nil }
        return projected
    }

    /// The visible pieces of the polyline through `points`: split where a point cannot be shown and
    /// clipped to the plot area grown by `clipMargin` (Liang-Barsky per segment).
    func visibleRuns(_ points: [Point]) -> [[PixelPoint]] {
        let bounds = rect.insetBy(-Self.clipMargin)
        var runs: [[PixelPoint]] = []
        var current: [PixelPoint] = []
        var previous: PixelPoint?
        func finishRun() {
            if current.count >= 2 { runs.append(current) }
            current = []
        }
        for point in points {
            guard let projected = pixel(point) else {
                finishRun()
                previous = nil
                continue
            }
            defer { previous = projected }
            guard let start = previous else {
                continue
            }
            guard let (clippedStart, clippedEnd) = Self.clip(start, projected, to: bounds) else {
                finishRun()
                continue
            }
            if current.last != clippedStart {
                finishRun()
                current = [clippedStart]
            }
            current.append(clippedEnd)
            if clippedEnd != projected { finishRun() }
        }
        finishRun()
        if runs.isEmpty, points.count == 1, let single = visiblePixel(points[0]) { return [[single]] }
        return runs
    }

    /// The part of segment `a`-`b` inside `bounds`, or nil if none.
    static func clip(_ a: PixelPoint, _ b: PixelPoint, to bounds: PixelRect) -> (PixelPoint, PixelPoint)? {
        let dx = b.x - a.x, dy = b.y - a.y
        var enter = 0.0, exit = 1.0
        for (p, q) in [(-dx, a.x - bounds.x), (dx, bounds.maxX - a.x), (-dy, a.y - bounds.y), (dy, bounds.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return nil }
                continue
            }
            let t = q / p
            if p < 0 { enter = max(enter, t) } else { exit = min(exit, t) }
            if enter > exit { return nil }
        }
        let start = enter == 0 ? a : PixelPoint(x: a.x + enter * dx, y: a.y + enter * dy)
        let end = exit == 1 ? b : PixelPoint(x: a.x + exit * dx, y: a.y + exit * dy)
        return (start, end)
    }

    /// A pixel position clamped into the plot area grown by the clip margin (for filled shapes whose
    /// vertices may lie far outside explicit limits).
    func clamped(_ point: PixelPoint) -> PixelPoint {
        let bounds = rect.insetBy(-Self.clipMargin)
        return PixelPoint(x: min(max(point.x, bounds.x), bounds.maxX), y: min(max(point.y, bounds.y), bounds.maxY))
    }
}
