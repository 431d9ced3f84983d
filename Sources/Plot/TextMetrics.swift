/// Text widths for layout, from the Helvetica / Helvetica-Bold / Symbol AFM widths (see
/// `TextShaping`): exact for the PDF, which draws these fonts, and for SVG viewers that have
/// Helvetica or a metric-compatible font (Arial, Liberation Sans, Nimbus Sans).
enum TextMetrics {
    static func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        TextShaping.width(text, bold: bold, size: size) * size
    }
}
