/// Breaking a title into lines that fit a width.
enum TextWrapping {
    /// `text` split at spaces into as few lines as fit `width` pixels at `size` (greedy), measured both
    /// with the vector renderers' AFM widths and the bitmap font's, whichever is wider. A word wider
    /// than `width` keeps a line of its own (it overflows rather than being cut). Empty text gives no line.
    static func lines(_ text: String, size: Double, bold: Bool, width: Double) -> [String] {
        func fits(_ line: String) -> Bool {
            max(TextMetrics.width(line, size: size, bold: bold), BitmapFont.width(line, size: size, bold: bold)) <= width
        }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if current.isEmpty || fits(candidate) {
                current = candidate
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The distance between the baselines of consecutive lines, in units of the text size.
    static let lineSpacing = 1.2
}
