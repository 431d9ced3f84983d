import Foundation

/// The typed parse closures the option declarations are built from. Each accepts exactly what its
/// declaration's `accepted` text says and throws `InvalidValue` otherwise.
public enum Parse {
    /// An integer in `range`.
    public static func integer(in range: ClosedRange<Int>) -> @Sendable (String) throws -> Int {
        { text in
            guard let v = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(v) else { throw InvalidValue() }
            return v
        }
    }

    /// An unsigned 64-bit integer.
    public static func unsigned(_ text: String) throws -> UInt64 {
        guard let v = UInt64(text.trimmingCharacters(in: .whitespaces)) else { throw InvalidValue() }
        return v
    }

    /// A finite number satisfying `accept`.
    public static func number(where accept: @escaping @Sendable (Double) -> Bool = { _ in true }) -> @Sendable (String) throws -> Double {
        { text in
            guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite, accept(v) else { throw InvalidValue() }
            return v
        }
    }

    /// A comma list of finite numbers (at least one).
    public static func numbers(_ text: String) throws -> [Double] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0?.isFinite == true }) else { throw InvalidValue() }
        return parts.compactMap { $0 }
    }

    /// One of the named choices.
    public static func choice<T: Sendable>(_ table: [(String, T)]) -> @Sendable (String) throws -> T {
        { text in
            guard let match = table.first(where: { $0.0 == text }) else { throw InvalidValue() }
            return match.1
        }
    }

    /// A value of a `String`-backed enumeration (its raw values are the accepted names).
    public static func named<T: RawRepresentable & CaseIterable & Sendable>(_: T.Type) -> @Sendable (String) throws -> T where T.RawValue == String {
        choice(T.allCases.map { ($0.rawValue, $0) })
    }

    /// Any non-empty text (a path, a name).
    public static func text(_ text: String) throws -> String { text }
}
