import Experiments
import Foundation
import Plot
import Toy

extension Notebook {
    /// The reflection window (lambda) against the reflection strength (gamma), W2SD against strong.
    static let studyReflectionWindow = Notebook(
        name: "study-reflection-window",
        title: "Study: the reflection window lambda against gamma",
        summary: "W2SD over a lambda x gamma grid against the strong sampler on the 1D preset, the 1D missing-left toy and the 2D preset, with repeats and paired intervals",
        body: ReflectionWindowNotebook.body)
}

enum ReflectionWindowNotebook {
    static func repeats(_ settings: NotebookSettings) -> Int { settings.quick ? 2 : 3 }
    static func particles(_ settings: NotebookSettings) -> (Int) -> Int {
        { d in settings.samples(dimension: d) ?? (d == 1 ? 20_000 : 10_000) }
    }
    /// lambda as a fraction of T (lambda = min(T - 1, floor(f T)) steps reflect, from the first step).
    static func lambdaValues(_ settings: NotebookSettings) -> String { settings.quick ? "0.2T:1T:3" : "0.1T,0.25T,0.4T,0.55T,0.7T,1T" }
    static func gammaValues(_ settings: NotebookSettings) -> String { settings.quick ? "0.5:2:3" : "0.5:2:7" }

    /// One toy's sweep and what it shows.
    struct Outcome {
        var c: StudyNotebookCase
        var document: SweepDocument
        var figure: FigureFiles
    }

    static func body(_ context: inout NotebookContext) throws -> NotebookOutcome {
        let settings = context.settings
        var outcomes: [Outcome] = []
        let cases = StudyNotebookCase.cases(settings, particles: particles(settings))
        context.progress.plan(cases.count)
        for c in cases {
            var base = c.spec
            base.methods = [.w2sd]
            base.repeats = repeats(settings)
            let axes = [try SweepAxis.parse("lambda=" + lambdaValues(settings), base: base),
                        try SweepAxis.parse("gamma=" + gammaValues(settings), base: base)]
            let sweep = try Sweep(base: base, axes: axes)
            let metrics = ["W1", "on-mode:\(c.target)"]
            var strongSpec = base
            strongSpec.methods = [.strong]
            let executor = try StudyExecutor(threads: settings.threads, cells: (0..<sweep.cellCount).map { try sweep.spec(ofCell: $0) } + [strongSpec],
                                             cache: settings.cache)
            var document = try sweep.run(command: "notebooks \(context.notebook)", metrics: metrics, executor: executor)
            // Strong ignores lambda and gamma: its runs for the same seeds are the same in every cell, so they run
            // once and stand in every cell (as if the sweep had run `strong,w2sd`).
            guard let strong = try executor.run([strongSpec]).first.flatMap({ MethodMetrics.from($0).first }) else {
                throw RunError(message: "\(c.file): the strong run gave no metrics")
            }
            document.experiment.methods = [.strong, .w2sd]
            for j in document.cells.indices { document.cells[j].methods.insert(strong, at: 0) }
            try context.add("\(c.file).json", json: document)
            let files = try context.add(figure: SweepFigure.figure(document), base: c.file)
            outcomes.append(Outcome(c: c, document: document, figure: files))
            context.progress.advance()
        }

        var doc = LiterateDocument(title: "Study: the reflection window lambda against gamma", notebook: context.notebook, settings: settings)
        doc.section("Question")
        doc.paragraph("""
            The paper reflects at every step but the last (lambda = T - 1) with gamma = 1. How do the window \
            (how many of the first steps reflect) and the strength gamma decide whether W2SD improves on the strong \
            sampler, on the 1D preset, the 1D toy whose weak model misses the left mode, and the 2D preset? \
            Where does W2SD beat strong with confidence, and where does it overshoot: push the mass of the \
            under-weighted mode past it (its nearest-mode mass rises while its on-mode mass falls) or end \
            farther from the ideal distribution than strong (W1 worse)?
            """)
        doc.section("Method")
        let first = outcomes.first?.document
        doc.paragraph("""
            A sweep (`Sweep`, the library behind `toy-w2sd sweep`) over lambda = \(first?.axes[0].values.joined(separator: ", ") ?? "") \
            (fractions f of T: the first min(T - 1, floor(f T)) steps reflect) and gamma = \
            \(first?.axes[1].values.joined(separator: ", ") ?? ""), running `w2sd` in every cell and `strong` (which ignores lambda and gamma, so its runs are the same in every \
            cell) once, with \(repeats(settings)) seeds (0 ... \(repeats(settings) - 1); every cell and method of a seed starts from the same prior \
            draws, so differences are paired by seed). T = \(settings.steps) Karras steps, Euler, `paper` inversion; \
            \(Say.count(particles(settings)(1))) particles per method in 1D and \(Say.count(particles(settings)(2))) in 2D \
            (sized so the full run stays within a few minutes on two loaded cores). W1 is the exact (1D) or sliced (2D) \
            Wasserstein-1 distance to the ideal distribution; the on-mode mass of a mode is the fraction of samples \
            whose squared Mahalanobis distance to it is below the chi-square quantile at q = 0.999 (counted for the nearest \
            such mode), the nearest-mode mass the fraction nearest to it. The target is the \
            mode the strong model under-weights most (left in 1D, bottom-left in 2D). Each entry is the mean +- the \
            half-width of the 95% Student-t interval over the seeds; "beats strong" means the 95% interval of the \
            paired W1 difference W2SD - strong lies below 0, "worse" above 0. A cell "overshoots" when W2SD raises the \
            target's nearest-mode mass over strong's but lowers its on-mode mass (mass pushed past or beside the \
            mode), or is worse in W1; it "over-weights" the target when the 95% interval of the target's on-mode mass \
            lies above the mode's ideal weight (the correction goes too far).
            """)

        doc.section("Results")
        var bullets: [String] = []
        var headline = ""
        for o in outcomes {
            let (d, c) = (o.document, o.c)
            let target = "on-mode:\(c.target)", nearest = "mass:\(c.target)"
            doc.subsection(c.label)
            let lambdas = d.axes[0].values, gammas = d.axes[1].values
            // Classification grid: paired W1 difference per cell with its verdict.
            var beats: [String] = [], worse: [String] = [], overshoot: [String] = [], overweight: [String] = []
            var rows: [[String]] = []
            for (i, lambda) in lambdas.enumerated() {
                var row = [lambda]
                for (k, gamma) in gammas.enumerated() {
                    let cell = d.cells[i * gammas.count + k]
                    let paired = Say.paired(d.summary(cell: cell, method: "w2sd", metric: "W1"), d.summary(cell: cell, method: "strong", metric: "W1"))
                    let label = "lambda=\(lambda), gamma=\(gamma)"
                    var marks: [String] = []
                    switch Say.sign(paired) {
                    case "below 0": marks.append("better"); beats.append(label)
                    case "above 0": marks.append("worse"); worse.append(label)
                    default: break
                    }
                    let nearW = d.summary(cell: cell, method: "w2sd", metric: nearest)?.mean ?? .nan
                    let nearS = d.summary(cell: cell, method: "strong", metric: nearest)?.mean ?? .nan
                    let onW = d.summary(cell: cell, method: "w2sd", metric: target)?.mean ?? .nan
                    let onS = d.summary(cell: cell, method: "strong", metric: target)?.mean ?? .nan
                    if Say.f4(nearW) != Say.f4(nearS) && nearW > nearS && Say.f4(onW) != Say.f4(onS) && onW < onS {
                        marks.append("pushed past"); overshoot.append(label)
                    }
                    if let lower = d.summary(cell: cell, method: "w2sd", metric: target)?.lower, lower > c.targetWeight {
                        marks.append("over-weights"); overweight.append(label)
                    }
                    row.append((paired.map { Say.f4($0.mean) } ?? "undefined") + (marks.isEmpty ? "" : " " + marks.joined(separator: ", ")))
                }
                rows.append(row)
            }
            doc.table(TextTable(headers: ["lambda \\ gamma"] + gammas, rows: rows),
                      caption: "Paired W1 difference W2SD - strong (mean over the seeds; \"better\" / \"worse\": its 95% interval lies below / above 0; \"pushed past\": the target's nearest-mode mass rises over strong's while its on-mode mass falls):")
            doc.figure(o.figure, alt: c.label, caption: "\(c.label): W2SD's mean W1 (top) and \(c.target) on-mode mass (bottom) over the grid; circled the best cell, crosses where W2SD beats strong (paired 95% interval below 0)")

            // Findings.
            let anyCell = d.cells[0]
            let strongW1 = d.summary(cell: anyCell, method: "strong", metric: "W1")
            let strongOn = d.summary(cell: anyCell, method: "strong", metric: target)
            var items = ["Strong's W1 is \(Say.cell(strongW1)) and its \(c.target) on-mode mass \(Say.cell(strongOn)) (ideal weight \(Say.g(c.targetWeight)))."]
            if let (cell, best) = d.best(method: "w2sd", metric: "W1") {
                let paired = Say.paired(best, d.summary(cell: cell, method: "strong", metric: "W1"))
                let on = d.summary(cell: cell, method: "w2sd", metric: target)
                let verdict = Say.sign(paired) == "below 0" ? "beats strong" : Say.sign(paired) == "above 0" ? "is still worse than strong" : "is not distinguishable from strong"
                items.append("W2SD's best cell by W1 is \(label(cell, d)): W1 \(Say.cell(best)), paired difference to strong \(RepeatTable.interval(paired)), so it \(verdict) there; its \(c.target) on-mode mass is \(Say.cell(on)).")
                if o.c.file == "missing-left-1d" {
                    headline = "missing-left 1D: best W2SD cell \(label(cell, d)), W1 - strong \(RepeatTable.interval(paired))"
                }
            }
            if let (cell, best) = d.best(method: "w2sd", metric: target) {
                let nearer = Say.nearer(best.mean ?? .nan, than: strongOn?.mean ?? .nan, to: c.targetWeight)
                let comparison = nearer == "as close to" ? "as close to it as strong's" : "\(nearer) it than strong's"
                items.append("W2SD's \(c.target) on-mode mass comes closest to the ideal weight at \(label(cell, d)): \(Say.cell(best)), \(comparison) \(Say.cell(strongOn)).")
            }
            let paperLabel = "lambda=\(lambdas.last ?? ""), gamma=\(gammas.first { Double($0) == 1 } ?? "")"
            if let k = gammas.firstIndex(where: { Double($0) == 1 }) {
                let cell = d.cells[(lambdas.count - 1) * gammas.count + k]
                let paired = Say.paired(d.summary(cell: cell, method: "w2sd", metric: "W1"), d.summary(cell: cell, method: "strong", metric: "W1"))
                items.append("At the paper's setting (\(paperLabel), lambda = T - 1) W2SD's W1 is \(Say.cell(d.summary(cell: cell, method: "w2sd", metric: "W1"))), paired difference to strong \(RepeatTable.interval(paired)) (interval \(Say.sign(paired))).")
            }
            let n = d.cells.count
            items.append("W2SD beats strong in \(beats.count) of \(n) cells\(beats.isEmpty ? "" : " (" + summarise(beats, lambdas: lambdas, gammas: gammas) + ")"); it is worse in \(worse.count)\(worse.isEmpty ? "" : " (" + summarise(worse, lambdas: lambdas, gammas: gammas) + ")").")
            items.append(overshoot.isEmpty ? "In no cell does W2SD push the \(c.target) mass past its mode (nearest-mode mass up with on-mode mass down)."
                : "W2SD pushes the \(c.target) mass past its mode (nearest-mode mass up, on-mode mass down) in \(overshoot.count) cells (\(summarise(overshoot, lambdas: lambdas, gammas: gammas))).")
            items.append(overweight.isEmpty ? "In no cell does the 95% interval of W2SD's \(c.target) on-mode mass lie above the ideal weight \(Say.g(c.targetWeight))."
                : "W2SD over-weights the \(c.target) mode (95% interval of its on-mode mass above the ideal weight \(Say.g(c.targetWeight))) in \(overweight.count) cells (\(summarise(overweight, lambdas: lambdas, gammas: gammas))).")
            doc.bullets(items)
            bullets.append("\(c.label): beats strong in \(beats.count) of \(n) cells, worse in \(worse.count), pushes the \(c.target) mass past its mode in \(overshoot.count), over-weights it in \(overweight.count).")
        }

        doc.section("What this run shows")
        doc.bullets(bullets)
        doc.changes(ChangeNotes.metrics)
        try context.add("README.md", text: doc.markdown)
        return NotebookOutcome(preview: outcomes.first { $0.c.file == "missing-left-1d" }?.figure.shown ?? outcomes[0].figure.shown,
                               headline: headline.isEmpty ? bullets.first ?? "" : headline)
    }

    /// "lambda=0.4T, gamma=1.667".
    static func label(_ cell: SweepDocument.Cell, _ d: SweepDocument) -> String {
        zip(d.axes, cell.values).map { "\($0.name)=\($1)" }.joined(separator: ", ")
    }

    /// Cell labels grouped by lambda: "lambda=0.1T at gamma 0.333 to 1; lambda=0.4T at gamma 2".
    static func summarise(_ labels: [String], lambdas: [String], gammas: [String]) -> String {
        lambdas.compactMap { lambda -> String? in
            let present = gammas.map { labels.contains("lambda=\(lambda), gamma=\($0)") }
            let numbers = gammas.compactMap(Double.init)
            guard present.contains(true), numbers.count == gammas.count, let text = Say.ranges(numbers, where: present) else { return nil }
            return "lambda \(lambda) at gamma \(text)"
        }.joined(separator: "; ")
    }
}
