/// A panel and the grid cells it occupies.
public struct PanelPlacement: Sendable, Hashable {
    public var panel: Panel
    public var row: Int
    public var column: Int
    public var rowSpan: Int
    public var columnSpan: Int

    public init(panel: Panel, row: Int, column: Int, rowSpan: Int = 1, columnSpan: Int = 1) {
        self.panel = panel
        self.row = row
        self.column = column
        self.rowSpan = rowSpan
        self.columnSpan = columnSpan
    }
}

/// Which panels share automatic axis limits.
public enum AxisSharing: Sendable, Hashable {
    case none
    /// Panels in the same grid row.
    case sameRow
    /// Panels in the same grid column.
    case sameColumn
    /// All panels.
    case all
}

/// A figure: a title over a rows x columns grid of panels, `width` x `height` pixels.
///
/// Pixels are CSS pixels: the PDF page is 0.75 pt per pixel (96 px = 72 pt = 1 inch), the size the
/// SVG prints at. For a paper figure choose the size in points (`widthInPoints`, `heightInPoints`)
/// and scale all text with `fontScale` (default tick labels are 11 px = 8.25 pt).
///
/// Layout: every panel gets the same left, bottom and top margins (the largest any panel needs),
/// so plot areas line up and tick labels, axis labels and titles are never clipped.
public struct Figure: Sendable, Hashable {
    public var title: String
    public var width: Int
    public var height: Int
    public var rows: Int
    public var columns: Int
    public var placements: [PanelPlacement]
    public var sharedX: AxisSharing
    public var sharedY: AxisSharing
    /// Multiplies every text size (titles, axis and tick labels, legends, colourbars) and the space
    /// laid out for text; 0.25...8, default 1.
    public var fontScale: Double

    /// Points per pixel in PDF output (the CSS convention, so PDF and SVG have the same physical size).
    public static let pointsPerPixel = 0.75

    /// The smallest printed text, in points at `pointsPerPixel`: every text item, annotation and sub- or
    /// superscript glyph is drawn at least this large (a journal's usual floor), whatever its size asks.
    public static let minimumTextPoints = 7.0

    /// The thinnest printed line, in points at `pointsPerPixel`: every stroke is at least this wide.
    public static let minimumLinePoints = 0.5

    /// `minimumTextPoints` in pixels, rounded up to the 0.01 px the renderers write (9.34 px).
    public static let minimumTextPixels = (minimumTextPoints / pointsPerPixel * 100).rounded(.up) / 100

    /// `minimumLinePoints` in pixels, rounded up to the 0.01 px the renderers write (0.67 px).
    public static let minimumLinePixels = (minimumLinePoints / pointsPerPixel * 100).rounded(.up) / 100

    /// The width of a column-wide print figure: 3.25 in = 234 pt.
    public static let columnWidthInPoints = 234.0

    /// The width of a page-wide print figure: 6.75 in = 486 pt.
    public static let pageWidthInPoints = 486.0

    /// When true, panel titles are prefixed "(a) ", "(b) ", ... in reading order (by row, then
    /// column) when the figure has more than one panel, so letters are unique within the figure.
    public var lettersPanels: Bool = false

    /// A figure whose `panels` fill the grid row by row.
    public init(title: String = "", width: Int = 1200, height: Int = 800, rows: Int = 1, columns: Int = 1,
                panels: [Panel] = [], sharedX: AxisSharing = .none, sharedY: AxisSharing = .none, fontScale: Double = 1) {
        self.title = title
        self.width = width
        self.height = height
        self.rows = rows
        self.columns = columns
        let safeColumns = max(columns, 1)
        self.placements = panels.enumerated().map { index, panel in
            PanelPlacement(panel: panel, row: index / safeColumns, column: index % safeColumns)
        }
        self.sharedX = sharedX
        self.sharedY = sharedY
        self.fontScale = fontScale
    }

    /// The width in PDF points; setting it sets `width` to the nearest whole pixel count.
    public var widthInPoints: Double {
        get { Double(width) * Figure.pointsPerPixel }
        set { width = Figure.pixels(fromPoints: newValue) }
    }

    /// The height in PDF points; setting it sets `height` to the nearest whole pixel count.
    public var heightInPoints: Double {
        get { Double(height) * Figure.pointsPerPixel }
        set { height = Figure.pixels(fromPoints: newValue) }
    }

    /// Whole pixels for a length in points (non-finite or huge lengths give 0, which validation rejects).
    private static func pixels(fromPoints points: Double) -> Int {
        let pixels = (points / pointsPerPixel).rounded()
        return pixels.isFinite && abs(pixels) < 1e9 ? Int(pixels) : 0
    }

    /// Places `panel` at an explicit cell, optionally spanning several rows or columns.
    public mutating func place(_ panel: Panel, row: Int, column: Int, rowSpan: Int = 1, columnSpan: Int = 1) {
        placements.append(PanelPlacement(panel: panel, row: row, column: column, rowSpan: rowSpan, columnSpan: columnSpan))
    }
}
