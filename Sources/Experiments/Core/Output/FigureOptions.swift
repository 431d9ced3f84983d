import Plot

/// How a figure is cut and sized: a subset of its lettered panels (one panel alone becomes a
/// publication-size figure), the size (pixels or print), the font size and the raster resolution.
///
/// Print sizes: the figure is laid out at 1 pixel = 0.75 pt (`Figure.pointsPerPixel`), at the print
/// width; panels that would be narrower than `minimumPanelWidth` are re-placed in reading order
/// (`Figure.fitted`), and the height follows the layout unless given. Without `--size` a PDF is
/// page-wide (`FigureSize.page`); SVG and PNG keep the composite's own pixel size.
public struct FigureOptions: Sendable, Equatable {
    /// Panel letters to keep ("a", "b", ..., as printed on the full figure); nil keeps all.
    public var panels: [String]?
    /// nil: page width for a PDF, the composite's own pixel size (or `singlePanelSize` for one panel) otherwise.
    public var size: FigureSize?
    /// Size of tick labels in pixels (0.75 pt each); every other text scales with it (default 11).
    public var fontSize: Double?
    /// Dots per inch of a PNG or PPM of a print size (default 300).
    public var dpi: Double?

    public static let defaultFontSize = 11.0
    public static let defaultDPI = 300.0
    public static let singlePanelSize = (width: 900, height: 620)
    /// The narrowest panel a print layout keeps, in pixels (150 pt, about 2.1 in): narrower panels are re-placed.
    public static let minimumPanelWidth = 200.0
    /// The smallest `--font-size` in pixels: 7 pt (`Figure.minimumTextPoints`) at 0.75 pt per pixel, rounded up to 0.01.
    public static let minimumFontSize = Figure.minimumTextPixels

    public init(panels: [String]? = nil, size: FigureSize? = nil, fontSize: Double? = nil, dpi: Double? = nil) {
        self.panels = panels
        self.size = size
        self.fontSize = fontSize
        self.dpi = dpi
    }

    /// The size a figure written to `path` gets: the chosen one, else page width for a PDF.
    public func size(forPath path: String) -> FigureSize? {
        size ?? (path.lowercased().hasSuffix(".pdf") ? .page : nil)
    }

    /// Checks the options against the figure paths before any work: `--dpi` needs a raster output
    /// and a print size. Throws `UsageError` naming the option and what is accepted.
    public func check(paths: [String]) throws {
        guard let dpi else { return }
        let rasters = paths.filter { path in [".png", ".ppm"].contains { path.lowercased().hasSuffix($0) } }
        guard !rasters.isEmpty else {
            throw UsageError(message: "--dpi \(SweepAxis.shortText(dpi)) sets the resolution of a PNG or PPM, and no figure path ends in .png or .ppm; accepted: --dpi with --plot PATH.png (or --ppm PATH)")
        }
        guard size?.isPhysical == true else {
            throw UsageError(message: "--dpi \(SweepAxis.shortText(dpi)) needs a print size; accepted: --size column, page, WxHin or WxHpt (a --size WxH in pixels sets the raster's pixels itself)")
        }
    }

    /// The letter of each placement of `figure` in reading order ("a", "b", ...).
    public static func letters(_ figure: Figure) -> [String] {
        figure.panelLetters.map(\.letter)
    }

    /// Throws `UsageError` when a chosen letter is not a panel of `figure` (the letters depend on the
    /// run: the methods drawn, whether trajectories were recorded), naming the figure's letters.
    public func checkPanels(of figure: Figure) throws {
        let known = Self.letters(figure)
        if let bad = panels?.first(where: { !known.contains($0) }) {
            throw UsageError(message: "--panels: '\(bad)' is not a panel of this figure; accepted: a comma list of \(known.joined(separator: ", "))")
        }
    }

    /// The figure cut to the chosen panels (rows without a kept panel are dropped, the rest keep their
    /// places and are lettered again in reading order; one panel alone loses the composite title),
    /// sized for `path` (`size(forPath:)`) and with the font scale applied. Letters the figure lacks
    /// select nothing (`checkPanels(of:)` refuses them).
    public func apply(to figure: Figure, path: String = "") -> Figure {
        var result = figure
        if let panels {
            let letters = figure.panelLetters
            let keptIndices = letters.filter { panels.contains($0.letter) }.map(\.placement).sorted()
            let kept = keptIndices.map { figure.placements[$0] }
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
        if let fontSize { result.fontScale = fontSize / Self.defaultFontSize }
        switch size(forPath: path) {
        case let .pixels(width, height)?:
            (result.width, result.height) = (width, height)
        case let .print(widthPoints, heightPoints)?:
            result = result.fitted(width: Self.pixels(widthPoints), height: heightPoints.map(Self.pixels), minimumPanelWidth: Self.minimumPanelWidth)
        case nil:
            break
        }
        return result
    }

    /// Whole layout pixels (0.75 pt each) for a length in points.
    static func pixels(_ points: Double) -> Int { Int((points / Figure.pointsPerPixel).rounded()) }

    /// The bytes of `figure` written to `path` (by its extension: `.svg`, `.pdf`, `.png`, `.ppm`), after
    /// `apply(to:path:)`: a print size gives an SVG sized in pt and a raster at `dpi` (default 300).
    public func bytes(_ figure: Figure, path: String) throws -> [UInt8] {
        try checkPanels(of: figure)
        let sized = apply(to: figure, path: path)
        let physical = size(forPath: path)?.isPhysical == true
        let raster = physical ? sized.rasterSize(dpi: dpi ?? Self.defaultDPI) : (sized.width, sized.height)
        // SVG, PDF and PNG record the toolkit's version and build outside the drawing; PPM has no place for it.
        let lower = path.lowercased(), metadata = ToolVersion.figureMetadata
        if lower.hasSuffix(".pdf") { return try sized.pdf(metadata: metadata) }
        if lower.hasSuffix(".png") { return try sized.png(width: raster.0, height: raster.1, metadata: metadata) }
        if lower.hasSuffix(".ppm") { return try sized.ppm(width: raster.0, height: raster.1) }
        return Array(try sized.svg(sizeInPoints: physical, metadata: metadata).utf8)
    }
}
