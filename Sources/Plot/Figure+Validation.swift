extension Figure {
    /// Throws the first problem found: sizes, placements, axis limits, and array lengths of marks.
    func validate() throws(PlotError) {
        guard (1...20_000).contains(width) else { throw .invalidSize(name: "figure width", value: width, accepted: "1...20000 px") }
        guard (1...20_000).contains(height) else { throw .invalidSize(name: "figure height", value: height, accepted: "1...20000 px") }
        guard (1...100).contains(rows) else { throw .invalidSize(name: "figure rows", value: rows, accepted: "1...100") }
        guard (1...100).contains(columns) else { throw .invalidSize(name: "figure columns", value: columns, accepted: "1...100") }
        guard (0.25...8).contains(fontScale) else { throw .invalidValue(name: "figure font scale", value: fontScale, accepted: "0.25...8") }
        for (index, placement) in placements.enumerated() {
            guard placement.row >= 0, placement.column >= 0, placement.rowSpan >= 1, placement.columnSpan >= 1,
                  placement.row + placement.rowSpan <= rows, placement.column + placement.columnSpan <= columns else {
                throw .invalidPlacement(row: placement.row, column: placement.column, rows: rows, columns: columns)
            }
            let name = "panel \(index)"
            try placement.panel.xAxis.validate(name: "\(name) x axis")
            try placement.panel.yAxis.validate(name: "\(name) y axis")
            for (markIndex, mark) in placement.panel.marks.enumerated() {
                try mark.validate(name: "\(name) mark \(markIndex)")
            }
        }
    }
}

extension Mark {
    func validate(name: String) throws(PlotError) {
        func same(_ label: String, _ expected: Int, _ actual: Int) throws(PlotError) {
            guard expected == actual else { throw .mismatchedLengths(name: "\(name) \(label)", expected: expected, actual: actual) }
        }
        switch self {
        case let .lines(lines):
            for (index, series) in lines.series.enumerated() { try series.validate(name: "\(name) series \(index)") }
        case let .scatter(scatter):
            try same("scatter y", scatter.x.count, scatter.y.count)
        case let .band(band):
            try same("band lower", band.x.count, band.lower.count)
            try same("band upper", band.x.count, band.upper.count)
        case let .contour(contour):
            try contour.grid.validate(name: "\(name) contour grid")
        case let .filledContour(filled):
            try filled.grid.validate(name: "\(name) filled contour grid")
        case let .heatmap(heatmap):
            try heatmap.grid.validate(name: "\(name) heatmap grid", minimumNodes: 1)
            if let labels = heatmap.cellLabels { try same("heatmap cell labels", heatmap.grid.z.count, labels.count) }
            if let hatched = heatmap.hatchedCells { try same("heatmap hatched cells", heatmap.grid.z.count, hatched.count) }
        case let .quiver(quiver):
            try same("quiver y", quiver.x.count, quiver.y.count)
            try same("quiver u", quiver.x.count, quiver.u.count)
            try same("quiver v", quiver.x.count, quiver.v.count)
        case .histogram, .span, .text, .referenceLine:
            break
        }
    }
}
