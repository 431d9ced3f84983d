/// Prose with typed numbers in it: a verdict or an interpretation whose numbers stay numbers until the
/// renderer formats them (with the same formatter as the tables).
///
///     let text: CheckText = "slope \(slope, .fixed(decimals: 3)) over \(steps.count) step counts"
///
/// A Double interpolated without a format is written to 3 significant digits.
public struct CheckText: Sendable, Equatable, ExpressibleByStringInterpolation, ExpressibleByStringLiteral {
    public enum Part: Sendable, Equatable {
        case text(String)
        case number(Double, CellFormat)
        case integer(Int)
    }

    public var parts: [Part]

    init(parts: [Part]) { self.parts = parts }

    public init(stringLiteral value: String) { parts = [.text(value)] }

    public init(stringInterpolation: Interpolation) { parts = stringInterpolation.parts }

    public struct Interpolation: StringInterpolationProtocol {
        var parts: [Part] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) { if !literal.isEmpty { parts.append(.text(literal)) } }

        public mutating func appendInterpolation(_ value: Double, _ format: CellFormat = .significant(digits: 3)) {
            parts.append(.number(value, format))
        }

        public mutating func appendInterpolation(_ value: Int) { parts.append(.integer(value)) }

        public mutating func appendInterpolation(_ value: String) { parts.append(.text(value)) }

        public mutating func appendInterpolation(_ value: CheckText) { parts += value.parts }
    }

    /// Concatenation.
    static func + (lhs: CheckText, rhs: CheckText) -> CheckText { CheckText(parts: lhs.parts + rhs.parts) }

    /// The parts joined by `separator`.
    static func joined(_ texts: [CheckText], separator: String) -> CheckText {
        var parts: [Part] = []
        for (index, text) in texts.enumerated() {
            if index > 0 { parts.append(.text(separator)) }
            parts += text.parts
        }
        return CheckText(parts: parts)
    }
}
