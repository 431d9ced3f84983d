import Foundation
import Toy

/// A strict syntax check of a JSON document (RFC 8259), run before JSONDecoder so that a malformed
/// file is reported at its line and column, and an object that gives a key twice is refused
/// (JSONDecoder silently keeps one of the values).
///
/// One pass over the UTF-8 bytes, no recursion. Checked:
/// - the document is one value (object, array, string, number, `true`, `false`, `null`) with
///   optional whitespace (space, tab, LF, CR) around it, and nothing after it;
/// - objects: string keys, ':' after each key, ',' between members, no trailing comma, no key given
///   twice (keys compare as decoded strings: escapes resolved, canonically equivalent strings equal,
///   as in the dictionaries JSONDecoder and JSONSerialization build);
/// - arrays: ',' between elements, no trailing comma;
/// - strings: no unescaped control character (U+0000 ... U+001F), only the escapes \" \\ \/ \b \f
///   \n \r \t and \uXXXX, a surrogate escape only as a high-low pair, well-formed UTF-8;
/// - numbers: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` (their range is the decoder's);
/// - at most `maximumDepth` nested arrays and objects (JSONSerialization's limit too), so deep
///   input is refused instead of exhausting anything.
///
/// Comments, single quotes, NaN/Infinity, a leading '+' or zero are therefore refused. A UTF-8 byte
/// order mark at the start is skipped (as JSONDecoder does). UTF-16 and UTF-32 documents are refused
/// (RFC 8259 §8.1: JSON exchanged between systems is UTF-8), though Foundation would read them.
///
/// Otherwise it accepts what JSONSerialization accepts, except duplicate keys and trailing commas,
/// which JSONSerialization and JSONDecoder both let through (JSONSyntaxCheckTests compare the two on
/// random documents), and numbers beyond Double's range, which it leaves to the decoder.
///
/// Positions are 1-based. A column counts Unicode scalars, not bytes (an `é` is one column; a tab is
/// one column; the byte order mark is not counted). A line ends at LF, CR LF or a lone CR.
enum JSONSyntaxCheck {
    static let maximumDepth = 512

    /// Throws, for the first fault in `data`, a `ToyError.invalid` whose input is
    /// `SOURCE:LINE:COLUMN: PATH` (see `JSONSyntaxError.toyError`).
    static func check(_ data: Data, source: String) throws(ToyError) {
        do { try scan(data) } catch { throw error.toyError(source: source) }
    }

    /// Throws the first fault in `data`, located.
    static func scan(_ data: Data) throws(JSONSyntaxError) {
        var scanner = Scanner(bytes: [UInt8](data))
        try scanner.document()
    }
}

/// A fault in a JSON document: where it is (line, column, JSON path) and what is wrong.
struct JSONSyntaxError: Error, Equatable {
    enum Problem: Equatable {
        /// Not JSON here: what the grammar (or a limit) expects, and what was found instead.
        case malformed(expected: String, found: String)
        /// A ',' (at the error's position) directly before the container's end (`closing`).
        case trailingComma(closing: String)
        /// The key at the error's position was given before in the same object, at `first`.
        case duplicateKey(String, first: JSONSyntaxError.Position)
    }

    struct Position: Equatable, CustomStringConvertible {
        var line: Int, column: Int
        var description: String { "line \(line), column \(column)" }
    }

    var position: Position
    /// The JSON path of the value being read or just read (`sampler.gamma`, `components[2]`), or
    /// `(document)` at the top level.
    var path: String
    var problem: Problem

    /// `ToyError.invalid` with input `SOURCE:LINE:COLUMN: PATH` and, as accepted,
    /// `well-formed JSON (expected ...; found ...)`, `well-formed JSON without trailing commas (...)` or
    /// `each key once per object (duplicate key 'K', first at line L, column C)`.
    func toyError(source: String) -> ToyError {
        let input = "\(source):\(position.line):\(position.column): \(path)"
        switch problem {
        case let .malformed(expected, found):
            return .invalid(input: input, accepted: "well-formed JSON (expected \(expected); found \(found))")
        case let .trailingComma(closing):
            return .invalid(input: input, accepted: "well-formed JSON without trailing commas (a ',' before \(closing))")
        case let .duplicateKey(key, first):
            return .invalid(input: input, accepted: "each key once per object (duplicate key '\(key)', first at \(first))")
        }
    }
}

extension JSONSyntaxCheck {
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1, column = 1
        /// The open arrays and objects, outermost first.
        var levels: [Level] = []

        struct Level {
            var isObject: Bool
            /// Object: the member's key (nil while a key is read). Array: the element's index (-1 before the first).
            var key: String? = nil
            var element = -1
            /// Object: every key so far, with where it was given.
            var keys: [String: JSONSyntaxError.Position] = [:]
        }

        struct Mark { var index: Int; var position: JSONSyntaxError.Position }

        var mark: Mark { Mark(index: index, position: .init(line: line, column: column)) }
        var byte: UInt8? { index < bytes.count ? bytes[index] : nil }

        // MARK: The document

        mutating func document() throws(JSONSyntaxError) {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
            if bytes.count >= 2, bytes[0] == 0 || bytes[1] == 0 || bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
                throw fail("UTF-8 text (this file looks like UTF-16 or UTF-32)")
            }
            var expectingValue = true
            while true {
                skipWhitespace()
                if expectingValue {
                    expectingValue = try value()
                    continue
                }
                // Only the kind of the innermost level is read: a copy of it would hold on to its keys and
                // make every insertion into them copy the dictionary.
                guard let isObject = levels.last?.isObject else {
                    if byte == nil { return }
                    throw fail("the end of the file after the document")
                }
                let closing: UInt8 = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if byte == closing {
                    advance()
                    levels.removeLast()
                } else if byte == UInt8(ascii: ",") {
                    let comma = mark
                    advance()
                    skipWhitespace()
                    if byte == closing {
                        throw JSONSyntaxError(position: comma.position, path: path, problem: .trailingComma(closing: describe(index)))
                    }
                    if isObject { try member() } else { levels[levels.count - 1].element += 1 }
                    expectingValue = true
                } else {
                    throw fail(isObject ? "',' or '}' after an object value" : "',' or ']' after an array element")
                }
            }
        }

        /// Reads a scalar value, or opens an array or object (and reads its first key). Returns whether
        /// a value is expected next (an opened container that is not empty).
        mutating func value() throws(JSONSyntaxError) -> Bool {
            guard let byte else { throw fail("a value") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard levels.count < maximumDepth else { throw fail("at most \(maximumDepth) nested arrays and objects") }
                let isObject = byte == UInt8(ascii: "{")
                levels.append(Level(isObject: isObject))
                advance()
                skipWhitespace()
                if self.byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    advance()
                    levels.removeLast()
                    return false
                }
                if isObject { try member() } else { levels[levels.count - 1].element = 0 }
                return true
            case UInt8(ascii: "\""):
                _ = try string(decoding: false)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try number()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default:
                throw fail("a value (an object, array, string, number, true, false or null)")
            }
            return false
        }

        /// Reads `"key" :` of an object member; refuses a key given before in the same object.
        mutating func member() throws(JSONSyntaxError) {
            guard byte == UInt8(ascii: "\"") else { throw fail("a key (a string in double quotes)") }
            let start = mark
            levels[levels.count - 1].key = nil
            let key = try string(decoding: true)
            levels[levels.count - 1].key = key
            if let first = levels[levels.count - 1].keys[key] {
                throw JSONSyntaxError(position: start.position, path: path, problem: .duplicateKey(key, first: first))
            }
            levels[levels.count - 1].keys[key] = start.position
            skipWhitespace()
            guard byte == UInt8(ascii: ":") else { throw fail("':' after the key") }
            advance()
        }

        // MARK: Scalars

        /// Reads a string from its opening quote; returns its decoded text when `decoding`.
        mutating func string(decoding: Bool) throws(JSONSyntaxError) -> String {
            let start = mark
            advance()
            var text = String.UnicodeScalarView()
            while true {
                guard let byte else { throw fail("'\"' closing the string opened at \(start.position)") }
                switch byte {
                case UInt8(ascii: "\""):
                    advance()
                    return String(text)
                case UInt8(ascii: "\\"):
                    let scalar = try escape()
                    if decoding { text.append(scalar) }
                case 0x0A, 0x0D:
                    throw fail("'\"' closing the string opened at \(start.position) (a line break in a string is written \\n)")
                case 0..<0x20:
                    throw fail("a control character escaped in a string (\\t, \\n, \\u0000 ...)")
                case 0x80...:
                    guard case let (scalar, length)? = utf8Scalar(at: index) else { throw fail("well-formed UTF-8") }
                    if decoding { text.append(scalar) }
                    advance(bytes: length)
                default:
                    if decoding { text.append(Unicode.Scalar(byte)) }
                    advance()
                }
            }
        }

        /// The escapes \" \\ \/ \b \f \n \r \t by the byte after the backslash.
        static let simpleEscapes: [UInt8: Unicode.Scalar] = [0x22: "\"", 0x5C: "\\", 0x2F: "/", 0x62: "\u{08}", 0x66: "\u{0C}",
                                                             0x6E: "\n", 0x72: "\r", 0x74: "\t"]

        /// Reads an escape from its backslash: one of \" \\ \/ \b \f \n \r \t, \uXXXX, or a surrogate pair.
        mutating func escape() throws(JSONSyntaxError) -> Unicode.Scalar {
            let start = mark
            advance()
            if let byte, let scalar = Self.simpleEscapes[byte] {
                advance()
                return scalar
            }
            guard byte == UInt8(ascii: "u") else { throw fail("an escape \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX after '\\'") }
            advance()
            let unit = try hex4()
            switch unit {
            case 0xD800..<0xDC00:
                guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw fail("a low surrogate escape \\uDC00 ... \\uDFFF after the high surrogate")
                }
                advance(bytes: 2, columns: 2)
                let lowStart = mark
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw fail("a low surrogate \\uDC00 ... \\uDFFF after the high surrogate", at: lowStart)
                }
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
            case 0xDC00..<0xE000:
                throw fail("a low surrogate escape only after a high one \\uD800 ... \\uDBFF", at: start)
            default:
                return Unicode.Scalar(unit)!
            }
        }

        /// Reads four hexadecimal digits.
        mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                let digit: UInt8
                switch byte {
                case let b? where (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b): digit = b - UInt8(ascii: "0")
                case let b? where (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(b): digit = b - UInt8(ascii: "a") + 10
                case let b? where (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(b): digit = b - UInt8(ascii: "A") + 10
                default: throw fail("four hexadecimal digits after \\u")
                }
                value = value << 4 + UInt32(digit)
                advance()
            }
            return value
        }

        /// Reads `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        mutating func number() throws(JSONSyntaxError) {
            if byte == UInt8(ascii: "-") { advance() }
            if byte == UInt8(ascii: "0") {
                advance()
                if isDigit(byte) { throw fail("no leading zero in a number ('.', 'e' or the number's end after 0)") }
            } else {
                try digits("a digit")
            }
            if byte == UInt8(ascii: ".") {
                advance()
                try digits("a digit after the decimal point")
            }
            if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                advance()
                if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { advance() }
                try digits("a digit in the exponent")
            }
        }

        mutating func digits(_ expected: String) throws(JSONSyntaxError) {
            guard isDigit(byte) else { throw fail(expected) }
            while isDigit(byte) { advance() }
        }

        func isDigit(_ byte: UInt8?) -> Bool { byte.map { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? false }

        mutating func literal(_ word: String) throws(JSONSyntaxError) {
            for letter in word.utf8 {
                guard byte == letter else { throw fail("'\(word)'") }
                advance()
            }
        }

        // MARK: Position, paths, faults

        /// Skips JSON whitespace, counting lines (LF, CR LF, lone CR).
        mutating func skipWhitespace() {
            while let byte {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    advance()
                case 0x0A, 0x0D:
                    index += byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
                    line += 1
                    column = 1
                default:
                    return
                }
            }
        }

        /// Moves past one character (`bytes` UTF-8 bytes) on the current line.
        mutating func advance(bytes count: Int = 1, columns: Int = 1) {
            index += count
            column += columns
        }

        /// The well-formed UTF-8 scalar starting at `offset`, with its length in bytes.
        func utf8Scalar(at offset: Int) -> (Unicode.Scalar, Int)? {
            var parser = Unicode.UTF8.ForwardParser()
            var input = bytes[offset...].makeIterator()
            guard case let .valid(encoded) = parser.parseScalar(from: &input) else { return nil }
            return (Unicode.UTF8.decode(encoded), encoded.count)
        }

        /// The character at `offset` as an error shows it.
        func describe(_ offset: Int) -> String {
            guard offset < bytes.count else { return "the end of the file" }
            let byte = bytes[offset]
            if (0x20..<0x7F).contains(byte) { return "'\(Character(Unicode.Scalar(byte)))'" }
            let value: UInt32
            if byte < 0x80 {
                value = UInt32(byte)
            } else if case let (scalar, _)? = utf8Scalar(at: offset) {
                value = scalar.value
            } else {
                return "the byte 0x\(String(byte, radix: 16, uppercase: true)) (not UTF-8)"
            }
            let hex = String(value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }

        /// The JSON path of the value being read or just read; deep paths keep their first and last parts.
        var path: String {
            var parts: [String] = []
            for level in levels {
                if let key = level.key { parts.append("." + key) } else if level.element >= 0 { parts.append("[\(level.element)]") }
            }
            if parts.count > 12 { parts = Array(parts.prefix(4)) + ["…"] + Array(parts.suffix(4)) }
            let text = parts.joined()
            return text.isEmpty ? "(document)" : text.hasPrefix(".") ? String(text.dropFirst()) : text
        }

        func fail(_ expected: String, at mark: Mark? = nil) -> JSONSyntaxError {
            let mark = mark ?? self.mark
            return JSONSyntaxError(position: mark.position, path: path, problem: .malformed(expected: expected, found: describe(mark.index)))
        }
    }
}
