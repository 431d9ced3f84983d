/// Counts of values in equal-width bins.
///
/// Non-finite values and values outside `edges.first...edges.last` are dropped (counted in
/// `droppedCount`); the last bin is closed on the right so the upper edge is counted.
public struct Histogram: Sendable, Hashable {
    /// `binCount + 1` increasing bin edges.
    public var edges: [Double]
    /// Values per bin.
    public var counts: [Int]
    /// Values that were not finite or fell outside the edges.
    public var droppedCount: Int

    /// Bins `values` into `binCount` (at least 1) equal bins over `range`, or over the finite data's
    /// min...max when `range` is nil (widened by 0.5 on each side when all values are equal).
    public init(values: [Double], binCount: Int, range: ClosedRange<Double>? = nil) {
        let finite = values.filter(\.isFinite)
        let bins = max(binCount, 1)
        var lower = range?.lowerBound ?? finite.min() ?? 0
        var upper = range?.upperBound ?? finite.max() ?? 1
        if !(lower.isFinite && upper.isFinite) { (lower, upper) = (0, 1) }
        if upper <= lower { (lower, upper) = (lower - 0.5, lower + 0.5) }
        let width = (upper - lower) / Double(bins)
        edges = (0...bins).map { $0 == bins ? upper : lower + Double($0) * width }
        counts = Array(repeating: 0, count: bins)
        var inside = 0
        for value in finite where value >= lower && value <= upper {
            counts[min(Int((value - lower) / width), bins - 1)] += 1
            inside += 1
        }
        droppedCount = values.count - inside
    }

    /// The number of counted values.
    public var total: Int { counts.reduce(0, +) }

    /// Counts divided by `total * binWidth`: a density that integrates to 1 (all zeros when empty).
    public var densities: [Double] {
        let n = Double(total)
        return counts.indices.map { bin in
            n > 0 ? Double(counts[bin]) / (n * (edges[bin + 1] - edges[bin])) : 0
        }
    }
}
