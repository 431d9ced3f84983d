/// A rectangle in the SVG's user units (its viewBox).
public struct FigureRegion: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        (self.x, self.y, self.width, self.height) = (x, y, width, height)
    }
}

/// Where data lands in the rendered figure, for a caller that lays something over it (an HTML report
/// makes heatmap cells clickable): coordinates are the SVG's user units (its viewBox), the same for
/// every output format up to one scale factor. Made once by `Figure.locations()` (one layout).
public struct FigureLocations: Sendable {
    let frames: [PlotFrame]

    /// The number of panels, in `placements` order (the order of `Figure.init(panels:)`).
    public var panelCount: Int { frames.count }

    /// The plot area of panel `panel`, nil for a panel that does not exist.
    public func plotArea(panel: Int) -> FigureRegion? {
        guard frames.indices.contains(panel) else { return nil }
        let r = frames[panel].rect
        return FigureRegion(x: r.x, y: r.y, width: r.width, height: r.height)
    }

    /// The SVG position of the data point (x, y) in panel `panel`, nil for a panel that does not exist
    /// or a point its scales cannot show (non-finite, <= 0 on a log axis). The point may lie outside
    /// the plot area.
    public func location(panel: Int, x: Double, y: Double) -> (x: Double, y: Double)? {
        guard frames.indices.contains(panel), let pixel = frames[panel].pixel(Point(x: x, y: y)) else { return nil }
        return (pixel.x, pixel.y)
    }
}

extension Figure {
    /// The panels' plot areas and data-to-SVG mappings, as the renderers lay them out.
    public func locations() -> FigureLocations { FigureLocations(frames: layout().map(\.frame)) }
}
