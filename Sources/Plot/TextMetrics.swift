/// Text width estimates for layout (no font access): DejaVu Sans / Helvetica average 0.6 em per
/// character (0.66 em bold), which errs on the wide side so labels are not clipped.
enum TextMetrics {
    static func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        Double(text.count) * size * (bold ? 0.66 : 0.6)
    }
}

/// Font sizes and spacings in pixels, shared by every figure so figures look alike.
enum FigureStyle {
    static let figureTitleSize = 17.0
    static let panelTitleSize = 14.0
    static let axisLabelSize = 13.0
    static let tickLabelSize = 11.0
    static let legendSize = 11.0
    static let tickLength = 4.0
    static let gap = 4.0
    static let outerPadding = 8.0
    static let colorbarWidth = 14.0
    static let frameColor = Color(hex: 0x222222)
    static let gridColor = Color(hex: 0xE3E3E3)
}
