extension Figure {
    /// The figure as an SVG document (UTF-8 text), with `metadata` as a comment. With `sizeInPoints`
    /// its `width` and `height` are stated in points (the physical size at 0.75 pt per pixel, e.g.
    /// "486pt" for a page-wide figure) rather than pixels; the drawing (viewBox in pixels) is the same.
    /// Throws when the figure is invalid.
    public func svg(sizeInPoints: Bool = false, metadata: FigureMetadata? = nil) throws(PlotError) -> String {
        SVGRenderer.render(try scene(), sizeInPoints: sizeInPoints, metadata: metadata)
    }

    /// The figure as a one-page PDF 1.4 document: vector paths, text in the base-14 fonts Helvetica,
    /// Helvetica-Bold and Symbol (not embedded). The page is `width` points wide (default: the
    /// figure's `widthInPoints`, 0.75 pt per pixel) with the figure's aspect ratio. `metadata` goes into
    /// the /Info dictionary (/Creator).
    public func pdf(width: Double? = nil, metadata: FigureMetadata? = nil) throws(PlotError) -> [UInt8] {
        let pageWidth = width ?? widthInPoints
        guard pageWidth.isFinite, (1...14_400).contains(pageWidth) else {
            throw .invalidValue(name: "PDF width", value: pageWidth, accepted: "1...14400 pt")
        }
        return PDFRenderer.render(try scene(), pointsPerPixel: pageWidth / Double(self.width), metadata: metadata)
    }

    /// The figure rasterised as a binary PPM (P6) of `width` x `height` pixels (default: the figure's
    /// size; the layout is computed at the figure's size and scaled). Text is drawn in a bitmap font.
    public func ppm(width: Int? = nil, height: Int? = nil) throws(PlotError) -> [UInt8] {
        try raster(width: width, height: height).ppmBytes
    }

    /// The figure rasterised like `ppm(width:height:)` and written as an 8-bit RGB PNG, with `metadata`
    /// in a tEXt chunk (keyword `Software`).
    public func png(width: Int? = nil, height: Int? = nil, metadata: FigureMetadata? = nil) throws(PlotError) -> [UInt8] {
        try raster(width: width, height: height).pngBytes(metadata: metadata)
    }

    func raster(width: Int? = nil, height: Int? = nil) throws(PlotError) -> Raster {
        let outputWidth = width ?? self.width, outputHeight = height ?? self.height
        guard (1...20_000).contains(outputWidth) else { throw .invalidSize(name: "raster width", value: outputWidth, accepted: "1...20000 px") }
        guard (1...20_000).contains(outputHeight) else { throw .invalidSize(name: "raster height", value: outputHeight, accepted: "1...20000 px") }
        return RasterRenderer.render(try scene(), width: outputWidth, height: outputHeight)
    }

    /// Writes `svg()` to `path` atomically.
    public func writeSVG(to path: String) throws(PlotError) {
        try writeAtomically(Array(try svg().utf8), to: path)
    }

    /// Writes `pdf(width:)` to `path` atomically.
    public func writePDF(to path: String, width: Double? = nil) throws(PlotError) {
        try writeAtomically(try pdf(width: width), to: path)
    }

    /// The pixel size of a raster of this figure printed at `dpi` dots per inch (its physical size
    /// being `widthInPoints` x `heightInPoints`, 72 pt per inch), each side at least 1.
    public func rasterSize(dpi: Double) -> (width: Int, height: Int) {
        func pixels(_ points: Double) -> Int {
            let value = (points / 72 * dpi).rounded()
            return value.isFinite ? Int(min(max(value, 1), 1e9)) : 1
        }
        return (pixels(widthInPoints), pixels(heightInPoints))
    }

    /// Writes `ppm(width:height:)` to `path` atomically.
    public func writePPM(to path: String, width: Int? = nil, height: Int? = nil) throws(PlotError) {
        try writeAtomically(try ppm(width: width, height: height), to: path)
    }

    /// Writes `png(width:height:)` to `path` atomically.
    public func writePNG(to path: String, width: Int? = nil, height: Int? = nil) throws(PlotError) {
        try writeAtomically(try png(width: width, height: height), to: path)
    }
}
