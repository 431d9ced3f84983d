/// Something drawn inside a panel. Marks are plain values; they are checked when the figure renders.
public enum Mark: Sendable, Hashable {
    case lines(Lines)
    case scatter(Scatter)
    case histogram(HistogramMark)
    case band(Band)
    case span(Span)
    case contour(Contour)
    case filledContour(FilledContour)
    case heatmap(Heatmap)
    case quiver(Quiver)
    case text(TextAnnotation)
    case referenceLine(ReferenceLine)
}

/// One or more polylines sharing a style (e.g. 64 trajectories of one method). Each series is drawn
/// as its own polyline; non-finite points split a series (they are never drawn).
public struct Lines: Sendable, Hashable {
    public var series: [Series]
    public var style: LineStyle
    /// Legend text; nil leaves the mark out of the legend.
    public var label: String?

    public init(series: [Series], style: LineStyle, label: String? = nil) {
        self.series = series
        self.style = style
        self.label = label
    }

    /// A single polyline through `(x[i], y[i])`.
    public init(x: [Double], y: [Double], style: LineStyle, label: String? = nil) {
        self.init(series: [Series(x: x, y: y)], style: style, label: label)
    }

    /// Several polylines sharing the same x values, e.g. trajectories against the step index.
    public init(x: [Double], ys: [[Double]], style: LineStyle, label: String? = nil) {
        self.init(series: ys.map { Series(x: x, y: $0) }, style: style, label: label)
    }
}

/// Paired coordinates; `x` and `y` must have the same length.
public struct Series: Sendable, Hashable {
    public var x: [Double]
    public var y: [Double]

    public init(x: [Double], y: [Double]) {
        self.x = x
        self.y = y
    }

    public init(points: [Point]) {
        self.init(x: points.map(\.x), y: points.map(\.y))
    }

    func validate(name: String) throws(PlotError) {
        guard x.count == y.count else { throw .mismatchedLengths(name: "\(name) y", expected: x.count, actual: y.count) }
    }

    var points: [Point] { zip(x, y).map { Point(x: $0, y: $1) } }
}

/// Markers at points (e.g. start and end points of trajectories). Non-finite points are dropped.
public struct Scatter: Sendable, Hashable {
    public var x: [Double]
    public var y: [Double]
    public var shape: MarkerShape
    public var color: Color
    /// Marker diameter in pixels.
    public var size: Double
    public var opacity: Double
    public var label: String?

    public init(x: [Double], y: [Double], shape: MarkerShape = .dot, color: Color, size: Double = 5,
                opacity: Double = 1, label: String? = nil) {
        self.x = x
        self.y = y
        self.shape = shape
        self.color = color
        self.size = size
        self.opacity = opacity
        self.label = label
    }
}

/// How a histogram is drawn.
public enum HistogramStyle: Sendable, Hashable {
    /// Filled bars (with a thin outline of the same colour).
    case bars
    /// The outline of the bars only, as one step line from the baseline up and back down.
    case step
}

/// A histogram, drawn as bars or a step outline; `densityNormalized` plots `Histogram.densities`.
public struct HistogramMark: Sendable, Hashable {
    public var histogram: Histogram
    public var style: HistogramStyle
    public var densityNormalized: Bool
    public var color: Color
    /// Bar fill opacity (`.bars`) or line opacity (`.step`).
    public var opacity: Double
    public var lineWidth: Double
    public var label: String?

    public init(histogram: Histogram, style: HistogramStyle = .step, densityNormalized: Bool = true,
                color: Color, opacity: Double? = nil, lineWidth: Double = 1.5, label: String? = nil) {
        self.histogram = histogram
        self.style = style
        self.densityNormalized = densityNormalized
        self.color = color
        self.opacity = opacity ?? (style == .bars ? 0.45 : 1)
        self.lineWidth = lineWidth
        self.label = label
    }

    /// Bar heights: densities or counts.
    var heights: [Double] {
        densityNormalized ? histogram.densities : histogram.counts.map(Double.init)
    }
}

/// A filled region between two curves `lower(x)` and `upper(x)`; non-finite triples split the band.
public struct Band: Sendable, Hashable {
    public var x: [Double]
    public var lower: [Double]
    public var upper: [Double]
    public var color: Color
    public var opacity: Double
    public var label: String?

    public init(x: [Double], lower: [Double], upper: [Double], color: Color, opacity: Double = 0.25, label: String? = nil) {
        self.x = x
        self.lower = lower
        self.upper = upper
        self.color = color
        self.opacity = opacity
        self.label = label
    }
}

/// The orientation of a reference line or span.
public enum Orientation: Sendable, Hashable {
    /// Constant y, across the full width of the panel.
    case horizontal
    /// Constant x, across the full height of the panel.
    case vertical
}

/// A shaded interval across the whole panel, e.g. `x` in `from...to` for a vertical span.
/// Spans do not widen automatic limits.
public struct Span: Sendable, Hashable {
    public var orientation: Orientation
    public var from: Double
    public var to: Double
    public var color: Color
    public var opacity: Double
    public var label: String?

    public init(_ orientation: Orientation, from: Double, to: Double, color: Color, opacity: Double = 0.15, label: String? = nil) {
        self.orientation = orientation
        self.from = from
        self.to = to
        self.color = color
        self.opacity = opacity
        self.label = label
    }
}

/// Which contour levels to draw.
public enum ContourLevels: Sendable, Hashable {
    /// About `count` nice levels strictly inside the value range (nice-tick placement).
    case automatic(count: Int)
    /// These levels, in increasing order (non-finite ones are dropped).
    case values([Double])

    /// The resolved levels for values spanning `range`.
    func resolved(for range: ClosedRange<Double>) -> [Double] {
        switch self {
        case let .values(levels):
            return levels.filter(\.isFinite).sorted()
        case let .automatic(count):
            let ticks = Ticks.linear(lower: range.lowerBound, upper: range.upperBound, maxCount: count + 2, preferredCount: count + 2)
            return ticks.map(\.value).filter { $0 > range.lowerBound && $0 < range.upperBound }
        }
    }
}

/// Contour lines of a grid. Lines are coloured by `colormap` over the levels, or all in `color`.
public struct Contour: Sendable, Hashable {
    public var grid: Grid2D
    public var levels: ContourLevels
    public var color: Color?
    public var colormap: Colormap
    public var lineWidth: Double
    public var label: String?

    public init(grid: Grid2D, levels: ContourLevels = .automatic(count: 8), color: Color? = nil,
                colormap: Colormap = .viridis, lineWidth: Double = 1.2, label: String? = nil) {
        self.grid = grid
        self.levels = levels
        self.color = color
        self.colormap = colormap
        self.lineWidth = lineWidth
        self.label = label
    }
}

/// Filled contours of a grid: the bands between consecutive levels coloured by `colormap`, with a
/// colourbar. Missing (non-finite) values are left unfilled. `range` fixes the colour scale (default:
/// the finite value range), so panels that share levels and range share one colour scale.
public struct FilledContour: Sendable, Hashable {
    public var grid: Grid2D
    public var levels: ContourLevels
    public var colormap: Colormap
    public var opacity: Double
    /// The colourbar title; nil draws the colourbar without a title.
    public var colorbarLabel: String?
    public var range: ClosedRange<Double>?

    public init(grid: Grid2D, levels: ContourLevels = .automatic(count: 8), colormap: Colormap = .viridis,
                opacity: Double = 1, colorbarLabel: String? = nil, range: ClosedRange<Double>? = nil) {
        self.grid = grid
        self.levels = levels
        self.colormap = colormap
        self.opacity = opacity
        self.colorbarLabel = colorbarLabel
        self.range = range
    }
}

/// A grid drawn as coloured cells centred on the grid nodes, with a colourbar. Missing values are
/// left blank. `range` fixes the colour scale (default: the finite value range).
///
/// `cellLabels` (row-major like `grid.z`; "" for none) are written at the cell centres, dark on light
/// cells and white on dark ones, when every label fits its cell (else none is: they would overlap).
/// `hatchedCells` (row-major) are drawn with thin diagonal hatching over their colour, e.g. to mark
/// cells whose interval contains 0; say what the hatching means in a title or caption.
public struct Heatmap: Sendable, Hashable {
    public var grid: Grid2D
    public var colormap: Colormap
    public var range: ClosedRange<Double>?
    public var colorbarLabel: String?
    public var cellLabels: [String]?
    public var hatchedCells: [Bool]?
    /// The size of the cell labels in pixels.
    public var cellLabelSize: Double

    public init(grid: Grid2D, colormap: Colormap = .viridis, range: ClosedRange<Double>? = nil, colorbarLabel: String? = nil,
                cellLabels: [String]? = nil, hatchedCells: [Bool]? = nil, cellLabelSize: Double = 10) {
        self.grid = grid
        self.colormap = colormap
        self.range = range
        self.colorbarLabel = colorbarLabel
        self.cellLabels = cellLabels
        self.hatchedCells = hatchedCells
        self.cellLabelSize = cellLabelSize
    }
}

/// Arrows from `(x, y)` along `(u, v)` (a vector field). With `scale` nil the longest arrow is 0.9 of
/// the typical point spacing; otherwise an arrow is `scale * (u, v)` long in data units.
public struct Quiver: Sendable, Hashable {
    public var x: [Double]
    public var y: [Double]
    public var u: [Double]
    public var v: [Double]
    public var color: Color
    public var scale: Double?
    public var lineWidth: Double
    public var label: String?

    public init(x: [Double], y: [Double], u: [Double], v: [Double], color: Color, scale: Double? = nil,
                lineWidth: Double = 1.1, label: String? = nil) {
        self.x = x
        self.y = y
        self.u = u
        self.v = v
        self.color = color
        self.scale = scale
        self.lineWidth = lineWidth
        self.label = label
    }

    /// Arrows at every node of a grid, with components from two grids of the same shape.
    public init(grid u: Grid2D, v: Grid2D, color: Color, scale: Double? = nil, lineWidth: Double = 1.1, label: String? = nil) {
        let xs = u.y.flatMap { _ in u.x }
        let ys = u.y.flatMap { yValue in u.x.map { _ in yValue } }
        self.init(x: xs, y: ys, u: u.z, v: v.z, color: color, scale: scale, lineWidth: lineWidth, label: label)
    }
}

/// Text placed at a data position.
public struct TextAnnotation: Sendable, Hashable {
    public var text: String
    public var x: Double
    public var y: Double
    public var anchor: TextAnchor
    public var size: Double
    public var color: Color

    public init(_ text: String, x: Double, y: Double, anchor: TextAnchor = .start, size: Double = 11, color: Color = .black) {
        self.text = text
        self.x = x
        self.y = y
        self.anchor = anchor
        self.size = size
        self.color = color
    }
}

/// A horizontal or vertical line across the panel (e.g. y = 0). Does not widen automatic limits.
public struct ReferenceLine: Sendable, Hashable {
    public var orientation: Orientation
    public var value: Double
    public var style: LineStyle
    public var label: String?

    public init(_ orientation: Orientation, at value: Double, style: LineStyle = .dashed(.gray), label: String? = nil) {
        self.orientation = orientation
        self.value = value
        self.style = style
        self.label = label
    }
}
