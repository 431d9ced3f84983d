/// What a figure file says about the program that wrote it, outside the drawing: an SVG comment, the
/// PDF's /Info /Creator entry and a PNG `tEXt` chunk with the keyword `Software`. None of them changes
/// what is drawn: the SVG elements, the PDF page and content stream, and the PNG pixels are the same
/// bytes with and without metadata (tested).
public struct FigureMetadata: Sendable, Equatable {
    /// The program and version that made the figure, e.g. "toy-w2sd 0.4.0 (release, host CPU)".
    public var software: String

    public init(software: String) {
        self.software = software
    }

    /// The SVG comment line (with its newline). XML forbids "--" inside a comment and a final "-", so
    /// every hyphen that follows a hyphen, and a last one, is written with a space before it.
    var svgComment: String {
        var text = ""
        for character in software.unicodeScalars where character.value >= 0x20 && character.value != 0x7F {
            if character == "-" && text.hasSuffix("-") { text += " " }
            text.unicodeScalars.append(character)
        }
        if text.hasSuffix("-") { text += " " }
        return "<!-- \(text) -->\n"
    }

    /// The /Info entry naming the creating application, as a PDF literal string.
    var pdfInfoEntry: String {
        "/Creator " + PDFDocument.literalString(latin1Bytes)
    }

    /// The data of a PNG `tEXt` chunk: the keyword `Software`, a NUL separator and the text in Latin-1
    /// (ISO/IEC 15948 section 11.3.4.3: no NUL in the text).
    var pngTextChunkData: [UInt8] {
        Array("Software".utf8) + [0] + latin1Bytes
    }

    /// `software` as Latin-1 bytes: control characters and characters outside Latin-1 become "?".
    private var latin1Bytes: [UInt8] {
        software.unicodeScalars.map { scalar in
            (0x20...0x7E).contains(scalar.value) || (0xA0...0xFF).contains(scalar.value) ? UInt8(scalar.value) : UInt8(ascii: "?")
        }
    }
}
