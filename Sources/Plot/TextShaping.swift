/// The base-14 PDF fonts Plot draws text with (none is embedded: every PDF viewer has them).
enum StandardFont: Int, CaseIterable {
    case helvetica, helveticaBold, symbol

    var baseFontName: String {
        switch self {
        case .helvetica: return "Helvetica"
        case .helveticaBold: return "Helvetica-Bold"
        case .symbol: return "Symbol"
        }
    }
}

/// One glyph of shaped text: a one-byte code in `font` (WinAnsiEncoding for Helvetica, the built-in
/// encoding for Symbol), drawn at `scale` times the text size and raised by `rise` em (sub- and
/// superscript digits). `advance` is the glyph's width in em of the text size, scale included.
struct ShapedGlyph: Equatable {
    var font: StandardFont
    var code: UInt8
    var scale: Double = 1
    var rise: Double = 0
    var advance: Double
}

/// Maps Unicode text to glyphs of the base-14 fonts: WinAnsi characters (ASCII, Latin-1, the
/// Windows-1252 punctuation) in Helvetica, Greek letters, the minus sign U+2212, arrows and common
/// operators in Symbol, sub- and superscript digits as 0.7-size digits lowered by 0.15 em or raised
/// by 0.35 em (larger when 0.7 of the text size would fall below `FigureStyle.minimumTextSize`, so no
/// glyph prints smaller than the figures' 7 pt floor). Tab, newline and return become spaces, other control characters are dropped (as in
/// the SVG), and any other character is drawn as "?".
enum TextShaping {
    static let scriptScale = 0.7
    static let subscriptRise = -0.15
    static let superscriptRise = 0.35

    /// The glyphs of `text` drawn at `size` pixels (the size sets the script scale, see `scriptScale(size:)`).
    static func glyphs(_ text: String, bold: Bool, size: Double) -> [ShapedGlyph] {
        let script = scriptScale(size: size)
        return text.unicodeScalars.compactMap { glyph(for: $0, bold: bold, scriptScale: script) }
    }

    /// The width of `text` at `size` pixels, in em (multiply by the size for pixels).
    static func width(_ text: String, bold: Bool, size: Double) -> Double {
        glyphs(text, bold: bold, size: size).reduce(0) { $0 + $1.advance }
    }

    /// The scale of sub- and superscripts in text of `size` pixels: 0.7, raised (up to 1) so that
    /// `size * scale >= FigureStyle.minimumTextSize`.
    static func scriptScale(size: Double) -> Double {
        guard size > 0, size.isFinite else { return scriptScale }
        return min(1, max(scriptScale, FigureStyle.minimumTextSize / size))
    }

    static func glyph(for scalar: Unicode.Scalar, bold: Bool, scriptScale: Double = TextShaping.scriptScale) -> ShapedGlyph? {
        let value = scalar.value
        switch value {
        case 0x09, 0x0A, 0x0D: return latin(0x20, bold: bold)
        case 0..<0x20, 0x7F...0x9F, 0xFFFE, 0xFFFF: return nil
        default: break
        }
        if let code = winAnsiCode(value) { return latin(code, bold: bold) }
        if let entry = symbolByScalar[value] {
            return ShapedGlyph(font: .symbol, code: entry.code, advance: Double(entry.width) / 1000)
        }
        if let (base, rise) = scriptForm(value), let glyph = glyph(for: base, bold: bold, scriptScale: scriptScale) {
            return ShapedGlyph(font: glyph.font, code: glyph.code, scale: scriptScale, rise: rise, advance: glyph.advance * scriptScale)
        }
        return latin(UInt8(ascii: "?"), bold: bold)
    }

    private static func latin(_ code: UInt8, bold: Bool) -> ShapedGlyph {
        let widths = bold ? StandardFontMetrics.helveticaBold : StandardFontMetrics.helvetica
        return ShapedGlyph(font: bold ? .helveticaBold : .helvetica, code: code, advance: Double(widths[Int(code) - 32]) / 1000)
    }

    /// The WinAnsiEncoding code of a Unicode scalar, if it has one.
    static func winAnsiCode(_ value: UInt32) -> UInt8? {
        switch value {
        case 0x20...0x7E, 0xA0...0xFF: return UInt8(value)
        default: return windowsHighByScalar[value]
        }
    }

    /// Sub- and superscript digits, plus and minus: the base character and the rise in em.
    private static func scriptForm(_ value: UInt32) -> (Unicode.Scalar, Double)? {
        switch value {
        case 0x2080...0x2089: return (Unicode.Scalar(UInt8(0x30 + value - 0x2080)), subscriptRise)
        case 0x208A: return ("+", subscriptRise)
        case 0x208B: return ("\u{2212}", subscriptRise)
        case 0x2070: return ("0", superscriptRise)
        case 0x2074...0x2079: return (Unicode.Scalar(UInt8(0x30 + value - 0x2070)), superscriptRise)
        case 0x207A: return ("+", superscriptRise)
        case 0x207B: return ("\u{2212}", superscriptRise)
        default: return nil
        }
    }

    private static let windowsHighByScalar: [UInt32: UInt8] = Dictionary(
        uniqueKeysWithValues: StandardFontMetrics.windowsHighRange.map { ($0.unicode, $0.code) })

    private static let symbolByScalar: [UInt32: (code: UInt8, width: UInt16)] = Dictionary(
        uniqueKeysWithValues: StandardFontMetrics.symbol.map { ($0.unicode, ($0.code, $0.width)) })
}
