extension Figure {
    /// The figure as an SVG document (UTF-8 text). Throws when the figure is invalid.
    public func svg() throws(PlotError) -> String {
        SVGRenderer.render(try scene())
    }

    /// The figure rasterised as a binary PPM (P6) of `width` x `height` pixels (default: the figure's
    /// size; the layout is computed at the figure's size and scaled). Text is not drawn.
    public func ppm(width: Int? = nil, height: Int? = nil) throws(PlotError) -> [UInt8] {
        let outputWidth = width ?? self.width, outputHeight = height ?? self.height
        guard (1...20_000).contains(outputWidth) else { throw .invalidSize(name: "PPM width", value: outputWidth, accepted: "1...20000 px") }
        guard (1...20_000).contains(outputHeight) else { throw .invalidSize(name: "PPM height", value: outputHeight, accepted: "1...20000 px") }
        return PPMRenderer.render(try scene(), width: outputWidth, height: outputHeight)
    }

    /// Writes `svg()` to `path` atomically.
    public func writeSVG(to path: String) throws(PlotError) {
        try writeAtomically(Array(try svg().utf8), to: path)
    }

    /// Writes `ppm(width:height:)` to `path` atomically.
    public func writePPM(to path: String, width: Int? = nil, height: Int? = nil) throws(PlotError) {
        try writeAtomically(try ppm(width: width, height: height), to: path)
    }
}
