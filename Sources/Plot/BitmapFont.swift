/// A built-in bitmap font for raster text: ASCII 32...126, the Greek letters and symbols Plot's
/// figures use (σ λ γ Δ α β δ ε θ μ π ρ τ φ ω Σ Ω), the minus sign U+2212, sub- and superscript
/// digits and some subscript letters, arrows, dashes and common operators.
///
/// Glyphs are at most 5 units wide (dashes and dots narrower or wider as needed) and 9 rows tall:
/// rows 0...6 stand on the baseline (capital height 7), rows 7 and 8 are descenders. Each glyph is
/// written row by row, top first, rows separated by spaces, `#` for ink. Glyphs are proportional:
/// the advance is the glyph width plus one unit of spacing.
enum BitmapFont {
    /// Rows above the baseline.
    static let ascent = 7
    /// Rows below the baseline.
    static let descent = 2

    /// The glyph for a character, nil when the font has none.
    static func glyph(for scalar: Unicode.Scalar) -> BitmapGlyph? { glyphs[scalar.value] }

    /// Drawn for characters without a glyph: a hollow box.
    static let replacement = BitmapGlyph(rows: "#### #..# #..# #..# #..# #..# ####")

    /// The characters of `text` this font has no glyph for (control characters are not drawn and
    /// not listed), in order of first appearance.
    static func missingCharacters(in text: String) -> [Unicode.Scalar] {
        var missing: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars where !isControl(scalar) && glyph(for: scalar) == nil && !missing.contains(scalar) {
            missing.append(scalar)
        }
        return missing
    }

    /// The glyphs drawn for `text`: tab, newline and return as spaces, other control characters
    /// dropped, characters without a glyph as `replacement`.
    static func glyphs(for text: String) -> [BitmapGlyph] {
        text.unicodeScalars.compactMap { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: return glyphs[0x20]
            default: return isControl(scalar) ? nil : glyph(for: scalar) ?? replacement
            }
        }
    }

    /// The width in pixels of `text` drawn at `size` pixels (bold text is one unit wider per glyph), with
    /// `magnification(forSize:).along` pixels per unit along the text.
    static func width(_ text: String, size: Double, bold: Bool) -> Double {
        (Double(units(text, bold: bold)) * magnification(forSize: size, bold: bold).along).rounded()
    }

    /// The font units `text` spans along the baseline (0 for no glyph).
    static func units(_ text: String, bold: Bool) -> Int {
        let glyphs = glyphs(for: text)
        guard !glyphs.isEmpty else { return 0 }
        return glyphs.reduce(0) { $0 + $1.advance + (bold ? 1 : 0) } - 1
    }

    /// Pixels per font unit for text of `size` pixels, across the text (height) and along it (advance).
    /// Across: an integer, the glyphs' 7-unit capital height closest to Helvetica's (0.718 em), at least 1.
    /// Along: the same, unless that would make text wider than Helvetica's (`unitsPerEm`; bold text against
    /// Helvetica Bold, the bitmap's bold being one unit wider per glyph), the width by
    /// which the layout places and wraps text; then 95% of Helvetica's width per unit (a real number: the
    /// glyphs are condensed, never shortened; 5% to spare for texts whose letters are wider than the
    /// reference's), so raster text stays in the space the layout gave it.
    /// Both depend on the size alone, so texts of one size look alike.
    static func magnification(forSize size: Double, bold: Bool = false) -> (along: Double, across: Int) {
        let units = size * 0.718 / Double(ascent)
        let across = units.isFinite ? max(1, min(Int(units.rounded()), 64)) : 1
        let fitted = 0.95 * size / (bold ? boldUnitsPerEm : unitsPerEm)
        return (fitted.isFinite && fitted > 0 ? min(Double(across), fitted) : 1, across)
    }

    /// Font units per em of Helvetica's width: the bitmap units of a text of words, capitals, digits and
    /// spaces over its width in Helvetica (`TextMetrics`) at size 1; the same for bold.
    static let unitsPerEm = unitsPerEm(bold: false)
    static let boldUnitsPerEm = unitsPerEm(bold: true)

    private static func unitsPerEm(bold: Bool) -> Double {
        let reference = "The quick brown fox jumps over the lazy dog, PACK MY BOX WITH FIVE DOZEN LIQUOR JUGS 0123456789"
        return Double(units(reference, bold: bold)) / TextMetrics.width(reference, size: 1, bold: bold)
    }


    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0xFFFE, 0xFFFF: return true
        default: return false
        }
    }

    private static let glyphs: [UInt32: BitmapGlyph] = Dictionary(uniqueKeysWithValues: table.map { ($0.0, BitmapGlyph(rows: $0.1)) })

    /// Every glyph: Unicode scalar and rows (see the type comment).
    static let table: [(UInt32, String)] = [
        (0x0020, "... ... ... ... ... ... ..."),  // space
        (0x0021, "# # # # # . #"),  // !
        (0x0022, "#.# #.# ... ... ... ... ..."),  // quote
        (0x0023, ".#.#. .#.#. ##### .#.#. ##### .#.#. .#.#."),  // #
        (0x0024, "..#.. .#### #.#.. .###. ..#.# ####. ..#.."),  // $
        (0x0025, "##... ##..# ...#. ..#.. .#... #..## ...##"),  // %
        (0x0026, ".##.. #..#. #.#.. .#... #.#.# #..#. .##.#"),  // &
        (0x0027, "# # . . . . ."),  // '
        (0x0028, "..# .#. #.. #.. #.. .#. ..#"),  // (
        (0x0029, "#.. .#. ..# ..# ..# .#. #.."),  // )
        (0x002A, "..... ..#.. #.#.# .###. #.#.# ..#.. ....."),  // *
        (0x002B, "..... ..#.. ..#.. ##### ..#.. ..#.. ....."),  // +
        (0x002C, ".. .. .. .. .. .. .# .# #."),  // ,
        (0x002D, "... ... ... ### ... ... ..."),  // -
        (0x002E, ". . . . . . #"),  // .
        (0x002F, "....# ....# ...#. ..#.. .#... #.... #...."),  // /
        (0x0030, ".###. #...# #..## #.#.# ##..# #...# .###."),  // 0
        (0x0031, "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###."),  // 1
        (0x0032, ".###. #...# ....# ...#. ..#.. .#... #####"),  // 2
        (0x0033, "##### ...#. ..#.. ...#. ....# #...# .###."),  // 3
        (0x0034, "...#. ..##. .#.#. #..#. ##### ...#. ...#."),  // 4
        (0x0035, "##### #.... ####. ....# ....# #...# .###."),  // 5
        (0x0036, "..##. .#... #.... ####. #...# #...# .###."),  // 6
        (0x0037, "##### ....# ...#. ..#.. .#... .#... .#..."),  // 7
        (0x0038, ".###. #...# #...# .###. #...# #...# .###."),  // 8
        (0x0039, ".###. #...# #...# .#### ....# ...#. .##.."),  // 9
        (0x003A, ". . # . . # ."),  // :
        (0x003B, ".. .. .# .. .. .# .# #."),  // ;
        (0x003C, "...# ..#. .#.. #... .#.. ..#. ...#"),  // <
        (0x003D, "..... ..... ##### ..... ##### ..... ....."),  // =
        (0x003E, "#... .#.. ..#. ...# ..#. .#.. #..."),  // >
        (0x003F, ".###. #...# ....# ...#. ..#.. ..... ..#.."),  // ?
        (0x0040, ".###. #...# #.### #.#.# #.##. #.... .####"),  // @
        (0x0041, ".###. #...# #...# ##### #...# #...# #...#"),  // A
        (0x0042, "####. #...# #...# ####. #...# #...# ####."),  // B
        (0x0043, ".###. #...# #.... #.... #.... #...# .###."),  // C
        (0x0044, "###.. #..#. #...# #...# #...# #..#. ###.."),  // D
        (0x0045, "##### #.... #.... ####. #.... #.... #####"),  // E
        (0x0046, "##### #.... #.... ####. #.... #.... #...."),  // F
        (0x0047, ".###. #...# #.... #.### #...# #...# .####"),  // G
        (0x0048, "#...# #...# #...# ##### #...# #...# #...#"),  // H
        (0x0049, "### .#. .#. .#. .#. .#. ###"),  // I
        (0x004A, "..### ...#. ...#. ...#. ...#. #..#. .##.."),  // J
        (0x004B, "#...# #..#. #.#.. ##... #.#.. #..#. #...#"),  // K
        (0x004C, "#.... #.... #.... #.... #.... #.... #####"),  // L
        (0x004D, "#...# ##.## #.#.# #.#.# #...# #...# #...#"),  // M
        (0x004E, "#...# #...# ##..# #.#.# #..## #...# #...#"),  // N
        (0x004F, ".###. #...# #...# #...# #...# #...# .###."),  // O
        (0x0050, "####. #...# #...# ####. #.... #.... #...."),  // P
        (0x0051, ".###. #...# #...# #...# #.#.# #..#. .##.#"),  // Q
        (0x0052, "####. #...# #...# ####. #.#.. #..#. #...#"),  // R
        (0x0053, ".#### #.... #.... .###. ....# ....# ####."),  // S
        (0x0054, "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#.."),  // T
        (0x0055, "#...# #...# #...# #...# #...# #...# .###."),  // U
        (0x0056, "#...# #...# #...# #...# #...# .#.#. ..#.."),  // V
        (0x0057, "#...# #...# #...# #.#.# #.#.# #.#.# .#.#."),  // W
        (0x0058, "#...# #...# .#.#. ..#.. .#.#. #...# #...#"),  // X
        (0x0059, "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#.."),  // Y
        (0x005A, "##### ....# ...#. ..#.. .#... #.... #####"),  // Z
        (0x005B, "### #.. #.. #.. #.. #.. ###"),  // [
        (0x005C, "#.... #.... .#... ..#.. ...#. ....# ....#"),  // backslash
        (0x005D, "### ..# ..# ..# ..# ..# ###"),  // ]
        (0x005E, "..#.. .#.#. #...# ..... ..... ..... ....."),  // ^
        (0x005F, "..... ..... ..... ..... ..... ..... ..... #####"),  // _
        (0x0060, "#. .# .. .. .. .. .."),  // `
        (0x0061, "..... ..... .###. ....# .#### #...# .####"),  // a
        (0x0062, "#.... #.... #.##. ##..# #...# #...# ####."),  // b
        (0x0063, "..... ..... .###. #.... #.... #...# .###."),  // c
        (0x0064, "....# ....# .##.# #..## #...# #...# .####"),  // d
        (0x0065, "..... ..... .###. #...# ##### #.... .###."),  // e
        (0x0066, "..## .#.. .#.. ###. .#.. .#.. .#.."),  // f
        (0x0067, "..... ..... .#### #...# #...# #...# .#### ....# .###."),  // g
        (0x0068, "#.... #.... #.##. ##..# #...# #...# #...#"),  // h
        (0x0069, ".#. ... ##. .#. .#. .#. ###"),  // i
        (0x006A, "...# .... ..## ...# ...# ...# ...# #..# .##."),  // j
        (0x006B, "#... #... #..# #.#. ##.. #.#. #..#"),  // k
        (0x006C, "##. .#. .#. .#. .#. .#. ###"),  // l
        (0x006D, "..... ..... ##.#. #.#.# #.#.# #.#.# #.#.#"),  // m
        (0x006E, "..... ..... #.##. ##..# #...# #...# #...#"),  // n
        (0x006F, "..... ..... .###. #...# #...# #...# .###."),  // o
        (0x0070, "..... ..... ####. #...# #...# #...# ####. #.... #...."),  // p
        (0x0071, "..... ..... .#### #...# #...# #...# .#### ....# ....#"),  // q
        (0x0072, ".... .... #.## ##.. #... #... #..."),  // r
        (0x0073, "..... ..... .#### #.... .###. ....# ####."),  // s
        (0x0074, ".#.. .#.. #### .#.. .#.. .#.. ..##"),  // t
        (0x0075, "..... ..... #...# #...# #...# #..## .##.#"),  // u
        (0x0076, "..... ..... #...# #...# #...# .#.#. ..#.."),  // v
        (0x0077, "..... ..... #...# #...# #.#.# #.#.# .#.#."),  // w
        (0x0078, "..... ..... #...# .#.#. ..#.. .#.#. #...#"),  // x
        (0x0079, "..... ..... #...# #...# #...# #...# .#### ....# .###."),  // y
        (0x007A, "..... ..... ##### ...#. ..#.. .#... #####"),  // z
        (0x007B, "..# .#. .#. #.. .#. .#. ..#"),  // {
        (0x007C, "# # # # # # # # #"),  // |
        (0x007D, "#.. .#. .#. ..# .#. .#. #.."),  // }
        (0x007E, "..... ..... .#... #.#.# ...#. ..... ....."),  // ~
        (0x00B0, ".#. #.# .#. ... ... ... ..."),  // °
        (0x00B1, "..#.. ..#.. ##### ..#.. ..#.. ..... #####"),  // ±
        (0x00B2, "##. ..# .#. #.. ### ... ..."),  // ²
        (0x00B3, "##. ..# .#. ..# ##. ... ..."),  // ³
        (0x00B5, "..... ..... #...# #...# #...# #..## ###.# #.... #...."),  // µ
        (0x00B7, ". . . # . . ."),  // ·
        (0x00B9, ".#. ##. .#. .#. ### ... ..."),  // ¹
        (0x00D7, "..... #...# .#.#. ..#.. .#.#. #...# ....."),  // ×
        (0x00F7, "..... ..#.. ..... ##### ..... ..#.. ....."),  // ÷
        (0x0394, "..#.. ..#.. .#.#. .#.#. #...# #...# #####"),  // Δ
        (0x03A3, "##### #.... .#... ..#.. .#... #.... #####"),  // Σ
        (0x03A9, ".###. #...# #...# #...# .#.#. .#.#. ##.##"),  // Ω
        (0x03B1, "..... ..... .##.# #..#. #..#. #..#. .##.#"),  // α
        (0x03B2, ".##.. #..#. #..#. ###.. #..#. #...# ###.. #.... #...."),  // β
        (0x03B3, "..... ..... #...# #...# .#.#. .#.#. ..#.. ..#.. ..#.."),  // γ
        (0x03B4, ".###. #.... .#... .##.. #..#. #..#. .##.."),  // δ
        (0x03B5, "..... ..... .###. #.... ###.. #.... .###."),  // ε
        (0x03B8, ".##.. #..#. #..#. ####. #..#. #..#. .##.."),  // θ
        (0x03BB, "##... ..#.. ..#.. .#.#. .#.#. #...# #...#"),  // λ
        (0x03BC, "..... ..... #...# #...# #...# #..## ###.# #.... #...."),  // μ
        (0x03C0, "..... ..... ##### .#.#. .#.#. .#.#. .#..#"),  // π
        (0x03C1, "..... ..... .###. #...# #...# #...# ####. #.... #...."),  // ρ
        (0x03C3, "..... ..... .#### #..#. #...# #...# .###."),  // σ
        (0x03C4, "..... ..... ##### ..#.. ..#.. ..#.. ...##"),  // τ
        (0x03C6, "..... ..#.. .###. #.#.# #.#.# .###. ..#.. ..#.."),  // φ
        (0x03C9, "..... ..... .#.#. #...# #.#.# #.#.# .#.#."),  // ω
        (0x2013, ".... .... .... #### .... .... ...."),  // –
        (0x2014, "........ ........ ........ ######## ........ ........ ........"),  // —
        (0x2070, "### #.# #.# #.# ### ... ..."),  // ⁰
        (0x2074, "#.# #.# ### ..# ..# ... ..."),  // ⁴
        (0x2075, "### #.. ##. ..# ##. ... ..."),  // ⁵
        (0x2076, ".## #.. ### #.# ### ... ..."),  // ⁶
        (0x2077, "### ..# .#. .#. .#. ... ..."),  // ⁷
        (0x2078, "### #.# ### #.# ### ... ..."),  // ⁸
        (0x2079, "### #.# ### ..# ##. ... ..."),  // ⁹
        (0x207A, "... .#. ### .#. ... ... ..."),  // ⁺
        (0x207B, "... ... ### ... ... ... ..."),  // ⁻
        (0x2080, "... ... ... ... ### #.# #.# #.# ###"),  // ₀
        (0x2081, "... ... ... ... .#. ##. .#. .#. ###"),  // ₁
        (0x2082, "... ... ... ... ##. ..# .#. #.. ###"),  // ₂
        (0x2083, "... ... ... ... ##. ..# .#. ..# ##."),  // ₃
        (0x2084, "... ... ... ... #.# #.# ### ..# ..#"),  // ₄
        (0x2085, "... ... ... ... ### #.. ##. ..# ##."),  // ₅
        (0x2086, "... ... ... ... .## #.. ### #.# ###"),  // ₆
        (0x2087, "... ... ... ... ### ..# .#. .#. .#."),  // ₇
        (0x2088, "... ... ... ... ### #.# ### #.# ###"),  // ₈
        (0x2089, "... ... ... ... ### #.# ### ..# ##."),  // ₉
        (0x208A, "... ... ... ... ... .#. ### .#. ..."),  // ₊
        (0x208B, "... ... ... ... ... ... ### ... ..."),  // ₋
        (0x2090, "... ... ... ... ... ##. .## #.# .##"),  // ₐ
        (0x2091, "... ... ... ... ... .#. ### #.. .##"),  // ₑ
        (0x2092, "... ... ... ... ... .#. #.# #.# .#."),  // ₒ
        (0x2093, "... ... ... ... ... #.# .#. .#. #.#"),  // ₓ
        (0x2096, "... ... ... ... #.. #.# ##. #.# #.#"),  // ₖ
        (0x2099, "... ... ... ... ... ##. #.# #.# #.#"),  // ₙ
        (0x209B, "... ... ... ... ... .## ##. ..# ##."),  // ₛ
        (0x209C, "... ... ... ... .#. ### .#. .#. ..#"),  // ₜ
        (0x2190, "..... ..#.. .#... ##### .#... ..#.. ....."),  // ←
        (0x2192, "..... ..#.. ...#. ##### ...#. ..#.. ....."),  // →
        (0x2208, "..... ..... .#### #.... ##### #.... .####"),  // ∈
        (0x2212, "..... ..... ..... ##### ..... ..... ....."),  // −
        (0x221A, "...## ...#. ...#. ...#. #.#.. .##.. ..#.."),  // √
        (0x221E, "..... ..... .#.#. #.#.# #.#.# .#.#. ....."),  // ∞
        (0x2248, "..... .#... #.#.# ...#. .#... #.#.# ...#."),  // ≈
        (0x2264, "...#. ..#.. .#... ..#.. ...#. ..... .####"),  // ≤
        (0x2265, ".#... ..#.. ...#. ..#.. .#... ..... ####."),  // ≥
    ]
}

/// One glyph: `width` units wide, `rows` top to bottom (row 0 is the capital height, row 6 sits on
/// the baseline), each a bit mask with bit `width - 1 - column` set where there is ink.
struct BitmapGlyph: Equatable {
    var width: Int
    var rows: [UInt32]

    /// Parses rows of `#` (ink) and `.` separated by spaces; at most 9 rows of at most 32 units.
    init(rows text: String) {
        let lines = text.split(separator: " ").prefix(BitmapFont.ascent + BitmapFont.descent)
        width = min(lines.map(\.count).max() ?? 0, 32)
        let width = self.width
        rows = lines.map { line in
            line.prefix(width).enumerated().reduce(UInt32(0)) { mask, element in
                element.element == "#" ? mask | (1 << UInt32(width - 1 - element.offset)) : mask
            }
        }
    }

    func isInk(column: Int, row: Int) -> Bool {
        row >= 0 && row < rows.count && column >= 0 && column < width && rows[row] & (1 << UInt32(width - 1 - column)) != 0
    }

    /// Units from this glyph's origin to the next one's.
    var advance: Int { width + 1 }
}
