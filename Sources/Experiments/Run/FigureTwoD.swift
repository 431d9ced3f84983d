import Foundation
import Plot
import Toy

/// The 2D figure of `toy-w2sd 2d --plot`:
/// (a) contours of the exact ideal, strong and weak densities; (b) filled contours of the sampled
/// densities (the paper's Figure 5, top); (c) trajectories with start and end points (Figure 5,
/// bottom); (d) arrows of Delta1 and Delta2 on a grid at a middle noise level, and their cosine
/// (Figure 20). For d > 2 every panel shows the first two coordinates (marginals), as its title says.
public struct FigureTwoD {
    public let run: ExperimentRun
    var results: [MethodResult] { run.results }

    public init(run: ExperimentRun) { self.run = run }

    static let deltaSigma = 2.0

    var plotted: [MethodResult] {
        let others = results.filter { !$0.method.isExact && $0.method != .idealSampled }
        return others.isEmpty ? results : others
    }

    var note: String { run.spec.dimension > 2 ? " [x₁,x₂ of d=\(run.spec.dimension)]" : "" }

    func label(_ m: MethodName) -> String { MethodStyle.label(m, guidance: run.spec.guidance, interval: run.spec.guidanceInterval) + run.w1Note(m) }

    public func figure() throws -> Figure {
        let ideal = try FigureMath.firstTwo(run.models.ideal)
        // The strong and weak marginals when they are mixtures; a score field has no density to draw.
        let strong = try (run.models.strong as? GaussianMixture).map(FigureMath.firstTwo)
        let weak = try (run.models.weak as? GaussianMixture).map(FigureMath.firstTwo)
        let (xr, yr) = ranges(ideal)
        let gx = Grid2D.evenlySpaced(from: xr.0, to: xr.1, count: 121)
        let gy = Grid2D.evenlySpaced(from: yr.0, to: yr.1, count: 121)
        let exact = [ideal, strong, weak].map { m in m.map { m in Grid2D(x: gx, y: gy) { m.density(at: [$0, $1]) } } }
        let peak = exact[0]?.valueRange?.upperBound ?? 1
        let levels = [0.02, 0.1, 0.3, 0.5, 0.7, 0.9].map { $0 * peak }
        let columns = max(3, plotted.count)
        let cell = 500
        var figure = Figure(title: FigureMath.title(run, preset: "the 2D toy") + subtitle(), width: cell * columns, height: 4 * cell + 40, rows: 4, columns: columns)
        figure.lettersPanels = true
        let xAxis = Axis(label: "x₁", limits: AxisLimits(xr.0, xr.1)), yAxis = Axis(label: "x₂", limits: AxisLimits(yr.0, yr.1))
        let idealGrid = Grid2D(x: gx, y: gy) { ideal.density(at: [$0, $1]) }
        let idealOutline = Mark.contour(Contour(grid: idealGrid, levels: .values([0.1 * peak]), color: .gray, lineWidth: 0.8))

        // (a)
        let fields: [any ScoreField] = [run.models.ideal, run.models.strong, run.models.weak]
        for (i, (name, method)) in [("ideal p*", MethodName.exact), ("strong p_s", .strong), ("weak p_w", .weak)].enumerated() {
            guard let grid = exact[i] else {
                figure.place(fieldPanel(name, fields[i], color: MethodStyle.color(method), xr: xr, yr: yr, outline: idealOutline),
                             row: 0, column: i)
                continue
            }
            var panel = Panel(title: "\(name): exact density\(note)", xAxis: xAxis, yAxis: yAxis, equalAspect: true, legend: .hidden)
            panel.add(.contour(Contour(grid: grid, levels: .values(levels), color: MethodStyle.color(method), lineWidth: 1.3)))
            let components = [ideal, strong, weak][i]?.components ?? []
            for c in components where c.weight == 0 {
                // At the mode's place, so the word alone names it (a mode name would not fit a print-size panel).
                panel.add(.text(TextAnnotation("absent", x: c.mean[0], y: c.mean[1], anchor: .middle, size: 12, color: .vermillion)))
            }
            figure.place(panel, row: 0, column: i)
        }
        // (b)
        let bins = 60
        // One colour scale for every sampled density: the same levels and the same range (0 to the
        // largest value of any panel).
        let grids = plotted.map { histogram2D($0.samples, x: xr, y: yr, bins: bins) }
        let top = max(grids.compactMap { $0.valueRange?.upperBound }.max() ?? peak, levels.last ?? peak)
        for (i, r) in plotted.enumerated() {
            var panel = Panel(title: "\(label(r.method)): sampled density\(note)", xAxis: xAxis, yAxis: yAxis, equalAspect: true,
                              legend: .hidden)
            panel.add(.filledContour(FilledContour(grid: grids[i], levels: .values(levels), colormap: MethodStyle.density,
                                                   colorbarLabel: i == plotted.count - 1 ? "density" : nil, range: 0...top)))
            panel.add(idealOutline)
            figure.place(panel, row: 1, column: i)
        }
        // (c), only when trajectories were recorded (else (d) moves up a row)
        let deltaRow = run.trajectories > 0 ? 3 : 2
        if run.trajectories == 0 {
            figure.rows = 3
            figure.height = 3 * cell + 40
        }
        for (i, r) in plotted.enumerated() where run.trajectories > 0 {
            // Every corner holds data and an outside legend would shrink an equal-aspect panel: the first
            // panel's title says what the markers are.
            var panel = Panel(title: "\(label(r.method)): trajectories\(note)" + (i == 0 ? " (circles start, crosses end)" : ""),
                              xAxis: Axis(label: "x₁ / √(1 + σ²)", limits: AxisLimits(xr.0, xr.1)),
                              yAxis: Axis(label: "x₂ / √(1 + σ²)", limits: AxisLimits(yr.0, yr.1)), equalAspect: true,
                              legend: .hidden)
            panel.add(idealOutline)
            let paths = r.trajectories.map(FigureMath.mainPath)
            let series = paths.map { path in
                Series(x: path.map { FigureMath.scaled($0.position[0], sigma: $0.sigma) },
                       y: path.map { FigureMath.scaled($0.position[1], sigma: $0.sigma) })
            }
            panel.add(.lines(Lines(series: series, style: LineStyle(color: MethodStyle.color(r.method), width: 0.9, opacity: 0.55),
                                   label: label(r.method))))
            let starts = paths.compactMap(\.first), ends = paths.compactMap(\.last)
            panel.add(.scatter(Scatter(x: starts.map { FigureMath.scaled($0.position[0], sigma: $0.sigma) },
                                       y: starts.map { FigureMath.scaled($0.position[1], sigma: $0.sigma) },
                                       shape: .circle, color: MethodStyle.startMarker, size: 5, label: "start")))
            panel.add(.scatter(Scatter(x: ends.map { $0.position[0] }, y: ends.map { $0.position[1] },
                                       shape: .cross, color: MethodStyle.endMarker, size: 6, label: "end")))
            figure.place(panel, row: 2, column: i)
        }
        // (d)
        let (d1Panel, d2Panel, cosinePanel) = try deltaPanels(xr: xr, yr: yr, outline: idealOutline)
        figure.place(d1Panel, row: deltaRow, column: 0)
        figure.place(d2Panel, row: deltaRow, column: 1)
        figure.place(cosinePanel, row: deltaRow, column: 2)
        return figure
    }

    func subtitle() -> String {
        let s = run.spec.samplerSettings
        return " — \(run.spec.particles) samples, T = \(s.steps), λ = \(s.lambda), γ = \(FigureMath.short(s.gamma)), \(s.inversion.name) inversion, seed \(run.spec.seed)"
    }

    /// Ranges: the ideal modes +- 4.5 std, widened to the 0.05% / 99.95% quantiles of the samples (+- 0.5),
    /// by at most half the modes' extent on each side (`FigureMath.plotRange`).
    func ranges(_ ideal: GaussianMixture) -> ((Double, Double), (Double, Double)) {
        var lo = [Double.infinity, .infinity], hi = [-Double.infinity, -.infinity]
        for c in ideal.components where c.weight > 0 {
            for j in 0..<2 {
                let s = c.covariance[j * 2 + j].squareRoot()
                lo[j] = min(lo[j], c.mean[j] - 4.5 * s); hi[j] = max(hi[j], c.mean[j] + 4.5 * s)
            }
        }
        let d = run.spec.dimension
        let axes = (0..<2).map { j in
            FigureMath.plotRange(base: (lo[j], hi[j]), sorted: results.map { r in
                stride(from: j, to: r.samples.count, by: d).map { r.samples[$0] }.filter(\.isFinite).sorted()
            }, quantile: 0.0005, margin: 0.5)
        }
        return (axes[0], axes[1])
    }

    /// Density of the samples' first two coordinates on a bins x bins grid (cell centres), smoothed by
    /// a 3 x 3 binomial filter. Samples outside the range are left out (and the title of (b) says how many).
    func histogram2D(_ samples: [Double], x: (Double, Double), y: (Double, Double), bins: Int) -> Grid2D {
        let d = run.spec.dimension, n = samples.count / d
        var counts = [Double](repeating: 0, count: bins * bins)
        let wx = (x.1 - x.0) / Double(bins), wy = (y.1 - y.0) / Double(bins)
        for i in 0..<n {
            let a = samples[i * d], b = samples[i * d + 1]
            guard a.isFinite, b.isFinite else { continue }
            let cx = Int(((a - x.0) / wx).rounded(.down)), cy = Int(((b - y.0) / wy).rounded(.down))
            guard (0..<bins).contains(cx), (0..<bins).contains(cy) else { continue }
            counts[cy * bins + cx] += 1
        }
        let kernel = [1.0, 2, 1]
        var smoothed = counts
        for row in 0..<bins {
            for column in 0..<bins {
                var sum = 0.0, weight = 0.0
                for dy in -1...1 {
                    for dx in -1...1 {
                        let r = row + dy, c = column + dx
                        guard (0..<bins).contains(r), (0..<bins).contains(c) else { continue }
                        let w = kernel[dy + 1] * kernel[dx + 1]
                        sum += w * counts[r * bins + c]; weight += w
                    }
                }
                smoothed[row * bins + column] = sum / weight
            }
        }
        let scale = 1 / (Double(max(n, 1)) * wx * wy)
        let xs = (0..<bins).map { x.0 + (Double($0) + 0.5) * wx }, ys = (0..<bins).map { y.0 + (Double($0) + 0.5) * wy }
        return Grid2D(x: xs, y: ys, z: smoothed.map { $0 * scale })
    }

    /// (Delta1, Delta2) in the first two coordinates at (a, b) (the others 0): for mixtures from the
    /// marginal mixtures of (x1, x2) without cancellation (ScoreDifference, through
    /// DeltaAlignment.deltas), for score fields the first two coordinates of the fields' differences.
    func planeDeltas(sigma: Double) throws -> @Sendable (Double, Double) -> ([Double], [Double]) {
        let models = run.models, d = run.spec.dimension
        if let mixtures = models.mixtures {
            let plane = try ModelTriple(ideal: FigureMath.firstTwo(mixtures.ideal), strong: FigureMath.firstTwo(mixtures.strong),
                                        weak: FigureMath.firstTwo(mixtures.weak))
            let atLevel = DeltaAlignment.deltas(plane, sigma: sigma)
            return { a, b in atLevel([a, b]) }
        }
        let atLevel = models.deltas(sigma: sigma)
        return { a, b in
            let (u, v) = atLevel([a, b] + [Double](repeating: 0, count: d - 2))
            return (Array(u.prefix(2)), Array(v.prefix(2)))
        }
    }

    /// Panel (a) of a score-field model: arrows of its field at sigma = `fieldSigma` on the first two
    /// coordinates (the others 0), over the ideal outline.
    func fieldPanel(_ title: String, _ field: any ScoreField, color: Color, xr: (Double, Double), yr: (Double, Double),
                    outline: Mark) -> Panel {
        let count = 15, d = run.spec.dimension, sigma = Self.fieldSigma
        let sx = (xr.1 - xr.0) / Double(count + 1), sy = (yr.1 - yr.0) / Double(count + 1)
        var px: [Double] = [], py: [Double] = [], u: [Double] = [], v: [Double] = []
        var streams = ParticleStreams(seed: 0, first: 0, count: 1)
        for j in 1...count {
            for i in 1...count {
                let a = xr.0 + Double(i) * sx, b = yr.0 + Double(j) * sy
                let s = field.score(at: [a, b] + [Double](repeating: 0, count: d - 2), sigma: sigma, streams: &streams)
                px.append(a); py.append(b); u.append(s[0]); v.append(s[1])
            }
        }
        let largest = zip(u, v).map { ($0 * $0 + $1 * $1).squareRoot() }.filter(\.isFinite).max() ?? 0
        var panel = Panel(title: "\(title): score at σ = \(FigureMath.short(sigma))\(note), max \(NumberFormat.fixed(largest, 2))",
                          xAxis: Axis(label: "x₁", limits: AxisLimits(xr.0, xr.1)), yAxis: Axis(label: "x₂", limits: AxisLimits(yr.0, yr.1)),
                          equalAspect: true, legend: .hidden)
        panel.add(outline)
        panel.add(.quiver(Quiver(x: px, y: py, u: u, v: v, color: color, scale: largest > 0 ? 0.9 * min(sx, sy) / largest : 1,
                                 lineWidth: 1.2, label: title)))
        return panel
    }

    /// The noise level of panel (a)'s arrows for a score-field model.
    static let fieldSigma = 0.5

    func deltaPanels(xr: (Double, Double), yr: (Double, Double), outline: Mark) throws -> (Panel, Panel, Panel) {
        let sigma = Self.deltaSigma
        let count = 15
        // Arrow tails on an inset grid, so arrows (at most 0.9 spacing long) stay inside the panel.
        let sx = (xr.1 - xr.0) / Double(count + 1), sy = (yr.1 - yr.0) / Double(count + 1)
        let gx = (1...count).map { xr.0 + Double($0) * sx }, gy = (1...count).map { yr.0 + Double($0) * sy }
        let deltas = try planeDeltas(sigma: sigma)
        var px: [Double] = [], py: [Double] = [], d1: [[Double]] = [], d2: [[Double]] = []
        for b in gy {
            for a in gx {
                let (u, v) = deltas(a, b)
                px.append(a); py.append(b)
                d1.append(u); d2.append(v)
            }
        }
        func norm(_ v: [Double]) -> Double { (v[0] * v[0] + v[1] * v[1]).squareRoot() }
        let longest = (d1 + d2).map(norm).max() ?? 1
        let tag = "σ = \(FigureMath.short(sigma))\(note)"
        func quiverPanel(_ title: String, _ v: [[Double]], _ color: Color, _ name: String) -> Panel {
            let largest = v.map(norm).max() ?? 0
            let scale = largest > 0 ? 0.9 * min(sx, sy) / largest : 1
            var panel = Panel(title: title + ", max |\(name)| \(NumberFormat.fixed(largest, 3))",
                              xAxis: Axis(label: "x₁", limits: AxisLimits(xr.0, xr.1)),
                              yAxis: Axis(label: "x₂", limits: AxisLimits(yr.0, yr.1)), equalAspect: true, legend: .hidden)
            panel.add(outline)
            panel.add(.quiver(Quiver(x: px, y: py, u: v.map { $0[0] }, v: v.map { $0[1] }, color: color, scale: scale,
                                     lineWidth: 1.2, label: name)))
            return panel
        }
        let p1 = quiverPanel("Δ₁ = s_s − s_w, \(tag)", d1, MethodStyle.delta1, "Δ₁")
        let p2 = quiverPanel("Δ₂ = s* − s_s, \(tag)", d2, MethodStyle.delta2, "Δ₂")
        // Cosine of the two fields on a fine grid; white where either field is negligible.
        let fx = Grid2D.evenlySpaced(from: xr.0, to: xr.1, count: 41), fy = Grid2D.evenlySpaced(from: yr.0, to: yr.1, count: 41)
        let cosine = Grid2D(x: fx, y: fy) { a, b in
            let (u, v) = deltas(a, b)
            let nu = norm(u), nv = norm(v)
            guard nu > 1e-12 * longest, nv > 1e-12 * longest else { return .nan }
            return DeltaAlignment.cosine(u, v)
        }
        let finite = cosine.z.filter(\.isFinite)
        let span = finite.isEmpty ? "" : " ∈ [\(NumberFormat.fixed(finite.min() ?? 0, 2)), \(NumberFormat.fixed(finite.max() ?? 0, 2))]"
        var p3 = Panel(title: "cos(Δ₁, Δ₂)\(span) at \(tag)", xAxis: Axis(label: "x₁", limits: AxisLimits(xr.0, xr.1)),
                       yAxis: Axis(label: "x₂", limits: AxisLimits(yr.0, yr.1)), legend: .hidden)
        // No equal aspect here: the heatmap fills its axes (the colourbar takes width from the panel).
        p3.add(.heatmap(Heatmap(grid: cosine, colormap: .diverging, range: -1...1, colorbarLabel: "cosine")))
        p3.add(outline)
        return (p1, p2, p3)
    }
}
