/// Errors raised by Plot. Each case names the input at fault and what is accepted.
public enum PlotError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A size or count is out of range, e.g. a figure width of 0.
    case invalidSize(name: String, value: Int, accepted: String)
    /// A real-valued setting is out of range or not finite, e.g. a font scale of 0.
    case invalidValue(name: String, value: Double, accepted: String)
    /// Two arrays that must have the same length do not.
    case mismatchedLengths(name: String, expected: Int, actual: Int)
    /// Explicit axis limits are not finite, not increasing, or not positive on a log axis.
    case invalidLimits(name: String, lower: Double, upper: Double, accepted: String)
    /// A panel placement falls outside the figure grid.
    case invalidPlacement(row: Int, column: Int, rows: Int, columns: Int)
    /// A file could not be written.
    case unwritablePath(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidSize(name, value, accepted):
            return "\(name) is \(value); accepted: \(accepted)"
        case let .invalidValue(name, value, accepted):
            return "\(name) is \(value); accepted: \(accepted)"
        case let .mismatchedLengths(name, expected, actual):
            return "\(name) has \(actual) values but \(expected) were expected (one per point)"
        case let .invalidLimits(name, lower, upper, accepted):
            return "\(name) limits \(lower)...\(upper) are invalid; accepted: \(accepted)"
        case let .invalidPlacement(row, column, rows, columns):
            return "panel at row \(row), column \(column) lies outside the \(rows) x \(columns) grid;"
                + " accepted: rows 0..<\(rows), columns 0..<\(columns), spans that stay inside"
        case let .unwritablePath(path, reason):
            return "cannot write \(path): \(reason); accepted: a path in an existing, writable directory"
        }
    }
}
