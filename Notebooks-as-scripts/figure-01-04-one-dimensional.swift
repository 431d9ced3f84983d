import Experiments
import Foundation
import Toy

extension Notebook {
    /// Figures 1, 3 and 4 of the paper on the 1D toy, with the preset weak model and with the left
    /// mode missing from it.
    static let oneDimensional = Notebook(
        name: "figure-01-04-one-dimensional",
        title: "Figures 1, 3 and 4: W2SD on the 1D toy",
        summary: "exact densities, final samples, trajectories, Delta1 and Delta2, and one W2SD zig-zag on the 1D toy, "
            + "with the preset weak model (left weight 0.1) and with the left mode missing from it",
        body: OneDimensionalNotebook.body)
}

enum OneDimensionalNotebook {
    /// The weak model of one run: its file name, how the README names it, and the experiment.
    struct Case {
        var file: String
        var label: String
        var spec: ExperimentSpec
    }

    /// The noise level at which Delta1 and Delta2 are compared (the middle panel of (d)).
    static let deltaSigma = 2.0

    static func body(_ context: inout NotebookContext) throws -> NotebookOutcome {
        let settings = context.settings
        let preset = settings.scaled(.preset(dimension: 1))
        var missing = preset
        missing.weak.components[0].weight = 0
        let cases = [Case(file: "preset", label: "Weak left weight 0.1 (the preset)", spec: preset),
                     Case(file: "missing-left", label: "Left mode missing from the weak model (the paper's setting)", spec: missing)]

        var doc = LiterateDocument(title: "Figures 1, 3 and 4 of the paper: W2SD on the 1D toy", notebook: context.notebook, settings: settings)
        doc.section("Question")
        doc.paragraph("""
            The paper's Figures 1, 3 and 4 show on a 1D toy why W2SD helps: the strong model under-weights a mode, \
            the weak model under-weights it more, and reflecting (a strong step down, a weak inversion back up) \
            moves each particle along Delta1 = s_strong - s_weak, which should stand in for the unobservable \
            Delta2 = s_ideal - s_strong. Does W2SD move mass to the under-weighted left mode, does that mass land \
            where the ideal mode is, and what changes when the weak model lacks the left mode entirely?
            """)
        doc.section("Method")
        doc.paragraph("""
            The pinned 1D preset: \(Say.models(preset)). The second run sets the weak model's left weight to 0. \
            Methods \(preset.methods.map { "`\($0.rawValue)`" }.joined(separator: ", ")), all from the same prior draws: \
            \(Say.settings(preset)). Each sample counts toward its nearest ideal mode (mass, mean, std); W1 is the exact \
            1D Wasserstein-1 distance of the samples to the ideal distribution (the ideal sampler's own W1 is the \
            finite-sample floor); NLL is the mean negative log-likelihood under the ideal model. Figures: \
            `ExperimentFigure` of each run with \(settings.trajectories) recorded trajectories per method. \
            The controls (`Attribution`) run strong, W2SD, self-reflection (weak := strong: the inversion bias alone), \
            w2sd-corrected (the bias removed) and W2SD with exact inversion on \(settings.quick ? 2 : 5) seeds from the same \
            prior draws per seed (\(Say.count(min(preset.particles, Attribution.particles))) particles each), and report each W1 minus strong's with a 95% interval: W2SD's effect is attributed to \
            Delta1 only as far as the bias-free versions show it.
            """)

        var runs: [ExperimentRun] = []
        var shownFigure: FigureFiles?
        context.progress.plan(2 * cases.count)
        for c in cases {
            let run = try context.run(c.spec, trajectories: settings.trajectories)
            context.progress.advance()
            runs.append(run)
            doc.section(c.label)
            doc.table(SummaryTable.table(run.results, modeNames: c.spec.modeNames),
                      caption: "Per method and ideal mode (`\(c.file).json` holds these numbers):")
            let files = try context.add(figure: try ExperimentFigure.figure(run), base: c.file)
            shownFigure = files
            doc.figure(files, alt: c.label, caption: """
                (a) exact densities of ideal, strong and weak; (b) final samples of strong, weak and W2SD over the \
                ideal density; (c) trajectories against step on the scale x / sqrt(1 + sigma^2), start (o) and end (x); \
                (d) Delta1 and Delta2 against x at three noise levels (Figure 1, bottom); (e) the W2SD trajectory \
                whose end differs most from the strong sampler's from the same start: each reflection is a strong step \
                down and a weak inversion up, then the ordinary strong step (Figure 3)
                """)
            let attribution = try Attribution.measure(c.spec, seeds: settings.quick ? 2 : 5, threads: settings.threads, cache: settings.cache)
            context.progress.advance()
            doc.subsection("What W2SD's effect is due to: the controls")
            doc.bullets(attribution.findings)
            doc.subsection("What this run shows")
            doc.bullets(try findings(run))
            try context.add("\(c.file).json", json: context.report(run))
        }

        let (presetRun, missingRun) = (runs[0], runs[1])
        let presetW1 = try presetRun.result(.w2sd).w1, missingW1 = try missingRun.result(.w2sd).w1
        let strongW1 = try presetRun.result(.strong).w1
        let presetRatio = Say.deltaSizes(presetRun.models, sigma: deltaSigma, gridPoints: 161).ratio
        let missingRatio = Say.deltaSizes(missingRun.models, sigma: deltaSigma, gridPoints: 161).ratio
        doc.section("The two weak models side by side")
        doc.bullets([
            "W2SD's W1 to the ideal distribution is \(Say.f4(presetW1)) with the weak left weight 0.1 and \(Say.f4(missingW1)) with the left mode missing "
                + "(strong alone: \(Say.f4(strongW1)), the same in both runs since the strong sampler does not use the weak model): "
                + "removing the mode from the weak model makes W2SD's result \(Say.order(missingW1, presetW1) == "larger than" ? "worse" : Say.order(missingW1, presetW1) == "equal to" ? "neither better nor worse" : "better").",
            "At sigma = \(Say.g(deltaSigma)), E|Delta1| / E|Delta2| under p*(x; sigma) is \(Say.g(presetRatio)) with the weak left weight 0.1 and \(Say.g(missingRatio)) with the left mode missing "
                + "(how Delta1 compares with Delta2; what the sampler does with it depends on the inversion, see the controls above).",
        ])
        doc.section("Files")
        doc.bullets(cases.map { "`\($0.file).svg`\(settings.writesPreviews ? ", `\($0.file).png`" : ""), `\($0.file).json`: \($0.label.lowercased()); `toy-w2sd run --config \($0.file).json` reruns it" })
        doc.changes(ChangeNotes.metrics + [ChangeNotes.controls])
        try context.add("README.md", text: doc.markdown)

        let w2sd = try missingRun.result(.w2sd), strong = try missingRun.result(.strong)
        let headline = "with the left mode missing from the weak model, W2SD "
            + Say.change("the left mass", from: strong.mass(0), to: w2sd.mass(0))
            + (w2sd.mode(0).map { $0.count > 0 ? " with its left mode at mean \(Say.f3($0.mean[0])) (ideal \(Say.f3(missingRun.models.ideal.components[0].mean[0])))" : "" } ?? "")
            + "; W1 \(Say.f4(w2sd.w1)) against strong's \(Say.f4(strong.w1))."
        return NotebookOutcome(preview: (shownFigure ?? FigureFiles(svg: "missing-left.svg")).shown, headline: headline)
    }

    /// The findings of one run, each sentence computed from its numbers.
    static func findings(_ run: ExperimentRun) throws -> [String] {
        let ideal = try run.result(.idealSampled), strong = try run.result(.strong), weak = try run.result(.weak), w2sd = try run.result(.w2sd)
        let idealModel = run.models.ideal
        let (left, right) = (0, 1)
        let target = idealModel.components[left].weight
        let mu = idealModel.components[left].mean[0], sd = idealModel.components[left].covariance[0].squareRoot()
        let centre = idealModel.components.reduce(0) { $0 + $1.weight * $1.mean[0] }
        var items: [String] = []

        items.append("Left mode mass: going from strong alone to W2SD \(Say.change("it", from: strong.mass(left), to: w2sd.mass(left))) (the weak model gives "
            + "\(Say.f4(weak.mass(left))), the ideal sampler \(Say.f4(ideal.mass(left))), the ideal weight is \(Say.g(target))): W2SD's left mass is "
            + "\(Say.nearer(w2sd.mass(left), than: strong.mass(left), to: target)) the ideal weight than strong's.")

        if let mode = w2sd.mode(left), mode.count > 1 {
            items.append("Where it lands: W2SD's left-mode samples have mean \(Say.f3(mode.mean[0])) and std \(Say.f3(mode.std[0])), against the ideal mode's \(Say.f3(mu)) and \(Say.f3(sd)) "
                + "(strong: \(strong.mode(left).map { $0.count > 1 ? "\(Say.f3($0.mean[0])) and \(Say.f3($0.std[0]))" : "too few samples" } ?? "none")): "
                + Say.landing(mode, idealMean: [mu], sd: sd, centre: [centre]) + ".")
        } else {
            items.append("Where it lands: fewer than two W2SD samples reached the left mode.")
        }
        if let mode = w2sd.mode(right), mode.count > 1 {
            let sdRight = idealModel.components[right].covariance[0].squareRoot()
            let relation = Say.order(mode.std[0], sdRight, format: Say.f3)
            items.append("The right mode: W2SD's right-mode std is \(Say.f3(mode.std[0])) against the ideal \(Say.f3(sdRight))"
                + (relation == "equal to" ? "" : " (\(relation == "smaller than" ? "narrower" : "wider"))")
                + "; strong's is \(strong.mode(right).map { $0.count > 1 ? Say.f3($0.std[0]) : "-" } ?? "-").")
        }
        let relation = Say.order(w2sd.w1, strong.w1)
        items.append("Distance to the ideal distribution: W1 of W2SD \(Say.f4(w2sd.w1)) against strong's \(Say.f4(strong.w1)) (weak \(Say.f4(weak.w1)); the ideal sampler's "
            + "finite-sample floor \(Say.f4(ideal.w1))): W2SD is \(relation == "smaller than" ? "closer to" : relation == "equal to" ? "as close to" : "farther from") the ideal distribution than strong alone; "
            + "its NLL under the ideal model is \(Say.f4(w2sd.statistics.meanNegativeLogLikelihood)) against strong's \(Say.f4(strong.statistics.meanNegativeLogLikelihood)).")
        items.append("Cost: W2SD spends \(Say.count(w2sd.evaluations)) score evaluations against strong's \(Say.count(strong.evaluations)) "
            + "(\(Say.g(Double(w2sd.evaluations) / Double(max(1, strong.evaluations)))) times as many).")
        items.append("Delta1 against Delta2 at sigma = \(Say.g(deltaSigma)): " + Say.deltaSizes(run.models, sigma: deltaSigma, gridPoints: 161).sentence
            + " (an explanation of W2SD's effect by Delta1 holds only as far as the controls above attribute the effect to Delta1).")
        return items
    }
}
