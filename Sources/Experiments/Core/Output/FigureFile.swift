import Plot

/// A figure's file bytes chosen by the path's extension: `.svg`, `.pdf` (vector, base-14 fonts, nothing
/// embedded), `.png` (raster with text) or `.ppm`. SVG, PDF and PNG record the toolkit's version and
/// build (`ToolVersion.figureMetadata`) outside the drawing; PPM has no place for it.
public enum FigureFile {
    public static func bytes(_ figure: Figure, path: String) throws -> [UInt8] {
        let lower = path.lowercased(), metadata = ToolVersion.figureMetadata
        if lower.hasSuffix(".pdf") { return try figure.pdf(metadata: metadata) }
        if lower.hasSuffix(".png") { return try figure.png(metadata: metadata) }
        if lower.hasSuffix(".ppm") { return try figure.ppm() }
        return Array(try figure.svg(metadata: metadata).utf8)
    }
}
