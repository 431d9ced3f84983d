import Experiments
import Foundation
import Plot
import Toy

extension Notebook {
    /// The equal-budget frontier: every method at the largest T its evaluation budget allows.
    static let studyEqualBudget = Notebook(
        name: "study-equal-budget",
        title: "Study: W2SD against its alternatives at equal cost",
        summary: "strong (Euler, Heun), autoguidance (w = 1.5, 2, 3) and W2SD (gamma 1, 0.5) at equal score evaluations per particle on the 1D preset, the 1D missing-left toy and the 2D preset",
        body: EqualBudgetNotebook.body)
}

enum EqualBudgetNotebook {
    static let variantNames = ["strong-euler", "strong-heun", "autoguidance:w=1.5", "autoguidance:w=2", "autoguidance:w=3",
                               "w2sd:gamma=1", "w2sd:gamma=0.5"]
    static func budgets(_ settings: NotebookSettings) -> [Int] { settings.quick ? [12, 25] : [25, 50, 100, 200, 400] }
    static func repeats(_ settings: NotebookSettings) -> Int { settings.quick ? 2 : 3 }
    static func particles(_ settings: NotebookSettings) -> (Int) -> Int {
        { d in settings.samples(dimension: d) ?? (d == 1 ? 20_000 : 10_000) }
    }

    struct Outcome {
        var c: StudyNotebookCase
        var document: FrontierDocument
        var figure: FigureFiles
    }

    static func isW2SD(_ variant: String) -> Bool { variant.hasPrefix("w2sd") }

    static func body(_ context: inout NotebookContext) throws -> NotebookOutcome {
        let settings = context.settings
        let variants = try variantNames.map(FrontierVariant.parse)
        var outcomes: [Outcome] = []
        for c in StudyNotebookCase.cases(settings, particles: particles(settings)) {
            var base = c.spec
            base.repeats = repeats(settings)
            let frontier = try Frontier(base: base, budgets: budgets(settings), variants: variants)
            let specs = try (0..<frontier.cellCount).compactMap { try frontier.spec(ofCell: $0) }
            let executor = try StudyExecutor(threads: settings.threads, cells: specs)
            let metrics = ["W1", "W2", "on-mode:\(c.target)", "spurious"]
            let document = try frontier.run(command: "notebooks \(context.notebook)", metrics: metrics, executor: executor)
            try context.add("\(c.file).json", json: document)
            let files = try context.add(figure: FrontierFigure.figure(document), base: c.file)
            outcomes.append(Outcome(c: c, document: document, figure: files))
        }

        var doc = LiterateDocument(title: "Study: W2SD against its alternatives at equal cost", notebook: context.notebook, settings: settings)
        doc.section("Question")
        doc.paragraph("""
            W2SD spends three score evaluations per reflected step (strong step, weak inversion, strong step) where \
            the strong Euler sampler spends one. Given the same number of score evaluations per particle, is W2SD \
            better than spending them on more strong steps, a second-order solver, or autoguidance (which also uses \
            the weak model, at two evaluations per step)? Is W2SD ever on the Pareto front of cost against quality?
            """)
        doc.section("Method")
        doc.paragraph("""
            The equal-budget frontier (`Frontier`, the library behind `toy-w2sd frontier`): for each budget \
            B = \(budgets(settings).map(String.init).joined(separator: ", ")) score evaluations per particle and each variant \
            (\(variantNames.map { "`\($0)`" }.joined(separator: ", "))) the largest T >= 2 whose exact evaluation count per \
            particle does not exceed B (counted on one particle; bisection), then that variant's metrics at that T. \
            W2SD reflects at every step but the last (lambda = T - 1), `paper` inversion, Euler steps; strong-heun takes \
            Heun steps (two evaluations each). \(repeats(settings)) seeds (0 ... \(repeats(settings) - 1)), the same prior draws \
            for every variant and budget; \(Say.count(particles(settings)(1))) particles in 1D and \(Say.count(particles(settings)(2))) \
            in 2D (sized so the full run stays within a few minutes on two loaded cores). Metrics: W1 and W2 to the \
            ideal distribution (exact in 1D, sliced in 2D), the on-mode mass of the mode the strong model \
            under-weights most (squared Mahalanobis distance below the chi-square quantile at q = 0.999, nearest such \
            mode; best closest to its ideal weight) and the spurious fraction (samples outside every ideal mode's \
            window: 0.001 for exact samples). Entries are mean +- the \
            half-width of the 95% Student-t interval; a paired difference takes the per-seed differences.
            """)

        doc.section("Results")
        var summary: [String] = []
        var headline = ""
        for o in outcomes {
            let (d, c) = (o.document, o.c)
            doc.subsection(c.label)
            let metrics = d.metrics
            // Table: per budget and variant, T, evaluations and the metrics.
            var rows: [[String]] = []
            for cell in d.cells {
                let first = cell.variant == d.variants.first
                guard cell.available, let m = cell.metrics else {
                    rows.append([first ? "\(cell.budget)" : "", cell.variant, "unavailable", ""] + metrics.map { _ in "" })
                    continue
                }
                rows.append([first ? "\(cell.budget)" : "", cell.variant, cell.steps.map(String.init) ?? "", cell.evaluationsPerParticle.map(String.init) ?? ""]
                            + metrics.map { Say.cell(m[$0]) })
            }
            doc.table(TextTable(headers: ["budget", "variant", "T", "evals/particle"] + metrics, rows: rows),
                      caption: "Every budget and variant (mean +- 95% half-width over the seeds):")
            doc.figure(o.figure, alt: c.label, caption: "\(c.label): each metric against score evaluations per particle (log axis), 95% bands, the Pareto front circled")

            // Best per budget by W1 and by the target's on-mode mass; the best W2SD against it.
            var bestRows: [[String]] = []
            var w2sdWins = 0, w2sdClearWins = 0
            for budget in d.budgets {
                let cells = d.cells.filter { $0.budget == budget && $0.available }
                var row = ["\(budget)"]
                for metric in ["W1", "on-mode:\(c.target)"] {
                    let goal = MetricGoal(metric: metric, spec: d.experiment)
                    let ranked = cells.compactMap { cell in cell.metrics?[metric].flatMap { s in s.mean.map { (cell, s, goal.badness($0)) } } }
                        .sorted { $0.2 < $1.2 }
                    guard let best = ranked.first else { row += ["undefined", "undefined"]; continue }
                    row.append("\(best.0.variant): \(Say.cell(best.1))")
                    if metric == "W1" {
                        if isW2SD(best.0.variant) { w2sdWins += 1 }
                        let w2sd = ranked.first { isW2SD($0.0.variant) }
                        if let w2sd, !isW2SD(best.0.variant) {
                            let paired = Say.paired(w2sd.1, best.1)
                            row.append("\(w2sd.0.variant): \(Say.cell(w2sd.1)); minus best \(RepeatTable.interval(paired))")
                        } else if let w2sd {
                            let other = ranked.first { !isW2SD($0.0.variant) }
                            let paired = Say.paired(w2sd.1, other?.1)
                            if Say.sign(paired) == "below 0" { w2sdClearWins += 1 }
                            row.append("W2SD is best; minus the best other (\(other?.0.variant ?? "none")) \(RepeatTable.interval(paired))")
                        } else {
                            row.append("unavailable")
                        }
                    }
                }
                bestRows.append(row)
            }
            doc.table(TextTable(headers: ["budget", "best by W1", "best W2SD by W1 (paired to the best)", "best by \(c.target) on-mode (closest to \(Say.g(c.targetWeight)))"], rows: bestRows),
                      caption: "The best variant at each budget (mean +- 95% half-width; paired difference with its 95% interval):")

            var items: [String] = []
            for (b, budget) in d.budgets.enumerated() {
                items.append("At \(budget) evaluations per particle the lowest W1 is \(bestRows[b][1]); the best W2SD variant: \(bestRows[b][2]).")
            }
            for metric in metrics {
                let front = Set(d.paretoFront(metric: metric))
                let onFront = d.cells.filter { front.contains($0.index) }
                let w2sd = onFront.filter { isW2SD($0.variant) }
                let methods = Array(Set(onFront.map(\.variant))).sorted()
                // A point spending fewer evaluations than every other variant's cheapest point is on the front by cost alone.
                let cheapestOther = d.cells.filter { $0.available && !isW2SD($0.variant) }.compactMap(\.evaluationsPerParticle).min() ?? 0
                let placed = w2sd.map { cell -> String in
                    let e = cell.evaluationsPerParticle ?? 0
                    return "\(cell.variant) (\(e) evaluations\(e < cheapestOther ? ", fewer than any other method's cheapest point, so on the front by cost alone" : ""))"
                }
                items.append("Pareto front of (evaluations, \(metric)): \(methods.joined(separator: ", ")); W2SD is \(w2sd.isEmpty ? "never on it" : "on it at " + placed.joined(separator: ", ")).")
            }
            doc.bullets(items)
            let w1Front = Set(d.paretoFront(metric: "W1"))
            let cheapestOther = d.cells.filter { $0.available && !isW2SD($0.variant) }.compactMap(\.evaluationsPerParticle).min() ?? 0
            let w2sdOnW1 = d.cells.contains { w1Front.contains($0.index) && isW2SD($0.variant) && ($0.evaluationsPerParticle ?? 0) >= cheapestOther }
            let bestAtTop = bestRows.last?[1] ?? ""
            summary.append("\(c.label): W2SD has the lowest mean W1 at \(w2sdWins) of \(d.budgets.count) budgets, at \(w2sdClearWins) of them with the paired 95% interval against the best other variant below 0, and is \(w2sdOnW1 ? "" : "never ")on the (evaluations, W1) Pareto front\(w2sdOnW1 ? "" : " (other than by spending fewer evaluations than any other method)"); at \(d.budgets.last ?? 0) evaluations the best is \(bestAtTop).")
            if c.file == "preset-1d" { headline = "1D preset: W2SD lowest in W1 at \(w2sdWins) of \(d.budgets.count) budgets; at \(d.budgets.last ?? 0) evaluations the best is \(bestAtTop)" }
        }
        doc.section("What this run shows")
        doc.bullets(summary)
        try context.add("README.md", text: doc.markdown)
        return NotebookOutcome(preview: outcomes[0].figure.shown, headline: headline.isEmpty ? summary.first ?? "" : headline)
    }
}
