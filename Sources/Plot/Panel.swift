/// Where a panel's legend goes.
public enum LegendPosition: Sendable, Hashable {
    case topLeft, topRight, bottomLeft, bottomRight
    /// The inside corner covering the fewest drawn points (top-right on ties).
    case automatic
    /// Right of the plot area, top-aligned, in space taken from the plot's width: it covers no data
    /// (for panels whose every corner holds data, such as trajectories).
    case outsideRight
    /// No legend.
    case hidden
}

/// One plot: axes, marks, title and legend. Marks are drawn in order, later on top.
public struct Panel: Sendable, Hashable {
    public var title: String
    public var xAxis: Axis
    public var yAxis: Axis
    /// One data unit spans the same number of pixels on both axes (the shorter range is widened).
    public var equalAspect: Bool
    /// Light grid lines at the ticks.
    public var showsGrid: Bool
    public var legend: LegendPosition
    public var marks: [Mark]

    public init(title: String = "", xAxis: Axis = Axis(), yAxis: Axis = Axis(), equalAspect: Bool = false,
                showsGrid: Bool = true, legend: LegendPosition = .automatic, marks: [Mark] = []) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.equalAspect = equalAspect
        self.showsGrid = showsGrid
        self.legend = legend
        self.marks = marks
    }

    public mutating func add(_ mark: Mark) { marks.append(mark) }
}
