/// How a line mark is stroked. `width` is in pixels; `dash` is an on/off pattern in pixels.
public struct LineStyle: Sendable, Hashable {
    public var color: Color
    public var width: Double
    public var opacity: Double
    public var dash: [Double]

    public init(color: Color, width: Double = 1.5, opacity: Double = 1, dash: [Double] = []) {
        self.color = color
        self.width = width
        self.opacity = opacity
        self.dash = dash
    }

    /// A dashed style: 5 px on, 3 px off.
    public static func dashed(_ color: Color, width: Double = 1.2) -> LineStyle {
        LineStyle(color: color, width: width, dash: [5, 3])
    }

    var stroke: Stroke {
        Stroke(color: color, width: max(width, 0), opacity: min(max(opacity, 0), 1), dash: dash.filter { $0.isFinite && $0 > 0 })
    }
}

/// Scatter marker shapes.
public enum MarkerShape: Sendable, Hashable {
    /// A filled disc.
    case dot
    /// A diagonal cross.
    case cross
    /// A hollow ring.
    case circle
}
