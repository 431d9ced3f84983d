import Experiments
import Foundation
import Plot
import Toy

extension Notebook {
    /// Table 13 of the paper: W2SD with a noisy inversion.
    static let inversionError = Notebook(
        name: "table-13-inversion-error",
        title: "Table 13: W2SD with inversion error",
        summary: "W2SD on the 1D preset when its weak inversion uses s_w + k eps, k = 0 ... 1, against strong-only sampling",
        body: InversionErrorNotebook.body)
}

enum InversionErrorNotebook {
    /// The inversion errors k of the table.
    static let strengths: [Double] = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1]
    static let left = 0
    static let right = 1

    struct Row: Encodable {
        var inversionError: Double
        var report: ExperimentReport
    }

    /// `inversion-error.json`: the strong-only run and the W2SD run of every k.
    struct Document: Encodable {
        var schema = "toy-w2sd.notebook.inversion-error/1"
        var version = ToolVersion.current
        var toolkit = Toolkit.current
        var strong: ExperimentReport
        var rows: [Row]
    }

    static func body(_ context: inout NotebookContext) throws -> NotebookOutcome {
        let settings = context.settings
        var base = settings.scaled(.preset(dimension: 1))
        base.methods = [.strong]
        context.progress.plan(1 + strengths.count)
        let strongRun = try context.run(base)
        context.progress.advance()
        let strong = try strongRun.result(.strong)
        var runs: [ExperimentRun] = []
        for k in strengths {
            var spec = base
            spec.methods = [.w2sd]
            spec.inversionError = k
            runs.append(try context.run(spec))
            context.progress.advance()
        }
        let w2sd = try runs.map { try $0.result(.w2sd) }
        let idealModel = strongRun.models.ideal
        let sd = idealModel.components[right].covariance[0].squareRoot()

        var doc = LiterateDocument(title: "Table 13 of the paper: W2SD with inversion error", notebook: context.notebook, settings: settings)
        doc.section("Question")
        doc.paragraph("""
            W2SD needs the weak model's inversion. The paper's Table 13 perturbs it and reports that the gain shrinks as \
            the error grows. Here the weak score used in the inversion is s_w + k eps with fresh standard normal eps at \
            every evaluation: how does W2SD's outcome change with k, and from which k is it worse than strong-only sampling?
            """)
        doc.section("Method")
        doc.paragraph("""
            The 1D preset (\(Say.models(base))); W2SD with k = \(strengths.map(Say.g).joined(separator: ", ")), each run from \
            the same prior draws as the strong-only reference: \(Say.settings(base)). Left mass: fraction of samples \
            nearest to the left ideal mode (ideal weight \(Say.g(idealModel.components[left].weight))); W1: the exact 1D \
            Wasserstein-1 distance to the ideal distribution.
            """)
        let table = TextTable(
            headers: ["k", "W2SD left mass", "left mean", "left std", "right std", "W2SD W1", "W1 - strong W1"],
            rows: strengths.indices.map { i in
                let r = w2sd[i]
                return [Say.g(strengths[i]), Say.f4(r.mass(left)),
                        r.mode(left).map { $0.count > 0 ? Say.f3($0.mean[0]) : "-" } ?? "-", r.mode(left).map { $0.count > 1 ? Say.f3($0.std[0]) : "-" } ?? "-",
                        r.mode(right).map { $0.count > 1 ? Say.f3($0.std[0]) : "-" } ?? "-", Say.f4(r.w1), Say.f4(r.w1 - strong.w1)]
            }, alignments: Array(repeating: .right, count: 7))
        doc.section("Results")
        doc.paragraph("Strong only: left mass \(Say.f4(strong.mass(left))), left std \(strong.mode(left).map { Say.f3($0.std[0]) } ?? "-"), "
            + "right std \(strong.mode(right).map { Say.f3($0.std[0]) } ?? "-"), W1 \(Say.f4(strong.w1)). The ideal modes have std \(Say.f3(sd)).")
        doc.table(table, caption: "W2SD per inversion error k (`inversion-error.json` holds every run in full):")
        let files = try context.add(figure: figure(w2sd: w2sd, strong: strong, idealWeight: idealModel.components[left].weight, spec: base), base: "inversion-error")
        doc.figure(files, alt: "W1 and left mass against the inversion error k", caption: """
            (a) W2SD's W1 to the ideal distribution against k > 0 on a log axis, with W2SD at k = 0 and strong-only sampling \
            as horizontal lines; (b) the left mass, with the ideal weight
            """)
        let (items, headline) = findings(w2sd: w2sd, strong: strong, sd: sd)
        doc.section("What this run shows")
        doc.bullets(items)
        doc.section("Files")
        doc.bullets(["`inversion-error.svg`\(files.png.map { ", `\($0)`" } ?? ""): the figure",
                     "`inversion-error.json`: the strong-only run and the W2SD run per k (schema `toy-w2sd.experiment/3` each; `sampler.inversionError` holds k)"])
        try context.add("inversion-error.json", json: Document(strong: context.report(strongRun),
                                                               rows: zip(strengths, runs).map { Row(inversionError: $0, report: context.report($1)) }))
        try context.add("README.md", text: doc.markdown)
        return NotebookOutcome(preview: files.shown, headline: headline)
    }

    static func figure(w2sd: [MethodResult], strong: MethodResult, idealWeight: Double, spec: ExperimentSpec) -> Figure {
        let positive = strengths.indices.filter { strengths[$0] > 0 }
        let ks = positive.map { strengths[$0] }
        let atZero = strengths.firstIndex(of: 0).map { w2sd[$0] }
        let xAxis = Axis(label: "inversion error k (log scale)", scale: .log)
        func panel(_ title: String, _ y: String, scale: Scale, _ value: (MethodResult) -> Double, ideal: Double?) -> Panel {
            // Reference lines do not widen automatic limits: the limits span the points and every reference.
            let shown = positive.map { value(w2sd[$0]) } + [value(strong)] + (atZero.map { [value($0)] } ?? []) + (ideal.map { [$0] } ?? [])
            let (lo, hi) = (shown.min() ?? 0, shown.max() ?? 1)
            let limits = scale == .log ? AxisLimits(lo / 1.25, hi * 1.25) : AxisLimits(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo))
            var panel = Panel(title: title, xAxis: xAxis, yAxis: Axis(label: y, scale: scale, limits: limits), legend: .automatic)
            panel.add(.lines(Lines(x: ks, y: positive.map { value(w2sd[$0]) }, style: LineStyle(color: MethodStyle.color(.w2sd), width: 2), label: "W2SD, k > 0")))
            panel.add(.scatter(Scatter(x: ks, y: positive.map { value(w2sd[$0]) }, shape: .dot, color: MethodStyle.color(.w2sd), size: 6)))
            if let atZero {
                panel.add(.referenceLine(ReferenceLine(.horizontal, at: value(atZero), style: .dashed(MethodStyle.color(.w2sd), width: 1.5),
                                                       label: "W2SD, k = 0: \(Say.f4(value(atZero)))")))
            }
            panel.add(.referenceLine(ReferenceLine(.horizontal, at: value(strong), style: .dashed(MethodStyle.color(.strong), width: 1.5),
                                                   label: "strong only: \(Say.f4(value(strong)))")))
            if let ideal {
                panel.add(.referenceLine(ReferenceLine(.horizontal, at: ideal, style: LineStyle(color: .nearBlack, width: 1, dash: [2, 3]),
                                                       label: "ideal weight \(Say.g(ideal))")))
            }
            return panel
        }
        return Figure(title: "Table 13 on the 1D toy: W2SD inverting with s_w + k ε — \(Say.count(spec.particles)) samples, T = \(spec.steps), seed \(spec.seed)",
                      width: 1300, height: 520, rows: 1, columns: 2,
                      panels: [panel("(a) W1 to the ideal distribution", "W1 to ideal (log scale)", scale: .log, { $0.w1 }, ideal: nil),
                               panel("(b) left mass", "left mass (nearest mode)", scale: .linear, { $0.mass(left) }, ideal: idealWeight)])
    }

    static func findings(w2sd: [MethodResult], strong: MethodResult, sd: Double) -> ([String], String) {
        let w1 = w2sd.map(\.w1)
        var items: [String] = []
        items.append("W2SD's W1 \(Say.trend(w1, grid: strengths)) as k goes from \(Say.g(strengths[0])) to \(Say.g(strengths.last ?? 0)).")
        let best = w1.indices.min { w1[$0] < w1[$1] } ?? 0
        if strengths[best] == 0 {
            items.append("The smallest W1, \(Say.f4(w1[best])), is at k = 0: any inversion error tested makes W2SD's outcome worse.")
        } else if let zero = strengths.firstIndex(of: 0) {
            let stdAt = { (i: Int) in w2sd[i].mode(right).map { $0.count > 1 ? $0.std[0] : .nan } ?? .nan }
            items.append("The smallest W1, \(Say.f4(w1[best])), is at k = \(Say.g(strengths[best])), not at k = 0 (\(Say.f4(w1[zero]))): a little noise in the inversion helps here. "
                + "W2SD's right mode has std \(Say.f3(stdAt(zero))) at k = 0 and \(Say.f3(stdAt(best))) at k = \(Say.g(strengths[best])) against the ideal \(Say.f3(sd)): "
                + "\(Say.nearer(stdAt(best), than: stdAt(zero), to: sd, format: Say.f3)) the ideal spread with the noise.")
        }
        let beats = Say.ranges(strengths, where: w1.map { $0 < strong.w1 })
        let loses = Say.ranges(strengths, where: w1.map { $0 >= strong.w1 })
        items.append("Against strong-only sampling (W1 \(Say.f4(strong.w1))): W2SD is closer to the ideal distribution "
            + (beats.map { "for k = \($0)" } ?? "for no k tested") + (loses.map { " and not closer for k = \($0)" } ?? "") + ".")
        let gains = w1.map { strong.w1 - $0 }
        items.append("The gain over strong-only, W1(strong) - W1(W2SD), is \(Say.f4(gains.first ?? 0)) at k = \(Say.g(strengths[0])) and \(Say.f4(gains.last ?? 0)) at k = \(Say.g(strengths.last ?? 0))"
            + ((gains.last ?? 0) < 0 ? " (a loss)" : "") + ": the gain " + ((gains.last ?? 0) < (gains.first ?? 0) ? "shrinks" : "does not shrink") + " between the smallest and the largest k.")
        let headline = "W2SD's W1 is \(Say.f4(w1.first ?? 0)) at k = 0, smallest (\(Say.f4(w1[best]))) at k = \(Say.g(strengths[best])) and \(Say.f4(w1.last ?? 0)) at k = \(Say.g(strengths.last ?? 0)), "
            + "against \(Say.f4(strong.w1)) for strong only" + (beats.map { "; W2SD is closer to the ideal for k = \($0)" } ?? "; W2SD is never closer to the ideal") + "."
        return (items, headline)
    }
}
