/// Rasterises a scene for the PPM and PNG outputs, scaled to the requested pixel size: fills,
/// heatmap cells, lines, markers and the axes frame anti-aliased, text in the built-in bitmap font
/// (`BitmapFont`) magnified by the integer factor closest to the scaled font size.
enum RasterRenderer {
    static func render(_ scene: Scene, width: Int, height: Int) -> Raster {
        var raster = Raster(width: width, height: height)
        let sx = Double(width) / Double(scene.width), sy = Double(height) / Double(scene.height)
        let lineScale = (sx * sy).squareRoot()
        func map(_ point: PixelPoint) -> PixelPoint { PixelPoint(x: point.x * sx, y: point.y * sy) }
        func map(_ rect: PixelRect) -> PixelRect { PixelRect(x: rect.x * sx, y: rect.y * sy, width: rect.width * sx, height: rect.height * sy) }
        func map(_ stroke: Stroke) -> Stroke {
            Stroke(color: stroke.color, width: stroke.width * lineScale, opacity: stroke.opacity, dash: stroke.dash.map { $0 * lineScale })
        }
        for group in scene.groups {
            let clip = group.clip.map(map)
            for item in group.items {
                switch item {
                case let .polyline(points, stroke):
                    raster.stroke(points.map(map), map(stroke), clip: clip)
                case let .polygon(rings, fill, opacity, stroke):
                    let mapped = rings.map { $0.map(map) }
                    raster.fill(rings: mapped, color: fill, opacity: opacity, clip: clip)
                    if let stroke { for ring in mapped { raster.stroke(ring + ring.prefix(1), map(stroke), clip: clip) } }
                case let .rectangle(rect, fill, opacity, crisp):
                    raster.fill(rect: map(rect), color: fill, opacity: opacity, crisp: crisp, clip: clip)
                case let .circle(center, radius, fill, opacity, stroke):
                    raster.circle(center: map(center), radius: radius * lineScale, fill: fill, opacity: opacity, stroke: stroke.map(map), clip: clip)
                case let .text(text):
                    var mapped = text
                    mapped.position = map(text.position)
                    raster.draw(mapped, magnification: BitmapFont.magnification(forSize: text.size * lineScale, bold: text.bold), clip: clip)
                }
            }
        }
        return raster
    }
}
