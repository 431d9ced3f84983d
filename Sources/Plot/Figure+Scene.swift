extension Figure {
    /// The figure as pixel-space primitives: background, title, then per panel the clipped grid and
    /// marks, the axes frame, ticks and labels, legend and colourbar.
    func scene() throws(PlotError) -> Scene {
        try validate()
        let figure = lettersPanels ? withPanelLetters() : self
        var groups = [SceneGroup(clip: nil, items: [
            .rectangle(PixelRect(x: 0, y: 0, width: Double(width), height: Double(height)), fill: .white, opacity: 1, crisp: true),
        ])]
        // The title, wrapped to the width (`titleLines`), one centred line under the other.
        let size = style.figureTitleSize
        for (index, line) in titleLines.enumerated() {
            let baseline = FigureStyle.outerPadding + size * (0.9 + TextWrapping.lineSpacing * Double(index))
            groups[0].items.append(.text(SceneText(position: PixelPoint(x: Double(width) / 2, y: baseline), text: line, size: size, bold: true)))
        }
        for layout in figure.layout() {
            groups += layout.sceneGroups()
        }
        return Scene(width: width, height: height, groups: groups).withPrintFloors()
    }

    /// The panels' letters in reading order (by row, then column, then placement order): "a", "b", ...
    /// for placement indices in that order; empty for a figure of one panel.
    public var panelLetters: [(placement: Int, letter: String)] {
        guard placements.count > 1 else { return [] }
        let order = placements.indices.sorted { a, b in
            let (p, q) = (placements[a], placements[b])
            return (p.row, p.column, a) < (q.row, q.column, b)
        }
        return order.enumerated().map { rank, index in (index, Figure.letter(rank)) }
    }

    /// "a" ... "z", then "aa", "ab", ... (bijective base 26) for ranks 0, 1, ...
    static func letter(_ rank: Int) -> String {
        var n = rank + 1, letters = ""
        while n > 0 {
            let digit = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(97 + digit))) + letters
            n = (n - 1) / 26
        }
        return letters
    }

    /// The figure with every panel title prefixed "(a) ", "(b) ", ... (`panelLetters`).
    func withPanelLetters() -> Figure {
        var lettered = self
        lettered.lettersPanels = false
        for (index, letter) in panelLetters {
            let title = placements[index].panel.title
            lettered.placements[index].panel.title = "(\(letter))" + (title.isEmpty ? "" : " " + title)
        }
        return lettered
    }
}

extension PanelLayout {
    /// The grid goes above the filled contours and heatmaps (which would hide it) and below every
    /// other mark: right after the last area-filling mark, or first when there is none.
    func sceneGroups() -> [SceneGroup] {
        let rect = frame.rect
        let markItems = panel.marks.map { $0.sceneItems(in: frame) }
        let belowGrid = (panel.marks.lastIndex(where: \.coversPlotArea) ?? -1) + 1
        let plotted = markItems[..<belowGrid].flatMap { $0 } + (panel.showsGrid ? gridLines() : []) + markItems[belowGrid...].flatMap { $0 }
        var groups = [SceneGroup(clip: rect, items: plotted), SceneGroup(clip: nil, items: axesItems())]
        let entries = panel.marks.compactMap(\.legendEntry)
        if !entries.isEmpty, panel.legend != .hidden {
            groups.append(SceneGroup(clip: nil, items: Legend(entries: entries, style: style).sceneItems(in: rect, position: panel.legend, avoiding: markItems.flatMap { $0 })))
        }
        if let colorbar {
            groups.append(SceneGroup(clip: nil, items: colorbarItems(colorbar)))
        }
        return groups
    }

    private func gridLines() -> [SceneItem] {
        let rect = frame.rect
        let stroke = Stroke(color: FigureStyle.gridColor, width: 0.8)
        let vertical = xTicks.compactMap { frame.pixelX($0.value) }.map {
            SceneItem.polyline([PixelPoint(x: $0, y: rect.y), PixelPoint(x: $0, y: rect.maxY)], stroke)
        }
        let horizontal = yTicks.compactMap { frame.pixelY($0.value) }.map {
            SceneItem.polyline([PixelPoint(x: rect.x, y: $0), PixelPoint(x: rect.maxX, y: $0)], stroke)
        }
        return vertical + horizontal
    }

    private func axesItems() -> [SceneItem] {
        let rect = frame.rect
        let frameStroke = Stroke(color: FigureStyle.frameColor, width: 1)
        let tickLength = FigureStyle.tickLength, gap = FigureStyle.gap, tickSize = style.tickLabelSize
        var items: [SceneItem] = [.polyline(rect.corners + [rect.corners[0]], frameStroke)]
        for tick in xTicks {
            guard let x = frame.pixelX(tick.value) else { continue }
            items.append(.polyline([PixelPoint(x: x, y: rect.maxY), PixelPoint(x: x, y: rect.maxY + tickLength)], frameStroke))
            if !tick.label.isEmpty {
                items.append(.text(SceneText(position: PixelPoint(x: x, y: rect.maxY + tickLength + gap + tickSize * 0.8),
                                             text: tick.label, size: tickSize)))
            }
        }
        for tick in yTicks {
            guard let y = frame.pixelY(tick.value) else { continue }
            items.append(.polyline([PixelPoint(x: rect.x - tickLength, y: y), PixelPoint(x: rect.x, y: y)], frameStroke))
            if !tick.label.isEmpty {
                items.append(.text(SceneText(position: PixelPoint(x: rect.x - tickLength - gap, y: y + tickSize * 0.35),
                                             text: tick.label, size: tickSize, anchor: .end)))
            }
        }
        let labelSize = style.axisLabelSize
        for (index, line) in xLabelLines.enumerated() {
            let baseline = rect.maxY + tickLength + gap + tickSize + gap + labelSize * (0.8 + TextWrapping.lineSpacing * Double(index))
            items.append(.text(SceneText(position: PixelPoint(x: rect.x + rect.width / 2, y: baseline), text: line, size: labelSize)))
        }
        if !panel.yAxis.label.isEmpty {
            items.append(.text(SceneText(position: PixelPoint(x: cell.x + 2 + labelSize * 0.8, y: rect.y + rect.height / 2),
                                         text: panel.yAxis.label, size: labelSize, rotation: -90)))
        }
        // The title's lines, the last 8 px above the plot.
        for (index, line) in titleLines.enumerated() {
            let above = Double(titleLines.count - 1 - index) * TextWrapping.lineSpacing * style.panelTitleSize
            items.append(.text(SceneText(position: PixelPoint(x: rect.x + rect.width / 2, y: rect.y - 8 - above),
                                         text: line, size: style.panelTitleSize, bold: true)))
        }
        return items
    }

    /// A vertical bar right of the plot: a smooth ramp (heatmap) or one block per band (filled contour).
    private func colorbarItems(_ colorbar: ColorbarSpec) -> [SceneItem] {
        let rect = frame.rect
        let bar = PixelRect(x: rect.maxX + 12, y: rect.y, width: FigureStyle.colorbarWidth, height: rect.height)
        let span = colorbar.range.upperBound - colorbar.range.lowerBound
        func pixelY(_ value: Double) -> Double {
            span > 0 ? bar.maxY - (value - colorbar.range.lowerBound) / span * bar.height : bar.y + bar.height / 2
        }
        var items: [SceneItem] = []
        if let levels = colorbar.levels {
            let boundaries = [colorbar.range.lowerBound] + levels + [colorbar.range.upperBound]
            for band in 0..<(boundaries.count - 1) {
                let top = pixelY(boundaries[band + 1]), bottom = pixelY(boundaries[band])
                let color = colorbar.colormap.color(at: levels.isEmpty ? 0.5 : Double(band) / Double(levels.count))
                items.append(.rectangle(PixelRect(x: bar.x, y: top, width: bar.width, height: bottom - top), fill: color, opacity: 1, crisp: true))
            }
        } else {
            let steps = 64
            for step in 0..<steps {
                let top = bar.maxY - Double(step + 1) * bar.height / Double(steps)
                items.append(.rectangle(PixelRect(x: bar.x, y: top, width: bar.width, height: bar.height / Double(steps)),
                                        fill: colorbar.colormap.color(at: (Double(step) + 0.5) / Double(steps)), opacity: 1, crisp: true))
            }
        }
        let stroke = Stroke(color: FigureStyle.frameColor, width: 1)
        items.append(.polyline(bar.corners + [bar.corners[0]], stroke))
        var widest = 0.0
        for tick in colorbarTicks {
            let y = pixelY(tick.value)
            items.append(.polyline([PixelPoint(x: bar.maxX, y: y), PixelPoint(x: bar.maxX + FigureStyle.tickLength, y: y)], stroke))
            items.append(.text(SceneText(position: PixelPoint(x: bar.maxX + FigureStyle.tickLength + FigureStyle.gap, y: y + style.tickLabelSize * 0.35),
                                         text: tick.label, size: style.tickLabelSize, anchor: .start)))
            widest = max(widest, TextMetrics.width(tick.label, size: style.tickLabelSize))
        }
        if let label = colorbar.label, !label.isEmpty {
            let x = bar.maxX + FigureStyle.tickLength + FigureStyle.gap + widest + FigureStyle.gap + style.axisLabelSize * 0.8
            items.append(.text(SceneText(position: PixelPoint(x: x, y: bar.y + bar.height / 2), text: label,
                                         size: style.axisLabelSize, rotation: -90)))
        }
        return items
    }
}
