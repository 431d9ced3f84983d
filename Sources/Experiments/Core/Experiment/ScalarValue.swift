/// A JSON value of an experiment setting: a string, an integer, a number, or a list of strings. Read
/// as text through the setting's declaration (so the file and the command line share one parser) and
/// written back with its natural JSON type.
public enum ScalarValue: Codable, Sendable, Equatable {
    case string(String)
    case unsigned(UInt64)
    case integer(Int64)
    case number(Double)
    case strings([String])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(String.self) { self = .string(v) }
        else if let v = try? c.decode(UInt64.self) { self = .unsigned(v) }
        else if let v = try? c.decode(Int64.self) { self = .integer(v) }
        else if let v = try? c.decode(Double.self) { self = .number(v) }
        else if let v = try? c.decode([String].self) { self = .strings(v) }
        else {
            throw DecodingError.typeMismatch(Double.self, .init(codingPath: decoder.codingPath,
                                                                debugDescription: "a number, a string or a list of strings"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .string(v): try c.encode(v)
        case let .unsigned(v): try c.encode(v)
        case let .integer(v): try c.encode(v)
        case let .number(v): try c.encode(v)
        case let .strings(v): try c.encode(v)
        }
    }

    /// The value as command-line text (a list joined by commas).
    public var text: String {
        switch self {
        case let .string(v): return v
        case let .unsigned(v): return String(v)
        case let .integer(v): return String(v)
        case let .number(v): return "\(v)"
        case let .strings(v): return v.joined(separator: ",")
        }
    }
}
