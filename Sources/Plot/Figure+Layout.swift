/// The resolved geometry of one panel.
struct PanelLayout {
    var panel: Panel
    var cell: PixelRect
    var frame: PlotFrame
    var xTicks: [Tick]
    var yTicks: [Tick]
    var colorbar: ColorbarSpec?
    var colorbarTicks: [Tick]
    var style: FigureStyle
    /// The panel title broken into lines that fit the panel's cell (none for an empty title).
    var titleLines: [String]
    /// The x-axis label broken into lines that fit the panel's cell.
    var xLabelLines: [String]
}

/// Space around a plot area inside its cell, in pixels.
struct Margins {
    var left = 0.0, right = 0.0, top = 0.0, bottom = 0.0

    func merged(_ other: Margins) -> Margins {
        Margins(left: max(left, other.left), right: max(right, other.right), top: max(top, other.top), bottom: max(bottom, other.bottom))
    }
}

extension Figure {
    /// The figure title broken into lines that fit the width inside the outer padding.
    var titleLines: [String] {
        TextWrapping.lines(title, size: style.figureTitleSize, bold: true, width: Double(width) - 2 * FigureStyle.outerPadding)
    }

    /// Pixels above the panel grid taken by the figure title (its lines and 10 px below).
    var titleHeight: Double {
        let lines = titleLines.count
        return lines == 0 ? 0 : style.figureTitleSize * (1 + TextWrapping.lineSpacing * Double(lines - 1)) + 10
    }

    /// Text sizes and spacings at this figure's `fontScale`.
    var style: FigureStyle { FigureStyle(fontScale: fontScale) }

    /// Lays out every panel. Margins are computed twice from the tick labels they must hold (the
    /// ticks depend on the plot size); left and right margins are shared by all panels, top and
    /// bottom margins (titles and x labels, which wrap) by the panels of a grid row, so plot areas
    /// line up in rows and columns without one long title shrinking every plot.
    func layout() -> [PanelLayout] {
        let limits = placements.indices.map { automaticLimits(for: $0) }
        var margins = placements.map { _ in Margins(left: 50, right: 12, top: 10, bottom: 40) }
        for _ in 0..<2 {
            let needed = placements.indices.map { index in
                requiredMargins(panelLayout(index, limits: limits[index], shared: margins[index]))
            }
            let all = needed.reduce(Margins(left: 50, right: 12, top: 10, bottom: 40)) { $0.merged($1) }
            margins = placements.indices.map { index in
                let row = placements.indices.filter { placements[$0].row == placements[index].row }
                let inRow = row.map { needed[$0] }.reduce(Margins(top: 10, bottom: 10)) { $0.merged($1) }
                return Margins(left: all.left, right: all.right, top: inRow.top, bottom: inRow.bottom)
            }
        }
        return placements.indices.map { panelLayout($0, limits: limits[$0], shared: margins[$0]) }
    }

    private func cellRect(_ placement: PanelPlacement) -> PixelRect {
        let pad = FigureStyle.outerPadding
        let top = pad + titleHeight
        let cellWidth = (Double(width) - 2 * pad) / Double(columns)
        let cellHeight = (Double(height) - top - pad) / Double(rows)
        return PixelRect(x: pad + Double(placement.column) * cellWidth, y: top + Double(placement.row) * cellHeight,
                         width: Double(placement.columnSpan) * cellWidth, height: Double(placement.rowSpan) * cellHeight)
    }

    /// Transformed-space limits before equal-aspect widening: explicit limits, or the data range
    /// (shared across the requested group) padded by 4% on each side.
    private func automaticLimits(for index: Int) -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let placement = placements[index]
        func groupBounds(_ sharing: AxisSharing) -> DataBounds {
            var bounds = DataBounds()
            for other in placements where Figure.shares(sharing, placement, other) {
                guard other.panel.xAxis.scale == placement.panel.xAxis.scale,
                      other.panel.yAxis.scale == placement.panel.yAxis.scale else { continue }
                for mark in other.panel.marks {
                    bounds.include(mark.bounds(xScale: placement.panel.xAxis.scale, yScale: placement.panel.yAxis.scale))
                }
            }
            return bounds
        }
        return (Figure.resolve(placement.panel.xAxis, data: groupBounds(sharedX).x),
                Figure.resolve(placement.panel.yAxis, data: groupBounds(sharedY).y))
    }

    private static func shares(_ sharing: AxisSharing, _ a: PanelPlacement, _ b: PanelPlacement) -> Bool {
        switch sharing {
        case .none: return a == b
        case .sameRow: return a.row == b.row
        case .sameColumn: return a.column == b.column
        case .all: return true
        }
    }

    private static func resolve(_ axis: Axis, data: ClosedRange<Double>?) -> ClosedRange<Double> {
        if let limits = axis.limits, let lower = axis.scale.transform(limits.lower), let upper = axis.scale.transform(limits.upper), lower < upper {
            return lower...upper
        }
        guard let data else { return 0...1 }
        let (lower, upper) = Ticks.normalizedRange(lower: data.lowerBound, upper: data.upperBound)
        let pad = (upper - lower) * 0.04
        return (lower - pad)...(upper + pad)
    }

    private func panelLayout(_ index: Int, limits: (x: ClosedRange<Double>, y: ClosedRange<Double>), shared: Margins) -> PanelLayout {
        let placement = placements[index]
        let panel = placement.panel
        let cell = cellRect(placement)
        let colorbar = panel.colorbar
        let legendEntries = panel.marks.compactMap(\.legendEntry)
        let outsideLegend = panel.legend == .outsideRight && !legendEntries.isEmpty
            ? Legend.inset + Legend(entries: legendEntries, style: style).size.width : 0
        let right = max(shared.right, 12) + outsideLegend
            + (colorbar.map { Figure.colorbarWidth($0, ticks: Figure.colorbarTicks($0, height: cell.height, style: style), style: style) } ?? 0)
        let plot = PixelRect(x: cell.x + shared.left, y: cell.y + shared.top,
                             width: max(cell.width - shared.left - right, 10), height: max(cell.height - shared.top - shared.bottom, 10))
        var (xRange, yRange) = limits
        if panel.equalAspect {
            let pixelsPerUnit = min(plot.width / (xRange.upperBound - xRange.lowerBound), plot.height / (yRange.upperBound - yRange.lowerBound))
            func widened(_ range: ClosedRange<Double>, pixels: Double) -> ClosedRange<Double> {
                let center = (range.lowerBound + range.upperBound) / 2, half = pixels / pixelsPerUnit / 2
                return (center - half)...(center + half)
            }
            xRange = widened(xRange, pixels: plot.width)
            yRange = widened(yRange, pixels: plot.height)
        }
        let frame = PlotFrame(rect: plot, xScale: panel.xAxis.scale, yScale: panel.yAxis.scale, xRange: xRange, yRange: yRange)
        // The title is centred over the plot and may use the cell's width on both sides of that centre.
        let center = plot.x + plot.width / 2
        let titleWidth = 2 * min(center - cell.x, cell.maxX - center) - 4
        return PanelLayout(panel: panel, cell: cell, frame: frame,
                           xTicks: Figure.axisTicks(xRange, axis: panel.xAxis, pixels: plot.width, horizontal: true, style: style),
                           yTicks: Figure.axisTicks(yRange, axis: panel.yAxis, pixels: plot.height, horizontal: false, style: style),
                           colorbar: colorbar, colorbarTicks: colorbar.map { Figure.colorbarTicks($0, height: plot.height, style: style) } ?? [],
                           style: style,
                           titleLines: TextWrapping.lines(panel.title, size: style.panelTitleSize, bold: true, width: titleWidth),
                           xLabelLines: TextWrapping.lines(panel.xAxis.label, size: style.axisLabelSize, bold: false, width: titleWidth))
    }

    /// The margins a panel needs for its tick labels, axis labels and title.
    private func requiredMargins(_ layout: PanelLayout) -> Margins {
        let style = layout.style
        let tickSpace = FigureStyle.tickLength + FigureStyle.gap
        let widestY = layout.yTicks.map { TextMetrics.width($0.label, size: style.tickLabelSize) }.max() ?? 0
        let yLabel = layout.panel.yAxis.label.isEmpty ? 0 : style.axisLabelSize + FigureStyle.gap
        let xLabel = layout.xLabelLines.isEmpty ? 0
            : style.axisLabelSize * (1 + TextWrapping.lineSpacing * Double(layout.xLabelLines.count - 1)) + FigureStyle.gap
        let lastX = layout.xTicks.last.map { TextMetrics.width($0.label, size: style.tickLabelSize) / 2 } ?? 0
        return Margins(left: tickSpace + widestY + FigureStyle.gap + yLabel + 2,
                       right: lastX + 4,
                       top: layout.titleLines.isEmpty ? 10
                           : style.panelTitleSize * (1 + TextWrapping.lineSpacing * Double(layout.titleLines.count - 1)) + 12,
                       bottom: tickSpace + style.tickLabelSize + FigureStyle.gap + xLabel + 4)
    }

    /// The axis's ticks over `range` (transformed space): its explicit ticks inside the range, labels
    /// thinned to every k-th (the smallest k that leaves 8 px between x labels, a line height between
    /// y labels), or automatic ones (`axisTicks(_:scale:pixels:horizontal:style:)`).
    static func axisTicks(_ range: ClosedRange<Double>, axis: Axis, pixels: Double, horizontal: Bool, style: FigureStyle) -> [Tick] {
        guard let explicit = axis.ticks else { return axisTicks(range, scale: axis.scale, pixels: pixels, horizontal: horizontal, style: style) }
        let inside = explicit.filter { tick in axis.scale.transform(tick.value).map(range.contains) ?? false }
            .sorted { $0.value < $1.value }
        let positions = inside.compactMap { axis.scale.transform($0.value) }.map { ($0 - range.lowerBound) / (range.upperBound - range.lowerBound) * pixels }
        let closest = zip(positions, positions.dropFirst()).map { $1 - $0 }.min() ?? .infinity
        let room = horizontal ? (inside.map { TextMetrics.width($0.label, size: style.tickLabelSize) }.max() ?? 0) + 8 : style.tickLabelSize + 4
        let stride = closest >= room ? 1 : Int((room / max(closest, 1e-9)).rounded(.up))
        return inside.enumerated().map { index, tick in index % stride == 0 ? tick : Tick(value: tick.value, label: "") }
    }

    /// Ticks for an axis `pixels` long: as many as fit without labels closer than 8 px (x) or
    /// a line height (y); when even 4 do not fit, every other label is left blank.
    static func axisTicks(_ range: ClosedRange<Double>, scale: Scale, pixels: Double, horizontal: Bool, style: FigureStyle) -> [Tick] {
        let lower = scale.inverse(range.lowerBound), upper = scale.inverse(range.upperBound)
        var maxCount = min(10, max(4, Int(pixels / (horizontal ? 42 : 26))))
        while true {
            let ticks = scale == .log ? Ticks.logarithmic(lower: lower, upper: upper, maxCount: maxCount)
                                      : Ticks.linear(lower: lower, upper: upper, maxCount: maxCount)
            let positions = ticks.compactMap { scale.transform($0.value) }.map { ($0 - range.lowerBound) / (range.upperBound - range.lowerBound) * pixels }
            let room = horizontal ? (ticks.map { TextMetrics.width($0.label, size: style.tickLabelSize) }.max() ?? 0) + 8
                                  : style.tickLabelSize + 4
            let closest = zip(positions, positions.dropFirst()).map { $1 - $0 }.min() ?? .infinity
            if closest >= room { return ticks }
            if maxCount <= 4 {
                return ticks.enumerated().map { index, tick in index % 2 == 0 ? tick : Tick(value: tick.value, label: "") }
            }
            maxCount -= 1
        }
    }

    static func colorbarTicks(_ colorbar: ColorbarSpec, height: Double, style: FigureStyle) -> [Tick] {
        axisTicks(colorbar.range.lowerBound...max(colorbar.range.upperBound, colorbar.range.lowerBound + 1e-300),
                  scale: .linear, pixels: height, horizontal: false, style: style)
            .filter { $0.value >= colorbar.range.lowerBound && $0.value <= colorbar.range.upperBound }
    }

    /// Horizontal space for a colourbar right of the plot: gap, bar, ticks, labels and title.
    static func colorbarWidth(_ colorbar: ColorbarSpec, ticks: [Tick], style: FigureStyle) -> Double {
        let widest = ticks.map { TextMetrics.width($0.label, size: style.tickLabelSize) }.max() ?? 0
        let title = (colorbar.label ?? "").isEmpty ? 0 : style.axisLabelSize + FigureStyle.gap
        return 12 + FigureStyle.colorbarWidth + FigureStyle.tickLength + FigureStyle.gap + widest + title + 4
    }
}
