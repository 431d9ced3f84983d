import Experiments
import Foundation
import Plot
import Toy

extension Notebook {
    /// Convergence in T: each method's limit, its discretisation error and W2SD's inversion bias.
    static let studyConvergenceInT = Notebook(
        name: "study-convergence-in-t",
        title: "Study: convergence in the number of steps T",
        summary: "strong, W2SD (paper and exact inversion), autoguidance w = 2 and the ideal model sampled, for T = 10 ... 400 against the exact floor, on the two 1D toys",
        body: ConvergenceNotebook.body)
}

enum ConvergenceNotebook {
    static func steps(_ settings: NotebookSettings) -> String { settings.quick ? "4,8,16" : "10,20,50,100,200,400" }
    static func repeats(_ settings: NotebookSettings) -> Int { settings.quick ? 2 : 3 }
    static func particles(_ settings: NotebookSettings) -> (Int) -> Int {
        { d in settings.samples(dimension: d) ?? 10_000 }
    }
    /// The methods of the main sweep (`paper` inversion); W2SD with `exact` inversion runs in a second
    /// sweep over the same T and seeds.
    static let methods: [MethodName] = [.exact, .exactStrong, .idealSampled, .strong, .autoguidance, .w2sd]

    /// One series of the study: a method, or W2SD with exact inversion.
    struct Series {
        var key: String
        var label: String
        var method: MethodName
        var document: SweepDocument
        var dashed: Bool
        func summary(_ cell: Int, _ metric: String) -> MetricSummary? {
            document.summary(cell: document.cells[cell], method: method.rawValue, metric: metric)
        }
    }

    struct Outcome {
        var c: StudyNotebookCase
        var series: [Series]
        var steps: [Double]
        func series(_ key: String) -> Series? { series.first { $0.key == key } }
    }

    static func body(_ context: inout NotebookContext) throws -> NotebookOutcome {
        let settings = context.settings
        var outcomes: [Outcome] = []
        let cases = StudyNotebookCase.cases(settings, dimensions: [1], particles: particles(settings))
        context.progress.plan(2 * cases.count)
        for c in cases {
            var base = c.spec
            base.methods = methods
            base.repeats = repeats(settings)
            base.guidance = 2
            var exactBase = base
            exactBase.methods = [.w2sd]
            exactBase.inversion = .exact
            var documents: [SweepDocument] = []
            for b in [base, exactBase] {
                let sweep = try Sweep(base: b, axes: [try SweepAxis.parse("steps=" + steps(settings), base: b)])
                let executor = try StudyExecutor(threads: settings.threads, cells: (0..<sweep.cellCount).map { try sweep.spec(ofCell: $0) },
                                                 cache: settings.cache)
                documents.append(try sweep.run(command: "notebooks \(context.notebook)", metrics: ["W1", "on-mode:\(c.target)"], executor: executor))
                context.progress.advance()
            }
            try context.add("\(c.file).json", json: documents[0])
            try context.add("\(c.file)-w2sd-exact-inversion.json", json: documents[1])
            let label = { (m: MethodName) in MethodStyle.label(m, guidance: base.guidance) }
            var series = methods.map { Series(key: $0.rawValue, label: label($0), method: $0, document: documents[0], dashed: $0.isExact) }
            if let i = series.firstIndex(where: { $0.method == .w2sd }) { series[i].label += " (paper inversion)" }
            series.append(Series(key: "w2sd-exact", label: label(.w2sd) + " (exact inversion)", method: .w2sd, document: documents[1], dashed: true))
            outcomes.append(Outcome(c: c, series: series, steps: documents[0].axes[0].coordinates ?? []))
        }
        let figure = try context.add(figure: try makeFigure(outcomes), base: "convergence")

        var doc = LiterateDocument(title: "Study: convergence in the number of steps T", notebook: context.notebook, settings: settings)
        doc.section("Question")
        doc.paragraph("""
            A sampler's distance to the ideal distribution mixes three things: the limit it converges to as T grows \
            (its model: strong converges to the strong mixture), its discretisation error at finite T, and for W2SD the \
            bias of the `paper` inversion (a first-order step back up, which does not undo the step down). Which part \
            makes W2SD better or worse than strong at the paper's T = 50, and what is each method's limit?
            """)
        doc.section("Method")
        doc.paragraph("""
            Two sweeps over T = \(steps(settings)) (Karras steps, Euler, lambda = T - 1, gamma = 1, guidance w = 2) with \
            \(repeats(settings)) seeds (0 ... \(repeats(settings) - 1), the same prior draws for every method and T) and \
            \(Say.count(particles(settings)(1))) particles per method (sized so the full run stays within a few minutes on \
            two loaded cores): the first runs \(methods.map { "`\($0.rawValue)`" }.joined(separator: ", ")) with `paper` \
            inversion; the second runs `w2sd` with `exact` inversion (the step down inverted to the solver's tolerance). \
            `exact` draws i.i.d. ideal samples: its W1 is the finite-sample floor. `exact-strong` draws i.i.d. samples of \
            the strong mixture: the limit of the strong sampler as T grows. `ideal-sampled` runs the sampler on the \
            ideal model: its excess over the floor is the discretisation error alone. The decompositions are paired \
            per seed: strong - exact-strong (strong's discretisation), W2SD paper - W2SD exact (the inversion bias), \
            W2SD exact - autoguidance (how far the reflection without inversion bias is from guidance with w = 2, \
            which it approaches as the steps shrink). Entries are mean +- the half-width of the 95% Student-t interval.
            """)
        doc.section("Results")
        // The figure's letters: row r holds (2r + 1)-th and (2r + 2)-th panels, W1 then on-mode mass.
        func letters(column: Int) -> String {
            outcomes.indices.map { "(" + String(UnicodeScalar(UInt8(97 + 2 * $0 + column))) + ")" }.joined(separator: ", ")
        }
        doc.figure(figure, alt: "W1 against T", caption: "One row per toy: \(letters(column: 0)) W1 against T (log-log; exact floors dashed grey and black); "
                   + "\(letters(column: 1)) the under-weighted left mode's on-mode mass (log T; the ideal weight as a line); 95% bands")
        var findings: [String] = []
        var headline = ""
        for o in outcomes {
            let c = o.c
            doc.subsection(c.label)
            let ts = o.steps.map { Say.g($0) }
            let rows = ts.indices.map { i in [ts[i]] + o.series.map { Say.cell($0.summary(i, "W1")) } }
            doc.table(TextTable(headers: ["T"] + o.series.map(\.label), rows: rows), caption: "W1 (mean +- 95% half-width):")
            let onRows = ts.indices.map { i in [ts[i]] + o.series.map { Say.cell($0.summary(i, "on-mode:\(c.target)")) } }
            doc.table(TextTable(headers: ["T"] + o.series.map(\.label), rows: onRows),
                      caption: "\(c.target) on-mode mass (ideal weight \(Say.g(c.targetWeight))):")
            guard let exact = o.series("exact"), let exactStrong = o.series("exact-strong"), let ideal = o.series("ideal-sampled"),
                  let strong = o.series("strong"), let auto = o.series("autoguidance"), let paper = o.series("w2sd"),
                  let inverted = o.series("w2sd-exact") else { throw RunError(message: "convergence: a series is missing") }
            func paired(_ a: Series, _ b: Series, _ i: Int, _ metric: String = "W1") -> RepeatSummary? { Say.paired(a.summary(i, metric), b.summary(i, metric)) }
            let decomposition = ts.indices.map { i in
                [ts[i], RepeatTable.interval(paired(ideal, exact, i)), RepeatTable.interval(paired(strong, exactStrong, i)),
                 RepeatTable.interval(paired(paper, inverted, i)), RepeatTable.interval(paired(inverted, auto, i)), RepeatTable.interval(paired(paper, strong, i))]
            }
            doc.table(TextTable(headers: ["T", "ideal-sampled - exact", "strong - exact-strong", "W2SD paper - W2SD exact", "W2SD exact - autoguidance", "W2SD paper - strong"],
                                rows: decomposition),
                      caption: "Paired W1 differences (mean [95% interval]):")

            let last = ts.count - 1
            let mean = { (s: Series, i: Int) in s.summary(i, "W1")?.mean ?? .nan }
            let floor = ts.indices.map { mean(exact, $0) }.reduce(0, +) / Double(max(1, ts.count))
            var items: [String] = []
            items.append("The exact floor (i.i.d. ideal samples) is W1 \(Say.f4(floor)) on average over the cells; the strong model itself (exact-strong) is at \(Say.cell(exactStrong.summary(last, "W1"))).")
            items.append("The sampler's discretisation error on the ideal model (ideal-sampled - exact) \(Say.trend(ts.indices.map { paired(ideal, exact, $0)?.mean ?? .nan }, grid: o.steps)) as T goes from \(ts[0]) to \(ts[last]); at T = \(ts[last]) it is \(RepeatTable.interval(paired(ideal, exact, last))).")
            items.append("Strong's W1 \(Say.trend(ts.indices.map { mean(strong, $0) }, grid: o.steps)); at T = \(ts[last]) its distance to its limit (strong - exact-strong) is \(RepeatTable.interval(paired(strong, exactStrong, last))) (interval \(Say.sign(paired(strong, exactStrong, last)))).")
            let bias = ts.indices.map { paired(paper, inverted, $0) }
            let biasSigns = bias.map { Say.sign($0) }
            let significant = Say.ranges(o.steps, where: biasSigns.map { $0 != "contains 0" && $0 != "undefined" }).map { "T = " + $0 } ?? "no T"
            items.append("W2SD's inversion bias (paper - exact inversion, paired) \(Say.trend(bias.map { $0?.mean ?? .nan }, grid: o.steps)); its 95% interval excludes 0 at \(significant); at T = \(ts[0]) it is \(RepeatTable.interval(bias[0])), at T = \(ts[last]) \(RepeatTable.interval(bias[last])).")
            items.append("W2SD with exact inversion \(Say.trend(ts.indices.map { mean(inverted, $0) }, grid: o.steps)); at T = \(ts[last]) it is \(Say.cell(inverted.summary(last, "W1"))) against autoguidance's \(Say.cell(auto.summary(last, "W1"))) (paired difference \(RepeatTable.interval(paired(inverted, auto, last))), interval \(Say.sign(paired(inverted, auto, last)))).")
            let vsStrong = ts.indices.map { Say.sign(paired(paper, strong, $0)) }
            let better = Say.ranges(o.steps, where: vsStrong.map { $0 == "below 0" }).map { "T = " + $0 } ?? "no T"
            let worse = Say.ranges(o.steps, where: vsStrong.map { $0 == "above 0" }).map { "T = " + $0 } ?? "no T"
            items.append("W2SD (paper inversion) beats strong (paired 95% interval below 0) at \(better) and is worse at \(worse).")
            if let i50 = o.steps.firstIndex(of: 50) {
                let total = paired(paper, strong, i50), inversion = paired(paper, inverted, i50)
                items.append("At the paper's T = 50: W2SD paper - strong is \(RepeatTable.interval(total)), of which the inversion bias (paper - exact inversion) is \(RepeatTable.interval(inversion)); with exact inversion W2SD - strong would be \(RepeatTable.interval(paired(inverted, strong, i50))).")
                if c.file == "preset-1d" { headline = "1D preset, T = 50: W2SD paper - strong W1 \(RepeatTable.interval(total)), inversion bias \(RepeatTable.interval(inversion))" }
            }
            let candidates = o.series.filter { !$0.method.isExact }
            if let best = candidates.min(by: { mean($0, last) < mean($1, last) }) {
                items.append("At T = \(ts[last]) the lowest W1 is \(best.label)'s, \(Say.cell(best.summary(last, "W1"))).")
            }
            doc.bullets(items)
            findings.append("\(c.label): " + items[3] + " " + items[5])
        }
        doc.section("What this run shows")
        doc.bullets(findings)
        doc.changes(ChangeNotes.metrics)
        try context.add("README.md", text: doc.markdown)
        return NotebookOutcome(preview: figure.shown, headline: headline.isEmpty ? findings.first ?? "" : headline)
    }

    /// Per toy a row: W1 against T (log-log) and the target's on-mode mass against T (log T), every
    /// series with its 95% band. Band ends at or below 0 are clipped to a tenth of the smallest
    /// positive mean on the log axis.
    static func makeFigure(_ outcomes: [Outcome]) throws -> Figure {
        var panels: [Panel] = []
        for o in outcomes {
            let x = o.steps
            var w1 = Panel(title: "\(o.c.label): W1 against T", xAxis: Axis(label: "T (steps)", scale: .log),
                           yAxis: Axis(label: "W1 to the ideal distribution", scale: .log), legend: .hidden)
            // Every corner holds a line or a band: the row's one legend stands right of its second panel.
            var on = Panel(title: "\(o.c.label): \(o.c.target) on-mode mass", xAxis: Axis(label: "T (steps)", scale: .log),
                           yAxis: Axis(label: "on-mode mass of \(o.c.target)"), legend: .outsideRight)
            on.add(.referenceLine(ReferenceLine(.horizontal, at: o.c.targetWeight, style: LineStyle(color: .gray, width: 1, dash: [4, 3]))))
            let positive = o.series.flatMap { s in x.indices.compactMap { s.summary($0, "W1")?.mean } }.filter { $0 > 0 }
            let clip = (positive.min() ?? 1e-3) / 10
            for s in o.series {
                let color = s.method == .exactStrong ? Color.gray : s.key == "w2sd-exact" ? MethodStyle.color(.w2sd).mixed(with: .white, fraction: 0.35)
                    : MethodStyle.color(s.method)
                let style = LineStyle(color: color, width: 2, dash: s.dashed ? [6, 3] : [])
                for (panel, metric, logY) in [(0, "W1", true), (1, "on-mode:\(o.c.target)", false)] {
                    let sums = x.indices.map { s.summary($0, metric) }
                    let mean = sums.map { $0?.mean ?? .nan }
                    let lower = sums.map { v -> Double in let l = v?.lower ?? .nan; return logY ? max(l, clip) : l }
                    let upper = sums.map { $0?.upper ?? .nan }
                    let marks: [Mark] = [.band(Band(x: x, lower: lower, upper: upper, color: color, opacity: 0.15)),
                                         .lines(Lines(x: x, y: logY ? mean.map { max($0, clip) } : mean, style: style, label: s.label)),
                                         .scatter(Scatter(x: x, y: logY ? mean.map { max($0, clip) } : mean, shape: .dot, color: color, size: 5))]
                    for m in marks { if panel == 0 { w1.add(m) } else { on.add(m) } }
                }
            }
            panels += [w1, on]
        }
        var figure = Figure(title: "Convergence in T: W1 and on-mode mass, mean and 95% interval over the seeds", width: 1500,
                            height: 560 * outcomes.count, rows: outcomes.count, columns: 2, panels: panels)
        figure.lettersPanels = true
        return figure
    }
}
