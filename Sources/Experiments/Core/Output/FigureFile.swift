import Plot

/// A figure's file bytes chosen by the path's extension: `.svg`, `.pdf` (vector, base-14 fonts, nothing
/// embedded), `.png` (raster with text) or `.ppm`.
public enum FigureFile {
    public static func bytes(_ figure: Figure, path: String) throws -> [UInt8] {
        let lower = path.lowercased()
        if lower.hasSuffix(".pdf") { return try figure.pdf() }
        if lower.hasSuffix(".png") { return try figure.png() }
        if lower.hasSuffix(".ppm") { return try figure.ppm() }
        return Array(try figure.svg().utf8)
    }
}
