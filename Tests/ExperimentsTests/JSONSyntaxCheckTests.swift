@testable import Experiments
import Foundation
import Testing
import TestSupport
import Toy

/// The strict JSON syntax check that runs before JSONDecoder: syntax errors at their exact line and
/// column, duplicate keys refused with their path, valid documents (every example file, random
/// documents) accepted, and agreement with JSONSerialization on random one-character mutations.
///
/// Columns count Unicode scalars, not bytes: `é`, `€` and `😀` are one column each, and `e` followed
/// by a combining accent is two (as many editors show it for precomposed text, and independent of
/// the terminal's rendering). A leading byte order mark is not counted.
@Suite struct JSONSyntaxCheckTests {
    static func fault(_ bytes: [UInt8]) -> JSONSyntaxError? {
        do { try JSONSyntaxCheck.scan(Data(bytes)); return nil } catch { return error }
    }

    static func fault(_ text: String) -> JSONSyntaxError? { fault(Array(text.utf8)) }

    /// An experiment file whose line 7 lacks a ',' at column 18 (before `"lambda"`).
    static let missingComma = """
        {
          "ideal": {"components": [{"weight": 1, "mean": [0], "std": 1}]},
          "strong": {"components": [{"weight": 1, "mean": [0], "std": 1}]},
          "weak": {"components": [{"weight": 1, "mean": [0], "std": 1}]},
          "sampler": {
            "steps": 10,
            "gamma": 0.5 "lambda": 3
          }
        }
        """

    /// (name, document, line, column, JSON path, a fragment of the message)
    static let syntaxErrors: [(String, [UInt8], Int, Int, String, String)] = [
        ("missing comma after multi-line content", Array(missingComma.utf8), 7, 18, "sampler.gamma",
         "expected ',' or '}' after an object value; found '\"'"),
        ("the same with CR LF line ends", Array(missingComma.replacingOccurrences(of: "\n", with: "\r\n").utf8), 7, 18, "sampler.gamma", "found '\"'"),
        ("the same with lone CR line ends", Array(missingComma.replacingOccurrences(of: "\n", with: "\r").utf8), 7, 18, "sampler.gamma", "found '\"'"),
        ("missing comma in an array", Array("[1 2]".utf8), 1, 4, "[0]", "expected ',' or ']' after an array element; found '2'"),
        ("missing colon", Array(#"{"a" 1}"#.utf8), 1, 6, "a", "expected ':' after the key"),
        ("key not a string", Array("{a: 1}".utf8), 1, 2, "(document)", "expected a key (a string in double quotes); found 'a'"),
        ("trailing comma in an array", Array(#"{"a": [1, 2,]}"#.utf8), 1, 12, "a[1]", "without trailing commas (a ',' before ']')"),
        ("trailing comma in an object", Array("{\n  \"sampler\": {\"steps\": 10,\n  }\n}".utf8), 2, 26, "sampler.steps",
         "without trailing commas (a ',' before '}')"),
        ("leading comma", Array("[,1]".utf8), 1, 2, "[0]", "expected a value"),
        ("unterminated string at the end", Array(#"{"name": "abc"#.utf8), 1, 14, "name",
         "expected '\"' closing the string opened at line 1, column 10; found the end of the file"),
        ("unterminated string at a line break", Array("{\"a\": \"abc\n\"}".utf8), 1, 11, "a", "a line break in a string is written \\n"),
        ("bad literal", Array("[true, fasle]".utf8), 1, 10, "[1]", "expected 'false'; found 's'"),
        ("truncated literal", Array(#"{"a": nul}"#.utf8), 1, 10, "a", "expected 'null'; found '}'"),
        ("capitalised literal", Array("[True]".utf8), 1, 2, "[0]", "expected a value (an object, array, string, number, true, false or null); found 'T'"),
        ("multibyte characters before the error", Array(#"{"name": "é€😀", x}"#.utf8), 1, 17, "name", "expected a key"),
        ("a combining accent is a column", Array("[\"é€😀e\u{301}\" 1]".utf8), 1, 10, "[0]", "found '1'"),
        ("multibyte line before the error line", Array("[\"😀\",\n 1 2]".utf8), 2, 4, "[1]", "found '2'"),
        ("byte order mark not counted", [0xEF, 0xBB, 0xBF] + Array(#"{"a": 1 x}"#.utf8), 1, 9, "a", "found 'x'"),
        ("empty file", [], 1, 1, "(document)", "expected a value"),
        ("only whitespace", Array("\n\n  ".utf8), 3, 3, "(document)", "found the end of the file"),
        ("garbage after the document", Array("{} x".utf8), 1, 4, "(document)", "expected the end of the file after the document; found 'x'"),
        ("two closing braces", Array("{}}".utf8), 1, 3, "(document)", "found '}'"),
        ("line comment", Array("{\"a\": 1 // c\n}".utf8), 1, 9, "a", "found '/'"),
        ("block comment", Array("/* c */ {}".utf8), 1, 1, "(document)", "found '/'"),
        ("tab in a string", Array("[\"a\tb\"]".utf8), 1, 4, "[0]", "a control character escaped in a string (\\t, \\n, \\u0000 ...); found U+0009"),
        ("unknown escape", Array(#"["\x"]"#.utf8), 1, 4, "[0]", "found 'x'"),
        ("bad hex digit", Array(#"["\u12G4"]"#.utf8), 1, 7, "[0]", "four hexadecimal digits after \\u; found 'G'"),
        ("lone high surrogate", Array(#"["\uD83D"]"#.utf8), 1, 9, "[0]", "a low surrogate escape"),
        ("lone low surrogate", Array(#"["\uDE00"]"#.utf8), 1, 3, "[0]", "a low surrogate escape only after a high one"),
        ("high surrogate then a non-surrogate", Array(#"["\uD83D\u0041"]"#.utf8), 1, 11, "[0]", "a low surrogate"),
        ("leading zero", Array("[01]".utf8), 1, 3, "[0]", "no leading zero"),
        ("negative leading zero", Array("[-01]".utf8), 1, 4, "[0]", "no leading zero"),
        ("no digit after the point", Array("[1.]".utf8), 1, 4, "[0]", "a digit after the decimal point; found ']'"),
        ("no digit before the point", Array("[.5]".utf8), 1, 2, "[0]", "found '.'"),
        ("plus sign", Array("[+1]".utf8), 1, 2, "[0]", "found '+'"),
        ("lone minus", Array("[-]".utf8), 1, 3, "[0]", "expected a digit; found ']'"),
        ("empty exponent", Array("[1e]".utf8), 1, 4, "[0]", "a digit in the exponent"),
        ("hexadecimal", Array("[0x10]".utf8), 1, 3, "[0]", "found 'x'"),
        ("NaN", Array("[NaN]".utf8), 1, 2, "[0]", "found 'N'"),
        ("minus infinity", Array("[-Infinity]".utf8), 1, 3, "[0]", "expected a digit; found 'I'"),
        ("single quotes", Array("['a']".utf8), 1, 2, "[0]", "found '''"),
        ("invalid UTF-8 byte", [0x5B, 0x22, 0x61, 0xFF, 0x22, 0x5D], 1, 4, "[0]", "well-formed UTF-8; found the byte 0xFF (not UTF-8)"),
        ("overlong UTF-8", [0x5B, 0x22, 0x61, 0xC0, 0xAF, 0x22, 0x5D], 1, 4, "[0]", "well-formed UTF-8"),
        ("UTF-8 encoded surrogate", [0x5B, 0x22, 0x61, 0xED, 0xA0, 0x80, 0x22, 0x5D], 1, 4, "[0]", "well-formed UTF-8"),
        ("truncated UTF-8 at the end", [0x5B, 0x22, 0xE2, 0x82], 1, 3, "[0]", "well-formed UTF-8"),
        ("non-breaking space as whitespace", Array("[1,\u{A0}2]".utf8), 1, 4, "[1]", "found U+00A0"),
        ("UTF-16", [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00], 1, 1, "(document)", "UTF-8 text (this file looks like UTF-16 or UTF-32)"),
        ("513 nested arrays", Array((String(repeating: "[", count: 513) + String(repeating: "]", count: 513)).utf8), 1, 513,
         "[0][0][0][0]…[0][0][0][0]", "at most 512 nested arrays and objects; found '['"),
        ("100 000 open arrays", Array(String(repeating: "[", count: 100_000).utf8), 1, 513, "[0][0][0][0]…[0][0][0][0]", "at most 512"),
        ("deep objects", Array(String(repeating: #"{"a":"#, count: 600).utf8), 1, 5 * 512 + 1, "a.a.a.a….a.a.a.a", "at most 512"),
    ]

    @Test(arguments: syntaxErrors.indices)
    func syntaxErrorAtItsLineAndColumn(_ index: Int) {
        let (name, bytes, line, column, path, fragment) = Self.syntaxErrors[index]
        guard let fault = Self.fault(bytes) else {
            Issue.record("\(name): accepted")
            return
        }
        let message = "\(fault.toyError(source: "config.json"))"
        #expect(fault.position == .init(line: line, column: column), "\(name): \(message)")
        #expect(fault.path == path, "\(name): \(message)")
        #expect(message.hasPrefix("config.json:\(line):\(column): \(path): "), "\(name): \(message)")
        #expect(message.contains(fragment), "\(name): expected '\(fragment)' in \(message)")
        if case .duplicateKey = fault.problem { Issue.record("\(name): reported as a duplicate key") }
    }

    /// The message as the command line prints it (after `Error: `), through the decoder of experiment files.
    @Test func messagesThroughTheExperimentDecoder() {
        func message(_ text: String) -> String {
            do {
                _ = try ExperimentSpec.decode(Data(text.utf8), source: "config.json")
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(message(Self.missingComma)
                == #"config.json:7:18: sampler.gamma: well-formed JSON (expected ',' or '}' after an object value; found '"')"#)
        let duplicate = Self.missingComma.replacingOccurrences(of: #""gamma": 0.5 "lambda": 3"#, with: #""gamma": 0.5, "steps": 12"#)
        #expect(message(duplicate)
                == "config.json:7:19: sampler.steps: each key once per object (duplicate key 'steps', first at line 6, column 5)")
        #expect(message(Self.missingComma.replacingOccurrences(of: #" "lambda""#, with: #", "lambda""#)) == "accepted")
    }

    /// (name, document, line, column, JSON path of the second occurrence, key, first line, first column)
    static let duplicates: [(String, String, Int, Int, String, String, Int, Int)] = [
        ("top level", "{\n  \"steps\": 1,\n  \"steps\": 2\n}", 3, 3, "steps", "steps", 2, 3),
        ("nested", """
            {"ideal": {"components": []},
             "sampler": {
               "gamma": 1,
               "steps": 10,
               "gamma": 2
             }}
            """, 5, 4, "sampler.gamma", "gamma", 3, 4),
        ("inside an array element", #"[{"x": 1}, {"x": 1, "x": 2}]"#, 1, 21, "[1].x", "x", 1, 13),
        ("spelled with an escape", #"{"ab": 1, "a\u0062": 2}"#, 1, 11, "ab", "ab", 1, 2),
        ("canonically equivalent (as JSONDecoder's dictionary keys)", "{\"\u{E9}\": 1, \"e\u{301}\": 2}", 1, 10, "\u{E9}", "\u{E9}", 1, 2),
        ("after nested content", "{\"a\": {\"b\": [1, {\"c\": 2}]},\n \"a\": 3}", 2, 2, "a", "a", 1, 2),
    ]

    @Test(arguments: duplicates.indices)
    func duplicateKeyNamedWithItsPathAndLine(_ index: Int) {
        let (name, text, line, column, path, key, firstLine, firstColumn) = Self.duplicates[index]
        guard let fault = Self.fault(text) else {
            Issue.record("\(name): accepted")
            return
        }
        #expect(fault.position == .init(line: line, column: column) && fault.path == path, "\(name): \(fault)")
        #expect(fault.problem == .duplicateKey(key, first: .init(line: firstLine, column: firstColumn)), "\(name): \(fault)")
        let message = "\(fault.toyError(source: "f.json"))"
        #expect(message == "f.json:\(line):\(column): \(path): each key once per object (duplicate key '\(key)', first at line \(firstLine), column \(firstColumn))")
    }

    /// The same key in different objects, nested or side by side, and documents at the limits.
    @Test func validDocumentsAccepted() {
        let documents = [
            #"{"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 2}], "x": {"x": {"x": 3}}}"#,
            #"{"ab": 1, "a\u0063": 2, "": 3, " ": 4}"#,
            #"["\"\\\/\b\f\n\r\t\u00e9\u00C9\uD83D\uDE00\u0000", "\u007F", "é€😀e\#u{301}"]"#,
            "[0, -0, 1, -1, 0.5, -12.75e+10, 3E-2, 1e0, 123456789012345678901234567890]",
            "true", " null ", "\"text\"", "-0.0e-0", "[]", "{}", " [ { } , [ ] ] ",
            "\u{FEFF}{}", "{\r\n\t\"a\"\r:\n1\r}\n",
            String(repeating: "[", count: 512) + String(repeating: "]", count: 512),
        ]
        for document in documents {
            #expect(Self.fault(document) == nil, "\(document.prefix(80)): \(Self.fault(document).map { "\($0)" } ?? "")")
            #expect((try? JSONSerialization.jsonObject(with: Data(document.utf8), options: .fragmentsAllowed)) != nil, "\(document.prefix(80))")
        }
        // A number's range is the decoders' concern (JSONSerialization and JSONDecoder refuse this one).
        #expect(Self.fault("[1e400]") == nil)
    }

    /// Every example file and every case file passes the check and decodes as before.
    @Test func exampleFilesPass() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var paths: [String] = []
        for folder in ["Examples", "Examples/cases"] {
            let directory = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where name.hasSuffix(".json") {
                paths.append(directory.appendingPathComponent(name).path)
            }
        }
        #expect(paths.count >= 18, "\(paths)")
        for path in paths {
            let data = try #require(FileManager.default.contents(atPath: path))
            #expect(Self.fault(Array(data)) == nil, "\(path): \(Self.fault(Array(data)).map { "\($0)" } ?? "")")
            #expect(throws: Never.self, "\(path)") { _ = try ExperimentSpec.load(path: path) }
        }
    }

    /// A saved report (with `schema` and `experiment`) passes, and a duplicate inside it is refused.
    @Test func savedReportsPass() throws {
        let spec = ExperimentSpec.preset(dimension: 2)
        let report = try ReportEncoding.encode(["schema": "toy-w2sd/test"])
        #expect(Self.fault(Array(report)) == nil)
        let encoded = try ReportEncoding.encode(spec)
        #expect(Self.fault(Array(encoded)) == nil)
        #expect(try ExperimentSpec.decode(encoded, source: "report.json").resolvedForEcho == spec.resolvedForEcho)
    }

    // MARK: Properties

    /// Random valid documents are accepted (and JSONSerialization agrees they are JSON).
    @Test func randomDocumentsAccepted() {
        let failures = Property.check("random JSON documents are accepted") { rng in
            let document = RandomJSON.document(&rng)
            if let fault = Self.fault(document) { return "refused: \(fault)\n    document: \(document.debugDescription)" }
            if (try? JSONSerialization.jsonObject(with: Data(document.utf8), options: .fragmentsAllowed)) == nil {
                return "generator wrote a document JSONSerialization refuses: \(document.debugDescription)"
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// Deleting or inserting one character (sometimes one byte) of a random valid document: the check
    /// and JSONSerialization agree on acceptance, except where the check is stricter by design
    /// (a duplicate key, a trailing comma: JSONSerialization accepts both).
    @Test func mutationsAgreeWithJSONSerialization() {
        let failures = Property.check("one-character mutations: the check agrees with JSONSerialization") { rng in
            let document = RandomJSON.document(&rng)
            for _ in 0..<8 {
                let mutated = RandomJSON.mutate(document, &rng)
                let fault = Self.fault(mutated)
                let serialization = (try? JSONSerialization.jsonObject(with: Data(mutated), options: .fragmentsAllowed)) != nil
                switch (fault?.problem, serialization) {
                case (nil, true), (.malformed?, false), (.trailingComma?, _), (.duplicateKey?, _):
                    continue
                case (nil, false):
                    return "accepted, JSONSerialization refuses: \(String(decoding: mutated, as: UTF8.self).debugDescription)"
                case let (problem?, true):
                    return "refused (\(problem)), JSONSerialization accepts: \(String(decoding: mutated, as: UTF8.self).debugDescription)"
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}

/// Seeded random JSON: valid documents, and one-character mutations of them.
enum RandomJSON {
    /// A document: an array or object with nested arrays and objects (depth <= 4), strings with every
    /// escape, surrogate pairs and multibyte characters, numbers of every grammar branch, literals,
    /// and random whitespace (spaces, tabs, LF, CR LF) between tokens. Keys are short (so that one
    /// deleted character often makes two equal) and unique per object as decoded strings.
    static func document(_ rng: inout PropertyGenerator) -> String {
        whitespace(&rng) + value(depth: 0, &rng) + whitespace(&rng)
    }

    static func value(depth: Int, _ rng: inout PropertyGenerator) -> String {
        switch Draw.integer(depth == 0 ? 3...5 : depth >= 4 ? 0...2 : 0...5, &rng) {
        case 0: return number(&rng)
        case 1: return string(text(&rng), &rng)
        case 2: return Draw.element(["true", "false", "null"], &rng)
        case 3:
            let elements = (0..<Draw.integer(0...4, &rng)).map { _ in whitespace(&rng) + value(depth: depth + 1, &rng) + whitespace(&rng) }
            return "[" + (elements.isEmpty ? whitespace(&rng) : elements.joined(separator: ",")) + "]"
        default:
            var keys = Set<String>()
            var members: [String] = []
            for _ in 0..<Draw.integer(0...4, &rng) {
                let key = String(String.UnicodeScalarView((0..<Draw.integer(0...2, &rng)).map { _ in
                    Draw.element(["a", "b", "\"", "\u{E9}", "e", "\u{301}"] as [Unicode.Scalar], &rng)
                }))
                guard keys.insert(key).inserted else { continue }
                members.append(whitespace(&rng) + string(key, &rng) + whitespace(&rng) + ":" + whitespace(&rng)
                               + value(depth: depth + 1, &rng) + whitespace(&rng))
            }
            return "{" + (members.isEmpty ? whitespace(&rng) : members.joined(separator: ",")) + "}"
        }
    }

    static func whitespace(_ rng: inout PropertyGenerator) -> String {
        guard Draw.integer(0...2, &rng) == 0 else { return "" }
        return (0..<Draw.integer(1...3, &rng)).map { _ in Draw.element([" ", "\t", "\n", "\r\n", "  "], &rng) }.joined()
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9])?`: one-digit exponents, so one inserted
    /// digit cannot take a number beyond Double's range (JSONSerialization refuses 1e400).
    static func number(_ rng: inout PropertyGenerator) -> String {
        func digits(_ count: ClosedRange<Int>, _ rng: inout PropertyGenerator) -> String {
            (0..<Draw.integer(count, &rng)).map { _ in String(Draw.integer(0...9, &rng)) }.joined()
        }
        var text = Draw.bool(&rng) ? "-" : ""
        text += Draw.bool(&rng) ? "0" : String(Draw.integer(1...9, &rng)) + digits(0...3, &rng)
        if Draw.bool(&rng) { text += "." + digits(1...3, &rng) }
        if Draw.bool(&rng) { text += Draw.element(["e", "E"], &rng) + Draw.element(["", "+", "-"], &rng) + digits(1...1, &rng) }
        return text
    }

    /// Decoded string content: letters, quotes, backslashes, control characters, DEL, multibyte
    /// characters, a combining accent.
    static func text(_ rng: inout PropertyGenerator) -> String {
        let pool: [Unicode.Scalar] = ["a", "b", "c", "x", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}",
                                      "é", "€", "😀", "\u{301}", "\u{FFFF}"]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Draw.integer(0...5, &rng) { scalars.append(Draw.element(pool, &rng)) }
        return String(scalars)
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped (short form or
    /// \uXXXX), other characters sometimes escaped (\uXXXX, a surrogate pair above U+FFFF, \/).
    static func string(_ text: String, _ rng: inout PropertyGenerator) -> String {
        let short: [Unicode.Scalar: String] = ["\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\u{8}": "\\b", "\u{C}": "\\f", "\r": "\\r"]
        func hex(_ unit: UInt32, _ rng: inout PropertyGenerator) -> String {
            let digits = String(unit, radix: 16, uppercase: Draw.bool(&rng))
            return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            let mustEscape = scalar.value < 0x20 || scalar == "\"" || scalar == "\\"
            if !mustEscape && Draw.integer(0...4, &rng) != 0 {
                out.unicodeScalars.append(scalar)
            } else if let escape = short[scalar], Draw.bool(&rng) {
                out += escape
            } else if scalar == "/" {
                out += "\\/"
            } else if scalar.value > 0xFFFF {
                let v = scalar.value - 0x10000
                out += hex(0xD800 + (v >> 10), &rng) + hex(0xDC00 + (v & 0x3FF), &rng)
            } else {
                out += hex(scalar.value, &rng)
            }
        }
        return out + "\""
    }

    /// Deletes or inserts one character (one in five times: deletes one byte, which may leave
    /// malformed UTF-8). Inserted characters: JSON punctuation, digits, letters of the literals and
    /// escapes, whitespace, a control character, multibyte characters.
    static func mutate(_ document: String, _ rng: inout PropertyGenerator) -> [UInt8] {
        if Draw.integer(0...4, &rng) == 0, !document.utf8.isEmpty {
            var bytes = Array(document.utf8)
            bytes.remove(at: Draw.integer(0...(bytes.count - 1), &rng))
            return bytes
        }
        var scalars = Array(document.unicodeScalars)
        if Draw.bool(&rng), !scalars.isEmpty {
            scalars.remove(at: Draw.integer(0...(scalars.count - 1), &rng))
        } else {
            let pool: [Unicode.Scalar] = ["{", "}", "[", "]", ":", ",", "\"", "\\", " ", "\t", "\n", "\r", "0", "1", "9", "-", "+", ".",
                                          "e", "E", "t", "n", "u", "a", "/", "é", "😀", "\u{1}", "\u{A0}"]
            scalars.insert(Draw.element(pool, &rng), at: Draw.integer(0...scalars.count, &rng))
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars)
        return Array(String(text).utf8)
    }
}
