import Experiments
import Foundation
import Plot
import Toy

extension Notebook {
    /// Figure 11 of the paper: the weak-to-strong difference swept through zero to negative.
    static let differenceSweep = Notebook(
        name: "figure-11-difference-sweep",
        title: "Figure 11: sweeping the weak-to-strong difference through zero",
        summary: "W2SD and S2WD (the reflection with the roles swapped) as the 1D weak model's left weight sweeps 0 ... 0.5 "
            + "through the strong model's 0.3, where Delta1 vanishes and then points the wrong way",
        body: DifferenceSweepNotebook.body)
}

enum DifferenceSweepNotebook {
    /// The weak model's left weight: 0, 0.05, ..., 0.5 (i / 20, so 0.3 is exactly the strong weight's literal).
    static let weights = (0...10).map { Double($0) / 20 }
    static let left = 0

    /// One weak model of the sweep and the run of W2SD and S2WD with it.
    struct Point: Encodable {
        var weakLeftWeight: Double
        var report: ExperimentReport
    }

    /// `sweep.json`: the strong-only run (it does not use the weak model) and every point of the sweep.
    struct Document: Encodable {
        var schema = "toy-w2sd.notebook.difference-sweep/1"
        var version = ToolVersion.current
        var toolkit = Toolkit.current
        var strong: ExperimentReport
        var points: [Point]
    }

    static func body(_ context: inout NotebookContext) throws -> NotebookOutcome {
        let settings = context.settings
        let base = settings.scaled(.preset(dimension: 1))
        var strongSpec = base
        strongSpec.methods = [.strong]
        context.progress.plan(1 + weights.count)
        let strongRun = try context.run(strongSpec)
        context.progress.advance()
        let strong = try strongRun.result(.strong)
        var runs: [ExperimentRun] = []
        for w in weights {
            var spec = base
            spec.weak.components[left].weight = w
            spec.weak.components[1].weight = 1 - w
            spec.methods = [.w2sd, .s2wd]
            runs.append(try context.run(spec))
            context.progress.advance()
        }
        let w2sd = try runs.map { try $0.result(.w2sd) }, s2wd = try runs.map { try $0.result(.s2wd) }
        let mixtures = try strongRun.mixtures()
        let strongWeight = mixtures.strong.components[left].weight
        let idealWeight = mixtures.ideal.components[left].weight

        var doc = LiterateDocument(title: "Figure 11 of the paper: sweeping the weak-to-strong difference through zero",
                                   notebook: context.notebook, settings: settings)
        doc.section("Question")
        doc.paragraph("""
            W2SD moves samples along Delta1 = s_strong - s_weak. The paper's Figure 11 sweeps that difference through \
            zero to negative: when the weak model is worse than the strong one, Delta1 points toward the ideal; when they \
            are equal it vanishes; when the "weak" model is better, it points away. S2WD, the reflection with the two \
            models' roles swapped, should do the opposite. How do the left mass and the distance to the ideal \
            distribution follow the sweep, and what happens exactly at weak = strong?
            """)
        doc.section("Method")
        doc.paragraph("""
            The 1D preset (\(Say.models(base))) with the weak model's left weight w = \(weights.map(Say.g).joined(separator: ", ")) \
            and right weight 1 - w; the strong model keeps left weight \(Say.g(strongWeight)), the ideal \(Say.g(idealWeight)). \
            For each w, W2SD and S2WD run from the same prior draws (\(Say.settings(base))). Strong-only sampling does not \
            use the weak model, so it runs once, from the same draws, and its numbers repeat down the table. Left mass: the \
            fraction of samples nearest to the left ideal mode; W1: the exact 1D Wasserstein-1 distance to the ideal distribution.
            """)

        let table = TextTable(
            headers: ["weak left weight", "W2SD left mass", "W2SD W1", "S2WD left mass", "S2WD W1", "strong left mass", "strong W1"],
            rows: weights.indices.map { i in
                [Say.g(weights[i]), Say.f4(w2sd[i].mass(left)), Say.f4(w2sd[i].w1), Say.f4(s2wd[i].mass(left)), Say.f4(s2wd[i].w1),
                 Say.f4(strong.mass(left)), Say.f4(strong.w1)]
            }, alignments: Array(repeating: .right, count: 7))
        doc.section("Results")
        doc.table(table, caption: "Per weak left weight (`sweep.json` holds every run in full):")
        let files = try context.add(figure: figure(w2sd: w2sd, s2wd: s2wd, strong: strong, strongWeight: strongWeight, idealWeight: idealWeight,
                                                   spec: base), base: "difference-sweep")
        doc.figure(files, alt: "left mass and W1 against the weak left weight", caption: """
            (a) the left mass of W2SD, S2WD and strong-only sampling against the weak model's left weight, with the ideal \
            weight and the point weak = strong marked; (b) their W1 to the ideal distribution
            """)
        let (items, headline) = findings(w2sd: w2sd, s2wd: s2wd, strong: strong, strongWeight: strongWeight, idealWeight: idealWeight,
                                         spec: base)
        doc.section("What this run shows")
        doc.bullets(items)
        doc.section("Files")
        doc.bullets(["`difference-sweep.svg`\(files.png.map { ", `\($0)`" } ?? ""): the figure",
                     "`sweep.json`: the strong-only run and, per weak left weight, the W2SD and S2WD run (schema `toy-w2sd.experiment/3` each; the `experiment` of any of them reruns it with `toy-w2sd run --config`)"])
        try context.add("sweep.json", json: Document(strong: context.report(strongRun),
                                                     points: zip(weights, runs).map { Point(weakLeftWeight: $0, report: context.report($1)) }))
        try context.add("README.md", text: doc.markdown)
        return NotebookOutcome(preview: files.shown, headline: headline)
    }

    static func figure(w2sd: [MethodResult], s2wd: [MethodResult], strong: MethodResult, strongWeight: Double, idealWeight: Double,
                       spec: ExperimentSpec) -> Figure {
        let xAxis = Axis(label: "weak model's left weight", limits: AxisLimits(weights[0] - 0.02, (weights.last ?? 0.5) + 0.02))
        func panel(_ title: String, _ y: String, _ value: (MethodResult) -> Double, reference: (Double, String)?) -> Panel {
            var panel = Panel(title: title, xAxis: xAxis, yAxis: Axis(label: y), legend: .automatic)
            panel.add(.referenceLine(ReferenceLine(.vertical, at: strongWeight, style: LineStyle(color: .gray, width: 1, dash: [4, 4]),
                                                   label: "weak = strong (Δ₁ = 0)")))
            if let reference {
                panel.add(.referenceLine(ReferenceLine(.horizontal, at: reference.0, style: .dashed(.nearBlack, width: 1.2), label: reference.1)))
            }
            for (method, results) in [(MethodName.w2sd, w2sd), (.s2wd, s2wd)] {
                let label = MethodStyle.label(method, guidance: spec.guidance)
                panel.add(.lines(Lines(x: weights, y: results.map(value), style: LineStyle(color: MethodStyle.color(method), width: 2), label: label)))
                panel.add(.scatter(Scatter(x: weights, y: results.map(value), shape: .dot, color: MethodStyle.color(method), size: 6)))
            }
            panel.add(.lines(Lines(x: weights, y: weights.map { _ in value(strong) },
                                   style: LineStyle(color: MethodStyle.color(.strong), width: 2, dash: [8, 4]), label: "strong only")))
            return panel
        }
        let mass = panel("(a) left mass against the weak left weight", "left mass (nearest mode)", { $0.mass(left) },
                         reference: (idealWeight, "ideal weight \(Say.g(idealWeight))"))
        let w1 = panel("(b) W1 to the ideal distribution", "W1 to ideal", { $0.w1 }, reference: nil)
        return Figure(title: "Figure 11 on the 1D toy: strong left weight \(Say.g(strongWeight)), \(Say.count(spec.particles)) samples, T = \(spec.steps), seed \(spec.seed)",
                      width: 1300, height: 520, rows: 1, columns: 2, panels: [mass, w1])
    }

    static func findings(w2sd: [MethodResult], s2wd: [MethodResult], strong: MethodResult, strongWeight: Double, idealWeight: Double,
                         spec: ExperimentSpec) -> ([String], String) {
        let particles = spec.particles
        let a = w2sd.map { $0.mass(left) }, b = s2wd.map { $0.mass(left) }
        let first = Say.g(weights[0]), last = Say.g(weights.last ?? 0)
        var items: [String] = []
        items.append("As the weak left weight goes from \(first) to \(last), W2SD's left mass \(Say.trend(a, grid: weights)), and S2WD's \(Say.trend(b, grid: weights)); "
            + "strong alone stays at \(Say.f4(strong.mass(left))).")

        if let i = weights.firstIndex(where: { $0 == strongWeight }) {
            let p = strong.mass(left)
            let se = (p * (1 - p) / Double(particles)).squareRoot()
            let gap = abs(a[i] - p) / max(se, .leastNormalMagnitude)
            var text = "At weak = strong (\(Say.g(weights[i]))) Delta1 = 0: W2SD gives \(Say.f4(a[i])) and S2WD \(Say.f4(b[i]))"
            text += a[i] == b[i] ? " (identical: with equal models the two reflections are the same map)" : " (they differ by \(Say.f4(abs(a[i] - b[i]))))"
            text += ", against strong's \(Say.f4(p)). "
            text += gap > 3
                ? "That is \(Say.g(gap)) binomial standard errors sqrt(p(1 - p)/n) from strong's: with Delta1 = 0 an exact inversion would make the reflection the identity, so the difference is the `\(spec.inversion.rawValue)` inversion's own error at T = \(spec.steps)."
                : "That is within \(Say.g(gap)) binomial standard errors sqrt(p(1 - p)/n) of strong's: at this size the inversion's own error does not show."
            items.append(text)
        }
        if let x = Say.crossing(x: weights, a, b) {
            items.append("The W2SD and S2WD left-mass curves cross at a weak left weight of \(Say.g(x))\(weights.contains(x) ? "" : " (linear interpolation between grid points)") "
                + "(the strong weight is \(Say.g(strongWeight))).")
        } else {
            items.append("The W2SD and S2WD left-mass curves do not cross on this grid.")
        }
        if let x = Say.crossing(x: weights, a, weights.map { _ in idealWeight }) {
            items.append("W2SD's left mass equals the ideal weight \(Say.g(idealWeight)) at a weak left weight of about \(Say.g(x)) (linear interpolation).")
        } else {
            items.append("W2SD's left mass stays \((a.first ?? 0) < idealWeight ? "below" : "above") the ideal weight \(Say.g(idealWeight)) over the whole sweep.")
        }
        let w2sdW1 = w2sd.map(\.w1), s2wdW1 = s2wd.map(\.w1)
        let best = w2sdW1.indices.min { w2sdW1[$0] < w2sdW1[$1] } ?? 0
        let better = Say.ranges(weights, where: w2sdW1.map { $0 < strong.w1 })
        items.append("W2SD's W1 is smallest, \(Say.f4(w2sdW1[best])), at weak left weight \(Say.g(weights[best])); it is below strong's \(Say.f4(strong.w1)) "
            + (better.map { "for weak left weights \($0)" } ?? "at no weak left weight of the sweep") + ".")
        let s2wdBetter = Say.ranges(weights, where: s2wdW1.map { $0 < strong.w1 })
        items.append("S2WD's W1 is below strong's " + (s2wdBetter.map { "for weak left weights \($0)" } ?? "at no weak left weight of the sweep")
            + (weights.indices.filter { weights[$0] < strongWeight }.allSatisfy { s2wdW1[$0] > strong.w1 }
                ? "; for every weak model worse than strong (left weight below \(Say.g(strongWeight))) it is above: the swapped reflection makes the gap larger." : "."))

        let headline = "as the weak left weight rises from \(first) to \(last) through the strong \(Say.g(strongWeight)), W2SD's left mass \(Say.trend(a, grid: weights)) "
            + "and S2WD's \(Say.trend(b, grid: weights)); W2SD's W1 beats strong's \(Say.f4(strong.w1)) " + (better.map { "for weights \($0)" } ?? "nowhere") + "."
        return (items, headline)
    }
}
