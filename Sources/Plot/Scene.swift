/// A point in pixel space (origin top-left, y down).
struct PixelPoint: Equatable {
    var x: Double
    var y: Double
}

/// An axis-aligned pixel rectangle.
struct PixelRect: Equatable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    var maxX: Double { x + width }
    var maxY: Double { y + height }

    func contains(_ point: PixelPoint) -> Bool {
        point.x >= x && point.x <= maxX && point.y >= y && point.y <= maxY
    }

    func insetBy(_ amount: Double) -> PixelRect {
        PixelRect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    var corners: [PixelPoint] {
        [PixelPoint(x: x, y: y), PixelPoint(x: maxX, y: y), PixelPoint(x: maxX, y: maxY), PixelPoint(x: x, y: maxY)]
    }
}

/// How a line is stroked.
struct Stroke: Equatable {
    var color: Color
    var width: Double
    var opacity: Double = 1
    var dash: [Double] = []
}

/// Horizontal anchoring of a text item at its position.
public enum TextAnchor: Sendable, Hashable {
    case start, middle, end
}

/// A text item. `y` is the baseline; `rotation` is in degrees (counter-clockwise negative, as in SVG).
struct SceneText: Equatable {
    var position: PixelPoint
    var text: String
    var size: Double
    var anchor: TextAnchor = .middle
    var color: Color = .black
    var bold: Bool = false
    var rotation: Double = 0
}

/// One drawing primitive in pixel space, shared by the SVG and PPM renderers.
enum SceneItem: Equatable {
    case polyline([PixelPoint], Stroke)
    /// Closed rings filled with the even-odd rule (holes are rings inside rings).
    case polygon(rings: [[PixelPoint]], fill: Color, opacity: Double, stroke: Stroke?)
    /// An axis-aligned rectangle; `crisp` rectangles tile without anti-aliasing seams (heatmap cells).
    case rectangle(PixelRect, fill: Color, opacity: Double, crisp: Bool)
    case circle(center: PixelPoint, radius: Double, fill: Color?, opacity: Double, stroke: Stroke?)
    case text(SceneText)
}

/// Items drawn together, optionally clipped to a rectangle.
struct SceneGroup: Equatable {
    var clip: PixelRect?
    var items: [SceneItem]
}

/// A whole figure in pixel space: what the renderers draw.
struct Scene: Equatable {
    var width: Int
    var height: Int
    var groups: [SceneGroup]
}
