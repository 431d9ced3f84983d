import Foundation
import Testing
import TestSupport
@testable import Plot

/// A random figure as plain data, so a failing one can be shrunk (fewer panels, fewer marks, fewer
/// points, finite rounded values) and printed.
struct FigureCase: CustomStringConvertible {
    struct MarkCase {
        var kind: Int
        var xs: [Double]
        var ys: [Double]
        var title: String
        var flag: Bool
    }

    var title: String
    var width: Int
    var height: Int
    var ppmWidth: Int
    var ppmHeight: Int
    var logX: Bool
    var panels: [[MarkCase]]

    static let titles = ["", "x", "a < b & c > d", "\"q\" 'a'", "Größe µ σ² — 漢字 🎲", "]]> <!-- --", "tab\tcontrol\u{1}\u{7F}",
                         String(repeating: "long ", count: 60), "\u{FFFE}\u{D7FF}"]

    /// NaN, infinities, huge, tiny, zero or ordinary values.
    static func value(_ rng: inout PropertyGenerator) -> Double {
        switch Draw.integer(0...19, &rng) {
        case 0: return .nan
        case 1: return .infinity
        case 2: return -.infinity
        case 3: return Draw.bool(&rng) ? 1e300 : -1e300
        case 4: return Draw.logUniform(1e-300, 1e-10, &rng)
        case 5: return 0
        default: return Draw.uniform(-1, 1, &rng) * pow(10, Double(Draw.integer(-3...4, &rng)))
        }
    }

    static func draw(_ rng: inout PropertyGenerator) -> FigureCase {
        let rows = Draw.integer(1...2, &rng), columns = Draw.integer(1...3, &rng)
        let panels = (0..<(rows * columns)).map { _ in
            (0..<Draw.integer(0...4, &rng)).map { _ -> MarkCase in
                let n = Draw.integer(0...30, &rng)
                return MarkCase(kind: Draw.integer(0...12, &rng), xs: (0..<n).map { _ in value(&rng) }, ys: (0..<n).map { _ in value(&rng) },
                                title: Draw.element(titles, &rng), flag: Draw.bool(&rng))
            }
        }
        return FigureCase(title: Draw.element(titles, &rng), width: Draw.integer(1...1600, &rng), height: Draw.integer(1...1000, &rng),
                          ppmWidth: Draw.integer(1...120, &rng), ppmHeight: Draw.integer(1...90, &rng),
                          logX: Draw.integer(0...3, &rng) == 0, panels: panels)
    }

    var shrinks: [FigureCase] {
        var out: [FigureCase] = []
        for p in panels.indices where panels.count > 1 { var c = self; c.panels.remove(at: p); out.append(c) }
        for p in panels.indices { for m in panels[p].indices { var c = self; c.panels[p].remove(at: m); out.append(c) } }
        for p in panels.indices { for m in panels[p].indices where panels[p][m].xs.count > 1 {
            var c = self
            let half = panels[p][m].xs.count / 2
            c.panels[p][m].xs = Array(c.panels[p][m].xs.prefix(half)); c.panels[p][m].ys = Array(c.panels[p][m].ys.prefix(half))
            out.append(c)
        } }
        if logX { var c = self; c.logX = false; out.append(c) }
        if !title.isEmpty { var c = self; c.title = ""; out.append(c) }
        return out
    }

    var figure: Figure {
        let built = panels.map { marks -> Panel in
            var panel = Panel(title: title, xAxis: Axis(label: title, scale: logX ? .log : .linear), yAxis: Axis(label: title),
                              equalAspect: marks.count % 2 == 1)
            for m in marks {
                let color = Color.categorical(m.kind)
                let finite = m.xs.filter(\.isFinite)
                let grid = Grid2D(x: (0..<5).map(Double.init), y: (0..<4).map(Double.init),
                                  z: (0..<20).map { m.ys.isEmpty ? Double($0) : m.ys[$0 % m.ys.count] })
                let mark: Mark
                switch m.kind {
                case 0: mark = .lines(Lines(x: m.xs, y: m.ys, style: LineStyle(color: color, opacity: 0.5), label: m.title))
                case 1: mark = .scatter(Scatter(x: m.xs, y: m.ys, shape: m.flag ? .cross : .circle, color: color, label: m.title))
                case 2: mark = .histogram(HistogramMark(histogram: Histogram(values: m.xs, binCount: 1 + m.ys.count), style: m.flag ? .bars : .step,
                                                        densityNormalized: m.flag, color: color, label: m.title))
                case 3: mark = .band(Band(x: m.xs.sorted(), lower: m.ys, upper: m.ys.map { $0 + 1 }, color: color, label: m.title))
                case 4: mark = .contour(Contour(grid: grid, levels: m.flag ? .automatic(count: 5) : .values(finite), label: m.title))
                case 5: mark = .filledContour(FilledContour(grid: grid, colorbarLabel: m.title))
                case 6: mark = .heatmap(Heatmap(grid: grid, colorbarLabel: m.title))
                case 7: mark = .quiver(Quiver(x: m.xs, y: m.ys, u: m.ys, v: m.xs, color: color, label: m.title))
                case 8: mark = .text(TextAnnotation(m.title, x: m.xs.first ?? 0, y: m.ys.first ?? 0))
                case 9: mark = .referenceLine(ReferenceLine(m.flag ? .horizontal : .vertical, at: m.xs.first ?? .nan, label: m.title))
                case 10: mark = .span(Span(.vertical, from: m.xs.first ?? 0, to: m.ys.first ?? 1, color: color, label: m.title))
                case 11: mark = .lines(Lines(x: m.xs, ys: [m.ys, m.ys.reversed()], style: LineStyle(color: color), label: m.title))
                default: mark = .scatter(Scatter(x: m.xs, y: Array(m.ys.dropLast()), color: color)) // mismatched lengths: an error
                }
                panel.add(mark)
            }
            return panel
        }
        let columns = max(1, min(3, built.count))
        return Figure(title: title, width: width, height: height, rows: (built.count + columns - 1) / columns, columns: columns, panels: built)
    }

    var description: String {
        "\(width) x \(height), ppm \(ppmWidth) x \(ppmHeight), log x \(logX), title \(title.debugDescription), panels "
            + panels.map { "[" + $0.map { "kind \($0.kind) n \($0.xs.count) xs \($0.xs) ys \($0.ys)" }.joined(separator: "; ") + "]" }.joined(separator: " ")
    }
}

/// Property tests of Plot (see Tests/README.md).
@Suite struct PlotPropertyTests {
    /// Any figure (random sizes, marks, non-finite and extreme data, hostile text) either renders or
    /// throws a typed PlotError; a rendered SVG is well-formed XML with no NaN or infinity written, and
    /// the PPM has its header and exactly width x height x 3 pixel bytes.
    @Test func randomFiguresGiveParseableSVGOrATypedError() {
        let failures = Property.check("random figures: parseable SVG, exact PPM",
                                      generate: FigureCase.draw, shrink: \.shrinks) { c in
            let figure = c.figure
            let svg: String
            do { svg = try figure.svg() } catch { return c.panels.joined().contains { $0.kind == 12 } ? nil : "threw \(error)" }
            guard isWellFormedXML(svg) else { return "SVG does not parse" }
            let lower = svg.lowercased()
            guard !lower.contains("nan"), !lower.contains("inf") else { return "non-finite number written" }
            let bytes = try figure.ppm(width: c.ppmWidth, height: c.ppmHeight)
            let header = Array("P6\n\(c.ppmWidth) \(c.ppmHeight)\n255\n".utf8)
            guard Array(bytes.prefix(header.count)) == header, bytes.count == header.count + 3 * c.ppmWidth * c.ppmHeight else { return "PPM size \(bytes.count)" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// A random smooth field (2 to 5 bumps on a random increasing grid, some cells missing) and level:
    /// every contour point lies on a grid edge where the linear interpolation of z equals the level; with
    /// no missing cells, open paths end on the grid boundary; after framing (what filled contours draw),
    /// every path is closed.
    @Test func contoursLieOnTheLevelAndClose() {
        let failures = Property.check("contours on the level, closed when framed", generate: { rng -> (Grid2D, Double, Bool) in
            func axis(_ rng: inout PropertyGenerator) -> [Double] {
                var v = [Draw.uniform(-5, 0, &rng)]
                for _ in 0..<Draw.integer(2...24, &rng) { v.append(v.last! + Draw.logUniform(1e-3, 2, &rng)) }
                return v
            }
            let x = axis(&rng), y = axis(&rng)
            let bumps = (0..<Draw.integer(2...5, &rng)).map { _ in (Draw.uniform(-5, 10, &rng), Draw.uniform(-5, 10, &rng), Draw.uniform(-1, 1, &rng), Draw.logUniform(0.3, 5, &rng)) }
            let holes = Draw.bool(&rng, probability: 0.3)
            var grid = Grid2D(x: x, y: y) { px, py in bumps.reduce(0) { $0 + $1.2 * exp(-((px - $1.0) * (px - $1.0) + (py - $1.1) * (py - $1.1)) / $1.3) } }
            if holes { for _ in 0..<3 { grid.z[Draw.integer(0...(grid.z.count - 1), &rng)] = .nan } }
            let range = grid.valueRange!
            return (grid, Draw.uniform(range.lowerBound, range.upperBound, &rng), holes)
        }) { c in
            let (grid, level, holes) = c
            let scale = max(abs(grid.valueRange!.lowerBound), abs(grid.valueRange!.upperBound), 1e-300)
            for path in grid.contourPaths(level: level) {
                for p in path.points {
                    // The edge the point lies on: a grid column (vertical edge) or row (horizontal edge).
                    if let column = grid.x.firstIndex(of: p.x), let row = grid.y.lastIndex(where: { $0 <= p.y }) {
                        let r2 = min(row + 1, grid.y.count - 1)
                        let (a, b) = (grid.value(column: column, row: row), grid.value(column: column, row: r2))
                        let t = r2 == row ? 0 : (p.y - grid.y[row]) / (grid.y[r2] - grid.y[row])
                        let z = a + (b - a) * t
                        if abs(z - level) <= 1e-9 * scale { continue }
                    }
                    if let row = grid.y.firstIndex(of: p.y), let column = grid.x.lastIndex(where: { $0 <= p.x }) {
                        let c2 = min(column + 1, grid.x.count - 1)
                        let (a, b) = (grid.value(column: column, row: row), grid.value(column: c2, row: row))
                        let t = c2 == column ? 0 : (p.x - grid.x[column]) / (grid.x[c2] - grid.x[column])
                        let z = a + (b - a) * t
                        if abs(z - level) <= 1e-9 * scale { continue }
                    }
                    return "point \(p) is not on a grid edge at the level \(level)"
                }
                if !holes && !path.isClosed {
                    for end in [path.points.first!, path.points.last!] {
                        let onBoundary = end.x == grid.x.first! || end.x == grid.x.last! || end.y == grid.y.first! || end.y == grid.y.last!
                        if !onBoundary { return "open path ends inside at \(end)" }
                    }
                }
            }
            guard let (framed, floor) = grid.closedForFilling(), level > floor else { return "framing failed" }
            let framedPaths = framed.contourPaths(level: level)
            return framedPaths.allSatisfy(\.isClosed) ? nil : "\(framedPaths.filter { !$0.isClosed }.count) open paths after framing"
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Log-axis ticks for any positive range (1e-300 ... 1e300, narrow or wide, reversed or not) strictly
    /// increase, lie inside the range (1e-9 relative slack), have distinct labels, and number at most 10.
    @Test func logarithmicTicksIncreaseInsideTheRange() {
        let failures = Property.check("log ticks increase inside the range", generate: { rng -> (Double, Double, Int) in
            let a = Draw.logUniform(1e-300, 1e300, &rng)
            let b = Draw.bool(&rng) ? a * Draw.logUniform(1 + 1e-12, 1e40, &rng) : a / Draw.logUniform(1 + 1e-12, 10, &rng)
            return (a, b.isFinite && b > 0 ? b : a * 10, Draw.integer(1...12, &rng))
        }) { c in
            let (a, b, maxCount) = c
            let ticks = Ticks.logarithmic(lower: a, upper: b, maxCount: maxCount)
            let (lo, hi) = (min(a, b), max(a, b))
            let values = ticks.map(\.value)
            guard !ticks.isEmpty, ticks.count <= 10 else { return "\(ticks.count) ticks" }
            guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else { return "not increasing: \(values)" }
            guard values.allSatisfy({ $0 >= lo * (1 - 1e-9) && $0 <= hi * (1 + 1e-9) }) else { return "outside \(lo)...\(hi): \(values)" }
            guard Set(ticks.map(\.label)).count == ticks.count else { return "duplicate labels \(ticks.map(\.label))" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Histograms of any values (NaN, infinities, outside the range) over any bin count and range:
    /// counts plus dropped equal the input size, edges increase, and densities integrate to 1 when
    /// anything was counted.
    @Test func histogramsAccountForEveryValue() {
        let failures = Property.check("histogram accounting", generate: { rng -> ([Double], Int, ClosedRange<Double>?) in
            let values = (0..<Draw.integer(0...60, &rng)).map { _ in FigureCase.value(&rng) }
            let lo = Draw.uniform(-10, 10, &rng)
            return (values, Draw.integer(-2...50, &rng), Draw.bool(&rng) ? nil : lo...(lo + Draw.logUniform(1e-9, 100, &rng)))
        }) { c in
            let (values, bins, range) = c
            let h = Histogram(values: values, binCount: bins, range: range)
            guard h.total + h.droppedCount == values.count else { return "\(h.total) + \(h.droppedCount) != \(values.count)" }
            guard h.edges.count == h.counts.count + 1, zip(h.edges, h.edges.dropFirst()).allSatisfy({ $0 < $1 }) else { return "edges \(h.edges)" }
            if h.total > 0 {
                let integral = zip(h.densities, zip(h.edges, h.edges.dropFirst())).reduce(0) { $0 + $1.0 * ($1.1.1 - $1.1.0) }
                if abs(integral - 1) > 1e-9 { return "densities integrate to \(integral)" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Douglas-Peucker keeps both ends, keeps a subsequence of the input, and every dropped point lies
    /// within the 0.25 px tolerance of the simplified line.
    @Test func polylineSimplificationMovesTheLineLessThanItsTolerance() {
        let failures = Property.check("polyline simplification tolerance", generate: { rng -> [PixelPoint] in
            var p = PixelPoint(x: Draw.uniform(0, 500, &rng), y: Draw.uniform(0, 500, &rng))
            return (0..<Draw.integer(0...80, &rng)).map { _ in
                p.x += Draw.uniform(-1, 3, &rng) * (Draw.bool(&rng, probability: 0.1) ? 30 : 0.3)
                p.y += Draw.uniform(-1, 1, &rng) * (Draw.bool(&rng, probability: 0.1) ? 30 : 0.3)
                return p
            }
        }) { points in
            let simple = PolylineSimplification.simplified(points)
            guard simple.first == points.first, simple.last == points.last else { return "ends not kept" }
            var j = 0
            for p in simple { while j < points.count && points[j] != p { j += 1 }; if j == points.count { return "not a subsequence" } }
            for p in points {
                let distance = zip(simple, simple.dropFirst()).map { PolylineSimplification.distanceToSegment(p, $0, $1) }.min() ?? 0
                if distance >= PolylineSimplification.tolerance { return "point \(p) is \(distance) px from the simplified line" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Fixed-decimal formatting of any double: never "nan", "inf" or "-0"; for |value| < 1e15 it parses
    /// back to the value within half a unit in the last place written; colours of any colormap at any
    /// position (NaN, infinities included) have components in 0...1.
    @Test func numberFormattingAndColormapsAreTotal() {
        let failures = Property.check("number formatting and colormaps", generate: { rng -> (Double, Int) in
            (FigureCase.value(&rng) * Draw.element([1, 1e10, 1e-5], &rng), Draw.integer(-2...20, &rng))
        }) { c in
            let (value, decimals) = c
            let text = NumberFormatting.fixed(value, decimals: decimals)
            let lower = text.lowercased()
            guard !lower.contains("nan"), !lower.contains("inf"), !text.hasPrefix("-0") || text.contains(where: { "123456789".contains($0) })
            else { return "\(value) written as \(text)" }
            if value.isFinite, abs(value) < 1e15 {
                let places = max(0, min(decimals, 17))
                guard let parsed = Double(text) else { return "\(text) does not parse" }
                let unit = pow(10, -Double(places))
                if abs(parsed - value) > 0.5 * unit * (1 + 1e-9) + 1e-15 * abs(value) { return "\(value) written as \(text)" }
            }
            let coordinate = NumberFormatting.coordinate(value)
            guard coordinate != "-0", Double(coordinate) != nil || !value.isFinite else { return "coordinate \(value) written as \(coordinate)" }
            for map in [Colormap.viridis, .diverging, Colormap(stops: []), Colormap(stops: [.blue])] {
                let color = map.color(at: value)
                guard [color.red, color.green, color.blue].allSatisfy({ (0...1).contains($0) }) else { return "colour \(color) at \(value)" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}
