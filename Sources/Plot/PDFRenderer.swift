import Foundation

/// Writes a scene as a one-page PDF 1.4 document.
///
/// The content stream works in scene pixels: it starts with a transformation that scales by
/// `pointsPerPixel` and flips y, so the page is `width * pointsPerPixel` points wide. Lines,
/// polygons (even-odd), rectangles and circles (four Bézier arcs, radius error below 0.03%) are
/// vector paths with SVG's stroke conventions (round caps and joins on polylines, dashes in pixels);
/// opacities below 1 use ExtGState dictionaries (/CA for strokes, /ca for fills). Text uses the
/// base-14 fonts Helvetica / Helvetica-Bold (WinAnsiEncoding) and Symbol, switched mid-string by
/// `TextShaping`, and is anchored with the AFM widths like SVG's text-anchor. Opaque crisp
/// rectangles (heatmap cells, colourbar blocks) are grown by 0.4 px to the right and bottom so
/// anti-aliasing viewers show no seams between neighbours. The content stream is deflate
/// compressed. Deterministic: equal scenes give identical bytes.
enum PDFRenderer {
    static let seamOverlap = 0.4

    /// `metadata`, when given, adds /Creator to the /Info dictionary, the last object of the file: every
    /// other object, and so the page and its content stream, is the same bytes at the same offsets.
    static func render(_ scene: Scene, pointsPerPixel: Double, metadata: FigureMetadata? = nil) -> [UInt8] {
        var content = PDFContent()
        let scale = NumberFormatting.trimmed(pointsPerPixel, decimals: 6), pageHeight = Double(scene.height) * pointsPerPixel
        content.line("\(scale) 0 0 -\(scale) 0 \(number(pageHeight)) cm")
        for group in scene.groups where !group.items.isEmpty {
            if let clip = group.clip {
                content.line("q")
                content.line("\(rectangleOperands(clip)) re W n")
            }
            for item in group.items { content.draw(item) }
            if group.clip != nil {
                content.line("Q")
                content.forgetState()
            }
        }
        var document = PDFDocument()
        let catalog = document.add("<< /Type /Catalog /Pages 2 0 R >>")
        document.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        let mediaBox = "[0 0 \(number(Double(scene.width) * pointsPerPixel)) \(number(pageHeight))]"
        document.add("<< /Type /Page /Parent 2 0 R /MediaBox \(mediaBox) /Resources 4 0 R /Contents 5 0 R >>")
        let fontNumbers = StandardFont.allCases.indices.map { 6 + $0 }
        let fonts = zip(StandardFont.allCases, fontNumbers).map { font, object in "/\(fontResourceName(font)) \(object) 0 R" }
        let states = content.opacityStates.enumerated().map { index, state in
            "/G\(index) << /Type /ExtGState /CA \(NumberFormatting.fraction(state.stroke)) /ca \(NumberFormatting.fraction(state.fill)) >>"
        }
        document.add("<< /ProcSet [/PDF /Text] /Font << \(fonts.joined(separator: " ")) >> /ExtGState << \(states.joined(separator: " ")) >> >>")
        document.addStream(dictionary: "/Filter /FlateDecode", Zlib.compress(Array(content.text.utf8)))
        for font in StandardFont.allCases {
            let encoding = font == .symbol ? "" : " /Encoding /WinAnsiEncoding"
            document.add("<< /Type /Font /Subtype /Type1 /BaseFont /\(font.baseFontName)\(encoding) >>")
        }
        let info = document.add("<< /Producer (toy-w2sd Plot)\(metadata.map { " " + $0.pdfInfoEntry } ?? "") >>")
        return document.bytes(root: catalog, info: info)
    }

    static func fontResourceName(_ font: StandardFont) -> String { "F\(font.rawValue + 1)" }

    static func number(_ value: Double) -> String { NumberFormatting.coordinate(value) }

    static func rectangleOperands(_ rect: PixelRect) -> String {
        "\(number(rect.x)) \(number(rect.y)) \(number(rect.width)) \(number(rect.height))"
    }
}

/// The content stream being written, with the graphics state it last set (so unchanged colours,
/// widths, dashes and opacities are not repeated).
struct PDFContent {
    struct OpacityState: Equatable {
        var stroke: Double
        var fill: Double
    }

    private(set) var text = ""
    /// Distinct opacity pairs in order of first use; state `i` is resource `/Gi`.
    private(set) var opacityStates: [OpacityState] = []
    private var strokeColor: Color?, fillColor: Color?, lineWidth: Double?, dash: [Double]?, roundEnds: Bool?, opacity: OpacityState?

    mutating func line(_ operators: String) { text += operators + "\n" }

    /// After `Q` the graphics state is the one saved by `q`: nothing is known any more.
    mutating func forgetState() {
        strokeColor = nil
        fillColor = nil
        lineWidth = nil
        dash = nil
        roundEnds = nil
        opacity = nil
    }

    mutating func draw(_ item: SceneItem) {
        switch item {
        case let .polyline(points, stroke):
            guard points.count >= 2, stroke.width > 0 else { return }
            setStroke(stroke, roundEnds: true)
            setOpacity(stroke: stroke.opacity, fill: opacity?.fill ?? 1)
            line(path(points, closed: false) + " S")
        case let .polygon(rings, fill, fillOpacity, stroke):
            let drawn = rings.filter { $0.count >= 3 }
            guard !drawn.isEmpty else { return }
            setFill(fill)
            let strokes = stroke.map { $0.width > 0 } ?? false
            if let stroke, strokes { setStroke(stroke, roundEnds: false) }
            setOpacity(stroke: strokes ? stroke?.opacity ?? 1 : opacity?.stroke ?? 1, fill: fillOpacity)
            line(drawn.map { path($0, closed: true) }.joined(separator: " ") + (strokes ? " B*" : " f*"))
        case let .rectangle(rect, fill, fillOpacity, crisp):
            var drawn = rect
            if crisp, fillOpacity >= 1 {
                drawn.width += PDFRenderer.seamOverlap
                drawn.height += PDFRenderer.seamOverlap
            }
            setFill(fill)
            setOpacity(stroke: opacity?.stroke ?? 1, fill: fillOpacity)
            line(PDFRenderer.rectangleOperands(drawn) + " re f")
        case let .circle(center, radius, fill, fillOpacity, stroke):
            guard radius > 0 else { return }
            let strokes = stroke.map { $0.width > 0 } ?? false
            guard fill != nil || strokes else { return }
            if let fill { setFill(fill) }
            if let stroke, strokes { setStroke(stroke, roundEnds: false) }
            setOpacity(stroke: strokes ? stroke?.opacity ?? 1 : opacity?.stroke ?? 1, fill: fill == nil ? opacity?.fill ?? 1 : fillOpacity)
            line(circlePath(center: center, radius: radius) + (fill == nil ? " S" : strokes ? " B" : " f"))
        case let .text(sceneText):
            drawText(sceneText)
        }
    }

    private mutating func drawText(_ sceneText: SceneText) {
        let glyphs = TextShaping.glyphs(sceneText.text, bold: sceneText.bold, size: sceneText.size)
        guard !glyphs.isEmpty, sceneText.size > 0 else { return }
        setFill(sceneText.color)
        setOpacity(stroke: opacity?.stroke ?? 1, fill: 1)
        let width = glyphs.reduce(0) { $0 + $1.advance } * sceneText.size
        let shift: Double
        switch sceneText.anchor {
        case .start: shift = 0
        case .middle: shift = width / 2
        case .end: shift = width
        }
        let angle = sceneText.rotation * .pi / 180
        let (cosine, sine) = (Self.snapped(cos(angle)), Self.snapped(sin(angle)))
        let x = sceneText.position.x - shift * cosine, y = sceneText.position.y - shift * sine
        // Glyph space (y up) to scene pixels (y down): flip, then rotate as SVG does.
        let matrix = [cosine, sine, sine, -cosine, x, y].map(PDFRenderer.number).joined(separator: " ")
        var operators = "BT \(matrix) Tm"
        var currentRun: (font: StandardFont, scale: Double, rise: Double)?
        var codes: [UInt8] = []
        func flush() {
            if !codes.isEmpty { operators += " " + PDFDocument.literalString(codes) + " Tj" }
            codes = []
        }
        for glyph in glyphs {
            if currentRun.map({ $0.font != glyph.font || $0.scale != glyph.scale || $0.rise != glyph.rise }) ?? true {
                flush()
                if currentRun.map({ $0.font != glyph.font || $0.scale != glyph.scale }) ?? true {
                    operators += " /\(PDFRenderer.fontResourceName(glyph.font)) \(PDFRenderer.number(sceneText.size * glyph.scale)) Tf"
                }
                if glyph.rise != (currentRun?.rise ?? 0) {
                    operators += " \(PDFRenderer.number(glyph.rise * sceneText.size)) Ts"
                }
                currentRun = (glyph.font, glyph.scale, glyph.rise)
            }
            codes.append(glyph.code)
        }
        flush()
        line(operators + " ET")
    }

    /// `value` with rounding noise of quarter turns removed (cos 90° is 6e-17, not 0).
    private static func snapped(_ value: Double) -> Double {
        abs(value) < 1e-12 ? 0 : abs(abs(value) - 1) < 1e-12 ? (value > 0 ? 1 : -1) : value
    }

    private mutating func setStroke(_ stroke: Stroke, roundEnds round: Bool) {
        if strokeColor != stroke.color {
            line(Self.colorOperands(stroke.color) + " RG")
            strokeColor = stroke.color
        }
        if lineWidth != stroke.width {
            line(PDFRenderer.number(stroke.width) + " w")
            lineWidth = stroke.width
        }
        let pattern = stroke.dash.allSatisfy { $0 >= 0 } && stroke.dash.contains { $0 > 0 } ? stroke.dash : []
        if dash != pattern {
            line("[" + pattern.map(PDFRenderer.number).joined(separator: " ") + "] 0 d")
            dash = pattern
        }
        if roundEnds != round {
            line(round ? "1 J 1 j" : "0 J 0 j")
            roundEnds = round
        }
    }

    private mutating func setFill(_ color: Color) {
        if fillColor != color {
            line(Self.colorOperands(color) + " rg")
            fillColor = color
        }
    }

    private mutating func setOpacity(stroke: Double, fill: Double) {
        let state = OpacityState(stroke: Self.clampedOpacity(stroke), fill: Self.clampedOpacity(fill))
        guard opacity != state else { return }
        // The initial state is opaque: no dictionary is needed until something is translucent.
        if opacity == nil, state == OpacityState(stroke: 1, fill: 1), opacityStates.isEmpty {
            opacity = state
            return
        }
        let index = opacityStates.firstIndex(of: state) ?? opacityStates.count
        if index == opacityStates.count { opacityStates.append(state) }
        line("/G\(index) gs")
        opacity = state
    }

    /// Opacity at the 3 decimals written, within 0...1 (NaN as 0).
    private static func clampedOpacity(_ value: Double) -> Double {
        value.isNaN ? 0 : (min(max(value, 0), 1) * 1000).rounded() / 1000
    }

    private static func colorOperands(_ color: Color) -> String {
        [color.red, color.green, color.blue].map(NumberFormatting.fraction).joined(separator: " ")
    }

    private func path(_ points: [PixelPoint], closed: Bool) -> String {
        var parts = ["\(PDFRenderer.number(points[0].x)) \(PDFRenderer.number(points[0].y)) m"]
        for point in points.dropFirst() {
            parts.append("\(PDFRenderer.number(point.x)) \(PDFRenderer.number(point.y)) l")
        }
        if closed { parts.append("h") }
        return parts.joined(separator: " ")
    }

    /// A circle as four cubic Bézier quarter arcs with the standard control distance
    /// 4/3 (sqrt 2 - 1) r, whose radius deviates from r by at most 0.027%.
    private func circlePath(center: PixelPoint, radius: Double) -> String {
        let k = 4.0 / 3.0 * (2.0.squareRoot() - 1) * radius
        let (x, y, r) = (center.x, center.y, radius)
        let n = PDFRenderer.number
        return "\(n(x + r)) \(n(y)) m "
            + "\(n(x + r)) \(n(y + k)) \(n(x + k)) \(n(y + r)) \(n(x)) \(n(y + r)) c "
            + "\(n(x - k)) \(n(y + r)) \(n(x - r)) \(n(y + k)) \(n(x - r)) \(n(y)) c "
            + "\(n(x - r)) \(n(y - k)) \(n(x - k)) \(n(y - r)) \(n(x)) \(n(y - r)) c "
            + "\(n(x + k)) \(n(y - r)) \(n(x + r)) \(n(y - k)) \(n(x + r)) \(n(y)) c h"
    }
}
