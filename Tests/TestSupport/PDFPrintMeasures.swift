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

    /// The inflated data of the (only) FlateDecode stream.
    static func contentStream(_ bytes: [UInt8], text: String) throws -> String {
        guard let filter = text.range(of: "/Filter /FlateDecode") else { throw Failure(description: "no FlateDecode stream") }
        let before = text[..<filter.lowerBound]
        guard let lengthStart = before.range(of: "/Length ", options: .backwards)?.upperBound ?? text[filter.upperBound...].range(of: "/Length ")?.upperBound,
              let length = Int(text[lengthStart...].prefix { $0.isNumber }),
              let start = text[filter.upperBound...].range(of: "stream\n")?.upperBound else {
            throw Failure(description: "no stream length or start")
        }
        let offset = text.utf8.distance(from: text.startIndex, to: start)
        guard offset + length <= bytes.count else { throw Failure(description: "stream beyond the file") }
        return String(decoding: try Inflater.zlibDecompress(Array(bytes[offset..<(offset + length)])), as: UTF8.self)
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
