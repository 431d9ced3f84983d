/// Font sizes and spacings in pixels, shared by every figure so figures look alike. Text sizes and
/// the spacing that holds text (legend rows, title heights) scale with the figure's `fontScale`;
/// line widths, tick lengths and paddings do not. No text is smaller than `minimumTextSize` and no
/// line thinner than `minimumLineWidth` (the print floors, 7 pt and 0.5 pt at 0.75 pt per pixel).
struct FigureStyle {
    var fontScale: Double = 1

    var figureTitleSize: Double { text(17) }
    var panelTitleSize: Double { text(14) }
    var axisLabelSize: Double { text(13) }
    var tickLabelSize: Double { text(11) }
    var legendSize: Double { text(11) }
    var legendRowHeight: Double { legendSize * 16 / 11 }

    /// A text size: `base` pixels at font scale 1, scaled, never below `minimumTextSize`.
    private func text(_ base: Double) -> Double { max(base * fontScale, Self.minimumTextSize) }

    /// The smallest text any figure draws, in pixels: `Figure.minimumTextPoints` at 0.75 pt per pixel.
    /// Every text item (and every sub- or superscript glyph) is raised to it.
    static let minimumTextSize = Figure.minimumTextPixels
    /// The thinnest line any figure draws, in pixels: `Figure.minimumLinePoints` at 0.75 pt per pixel.
    static let minimumLineWidth = Figure.minimumLinePixels

    static let tickLength = 4.0
    static let gap = 4.0
    static let outerPadding = 8.0
    static let colorbarWidth = 14.0
    static let frameColor = Color(hex: 0x222222)
    static let gridColor = Color(hex: 0xE3E3E3)
}
