/// An RGB canvas of floating-point pixels (0...1) with anti-aliased drawing for the raster renderer.
///
/// Coverage is computed per pixel from the geometry (distance to a segment or circle, 4 sub-scanlines
/// for polygons), so output depends only on the scene: equal scenes give identical bytes.
struct Raster {
    let width: Int
    let height: Int
    private(set) var pixels: [Float]
    /// Per-pixel coverage of the stroke being drawn, so overlapping segments of one polyline blend once.
    private var coverage: [Float]
    private var touched: [Int] = []

    init(width: Int, height: Int, background: Color = .white) {
        self.width = width
        self.height = height
        let (r, g, b) = (Float(background.red), Float(background.green), Float(background.blue))
        pixels = Array((0..<(width * height)).map { _ in [r, g, b] }.joined())
        coverage = Array(repeating: 0, count: width * height)
    }

    /// Integer pixel bounds `(x0, y0, x1, y1)` (exclusive upper) of `rect` within the canvas.
    private func pixelBounds(_ rect: PixelRect, clip: PixelRect?) -> (Int, Int, Int, Int) {
        var bounds = rect
        if let clip {
            let x0 = max(bounds.x, clip.x), y0 = max(bounds.y, clip.y)
            bounds = PixelRect(x: x0, y: y0, width: min(bounds.maxX, clip.maxX) - x0, height: min(bounds.maxY, clip.maxY) - y0)
        }
        guard bounds.width > 0, bounds.height > 0, bounds.x.isFinite, bounds.y.isFinite,
              bounds.maxX.isFinite, bounds.maxY.isFinite else { return (0, 0, 0, 0) }
        return (max(Int(bounds.x.rounded(.down)), 0), max(Int(bounds.y.rounded(.down)), 0),
                min(Int(bounds.maxX.rounded(.up)), width), min(Int(bounds.maxY.rounded(.up)), height))
    }

    mutating func blend(_ index: Int, _ color: Color, alpha: Float) {
        guard alpha > 0 else { return }
        let a = min(alpha, 1)
        let base = index * 3
        pixels[base] += (Float(color.red) - pixels[base]) * a
        pixels[base + 1] += (Float(color.green) - pixels[base + 1]) * a
        pixels[base + 2] += (Float(color.blue) - pixels[base + 2]) * a
    }

    private mutating func accumulate(_ index: Int, _ value: Float) {
        if coverage[index] == 0 { touched.append(index) }
        coverage[index] = max(coverage[index], min(value, 1))
    }

    private mutating func flushCoverage(_ color: Color, opacity: Double) {
        let alpha = Float(opacity)
        for index in touched {
            blend(index, color, alpha: coverage[index] * alpha)
            coverage[index] = 0
        }
        touched.removeAll(keepingCapacity: true)
    }

    /// A polyline with round joins; dashes split it into pieces first.
    mutating func stroke(_ points: [PixelPoint], _ stroke: Stroke, clip: PixelRect?) {
        let halfWidth = max(stroke.width, 1) / 2, thinness = Float(min(stroke.width, 1))
        for piece in Raster.dashed(points, pattern: stroke.dash) {
            for (a, b) in zip(piece, piece.dropFirst()) {
                let box = PixelRect(x: min(a.x, b.x) - halfWidth - 1, y: min(a.y, b.y) - halfWidth - 1,
                                    width: abs(b.x - a.x) + 2 * halfWidth + 2, height: abs(b.y - a.y) + 2 * halfWidth + 2)
                let (x0, y0, x1, y1) = pixelBounds(box, clip: clip)
                guard x0 < x1, y0 < y1 else { continue }
                for y in y0..<y1 {
                    for x in x0..<x1 {
                        let center = PixelPoint(x: Double(x) + 0.5, y: Double(y) + 0.5)
                        let distance = PolylineSimplification.distanceToSegment(center, a, b)
                        let value = Float(min(max(halfWidth + 0.5 - distance, 0), 1)) * thinness
                        if value > 0 { accumulate(y * width + x, value) }
                    }
                }
            }
        }
        flushCoverage(stroke.color, opacity: stroke.opacity)
    }

    /// `points` cut into the "on" pieces of a dash pattern (the whole line when there is no pattern).
    static func dashed(_ points: [PixelPoint], pattern: [Double]) -> [[PixelPoint]] {
        guard !pattern.isEmpty, pattern.reduce(0, +) > 0, points.count >= 2 else { return [points] }
        var pieces: [[PixelPoint]] = []
        var current: [PixelPoint] = [points[0]]
        var patternIndex = 0, remaining = pattern[0], drawing = true
        for (a, b) in zip(points, points.dropFirst()) {
            var start = a
            var length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            while length > remaining {
                let t = remaining / length
                let cut = PixelPoint(x: start.x + (b.x - start.x) * t, y: start.y + (b.y - start.y) * t)
                if drawing { pieces.append(current + [cut]) }
                current = [cut]
                length -= remaining
                start = cut
                drawing.toggle()
                patternIndex = (patternIndex + 1) % pattern.count
                remaining = pattern[patternIndex]
            }
            remaining -= length
            current.append(b)
        }
        if drawing, current.count >= 2 { pieces.append(current) }
        return pieces
    }

    /// Rings filled with the even-odd rule; edges anti-aliased with 4 sub-scanlines per pixel row.
    mutating func fill(rings: [[PixelPoint]], color: Color, opacity: Double, clip: PixelRect?) {
        let edges = rings.flatMap { ring in zip(ring, ring.dropFirst() + ring.prefix(1)).filter { $0.y != $1.y } }
        guard let minY = edges.map({ min($0.0.y, $0.1.y) }).min(), let maxY = edges.map({ max($0.0.y, $0.1.y) }).max(),
              let minX = edges.map({ min($0.0.x, $0.1.x) }).min(), let maxX = edges.map({ max($0.0.x, $0.1.x) }).max() else { return }
        let (x0, y0, x1, y1) = pixelBounds(PixelRect(x: minX, y: minY, width: maxX - minX, height: maxY - minY), clip: clip)
        guard x0 < x1, y0 < y1 else { return }
        let sorted = edges.sorted { min($0.0.y, $0.1.y) < min($1.0.y, $1.1.y) }
        var nextEdge = 0
        var active: [(PixelPoint, PixelPoint)] = []
        var row = [Float](repeating: 0, count: width)
        for y in y0..<y1 {
            for sub in 0..<4 {
                let sampleY = Double(y) + (Double(sub) + 0.5) / 4
                while nextEdge < sorted.count, min(sorted[nextEdge].0.y, sorted[nextEdge].1.y) <= sampleY {
                    active.append(sorted[nextEdge])
                    nextEdge += 1
                }
                active.removeAll { max($0.0.y, $0.1.y) <= sampleY }
                let crossings = active.filter { min($0.0.y, $0.1.y) <= sampleY }.map { a, b in
                    a.x + (sampleY - a.y) * (b.x - a.x) / (b.y - a.y)
                }.sorted()
                var index = 0
                while index + 1 < crossings.count {
                    let left = max(crossings[index], Double(x0)), right = min(crossings[index + 1], Double(x1))
                    index += 2
                    guard left < right else { continue }
                    for x in Int(left.rounded(.down))..<min(Int(right.rounded(.up)), x1) {
                        let overlap = min(right, Double(x + 1)) - max(left, Double(x))
                        if overlap > 0 { row[x] += Float(overlap) / 4 }
                    }
                }
            }
            for x in x0..<x1 where row[x] > 0 {
                blend(y * width + x, color, alpha: min(row[x], 1) * Float(opacity))
                row[x] = 0
            }
        }
    }

    /// An axis-aligned rectangle: exact area coverage, or whole pixels (by pixel centre) when `crisp`.
    mutating func fill(rect: PixelRect, color: Color, opacity: Double, crisp: Bool, clip: PixelRect?) {
        let target = crisp
            ? PixelRect(x: rect.x.rounded(), y: rect.y.rounded(), width: rect.maxX.rounded() - rect.x.rounded(), height: rect.maxY.rounded() - rect.y.rounded())
            : rect
        let (x0, y0, x1, y1) = pixelBounds(target, clip: clip)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            let vertical = min(target.maxY, Double(y + 1)) - max(target.y, Double(y))
            for x in x0..<x1 {
                let horizontal = min(target.maxX, Double(x + 1)) - max(target.x, Double(x))
                blend(y * width + x, color, alpha: Float(max(vertical, 0) * max(horizontal, 0) * opacity))
            }
        }
    }

    /// A disc (when `fill` is set) and/or a ring stroke, anti-aliased by distance to the centre.
    mutating func circle(center: PixelPoint, radius: Double, fill: Color?, opacity: Double, stroke: Stroke?, clip: PixelRect?) {
        let reach = radius + (stroke?.width ?? 0) / 2 + 1
        let (x0, y0, x1, y1) = pixelBounds(PixelRect(x: center.x - reach, y: center.y - reach, width: 2 * reach, height: 2 * reach), clip: clip)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 {
                let dx = Double(x) + 0.5 - center.x, dy = Double(y) + 0.5 - center.y
                let distance = (dx * dx + dy * dy).squareRoot()
                if let fill { blend(y * width + x, fill, alpha: Float(min(max(radius + 0.5 - distance, 0), 1) * opacity)) }
                if let stroke {
                    let ring = min(max(max(stroke.width, 1) / 2 + 0.5 - abs(distance - radius), 0), 1) * min(stroke.width, 1)
                    blend(y * width + x, stroke.color, alpha: Float(ring * stroke.opacity))
                }
            }
        }
    }

    /// The pixels as 8-bit RGB, row by row from the top (components rounded to nearest).
    var rgbBytes: [UInt8] {
        pixels.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
    }

    /// Binary PPM (P6): the header `P6\n<width> <height>\n255\n` then `width * height * 3` bytes.
    var ppmBytes: [UInt8] {
        Array("P6\n\(width) \(height)\n255\n".utf8) + rgbBytes
    }

    /// PNG, 8-bit RGB, with `metadata` (if any) in a tEXt chunk.
    func pngBytes(metadata: FigureMetadata? = nil) -> [UInt8] {
        PNGEncoder.encode(width: width, height: height, rgb: rgbBytes, metadata: metadata)
    }
}
