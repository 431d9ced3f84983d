import Foundation
import Plot

/// The size a figure is drawn at (`--size`): in pixels, as before (the layout's CSS pixels; a PDF
/// page 0.75 pt per pixel, a PNG that many pixels), or a physical print size in points, for which the
/// figure is laid out at 1 pixel = 0.75 pt so that its text and lines print at their stated sizes
/// (PDF page in points, SVG width and height in pt, PNG at `--dpi`).
public enum FigureSize: Sendable, Equatable {
    case pixels(width: Int, height: Int)
    /// `height` nil: the figure's layout sets it (its aspect).
    case print(widthPoints: Double, heightPoints: Double?)

    /// `column`: 3.25 in wide; `page`: 6.75 in wide.
    public static let column = FigureSize.print(widthPoints: Figure.columnWidthInPoints, heightPoints: nil)
    public static let page = FigureSize.print(widthPoints: Figure.pageWidthInPoints, heightPoints: nil)

    /// Accepted pixel sides.
    public static let pixelRange = 200...10_000
    /// Accepted physical sides in points (1 in to 20 in).
    public static let pointRange = 72.0...1440.0

    public var isPhysical: Bool {
        if case .print = self { return true }
        return false
    }

    /// `column`, `page`, `WxH` (pixels), `WxHin` (inches) or `WxHpt` (points); nil when the text is none of these or out of range.
    public static func parse(_ text: String) -> FigureSize? {
        let lower = text.trimmingCharacters(in: .whitespaces).lowercased()
        if lower == "column" { return .column }
        if lower == "page" { return .page }
        let (unit, body): (Double?, Substring) = lower.hasSuffix("in") ? (72, lower.dropLast(2))
            : lower.hasSuffix("pt") ? (1, lower.dropLast(2)) : (nil, Substring(lower))
        let parts = body.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        guard let unit else {
            guard let w = Int(parts[0]), let h = Int(parts[1]), pixelRange.contains(w), pixelRange.contains(h) else { return nil }
            return .pixels(width: w, height: h)
        }
        guard let w = Double(parts[0]), let h = Double(parts[1]), pointRange.contains(w * unit), pointRange.contains(h * unit) else { return nil }
        return .print(widthPoints: w * unit, heightPoints: h * unit)
    }
}
