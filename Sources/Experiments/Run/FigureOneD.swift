import Foundation
import Plot
import Toy

/// The 1D figure of `toy-w2sd 1d --plot`:
/// (a) exact densities of ideal, strong and weak side by side (the paper's Figure 1, top; a score-field
/// model shows its own sampler's samples, or the density of its score at sigma-min);
/// (b) histograms of the final samples over the ideal density; (c) trajectories against step with
/// start and end points (Figure 4); (d) Delta1 and Delta2 against x at three noise levels (Figure 1,
/// bottom); (e) one W2SD trajectory close up, each strong step down and weak inversion up (Figure 3).
public struct FigureOneD {
    public let run: ExperimentRun
    var results: [MethodResult] { run.results }

    public init(run: ExperimentRun) { self.run = run }

    static let deltaSigmas = [0.5, 2.0, 5.0]

    /// Methods drawn in (b) and (c): all but ideal (ideal is the reference curve), or ideal alone.
    var plotted: [MethodResult] {
        let others = results.filter { !$0.method.isExact && $0.method != .idealSampled }
        return others.isEmpty ? results : others
    }

    func label(_ m: MethodName) -> String { MethodStyle.label(m, guidance: run.spec.guidance, interval: run.spec.guidanceInterval) + run.w1Note(m) }

    /// A model's density on the grid: exact for a mixture, else from its score at `sigma` (`density1D`).
    static func density(_ field: any ScoreField, on xs: [Double], sigma: Double) -> [Double] {
        if let mixture = field as? GaussianMixture { return xs.map { mixture.density(at: [$0]) } }
        let density = field.density1D(on: xs, sigma: sigma)
        return density.isEmpty ? xs.map { _ in 0 } : density
    }

    public func figure() throws -> Figure {
        let models = run.models
        let (lo, hi) = xRange()
        let xs = Grid2D.evenlySpaced(from: lo, to: hi, count: 600)
        let fields: [any ScoreField] = [models.ideal, models.strong, models.weak]
        let densities = fields.map { Self.density($0, on: xs, sigma: run.spec.sigmaMin) }
        // A score-field model has no closed-form density: its panel shows the samples of its own
        // sampler when that method ran (a guided or learned sampler does not follow the density whose
        // score the field is at sigma-min), else that density (labelled as such).
        let ownSamples: [[Double]?] = [nil] + [MethodName.strong, .weak].enumerated().map { i, method in
            fields[i + 1] is GaussianMixture ? nil : results.first { $0.method == method && !$0.samples.isEmpty }?.samples
        }
        let sampled = ownSamples.map { $0.map { Histogram(values: $0, binCount: 140, range: lo...hi) } }
        let peaks = (0..<3).map { i in sampled[i].map { $0.densities.max() ?? 0 } ?? densities[i].max() ?? 0 }
        // One scale for the three panels: the mixtures' largest density, or a field's up to 3 times that
        // (a field whose density is sharper, e.g. a poorly trained network's at sigma-min, is clipped).
        let mixturePeak = zip(fields, peaks).filter { $0.0 is GaussianMixture }.map(\.1).max() ?? 1
        let top = min(peaks.max() ?? 1, 3 * mixturePeak) * 1.1

        var figure = Figure(title: FigureMath.title(run, preset: "the 1D toy") + subtitle(), width: 1800, height: 2050, rows: 4, columns: 6)
        figure.lettersPanels = true
        // (a)
        for (i, (name, method)) in [("ideal p*", MethodName.exact), ("strong p_s", .strong), ("weak p_w", .weak)].enumerated() {
            let mixture = fields[i] as? GaussianMixture
            let clipped = peaks[i] > top ? ", peak \(NumberFormat.significant(peaks[i], 3)) clipped" : ""
            let kind = mixture != nil ? "exact density"
                : sampled[i] != nil ? "samples of its sampler (a score field)\(clipped)"
                : "density of its score at σ = \(FigureMath.short(run.spec.sigmaMin))\(clipped)"
            // Headroom above the curves for the mode labels (name over weight): two text lines.
            let labelled = !(mixture?.components ?? []).isEmpty
            var panel = Panel(title: "\(name): \(kind)", xAxis: Axis(label: "x"),
                              yAxis: Axis(label: "density", limits: AxisLimits(0, labelled ? top * 1.5 : top)), legend: .hidden)
            let color = MethodStyle.color(method)
            if let histogram = sampled[i] {
                panel.add(.histogram(HistogramMark(histogram: histogram, style: .bars, color: color)))
            } else {
                panel.add(.band(Band(x: xs, lower: xs.map { _ in 0 }, upper: densities[i], color: color, opacity: 0.25)))
                panel.add(.lines(Lines(x: xs, y: densities[i], style: LineStyle(color: color, width: 2))))
            }
            for (k, c) in (mixture?.components ?? []).enumerated() {
                let name = k < run.spec.modeNames.count ? run.spec.modeNames[k] : "\(k)"
                let weight = c.weight == 0 ? "absent" : NumberFormat.fixed(c.weight, 2)
                panel.add(.text(TextAnnotation(name, x: c.mean[0], y: top * 1.33, anchor: .middle, size: 12, color: .nearBlack)))
                panel.add(.text(TextAnnotation(weight, x: c.mean[0], y: top * 1.12, anchor: .middle, size: 12, color: c.weight == 0 ? .vermillion : .nearBlack)))
            }
            figure.place(panel, row: 0, column: 2 * i, columnSpan: 2)
        }
        // (b)
        var histogramPanel = Panel(title: "final samples over the ideal density",
                                   xAxis: Axis(label: "x", limits: AxisLimits(lo, hi)), yAxis: Axis(label: "density"), legend: .outsideRight)
        histogramPanel.add(.band(Band(x: xs, lower: xs.map { _ in 0 }, upper: densities[0], color: .gray, opacity: 0.18, label: "ideal p*")))
        histogramPanel.add(.lines(Lines(x: xs, y: densities[0], style: LineStyle(color: .nearBlack, width: 1.6))))
        for r in plotted {
            let h = Histogram(values: r.samples, binCount: 140, range: lo...hi)
            histogramPanel.add(.histogram(HistogramMark(histogram: h, style: .step, color: MethodStyle.color(r.method),
                                                        lineWidth: 1.6, label: label(r.method))))
        }
        figure.place(histogramPanel, row: 1, column: 0, columnSpan: 3)
        // (c), only when trajectories were recorded (else (b) takes the whole row)
        if run.trajectories > 0 {
            figure.place(trajectoryPanel(), row: 1, column: 3, columnSpan: 3)
        } else if !figure.placements.isEmpty {
            figure.placements[figure.placements.count - 1].columnSpan = 6   // the histogram panel, placed last
        }
        // (d)
        for (i, sigma) in Self.deltaSigmas.enumerated() {
            // Without cancellation for mixtures (ScoreDifference): on weight-only models the plain difference is rounding noise at small sigma.
            let atLevel = models.deltas(sigma: sigma)
            let pairs = xs.map { atLevel([$0]) }
            let d1 = pairs.map { $0.0[0] }, d2 = pairs.map { $0.1[0] }
            var panel = Panel(title: "Δ₁ and Δ₂ at σ = \(FigureMath.short(sigma))", xAxis: Axis(label: "x"),
                              yAxis: Axis(label: "score difference"), legend: i == 0 ? .automatic : .hidden)
            panel.add(.referenceLine(ReferenceLine(.horizontal, at: 0, style: LineStyle(color: .gray, width: 0.8))))
            panel.add(.lines(Lines(x: xs, y: d1, style: LineStyle(color: MethodStyle.delta1, width: 2), label: "Δ₁ = s_s − s_w")))
            panel.add(.lines(Lines(x: xs, y: d2, style: LineStyle(color: MethodStyle.delta2, width: 2, dash: [6, 3]), label: "Δ₂ = s* − s_s")))
            figure.place(panel, row: 2, column: 2 * i, columnSpan: 2)
        }
        // (e), only when a reflecting method recorded a trajectory (else the figure ends after (d))
        if let closeUp = closeUpPanel() {
            figure.place(closeUp, row: 3, column: 0, columnSpan: 6)
        } else {
            figure.rows = 3
            figure.height = figure.height * 3 / 4
        }
        return figure
    }

    func subtitle() -> String {
        let s = run.spec.samplerSettings
        return " — \(run.spec.particles) samples, T = \(s.steps), λ = \(s.lambda), γ = \(FigureMath.short(s.gamma)), \(s.solver.rawValue), \(s.inversion.name) inversion, seed \(run.spec.seed)"
    }

    /// x range: the ideal modes +- 5 std, widened to the 0.1% / 99.9% quantiles of every sample set, by at
    /// most half the modes' extent on each side (`FigureMath.plotRange`).
    func xRange() -> (Double, Double) {
        var lo = Double.infinity, hi = -Double.infinity
        for c in run.models.ideal.components where c.weight > 0 {
            let s = c.covariance[0].squareRoot()
            lo = min(lo, c.mean[0] - 5 * s); hi = max(hi, c.mean[0] + 5 * s)
        }
        let sorted = results.map { $0.samples.filter(\.isFinite).sorted() }
        return FigureMath.plotRange(base: (lo, hi), sorted: sorted, quantile: 0.001, margin: 0)
    }

    func trajectoryPanel() -> Panel {
        var panel = Panel(title: "trajectories, x / √(1 + σ²) against step (\(run.trajectories) per method)",
                          xAxis: Axis(label: "step i (σ from \(FigureMath.short(run.spec.samplerSettings.sigmas[0])) to 0)"),
                          yAxis: Axis(label: "x / √(1 + σ²)"), legend: .outsideRight)
        var starts: [Double] = [], startSteps: [Double] = [], ends: [Double] = [], endSteps: [Double] = []
        for r in plotted {
            let series = r.trajectories.map { t -> Series in
                let path = FigureMath.mainPath(t)
                return Series(x: path.map { Double($0.level) }, y: path.map { FigureMath.scaled($0.position[0], sigma: $0.sigma) })
            }
            panel.add(.lines(Lines(series: series, style: LineStyle(color: MethodStyle.color(r.method), width: 0.9, opacity: 0.45),
                                   label: label(r.method))))
            for t in r.trajectories {
                let path = FigureMath.mainPath(t)
                if let first = path.first { starts.append(FigureMath.scaled(first.position[0], sigma: first.sigma)); startSteps.append(Double(first.level)) }
                if let last = path.last { ends.append(last.position[0]); endSteps.append(Double(last.level)) }
            }
        }
        panel.add(.scatter(Scatter(x: startSteps, y: starts, shape: .circle, color: MethodStyle.startMarker, size: 5, label: "start")))
        panel.add(.scatter(Scatter(x: endSteps, y: ends, shape: .cross, color: MethodStyle.endMarker, size: 6, label: "end")))
        return panel
    }

    /// One reflecting trajectory with its half-moves: the particle where the reflection changed the
    /// outcome most (largest |W2SD end - strong end|), over the late steps where the moves are visible.
    /// nil when no reflecting method (W2SD, S2WD) recorded a trajectory: the panel is then left out.
    func closeUpPanel() -> Panel? {
        let reflecting = results.first { $0.method == .w2sd } ?? results.first { $0.method == .s2wd }
        guard let reflecting, let chosen = chooseTrajectory(reflecting) else { return nil }
        let sigmas = run.spec.samplerSettings.sigmas
        let first = max(0, (sigmas.firstIndex { $0 <= 10 } ?? 0))
        let isW2SD = reflecting.method == .w2sd
        let downColor = MethodStyle.color(isW2SD ? .strong : .weak), upColor = MethodStyle.color(isW2SD ? .weak : .strong)
        let title = "one \(label(reflecting.method)) trajectory close up (particle \(chosen.particle), steps \(first)–\(run.spec.samplerSettings.steps), σ ≤ \(FigureMath.short(sigmas[first]))): "
            + (isW2SD ? "strong step down, weak inversion up, then the strong step" : "weak step down, strong inversion up, then the strong step")
        var panel = Panel(title: title, xAxis: Axis(label: "step i (noise level index; a reflection goes to i + 1 and back to i)"),
                          yAxis: Axis(label: "x"), legend: .outsideRight)
        var down: [Series] = [], up: [Series] = [], step: [Series] = [], blend: [Series] = []
        let points = chosen.points.filter { $0.level >= first }
        for (a, b) in zip(points, points.dropFirst()) {
            let s = Series(x: [Double(a.level), Double(b.level)], y: [a.position[0], b.position[0]])
            switch b.phase {
            case .reflectionDown: down.append(s)
            case .reflectionUp: up.append(s)
            case .reflected: blend.append(s)
            case .step, .start, .churned, .restartNoise, .restartStep: step.append(s)
            }
        }
        if let strong = results.first(where: { $0.method == .strong }),
           let twin = strong.trajectories.first(where: { $0.particle == chosen.particle }) {
            let path = FigureMath.mainPath(twin).filter { $0.level >= first }
            panel.add(.lines(Lines(x: path.map { Double($0.level) }, y: path.map { $0.position[0] },
                                   style: LineStyle(color: MethodStyle.color(.strong), width: 1.4, opacity: 0.7, dash: [2, 3]),
                                   label: "strong sampler, same start")))
        }
        panel.add(.lines(Lines(series: step, style: LineStyle(color: MethodStyle.color(reflecting.method), width: 2.2),
                               label: "\(label(reflecting.method)) ordinary step (strong)")))
        panel.add(.lines(Lines(series: down, style: LineStyle(color: downColor, width: 1.6),
                               label: isW2SD ? "reflection: strong step down" : "reflection: weak step down")))
        panel.add(.lines(Lines(series: up, style: LineStyle(color: upColor, width: 1.6),
                               label: isW2SD ? "reflection: weak inversion up" : "reflection: strong inversion up")))
        if !blend.isEmpty {
            panel.add(.lines(Lines(series: blend, style: LineStyle(color: .gray, width: 1.2),
                                   label: "x + γ(R(x) − x), γ = \(FigureMath.short(run.spec.samplerSettings.gamma))")))
        }
        let main = FigureMath.mainPath(chosen).filter { $0.level >= first }
        panel.add(.scatter(Scatter(x: main.map { Double($0.level) }, y: main.map { $0.position[0] }, shape: .dot,
                                   color: MethodStyle.color(reflecting.method), size: 4)))
        for ideal in run.models.ideal.components where ideal.weight > 0 {
            panel.add(.referenceLine(ReferenceLine(.horizontal, at: ideal.mean[0], style: LineStyle(color: .gray, width: 0.8, dash: [4, 4]))))
        }
        if let last = main.last {
            panel.add(.scatter(Scatter(x: [Double(last.level)], y: [last.position[0]], shape: .cross, color: .nearBlack, size: 9, label: "end")))
        }
        return panel
    }

    func chooseTrajectory(_ reflecting: MethodResult) -> Trajectory? {
        guard !reflecting.trajectories.isEmpty else { return nil }
        guard let strong = results.first(where: { $0.method == .strong }), !strong.trajectories.isEmpty else {
            return reflecting.trajectories.first
        }
        var best = reflecting.trajectories[0], bestGap = -1.0
        for t in reflecting.trajectories {
            guard let twin = strong.trajectories.first(where: { $0.particle == t.particle }),
                  let a = t.points.last?.position[0], let b = twin.points.last?.position[0] else { continue }
            if abs(a - b) > bestGap { bestGap = abs(a - b); best = t }
        }
        return best
    }
}
