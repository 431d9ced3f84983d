import Plot

/// How an experiment's composite figure is cut and sized: a subset of its lettered panels (one panel
/// alone becomes a publication-size figure), the overall size, and the font size.
public struct FigureOptions: Sendable, Equatable {
    /// Panel letters to keep ("a", "b", ...); nil keeps all.
    public var panels: [String]?
    /// Overall size in pixels (SVG units; PDF pages are 0.75 pt per pixel); nil: the composite's own,
    /// or `singlePanelSize` for one panel.
    public var size: (width: Int, height: Int)?
    /// Size of tick labels in pixels; every other text scales with it (default 11).
    public var fontSize: Double?

    public static let defaultFontSize = 11.0
    public static let singlePanelSize = (width: 900, height: 620)

    public init(panels: [String]? = nil, size: (width: Int, height: Int)? = nil, fontSize: Double? = nil) {
        self.panels = panels
        self.size = size
        self.fontSize = fontSize
    }

    public static func == (a: FigureOptions, b: FigureOptions) -> Bool {
        a.panels == b.panels && a.size?.width == b.size?.width && a.size?.height == b.size?.height && a.fontSize == b.fontSize
    }

    /// The panel letters of the composite figure of a dimension.
    public static func letters(dimension: Int) -> [String] { dimension == 1 ? ["a", "b", "c", "d", "e"] : ["a", "b", "c", "d"] }

    /// The letter of a panel, from its title "(x) ...".
    static func letter(_ panel: Panel) -> String? {
        let title = panel.title
        guard title.hasPrefix("("), let close = title.firstIndex(of: ")") else { return nil }
        return String(title[title.index(after: title.startIndex)..<close])
    }

    /// The figure cut to the chosen panels (rows without a kept panel are dropped, the rest keep their
    /// places; one panel alone loses the composite title), resized and with the font scale applied.
    public func apply(to figure: Figure) -> Figure {
        var result = figure
        if let panels {
            let kept = figure.placements.filter { p in Self.letter(p.panel).map(panels.contains) ?? false }
            if kept.count == 1, let only = kept.first {
                result.placements = [PanelPlacement(panel: only.panel, row: 0, column: 0)]
                (result.rows, result.columns) = (1, 1)
                (result.width, result.height) = Self.singlePanelSize
                // A paper's caption replaces the composite's long title; the panel keeps its own.
                result.title = ""
            } else {
                let rows = Array(Set(kept.flatMap { Array($0.row..<($0.row + $0.rowSpan)) })).sorted()
                result.placements = kept.map { p in
                    var q = p
                    q.row = rows.firstIndex(of: p.row) ?? 0
                    return q
                }
                result.height = max(1, figure.height * rows.count / max(1, figure.rows))
                result.rows = max(1, rows.count)
            }
        }
        if let size { (result.width, result.height) = size }
        if let fontSize { result.fontScale = fontSize / Self.defaultFontSize }
        return result
    }
}
