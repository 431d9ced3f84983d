/// The extent of data in transformed (scale) space, growing as values are added; non-finite values
/// are ignored.
struct DataBounds {
    var x: ClosedRange<Double>?
    var y: ClosedRange<Double>?

    mutating func includeX(_ value: Double?) { x = DataBounds.extend(x, value) }
    mutating func includeY(_ value: Double?) { y = DataBounds.extend(y, value) }

    mutating func include(_ other: DataBounds) {
        includeX(other.x?.lowerBound)
        includeX(other.x?.upperBound)
        includeY(other.y?.lowerBound)
        includeY(other.y?.upperBound)
    }

    private static func extend(_ range: ClosedRange<Double>?, _ value: Double?) -> ClosedRange<Double>? {
        guard let value, value.isFinite else { return range }
        guard let range else { return value...value }
        return min(range.lowerBound, value)...max(range.upperBound, value)
    }
}
