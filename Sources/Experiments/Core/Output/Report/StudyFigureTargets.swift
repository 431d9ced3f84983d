import Plot

/// The clickable targets over a study's figure, placed where the figure builders put each cell
/// (`SweepFigure`, `FrontierFigure`, through the same `AxisPlacement`), in SVG coordinates from
/// `Figure.locations()`. A target's `cell` is the cell's index in `StudySelection`.
enum StudyFigureTargets {
    /// A two-axis sweep: each heatmap cell of every panel (x: the second axis, y: the first); a
    /// one-axis sweep: each value's column of every panel, the plot area's full height.
    static func sweep(_ document: SweepDocument, figure: Figure) -> [ReportFigure.Target] {
        let locations = figure.locations()
        var targets: [ReportFigure.Target] = []
        let labels = document.cells.map { zip(document.axes, $0.values).map { "\($0.name)=\($1)" }.joined(separator: ", ") }
        for panel in 0..<locations.panelCount {
            guard let area = locations.plotArea(panel: panel) else { continue }
            if document.axes.count == 2 {
                let py = AxisPlacement(document.axes[0], evenly: true), px = AxisPlacement(document.axes[1], evenly: true)
                let y0 = py.positions.first ?? 0, x0 = px.positions.first ?? 0
                let xs = px.positions.compactMap { locations.location(panel: panel, x: $0, y: y0)?.x }
                let ys = py.positions.compactMap { locations.location(panel: panel, x: x0, y: $0)?.y }
                guard xs.count == px.positions.count, ys.count == py.positions.count else { continue }
                let (xExtent, yExtent) = (ReportFigure.extents(xs, fallback: area.width / 2), ReportFigure.extents(ys, fallback: area.height / 2))
                for (position, cell) in document.cells.enumerated() {
                    let at = Sweep.indices(ofCell: cell.index, axes: document.axes)
                    let (x, y) = (xExtent[at[1]], yExtent[at[0]])
                    targets.append(.init(cell: position, label: labels[position],
                                         shape: .rectangle(FigureRegion(x: x.low, y: y.low, width: x.high - x.low, height: y.high - y.low))))
                }
            } else {
                let place = AxisPlacement(document.axes[0], evenly: false)
                // Only x matters; y = 1 can be shown on a linear and a log axis alike.
                let xs = place.positions.compactMap { locations.location(panel: panel, x: $0, y: 1)?.x }
                guard xs.count == place.positions.count else { continue }
                let extent = ReportFigure.extents(xs, fallback: area.width / 2)
                for (position, cell) in document.cells.enumerated() {
                    let i = Sweep.indices(ofCell: cell.index, axes: document.axes)[0]
                    let low = max(area.x, extent[i].low), high = min(area.x + area.width, extent[i].high)
                    guard high > low else { continue }
                    targets.append(.init(cell: position, label: labels[position],
                                         shape: .rectangle(FigureRegion(x: low, y: area.y, width: high - low, height: area.height))))
                }
            }
        }
        return targets
    }

    /// A frontier: a circle on each available point of every panel (one panel per shown metric), for
    /// the point's budget.
    static func frontier(_ document: FrontierDocument, figure: Figure) -> [ReportFigure.Target] {
        let locations = figure.locations()
        var targets: [ReportFigure.Target] = []
        for (panel, metric) in document.metrics.enumerated() {
            for cell in document.cells where cell.available {
                guard let budget = document.budgets.firstIndex(of: cell.budget), let e = cell.evaluationsPerParticle,
                      let mean = cell.metrics?[metric]?.mean, let at = locations.location(panel: panel, x: Double(e), y: mean) else { continue }
                targets.append(.init(cell: budget, label: "budget=\(cell.budget): \(cell.variant)", shape: .circle(x: at.x, y: at.y, radius: 9)))
            }
        }
        return targets
    }
}
