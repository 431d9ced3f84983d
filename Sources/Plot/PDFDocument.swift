/// Serialises numbered PDF objects into a file: header, the objects in order, a cross-reference
/// table whose entries are the byte offsets of each `N 0 obj`, and a trailer naming the catalog.
///
/// Objects are numbered 1, 2, ... in the order they are added; an object's body is written between
/// `N 0 obj` and `endobj` as given (a dictionary, or a dictionary followed by a stream).
struct PDFDocument {
    private var bodies: [[UInt8]] = []

    /// The number the next added object will get.
    var nextObjectNumber: Int { bodies.count + 1 }

    /// Adds an object whose body is `text` (ASCII) and returns its number.
    @discardableResult
    mutating func add(_ text: String) -> Int {
        bodies.append(Array(text.utf8))
        return bodies.count
    }

    /// Adds a stream object: `dictionary` (without /Length, which is added) and the raw stream bytes.
    @discardableResult
    mutating func addStream(dictionary entries: String, _ data: [UInt8]) -> Int {
        bodies.append(Array("<< /Length \(data.count)\(entries.isEmpty ? "" : " " + entries) >>\nstream\n".utf8) + data + Array("\nendstream".utf8))
        return bodies.count
    }

    /// The whole file. `root` and `info` are the object numbers of the catalog and the info dictionary.
    func bytes(root: Int, info: Int?) -> [UInt8] {
        // The comment of four bytes above 127 marks the file as binary for transfer programs.
        var out = Array("%PDF-1.4\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (index, body) in bodies.enumerated() {
            offsets.append(out.count)
            out += Array("\(index + 1) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        let xrefOffset = out.count
        var table = "xref\n0 \(bodies.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            table += PDFDocument.padded(offset, digits: 10) + " 00000 n \n"
        }
        table += "trailer\n<< /Size \(bodies.count + 1) /Root \(root) 0 R"
        if let info { table += " /Info \(info) 0 R" }
        table += " >>\nstartxref\n\(xrefOffset)\n%%EOF\n"
        return out + Array(table.utf8)
    }

    private static func padded(_ value: Int, digits: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(digits - text.count, 0)) + text
    }

    /// `bytes` as a PDF literal string: parentheses and backslashes escaped, bytes outside printable
    /// ASCII written as three-digit octal escapes.
    static func literalString(_ bytes: [UInt8]) -> String {
        var text = "("
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"):
                text += "\\" + String(UnicodeScalar(byte))
            case 0x20...0x7E:
                text += String(UnicodeScalar(byte))
            default:
                let octal = String(byte, radix: 8)
                text += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return text + ")"
    }
}
