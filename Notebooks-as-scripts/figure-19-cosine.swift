import Experiments
import Foundation
import Toy

extension Notebook {
    /// Figure 19 of the paper: how well Delta1 stands in for Delta2, per noise level and across weak models.
    static let cosine = Notebook(
        name: "figure-19-cosine",
        title: "Figure 19: the cosine of Delta1 and Delta2",
        summary: "the cosine and sizes of Delta1 = s_strong - s_weak and Delta2 = s_ideal - s_strong per noise level, the proxy "
            + "error E(alpha)/E(0), and whether the proxy ranks weak models as W2SD's outcome does (1D and 2D weak families)",
        body: CosineNotebook.body)
}

enum CosineNotebook {
    /// One Delta study: its files' base name, its heading, the experiment and the weak family.
    struct Study {
        var file: String
        var label: String
        var spec: ExperimentSpec
        var family: DeltaStudy.WeakFamily?
    }

    static func body(_ context: inout NotebookContext) throws -> NotebookOutcome {
        let settings = context.settings
        let preset1D = settings.scaled(.preset(dimension: 1))
        var missing1D = preset1D
        missing1D.weak.components[0].weight = 0
        let preset2D = settings.scaled(.preset(dimension: 2))
        let studies = [
            Study(file: "delta-1d-missing-left", label: "1D, left mode missing from the weak model", spec: missing1D, family: nil),
            Study(file: "delta-1d-weak-family", label: "1D, weak left weight from 0 to 0.3", spec: preset1D,
                  family: DeltaStudy.WeakFamily(lower: 0, upper: 0.3, count: settings.quick ? 3 : 13)),
            Study(file: "delta-2d-weak-family", label: "2D, weak weight of the bottom-left mode from 0 to 0.25", spec: preset2D,
                  family: DeltaStudy.WeakFamily(lower: 0, upper: 0.25, count: settings.quick ? 2 : 6)),
        ]

        var doc = LiterateDocument(title: "Figure 19 of the paper: the cosine of Delta1 and Delta2", notebook: context.notebook, settings: settings)
        doc.section("Question")
        doc.paragraph("""
            W2SD rests on the hope that the observable Delta1 = s_strong - s_weak approximates the unobservable \
            Delta2 = s_ideal - s_strong. The paper's Figure 19 plots their cosine per step. On the toy both are exact: \
            per noise level, do they point the same way and have the same size; aggregated over noise levels, is the \
            proxy score s_strong + alpha Delta1 closer to the ideal score than s_strong; and across a family of weak \
            models, does that proxy rank the weak models as W2SD's actual outcome does?
            """)
        doc.section("Method")
        doc.paragraph("""
            `DeltaStudy` integrates, under the ideal model p*(x; sigma), E|Delta1|, E|Delta2|, the mean pointwise cosine \
            (Figure 19), the field cosine E[D1.D2] / sqrt(E|D1|^2 E|D2|^2) and the relative error \
            sqrt(E|D1 - D2|^2 / E|D2|^2), at every noise level of the sampler's grid (1D: adaptive Simpson; 2D: a \
            trapezoid grid of \(2 * settings.gridPoints - 1)^2 points, error from the coarse/fine difference). The proxy \
            analysis sums these over \(settings.proxySigmas.count) noise levels from \(Say.g(settings.proxySigmas.first ?? 0)) \
            to \(Say.g(settings.proxySigmas.last ?? 0)): field cosine, the best multiple alpha* = <D1, D2> / |D1|^2, \
            E(alpha) / E(0) with E(alpha) = |D2 - alpha D1|^2, and the safe interval (0, 2 alpha*) where E(alpha) < E(0). \
            For a weak family, each weak model also runs W2SD (\(Say.settings(preset1D)) in 1D; \
            \(Say.count(preset2D.particles)) particles in 2D) and the Spearman correlation of each proxy number with \
            W2SD's W1 says whether the proxy predicts the outcome. Models: 1D \(Say.models(preset1D)); 2D \(Say.models(preset2D)).
            """)

        var proxyRows: [[String]] = []
        var results: [DeltaStudy.Result] = []
        var shown: FigureFiles?
        context.progress.plan(studies.count)
        for s in studies {
            let study = DeltaStudy(spec: s.spec, models: try s.spec.models(), proxySigmas: settings.proxySigmas, family: s.family,
                                   threads: settings.threads, gridPoints: settings.gridPoints)
            let result = try study.run()
            context.progress.advance()
            results.append(result)
            doc.section(s.label)
            doc.table(levelTable(result.levels), caption: "Per noise level (every \(stride(result.levels.count))th level of the \(result.levels.count) and the last; "
                + "`\(s.file).txt` lists them all):")
            let files = try context.add(figure: DeltaFigure(title: "Δ₁ = s_strong − s_weak against Δ₂ = s_ideal − s_strong: \(s.label)", result).figure(), base: s.file)
            if s.family != nil && s.spec.dimension == 1 { shown = files }
            doc.figure(files, alt: s.label, caption: """
                (a) the cosine of Delta1 and Delta2 per noise level (mean pointwise cosine, as in Figure 19, and the field \
                cosine); (b) their mean sizes; (c) E(alpha) / E(0) of the proxy s_strong + alpha Delta1 with the safe interval\
                \(s.family == nil ? "" : "; (d) each weak model's E(1) / E(0) against W2SD's W1")
                """)
            if !result.family.isEmpty {
                doc.table(familyTable(result.family), caption: "Weak family (\(s.spec.dimension == 1 ? "weak left weight" : "weak weight of the missing mode")): proxy numbers and W2SD's outcome:")
            }
            doc.subsection("What this study shows")
            doc.bullets(findings(result))
            proxyRows.append([s.label] + proxyCells(result.proxy))
            try context.add("\(s.file).txt", text: DeltaReport.text(study, result))
            try context.add("\(s.file).json", Array(try DeltaReport.json(command: "notebooks \(context.notebook)", study, result)))
        }
        doc.section("The proxy in the three studies")
        doc.table(TextTable(headers: ["study", "field cosine", "alpha*", "E(1)/E(0)", "E(alpha*)/E(0)", "safe interval of alpha"], rows: proxyRows,
                            alignments: [.left] + Array(repeating: .right, count: 5)),
                  caption: "Aggregated over the proxy grid (for the families: the study's own weak model, i.e. the preset's):")
        doc.section("Files")
        doc.bullets(studies.map { "`\($0.file).svg`\(settings.writesPreviews ? ", `\($0.file).png`" : ""), `\($0.file).txt` (the full text report), `\($0.file).json` (schema `toy-w2sd.delta/3`: a level quantity the table prints as unresolved or undefined is null there): \($0.label)" })
        doc.changes(["The Spearman sentences claim an association only where the two-sided permutation p is below 0.05 (before: by |rho| alone, so p = 0.14 at n = 6 read \"weakly predicts\").", "A control per study: the reflection's decomposition (its Delta1 part, the inversion bias and the ideal correction per step), which says where W2SD's move is Delta1's at all."])
        try context.add("README.md", text: doc.markdown)

        let missing = results[0].proxy
        var headline = "with the left mode missing, the field cosine over the proxy grid is \(Say.f4(missing.fieldCosine)) and E(1)/E(0) = \(Say.g(missing.errorRatio(alpha: 1)))"
        for (s, r) in zip(studies, results) where !r.family.isEmpty {
            let rho = spearmanCorrelation(r.family.map(\.proxy.fieldCosine), r.family.map(\.w2sdWasserstein))
            headline += "; \(s.spec.dimension)D weak family: Spearman(field cosine, W2SD W1) = \(Say.f4(rho))"
        }
        return NotebookOutcome(preview: (shown ?? FigureFiles(svg: studies[1].file + ".svg")).shown, headline: headline + ".")
    }

    /// Every `stride`th level is shown in the README (about eight rows).
    static func stride(_ count: Int) -> Int { max(1, count / 8) }

    static func levelTable(_ levels: [DeltaAlignment]) -> TextTable {
        let step = stride(levels.count)
        var shown = Array(Swift.stride(from: 0, to: levels.count, by: step))
        if let last = levels.indices.last, shown.last != last { shown.append(last) }
        return TextTable(headers: ["sigma", "E|Delta1|", "E|Delta2|", "E cos", "field cos", "rel. error", "integration error"],
                         rows: shown.map { i in
                             let l = levels[i]
                             return [Say.g(l.sigma), Say.g(l.meanNormDelta1), Say.g(l.meanNormDelta2), Say.f4(l.meanCosine), Say.f4(l.fieldCosine),
                                     Say.g(l.relativeError), Say.g(l.integrationError)]
                         }, alignments: Array(repeating: .right, count: 7))
    }

    static func familyTable(_ family: [DeltaStudy.Member]) -> TextTable {
        TextTable(headers: ["weight", "field cos", "alpha*", "E(1)/E(0)", "W2SD W1", "W2SD masses"],
                  rows: family.map { [Say.f4($0.weight), Say.f4($0.proxy.fieldCosine), Say.f4($0.proxy.bestAlpha), Say.g($0.proxy.errorRatio(alpha: 1)),
                                      Say.f4($0.w2sdWasserstein), $0.w2sdModeMasses.map(Say.f4).joined(separator: ", ")] },
                  alignments: Array(repeating: .right, count: 6))
    }

    static func proxyCells(_ p: ProxyAnalysis) -> [String] {
        [Say.f4(p.fieldCosine), Say.f4(p.bestAlpha), Say.g(p.errorRatio(alpha: 1)), Say.g(p.errorRatio(alpha: p.bestAlpha)),
         "(\(Say.f4(p.safeInterval.lowerBound)), \(Say.f4(p.safeInterval.upperBound)))"]
    }

    static func findings(_ result: DeltaStudy.Result) -> [String] {
        var items: [String] = []
        let levels = result.levels
        if let lo = levels.indices.min(by: { levels[$0].meanCosine < levels[$1].meanCosine }),
           let hi = levels.indices.max(by: { levels[$0].meanCosine < levels[$1].meanCosine }) {
            items.append("The mean pointwise cosine ranges from \(Say.f4(levels[lo].meanCosine)) (sigma = \(Say.g(levels[lo].sigma))) to "
                + "\(Say.f4(levels[hi].meanCosine)) (sigma = \(Say.g(levels[hi].sigma))) over the \(levels.count) noise levels.")
        }
        let sized = levels.filter { $0.meanNormDelta2 > 0 }
        if let lo = sized.min(by: { $0.meanNormDelta1 / $0.meanNormDelta2 < $1.meanNormDelta1 / $1.meanNormDelta2 }),
           let hi = sized.max(by: { $0.meanNormDelta1 / $0.meanNormDelta2 < $1.meanNormDelta1 / $1.meanNormDelta2 }) {
            items.append("E|Delta1| / E|Delta2| ranges from \(Say.g(lo.meanNormDelta1 / lo.meanNormDelta2)) (sigma = \(Say.g(lo.sigma))) to "
                + "\(Say.g(hi.meanNormDelta1 / hi.meanNormDelta2)) (sigma = \(Say.g(hi.sigma))): Delta1 is "
                + (hi.meanNormDelta1 / hi.meanNormDelta2 <= 1 ? "never longer than Delta2 on average." : lo.meanNormDelta1 / lo.meanNormDelta2 >= 1 ? "longer than Delta2 on average at every level." : "shorter than Delta2 at some levels and longer at others."))
        }
        let p = result.proxy, ratio = p.errorRatio(alpha: 1)
        let inside = p.safeInterval.lowerBound < 1 && 1 < p.safeInterval.upperBound
        items.append("Aggregated: field cosine \(Say.f4(p.fieldCosine)), best multiple alpha* = \(Say.f4(p.bestAlpha)); the paper's alpha = 1 gives E(1)/E(0) = \(Say.g(ratio)): "
            + (ratio < 1 ? "a full step along Delta1 brings the strong score closer to the ideal one (the squared error falls by a factor \(Say.g(1 / ratio)))"
               : ratio == 1 ? "a full step along Delta1 leaves the squared error unchanged"
               : "a full step along Delta1 moves the strong score away from the ideal one (the squared error grows by a factor \(Say.g(ratio)))")
            + "; alpha = 1 lies \(inside ? "inside" : "outside") the safe interval (\(Say.f4(p.safeInterval.lowerBound)), \(Say.f4(p.safeInterval.upperBound))).")
        let parts = result.reflection.compactMap { $0 }
        if !parts.isEmpty {
            let bias = parts.filter { $0.larger == .bias }, delta1 = parts.filter { $0.larger == .displacement }
            let where1 = delta1.isEmpty ? "" : " (at sigma between \(Say.g(delta1.map(\.sigma).min() ?? 0)) and \(Say.g(delta1.map(\.sigma).max() ?? 0)), not necessarily at every step in between)"
            items.append("The control that separates Delta1 from the inversion (`ReflectionDecomposition`, \(parts[0].samples) draws of p*(x; sigma_i) per step): "
                + "the reflection's Delta1 part E|R_exact - x| is the larger at \(delta1.count) of the \(parts.count) reflecting steps\(where1), "
                + "the paper inversion's bias E|R_paper - R_exact| at \(bias.count), no difference shown at \(parts.count - bias.count - delta1.count). "
                + "So what W2SD does at a step is Delta1's doing only where the first part dominates; elsewhere the cosine above says how Delta1 points, not what the sampler does.")
        }
        let family = result.family
        if !family.isEmpty {
            let w1 = family.map(\.w2sdWasserstein), error = family.map { $0.proxy.errorRatio(alpha: 1) }, cosine = family.map(\.proxy.fieldCosine)
            let bestW1 = w1.indices.min { w1[$0] < w1[$1] } ?? 0
            let bestError = error.indices.min { error[$0] < error[$1] } ?? 0
            let bestCosine = cosine.indices.max { cosine[$0] < cosine[$1] } ?? 0
            items.append("W2SD's W1 is smallest (\(Say.f4(w1[bestW1]))) at weight \(Say.g(family[bestW1].weight)); E(1)/E(0) is smallest at weight \(Say.g(family[bestError].weight)) "
                + "and the field cosine largest at weight \(Say.g(family[bestCosine].weight)): the best proxy value "
                + (bestError == bestW1 || bestCosine == bestW1 ? "picks the weak model with W2SD's best outcome." : "does not pick the weak model with W2SD's best outcome."))
            items += DeltaReport.correlationSentences(family).split(separator: "\n").map(String.init)
        }
        return items
    }
}
