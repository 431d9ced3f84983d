import Foundation
import Toy

/// Reading JSON documents (experiment files) with errors that name the JSON path at fault and what is
/// accepted, and writing them with the project's conventions.
public enum JSONDocument {
    /// Reads and decodes `path`; errors name the file and the JSON path at fault.
    public static func load<T: Decodable>(_ type: T.Type, path: String, source: String? = nil) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw ToyError.invalid(input: "config file '\(path)'",
                                   accepted: exists ? (isDirectory.boolValue ? "a file, not a directory" : "a readable file")
                                                    : "an existing JSON file (no such file)")
        }
        return try decode(type, data, source: source ?? path)
    }

    /// Decodes a JSON document; `source` names it in errors. The document is first checked by
    /// `JSONSyntaxCheck`: a syntax error is reported at `source:LINE:COLUMN`, and a key given twice in
    /// one object is refused (JSONDecoder would keep one of its values silently).
    public static func decode<T: Decodable>(_ type: T.Type, _ data: Data, source: String = "config") throws -> T {
        try JSONSyntaxCheck.check(data, source: source)
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[.documentSource] = source
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw ToyError.invalid(input: "\(source): \(describePath(error))", accepted: describeExpectation(error))
        } catch let error as ToyError {
            throw error
        } catch {
            throw ToyError.invalid(input: source, accepted: "a JSON experiment document (\(error))")
        }
    }

    /// The JSON path of a coding path, e.g. `strong.components[2].covariance`.
    public static func jsonPath(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == "\(index)" {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? "(document)" : text
    }

    private static func describePath(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, context):
            return jsonPath(context.codingPath + [key])
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            return jsonPath(context.codingPath)
        @unknown default:
            return "(document)"
        }
    }

    private static func describeExpectation(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound:
            return "this key is required"
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            return "\(expected(type)) (\(context.debugDescription))"
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty {
                let underlying = (context.underlyingError as NSError?).map { " \($0.localizedDescription)" } ?? ""
                return "well-formed JSON (\(context.debugDescription)\(underlying))"
            }
            return "a valid value (\(context.debugDescription))"
        @unknown default:
            return "a valid experiment document"
        }
    }

    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type: return "a number"
        case is Int.Type, is UInt64.Type: return "an integer"
        case is String.Type: return "a string"
        case is [Double].Type: return "an array of numbers"
        case is [[Double]].Type: return "an array of rows (arrays of numbers)"
        default: return "a value of type \(type)"
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    /// Throws for a key outside `allowed`, naming its path and the keys accepted (a nearest match first).
    static func rejectUnknownKeys(_ decoder: any Decoder, allowed: Set<String>) throws {
        guard let container = try? decoder.container(keyedBy: AnyKey.self) else { return }
        for key in container.allKeys.map(\.stringValue).sorted() where !allowed.contains(key) {
            let path = jsonPath(decoder.codingPath + [AnyKey(stringValue: key)])
            throw ToyError.invalid(input: path, accepted: "one of the keys \(allowed.sorted().joined(separator: ", ")) (unknown key '\(key)')")
        }
    }
}
