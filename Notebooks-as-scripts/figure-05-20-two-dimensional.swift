import Experiments
import Foundation
import Toy

extension Notebook {
    /// Figures 5 and 20 of the paper on the 2D toy.
    static let twoDimensional = Notebook(
        name: "figure-05-20-two-dimensional",
        title: "Figures 5 and 20: W2SD on the 2D toy",
        summary: "exact and sampled densities of strong, weak and W2SD, 2D trajectories, and the arrows and cosine of Delta1 "
            + "and Delta2 on the 2D toy whose weak model lacks the bottom-left mode",
        body: TwoDimensionalNotebook.body)
}

enum TwoDimensionalNotebook {
    /// The noise level of the Delta arrows in the figure, where Delta1 and Delta2 are also integrated.
    static let deltaSigma = 2.0

    static func body(_ context: inout NotebookContext) throws -> NotebookOutcome {
        let settings = context.settings
        let spec = settings.scaled(.preset(dimension: 2))
        var doc = LiterateDocument(title: "Figures 5 and 20 of the paper: W2SD on the 2D toy", notebook: context.notebook, settings: settings)
        doc.section("Question")
        doc.paragraph("""
            The paper's Figure 5 shows W2SD restoring a mode that the strong model under-weights and the weak model \
            lacks; Figure 20 shows the arrows of Delta1 = s_strong - s_weak and Delta2 = s_ideal - s_strong pointing \
            alike. On the 2D toy: how much mass does W2SD give the missing mode, where does it put it, and how do the \
            two differences compare in direction and size?
            """)
        doc.section("Method")
        doc.paragraph("""
            The pinned 2D preset: \(Say.models(spec)). Methods \(spec.methods.map { "`\($0.rawValue)`" }.joined(separator: ", ")) \
            from the same prior draws: \(Say.settings(spec)). Each sample counts toward its nearest ideal mode; W1 is \
            the sliced Wasserstein-1 distance to the ideal distribution over 64 fixed directions. Delta1 and Delta2 \
            are integrated under p*(x; sigma) at sigma = \(Say.g(deltaSigma)) on a trapezoid grid of \
            \(2 * settings.gridPoints - 1)^2 points. Figure: `ExperimentFigure` with \(settings.trajectories) recorded \
            trajectories per method.
            """)

        context.progress.plan(2)
        let run = try context.run(spec, trajectories: settings.trajectories)
        context.progress.advance()
        doc.section("Results")
        doc.table(SummaryTable.table(run.results, modeNames: spec.modeNames), caption: "Per method and ideal mode (`two-dimensional.json` holds these numbers):")
        let files = try context.add(figure: try ExperimentFigure.figure(run), base: "two-dimensional")
        doc.figure(files, alt: "W2SD on the 2D toy", caption: """
            (a) contours of the exact ideal, strong and weak densities; (b) filled contours of the sampled densities \
            of strong, weak and W2SD (60 x 60 histogram, same levels; grey circle: the ideal mode outline); \
            (c) trajectories on the scale x / sqrt(1 + sigma^2) with start and end points; (d) the arrows of Delta1 \
            and Delta2 at sigma = \(Say.g(deltaSigma)) and the cosine between them (Figure 20)
            """)
        let (items, headline) = try findings(run, gridPoints: settings.gridPoints)
        context.progress.advance()
        doc.section("What this run shows")
        doc.bullets(items)
        doc.section("Files")
        doc.bullets(["`two-dimensional.svg`\(files.png.map { ", `\($0)`" } ?? ""): the figure",
                     "`two-dimensional.json`: the numbers of the table (schema `toy-w2sd.experiment/3`); `toy-w2sd run --config two-dimensional.json` reruns the experiment"])
        try context.add("two-dimensional.json", json: context.report(run))
        doc.changes(ChangeNotes.metrics)
        try context.add("README.md", text: doc.markdown)
        return NotebookOutcome(preview: files.shown, headline: headline)
    }

    /// The findings, and the index's headline, computed from the run.
    static func findings(_ run: ExperimentRun, gridPoints: Int) throws -> ([String], String) {
        let ideal = try run.result(.idealSampled), strong = try run.result(.strong), weak = try run.result(.weak), w2sd = try run.result(.w2sd)
        let models = try run.mixtures()
        let names = run.spec.modeNames
        guard let missing = models.weak.components.firstIndex(where: { $0.weight == 0 }) else {
            throw RunError(message: "the 2D preset's weak model has no missing mode")
        }
        let name = names[missing]
        let component = models.ideal.components[missing]
        let target = component.weight
        let d = run.spec.dimension
        let sd = ((0..<d).reduce(0) { $0 + component.covariance[$1 * d + $1] } / Double(d)).squareRoot()
        let centre = (0..<d).map { j in models.ideal.components.reduce(0) { $0 + $1.weight * $1.mean[j] } }
        var items: [String] = []

        items.append("The \(name) mode (weight \(Say.g(models.strong.components[missing].weight)) in strong, absent in weak, \(Say.g(target)) in ideal): "
            + "going from strong alone to W2SD \(Say.change("its mass", from: strong.mass(missing), to: w2sd.mass(missing))) (weak: \(Say.f4(weak.mass(missing))), "
            + "the ideal sampler: \(Say.f4(ideal.mass(missing)))), \(Say.nearer(w2sd.mass(missing), than: strong.mass(missing), to: target)) the ideal weight than strong's.")
        let others = models.ideal.components.indices.filter { $0 != missing }
        let worst = others.map { abs(w2sd.mass($0) - models.ideal.components[$0].weight) }.max() ?? 0
        let strongWorst = others.map { abs(strong.mass($0) - models.ideal.components[$0].weight) }.max() ?? 0
        items.append("The other modes get " + others.map { "\(names[$0]) \(Say.f4(w2sd.mass($0)))" }.joined(separator: ", ")
            + " under W2SD (ideal weights " + others.map { Say.g(models.ideal.components[$0].weight) }.joined(separator: ", ")
            + "): the largest deviation from the ideal weight is \(Say.f4(worst)), against \(Say.f4(strongWorst)) for strong alone.")
        if let mode = w2sd.mode(missing), mode.count > 1 {
            let landing = Say.landing(mode, idealMean: component.mean, sd: sd, centre: centre)
            items.append("Where it lands: W2SD's \(name) samples have mean \(Say.point(mode.mean)) and std \(Say.point(mode.std)), against the ideal mode's "
                + "\(Say.point(component.mean)) and \(Say.f3(sd)) per axis: \(landing).")
        } else {
            items.append("Where it lands: fewer than two W2SD samples reached the \(name) mode.")
        }
        let relation = Say.order(w2sd.w1, strong.w1)
        items.append("Distance to the ideal distribution: sliced W1 of W2SD \(Say.f4(w2sd.w1)) against strong's \(Say.f4(strong.w1)) (weak \(Say.f4(weak.w1)); "
            + "the ideal sampler's finite-sample floor \(Say.f4(ideal.w1))): W2SD is \(relation == "smaller than" ? "closer to" : relation == "equal to" ? "as close to" : "farther from") "
            + "the ideal distribution than strong alone; NLL \(Say.f4(w2sd.statistics.meanNegativeLogLikelihood)) against \(Say.f4(strong.statistics.meanNegativeLogLikelihood)).")
        items.append("Why, at sigma = \(Say.g(deltaSigma)): " + Say.deltaSizes(run.models, sigma: deltaSigma, gridPoints: gridPoints).sentence + ".")
        items.append("Cost: W2SD spends \(Say.count(w2sd.evaluations)) score evaluations against strong's \(Say.count(strong.evaluations)).")

        let headline = "W2SD \(Say.change("the \(name) mass", from: strong.mass(missing), to: w2sd.mass(missing))) (ideal \(Say.g(target)))"
            + (w2sd.mode(missing).map { $0.count > 1 ? ", its mean at \(Say.point($0.mean)) against the ideal \(Say.point(component.mean))" : "" } ?? "")
            + "; sliced W1 \(Say.f4(w2sd.w1)) against strong's \(Say.f4(strong.w1))."
        return (items, headline)
    }
}
