extension Raster {
    /// Draws `text` with the built-in bitmap font, `magnification` output pixels per font unit along the
    /// text (a real number: unit k spans the pixels from round(k along) to round((k + 1) along), halves up, so
    /// condensed text keeps its total width) and across it (`BitmapFont.magnification(forSize:)`),
    /// anchored like SVG text (`position` on the baseline at the start, middle or end of the text)
    /// and turned by `rotation` degrees rounded to a quarter turn (SVG sense: -90 reads bottom to
    /// top). Bold text is thickened by one unit to the right, except where that would close a one-unit gap. Pixels are opaque and unblended (crisp text);
    /// only pixels whose centre lies inside `clip` are drawn.
    mutating func draw(_ text: SceneText, magnification: (along: Double, across: Int), clip: PixelRect?) {
        let glyphs = BitmapFont.glyphs(for: text.text)
        // Positions beyond a million pixels are off any canvas (and keep the integer arithmetic small).
        guard !glyphs.isEmpty, abs(text.position.x) < 1e6, abs(text.position.y) < 1e6 else { return }
        let (along, across) = magnification, boldExtra = text.bold ? 1 : 0
        let totalUnits = glyphs.reduce(0) { $0 + $1.advance + boldExtra } - 1
        // The pixel offset along the text of unit boundary k, from the anchor.
        let startUnits: Double
        switch text.anchor {
        case .start: startUnits = 0
        case .middle: startUnits = -Double(totalUnits) / 2
        case .end: startUnits = -Double(totalUnits)
        }
        func pixel(_ k: Int) -> Int { Int(((startUnits + Double(k)) * along + 0.5).rounded(.down)) }   // halves round up
        let quarterTurns = ((Int((text.rotation / 90).rounded()) % 4) + 4) % 4
        let (cosine, sine) = [(1, 0), (0, 1), (-1, 0), (0, -1)][quarterTurns]
        let originX = Int(text.position.x.rounded()), originY = Int(text.position.y.rounded())
        /// Fills the cell of pixels u0 ..< u1 along the text and v ..< v + across down from it, in text space
        /// (u along the text from the anchor, v down, baseline at 0).
        func fillUnit(_ u0: Int, _ u1: Int, _ v: Int) {
            let cornerX = originX + u0 * cosine - v * sine, cornerY = originY + u0 * sine + v * cosine
            let farX = originX + u1 * cosine - (v + across) * sine, farY = originY + u1 * sine + (v + across) * cosine
            let x0 = max(min(cornerX, farX), 0), x1 = min(max(cornerX, farX), width)
            let y0 = max(min(cornerY, farY), 0), y1 = min(max(cornerY, farY), height)
            guard x0 < x1, y0 < y1 else { return }
            for y in y0..<y1 {
                for x in x0..<x1 {
                    if let clip, !clip.contains(PixelPoint(x: Double(x) + 0.5, y: Double(y) + 0.5)) { continue }
                    blend(y * width + x, text.color, alpha: 1)
                }
            }
        }
        var penUnits = 0
        for glyph in glyphs {
            for row in glyph.rows.indices {
                for column in 0..<(glyph.width + boldExtra) {
                    // Bold thickens ink one unit to the right but keeps one-unit gaps open ("m" stays legible).
                    let ink = glyph.isInk(column: column, row: row)
                        || (boldExtra == 1 && glyph.isInk(column: column - 1, row: row) && !glyph.isInk(column: column + 1, row: row))
                    if ink { fillUnit(pixel(penUnits + column), pixel(penUnits + column + 1), (row - BitmapFont.ascent) * across) }
                }
            }
            penUnits += glyph.advance + boldExtra
        }
    }
}
