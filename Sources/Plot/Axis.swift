import Foundation

/// An axis scale.
public enum Scale: Sendable, Hashable {
    case linear
    /// Base-10 logarithmic; non-positive values are dropped.
    case log

    /// Data value to the linear space the axis is drawn in; nil when the value cannot be shown.
    func transform(_ value: Double) -> Double? {
        switch self {
        case .linear: return value.isFinite ? value : nil
        case .log: return value.isFinite && value > 0 ? log10(value) : nil
        }
    }

    func inverse(_ value: Double) -> Double {
        switch self {
        case .linear: return value
        case .log: return pow(10, value)
        }
    }
}

/// Explicit axis limits in data units.
public struct AxisLimits: Sendable, Hashable {
    public var lower: Double
    public var upper: Double

    public init(_ lower: Double, _ upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

/// One axis of a panel: label, scale, limits (nil = automatic, the data range padded by 4%) and
/// ticks (nil = automatic "nice" ticks; else these ticks, e.g. category names at heatmap cell centres,
/// those outside the limits dropped and labels thinned to every k-th when they would overlap).
public struct Axis: Sendable, Hashable {
    public var label: String
    public var scale: Scale
    public var limits: AxisLimits?
    public var ticks: [Tick]?

    public init(label: String = "", scale: Scale = .linear, limits: AxisLimits? = nil, ticks: [Tick]? = nil) {
        self.label = label
        self.scale = scale
        self.limits = limits
        self.ticks = ticks
    }

    func validate(name: String) throws(PlotError) {
        guard let limits else { return }
        let positive = scale == .linear || limits.lower > 0
        guard limits.lower.isFinite, limits.upper.isFinite, limits.lower < limits.upper, positive else {
            throw .invalidLimits(name: name, lower: limits.lower, upper: limits.upper,
                                 accepted: scale == .log ? "finite, 0 < lower < upper" : "finite, lower < upper")
        }
    }
}
