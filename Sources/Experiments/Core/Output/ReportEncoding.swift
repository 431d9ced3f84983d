import Foundation

/// The project's one JSON convention: keys sorted, pretty-printed, slashes unescaped, a final newline,
/// and non-finite numbers as the strings "NaN", "Infinity" and "-Infinity" (JSON has no such numbers).
/// Every document also carries `schema`, `version` and `command`, and the `toolkit` object (version and
/// build, `Toolkit.current`).
public enum ReportEncoding {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(value) + Data("\n".utf8)
    }
}
