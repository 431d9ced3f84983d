extension Figure {
    /// The figure laid out `width` pixels wide (e.g. a print width in points / 0.75).
    ///
    /// When its narrowest panel would then be narrower than `minimumPanelWidth` pixels, the panels are
    /// re-placed in reading order (`panelLetters`' order), each in one cell, k per row: k the most
    /// columns at least that wide, then balanced (ceil(n / rows) per row for the rows that k needs).
    /// The height is `height` when given; otherwise it follows the layout: the panel grid keeps its
    /// aspect ratio (a reflowed grid: rows of cells with the median of the panels' original cell
    /// aspects), and the title takes what its lines need at the new width.
    public func fitted(width newWidth: Int, height newHeight: Int? = nil, minimumPanelWidth: Double) -> Figure {
        var result = self
        result.width = newWidth
        let pad = FigureStyle.outerPadding
        let oldGrid = (width: Double(width) - 2 * pad, height: Double(height) - pad - titleHeight - pad)
        let newGridWidth = Double(newWidth) - 2 * pad
        var gridHeight = oldGrid.height * newGridWidth / max(oldGrid.width, 1)
        let narrowest = placements.map { Double($0.columnSpan) * newGridWidth / Double(max(columns, 1)) }.min() ?? .infinity
        if narrowest < minimumPanelWidth {
            let order = placements.indices.sorted { a, b in
                (placements[a].row, placements[a].column, a) < (placements[b].row, placements[b].column, b)
            }
            let count = placements.count
            let fit = max(1, min(count, Int(newGridWidth / minimumPanelWidth)))
            let oldCell = (width: oldGrid.width / Double(max(columns, 1)), height: oldGrid.height / Double(max(rows, 1)))
            let newRows = (count + fit - 1) / fit
            let perRow = (count + newRows - 1) / newRows
            let aspects = placements.map { p in (Double(p.rowSpan) * oldCell.height) / max(Double(p.columnSpan) * oldCell.width, 1) }.sorted()
            let aspect = aspects.isEmpty ? 1 : aspects[aspects.count / 2]
            result.placements = order.enumerated().map { rank, index in
                PanelPlacement(panel: placements[index].panel, row: rank / perRow, column: rank % perRow)
            }
            (result.rows, result.columns) = (newRows, perRow)
            gridHeight = Double(newRows) * newGridWidth / Double(perRow) * aspect
        }
        let height = newHeight ?? Int((pad + result.titleHeight + gridHeight + pad).rounded())
        result.height = min(max(height, 1), 20_000)
        return result
    }
}
