import Plot
import Toy

/// The figure of `toy-w2sd delta --plot`: (a) the cosine of Delta1 and Delta2 per noise level (the
/// paper's Figure 19); (b) their mean sizes; (c) E(alpha)/E(0) of the proxy s_strong + alpha Delta1 with
/// the safe interval shaded; (d) with a weak family, each proxy number against W2SD's W1.
public struct DeltaFigure {
    public var title: String
    public var levels: [DeltaAlignment]
    public var proxy: ProxyAnalysis
    public var family: [DeltaStudy.Member]

    public init(title: String, _ result: DeltaStudy.Result) {
        self.title = title
        levels = result.levels
        proxy = result.proxy
        family = result.family
    }

    /// The figure's title for an experiment (and the file or case it came from).
    public static func title(spec: ExperimentSpec, source: String?) -> String {
        "Δ₁ = s_strong − s_weak against Δ₂ = s_ideal − s_strong (\(spec.dimension)D" + (source.map { ", " + $0 } ?? "") + ")"
    }

    public func figure() -> Figure {
        let sigmas = levels.map(\.sigma)
        var cosine = Panel(title: "cos(Δ₁, Δ₂) per noise level", xAxis: Axis(label: "σ", scale: .log),
                           yAxis: Axis(label: "cosine", limits: AxisLimits(-1.05, 1.05)), legend: .bottomLeft)
        cosine.add(.referenceLine(ReferenceLine(.horizontal, at: 0)))
        cosine.add(.lines(Lines(x: sigmas, y: levels.map(\.meanCosine), style: LineStyle(color: MethodStyle.delta1, width: 2),
                                label: "E[cos(Δ₁, Δ₂)] under p*(x; σ)")))
        cosine.add(.lines(Lines(x: sigmas, y: levels.map(\.fieldCosine), style: LineStyle.dashed(MethodStyle.delta2, width: 2),
                                label: "field cosine at σ")))

        var sizes = Panel(title: "mean size of Δ₁ and Δ₂", xAxis: Axis(label: "σ", scale: .log),
                          yAxis: Axis(label: "E|Δ| under p*(x; σ)", scale: .log), legend: .automatic)
        sizes.add(.lines(Lines(x: sigmas, y: levels.map(\.meanNormDelta1), style: LineStyle(color: MethodStyle.delta1, width: 2),
                               label: "E|Δ₁| = E|s_s − s_w|")))
        sizes.add(.lines(Lines(x: sigmas, y: levels.map(\.meanNormDelta2), style: LineStyle.dashed(MethodStyle.delta2, width: 2),
                               label: "E|Δ₂| = E|s* − s_s|")))

        // E(alpha)/E(0) on a range that shows 0, alpha*, 2 alpha* and the paper's alpha = 1.
        let best = proxy.bestAlpha
        let hi = max(1.5, 2.5 * max(best, 0)), lo = min(-0.5, 2.5 * min(best, 0))
        let alphas = (0...200).map { lo + (hi - lo) * Double($0) / 200 }
        var curve = Panel(title: "proxy error E(α)/E(0), s_s + α Δ₁", xAxis: Axis(label: "α"),
                          yAxis: Axis(label: "E(α) / E(0)", scale: .log), legend: .automatic)
        let interval = proxy.safeInterval
        if interval.upperBound > interval.lowerBound {
            curve.add(.span(Span(.vertical, from: interval.lowerBound, to: interval.upperBound, color: .green,
                                 label: "safe interval: E(α) < E(0)")))
        }
        curve.add(.lines(Lines(x: alphas, y: alphas.map { proxy.errorRatio(alpha: $0) }, style: LineStyle(color: .nearBlack, width: 2),
                               label: "E(α)/E(0)")))
        curve.add(.referenceLine(ReferenceLine(.vertical, at: 1, style: .dashed(MethodStyle.color(.w2sd), width: 1.5),
                                               label: "α = 1 (W2SD, small steps)")))
        curve.add(.referenceLine(ReferenceLine(.vertical, at: best, style: .dashed(.vermillion, width: 1.5),
                                               label: "α* = " + NumberFormat.fixed(best, 4))))
        var panels = [cosine, sizes, curve]
        if !family.isEmpty {
            let x = family.map { $0.proxy.errorRatio(alpha: 1) }, y = family.map(\.w2sdWasserstein)
            // A factor 4 of room on each side of the log axis keeps the point labels inside the panel.
            let positive = x.filter { $0 > 0 && $0.isFinite }
            let limits = positive.isEmpty ? nil : AxisLimits((positive.min() ?? 1) / 4, (positive.max() ?? 1) * 4)
            var scatter = Panel(title: "weak family: proxy error vs W2SD outcome",
                                xAxis: Axis(label: "E(1)/E(0)", scale: .log, limits: limits),
                                yAxis: Axis(label: "W1 of W2SD to the ideal"), legend: .hidden)
            scatter.add(.scatter(Scatter(x: x, y: y, shape: .circle, color: MethodStyle.color(.w2sd), size: 7)))
            for row in family where row.w2sdWasserstein.isFinite && row.proxy.errorRatio(alpha: 1) > 0 {
                scatter.add(.text(TextAnnotation("w=" + NumberFormat.significant(row.weight, 4), x: row.proxy.errorRatio(alpha: 1), y: row.w2sdWasserstein, size: 10)))
            }
            panels.append(scatter)
        }
        var figure = Figure(title: title, width: 460 * panels.count, height: 440, rows: 1, columns: panels.count, panels: panels)
        figure.lettersPanels = true
        return figure
    }
}
