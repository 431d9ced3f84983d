/// Font sizes and spacings in pixels, shared by every figure so figures look alike. Text sizes and
/// the spacing that holds text (legend rows, title heights) scale with the figure's `fontScale`;
/// line widths, tick lengths and paddings do not.
struct FigureStyle {
    var fontScale: Double = 1

    var figureTitleSize: Double { 17 * fontScale }
    var panelTitleSize: Double { 14 * fontScale }
    var axisLabelSize: Double { 13 * fontScale }
    var tickLabelSize: Double { 11 * fontScale }
    var legendSize: Double { 11 * fontScale }
    var legendRowHeight: Double { 16 * fontScale }

    static let tickLength = 4.0
    static let gap = 4.0
    static let outerPadding = 8.0
    static let colorbarWidth = 14.0
    static let frameColor = Color(hex: 0x222222)
    static let gridColor = Color(hex: 0xE3E3E3)
}
