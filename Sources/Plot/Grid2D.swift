/// Values on a rectilinear grid: `z[row * x.count + column]` is the value at `(x[column], y[row])`.
/// `x` and `y` must be strictly increasing; non-finite `z` values mark missing data.
public struct Grid2D: Sendable, Hashable {
    public var x: [Double]
    public var y: [Double]
    /// Row-major values, `x.count * y.count` of them.
    public var z: [Double]

    public init(x: [Double], y: [Double], z: [Double]) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// Samples `function(x, y)` at every grid node.
    public init(x: [Double], y: [Double], function: (Double, Double) -> Double) {
        self.init(x: x, y: y, z: y.flatMap { yValue in x.map { function($0, yValue) } })
    }

    /// `count` evenly spaced values from `lower` to `upper` inclusive (convenience for grid axes).
    public static func evenlySpaced(from lower: Double, to upper: Double, count: Int) -> [Double] {
        guard count > 1 else { return [lower] }
        return (0..<count).map { lower + (upper - lower) * Double($0) / Double(count - 1) }
    }

    public func value(column: Int, row: Int) -> Double { z[row * x.count + column] }

    /// The finite min...max of `z`, or nil if no value is finite.
    public var valueRange: ClosedRange<Double>? {
        let finite = z.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        return low...high
    }

    /// Throws unless the grid has at least `minimumNodes` x `minimumNodes` nodes (2 for contours, which
    /// interpolate between nodes; 1 for heatmaps, whose lone row or column spans one unit), `z` has one
    /// value per node, and the coordinates are finite and strictly increasing.
    func validate(name: String, minimumNodes: Int = 2) throws(PlotError) {
        guard x.count >= minimumNodes else { throw .invalidSize(name: "\(name) x count", value: x.count, accepted: "at least \(minimumNodes)") }
        guard y.count >= minimumNodes else { throw .invalidSize(name: "\(name) y count", value: y.count, accepted: "at least \(minimumNodes)") }
        guard z.count == x.count * y.count else {
            throw .mismatchedLengths(name: "\(name) z", expected: x.count * y.count, actual: z.count)
        }
        for (axisName, values) in [("x", x), ("y", y)] {
            guard let first = values.first, let last = values.last else { continue }
            guard zip(values, values.dropFirst()).allSatisfy({ $0.isFinite && $1.isFinite && $0 < $1 }) else {
                throw .invalidLimits(name: "\(name) \(axisName) coordinates", lower: first, upper: last,
                                     accepted: "finite, strictly increasing coordinates")
            }
        }
    }
}
