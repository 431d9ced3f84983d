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

    /// A figure whose `panels` fill the grid row by row.
    public init(title: String = "", width: Int = 1200, height: Int = 800, rows: Int = 1, columns: Int = 1,
                panels: [Panel] = [], sharedX: AxisSharing = .none, sharedY: AxisSharing = .none) {
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
    }

    /// Places `panel` at an explicit cell, optionally spanning several rows or columns.
    public mutating func place(_ panel: Panel, row: Int, column: Int, rowSpan: Int = 1, columnSpan: Int = 1) {
        placements.append(PanelPlacement(panel: panel, row: row, column: column, rowSpan: rowSpan, columnSpan: columnSpan))
    }
}
