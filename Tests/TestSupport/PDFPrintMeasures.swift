import Foundation

/// What a one-page PDF prints, read back from its bytes for tests: the page size, and every shown
/// text's and every stroked line's printed size in points, from the content stream's operators
/// (independently of the renderer that wrote them).
///
/// A text's size is its `Tf` size times the scale of the text matrix (`Tm`) and of the current
/// transformation (`cm`, with `q`/`Q`), the scale of a matrix [a b c d] being sqrt(|ad - bc|) (exact
/// for rotations and uniform scales, so a rotated label counts at its real size). A line's width is
/// its `w` (1 unless set) times the transformation's scale, taken at each stroking operator.
public struct PDFPrintMeasures {
    public var pageWidth: Double
    public var pageHeight: Double
    /// One entry per `Tj`: the printed size in points and the shown bytes.
    public var texts: [(size: Double, text: String)] = []
    /// One entry per stroke (`S`, `s`, `B`, `B*`, `b`, `b*`).
    public var lineWidths: [Double] = []

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public init(pdf bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let box = text.range(of: "/MediaBox [") else { throw Failure(description: "no /MediaBox") }
        let numbers = text[box.upperBound...].prefix { $0 != "]" }.split(separator: " ").compactMap { Double($0) }
        guard numbers.count == 4 else { throw Failure(description: "bad /MediaBox \(numbers)") }
        (pageWidth, pageHeight) = (numbers[2] - numbers[0], numbers[3] - numbers[1])
        try read(Self.contentStream(bytes, text: text))
    }

    /// The inflated data of the (only) FlateDecode stream: its dictionary's /Length bytes after "stream\n".
    static func contentStream(_ bytes: [UInt8], text: String) throws -> String {
        func find(_ pattern: String, from start: Int) -> Int? {
            let needle = Array(pattern.utf8)
            guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
            return (start...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
        }
        guard let filter = find("/Filter /FlateDecode", from: 0),
              let dictionary = (0...filter).reversed().first(where: { bytes[$0] == UInt8(ascii: "<") }),
              let lengthAt = find("/Length ", from: dictionary),
              let start = find("stream\n", from: filter) else { throw Failure(description: "no FlateDecode stream") }
        let digits = bytes[(lengthAt + 8)...].prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard let length = Int(String(decoding: digits, as: UTF8.self)), start + 7 + length <= bytes.count else {
            throw Failure(description: "bad stream length")
        }
        let data = Array(bytes[(start + 7)..<(start + 7 + length)])
        return String(decoding: try Inflater.zlibDecompress(data), as: UTF8.self)
    }

    /// Runs the operators that set sizes: q Q cm BT Tm Tf w, and records at Tj and the strokes.
    private mutating func read(_ content: String) throws {
        var operands: [String] = []
        var ctm = [1.0, 0, 0, 1], stack: [[Double]] = []
        var textMatrix = [1.0, 0, 0, 1], fontSize = 0.0, lineWidth = 1.0
        func scale(_ m: [Double]) -> Double { abs(m[0] * m[3] - m[1] * m[2]).squareRoot() }
        func numbers(_ count: Int) throws -> [Double] {
            let values = operands.suffix(count).compactMap { Double($0) }
            guard values.count == count else { throw Failure(description: "expected \(count) numbers, got \(operands)") }
            return values
        }
        for token in Self.tokens(content) {
            if token.isOperator {
                switch token.text {
                case "q": stack.append(ctm)
                case "Q": ctm = stack.popLast() ?? [1, 0, 0, 1]
                case "cm":
                    let m = try numbers(6)
                    // The new CTM is m x CTM (only the linear part matters for sizes).
                    ctm = [m[0] * ctm[0] + m[1] * ctm[2], m[0] * ctm[1] + m[1] * ctm[3],
                           m[2] * ctm[0] + m[3] * ctm[2], m[2] * ctm[1] + m[3] * ctm[3]]
                case "BT": textMatrix = [1, 0, 0, 1]
                case "Tm": textMatrix = Array(try numbers(6).prefix(4))
                case "Tf": fontSize = try numbers(1)[0]
                case "w": lineWidth = try numbers(1)[0]
                case "Tj":
                    texts.append((fontSize * scale(textMatrix) * scale(ctm), operands.last ?? ""))
                case "S", "s", "B", "B*", "b", "b*":
                    lineWidths.append(lineWidth * scale(ctm))
                default: break
                }
                operands = []
            } else {
                operands.append(token.text)
            }
        }
    }

    struct Token {
        var text: String
        var isOperator: Bool
    }

    /// Numbers, names, (strings) with escapes, [arrays] (as one operand) and operators.
    static func tokens(_ content: String) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(content)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c.isWhitespace { i += 1; continue }
            if c == "(" {
                var depth = 1, text = ""
                i += 1
                while i < characters.count, depth > 0 {
                    let d = characters[i]
                    if d == "\\", i + 1 < characters.count { text.append(characters[i + 1]); i += 2; continue }
                    if d == "(" { depth += 1 }
                    if d == ")" { depth -= 1; if depth == 0 { break } }
                    text.append(d)
                    i += 1
                }
                i += 1
                tokens.append(Token(text: text, isOperator: false))
                continue
            }
            if c == "[" {
                let end = characters[i...].firstIndex(of: "]") ?? characters.count - 1
                tokens.append(Token(text: String(characters[i...end]), isOperator: false))
                i = end + 1
                continue
            }
            var word = ""
            while i < characters.count, !characters[i].isWhitespace, !"([".contains(characters[i]) {
                word.append(characters[i])
                i += 1
            }
            let isOperand = word.hasPrefix("/") || Double(word) != nil
            tokens.append(Token(text: word, isOperator: !isOperand))
        }
        return tokens
    }
}
