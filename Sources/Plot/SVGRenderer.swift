/// Writes a scene as SVG 1.1.
///
/// Output properties: well-formed XML (text escaped, characters XML 1.0 forbids removed), a viewBox,
/// coordinates at 2 decimals, consecutive polylines with the same stroke sharing one `<g>`, and no
/// dependence on locale or hashing, so equal scenes give byte-identical files.
enum SVGRenderer {
    /// The document; `sizeInPoints` states width and height in points (`pt`, 0.75 per pixel: the
    /// same physical size) instead of pixels, as print layouts expect. `metadata`, when given, is one
    /// comment line after the XML declaration; nothing else changes.
    static func render(_ scene: Scene, sizeInPoints: Bool = false, metadata: FigureMetadata? = nil) -> String {
        func length(_ pixels: Int) -> String {
            sizeInPoints ? NumberFormatting.coordinate(Double(pixels) * Figure.pointsPerPixel) + "pt" : "\(pixels)"
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        if let metadata { out += metadata.svgComment }
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(length(scene.width))\" height=\"\(length(scene.height))\""
        out += " viewBox=\"0 0 \(scene.width) \(scene.height)\" font-family=\"Helvetica, Arial, Liberation Sans, Nimbus Sans, DejaVu Sans, sans-serif\">\n"
        var clipCount = 0
        for group in scene.groups where !group.items.isEmpty {
            if let clip = group.clip {
                clipCount += 1
                out += "<clipPath id=\"clip\(clipCount)\"><rect\(rectAttributes(clip))/></clipPath>\n"
                out += "<g clip-path=\"url(#clip\(clipCount))\">\n"
            } else {
                out += "<g>\n"
            }
            write(group.items, into: &out)
            out += "</g>\n"
        }
        out += "</svg>\n"
        return out
    }

    private static func write(_ items: [SceneItem], into out: inout String) {
        var openStroke: Stroke?
        func closeStrokeGroup() {
            if openStroke != nil { out += "</g>\n" }
            openStroke = nil
        }
        for item in items {
            if case let .polyline(points, stroke) = item {
                if openStroke != stroke {
                    closeStrokeGroup()
                    out += "<g fill=\"none\"\(strokeAttributes(stroke)) stroke-linejoin=\"round\" stroke-linecap=\"round\">\n"
                    openStroke = stroke
                }
                out += "<polyline points=\"\(pointList(points))\"/>\n"
                continue
            }
            closeStrokeGroup()
            out += element(item) + "\n"
        }
        closeStrokeGroup()
    }

    private static func element(_ item: SceneItem) -> String {
        switch item {
        case let .polyline(points, stroke):
            return "<polyline points=\"\(pointList(points))\" fill=\"none\"\(strokeAttributes(stroke))/>"
        case let .polygon(rings, fill, opacity, stroke):
            let path = rings.map { "M" + pointList($0) + "Z" }.joined()
            return "<path d=\"\(path)\" fill-rule=\"evenodd\"\(fillAttributes(fill, opacity))\(stroke.map(strokeAttributes) ?? "")/>"
        case let .rectangle(rect, fill, opacity, crisp):
            return "<rect\(rectAttributes(rect))\(fillAttributes(fill, opacity))\(crisp ? " shape-rendering=\"crispEdges\"" : "")/>"
        case let .circle(center, radius, fill, opacity, stroke):
            let fillText = fill.map { fillAttributes($0, opacity) } ?? " fill=\"none\""
            return "<circle cx=\"\(number(center.x))\" cy=\"\(number(center.y))\" r=\"\(number(radius))\"\(fillText)\(stroke.map(strokeAttributes) ?? "")/>"
        case let .text(text):
            var attributes = " x=\"\(number(text.position.x))\" y=\"\(number(text.position.y))\" font-size=\"\(number(text.size))\""
            switch text.anchor {
            case .start: break
            case .middle: attributes += " text-anchor=\"middle\""
            case .end: attributes += " text-anchor=\"end\""
            }
            if text.color != .black { attributes += " fill=\"\(text.color.hexString)\"" }
            if text.bold { attributes += " font-weight=\"bold\"" }
            if text.rotation != 0 {
                attributes += " transform=\"rotate(\(number(text.rotation)) \(number(text.position.x)) \(number(text.position.y)))\""
            }
            return "<text\(attributes)>\(escaped(text.text))</text>"
        }
    }

    private static func number(_ value: Double) -> String { NumberFormatting.coordinate(value) }

    private static func pointList(_ points: [PixelPoint]) -> String {
        points.map { number($0.x) + "," + number($0.y) }.joined(separator: " ")
    }

    private static func rectAttributes(_ rect: PixelRect) -> String {
        " x=\"\(number(rect.x))\" y=\"\(number(rect.y))\" width=\"\(number(rect.width))\" height=\"\(number(rect.height))\""
    }

    private static func fillAttributes(_ color: Color, _ opacity: Double) -> String {
        " fill=\"\(color.hexString)\"" + (opacity < 1 ? " fill-opacity=\"\(NumberFormatting.fraction(max(opacity, 0)))\"" : "")
    }

    private static func strokeAttributes(_ stroke: Stroke) -> String {
        var text = " stroke=\"\(stroke.color.hexString)\" stroke-width=\"\(number(stroke.width))\""
        if stroke.opacity < 1 { text += " stroke-opacity=\"\(NumberFormatting.fraction(max(stroke.opacity, 0)))\"" }
        if !stroke.dash.isEmpty { text += " stroke-dasharray=\"\(stroke.dash.map(number).joined(separator: " "))\"" }
        return text
    }

    /// `text` with XML special characters escaped and characters that XML 1.0 forbids removed.
    static func escaped(_ text: String) -> String { XMLText.escaped(text, keepingLineBreaks: false) }
}
