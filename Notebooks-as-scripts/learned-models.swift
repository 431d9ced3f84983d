import Experiments
import Foundation
import Plot
import Toy

extension Notebook {
    /// W2SD with trained networks as strong and weak models, against the exact ideal distribution.
    static let learnedModels = Notebook(
        name: "learned-models",
        title: "Learned models: W2SD with trained strong and weak denoisers",
        summary: "tiny EDM denoisers trained inside the toolkit (strong, and weak by recipe: an earlier checkpoint of the strong run, narrower, little data, a missing mode); their samples, W2SD with each pair, and Delta1 (learned) against Delta2 (exact ideal minus learned strong)",
        body: LearnedModelsNotebook.body)
}

enum LearnedModelsNotebook {
    /// The weak recipes of a toy, in report order.
    static func weakPresets(_ toy: LearnedToy) -> [LearnedPreset] {
        toy == .one ? [.weak1D, .weak1DNarrow, .weak1DData, .weak1DMissing] : [.weak2D, .weak2DNarrow, .weak2DData, .weak2DMissing]
    }

    /// A preset's recipe at this run's size (a quick run trains a few steps on a small network).
    static func recipe(_ preset: LearnedPreset, settings: NotebookSettings) -> TrainingRecipe {
        var recipe = preset.recipe
        if settings.quick {
            let full = recipe.steps
            recipe.steps = max(5, recipe.steps / 200)
            // A checkpoint recipe stops at the same fraction of the shortened run.
            recipe.stopStep = recipe.stopStep.map { max(1, min(recipe.steps - 1, $0 * recipe.steps / full)) }
            recipe.width = min(recipe.width, 16)
            recipe.batchSize = 64
        }
        return recipe
    }

    struct ToyOutcome {
        var toy: LearnedToy
        var strongLoss: [Double]
        /// Per weak preset: its study (methods and alignment) and its training losses.
        var studies: [(preset: LearnedPreset, study: LearnedStudy, loss: [Double])]
    }

    static func body(_ context: inout NotebookContext) throws -> NotebookOutcome {
        let settings = context.settings
        let toys: [LearnedToy] = settings.quick ? [.one] : [.one, .two]
        var outcomes: [ToyOutcome] = []
        context.progress.plan(toys.map { 1 + weakPresets($0).count }.reduce(0, +))
        for toy in toys {
            let strongPreset: LearnedPreset = toy == .one ? .strong1D : .strong2D
            let strong = try DenoiserTrainer(recipe: recipe(strongPreset, settings: settings), source: toy.ideal, threads: settings.threads,
                                             preset: strongPreset.rawValue).train()
            context.progress.advance()
            var studies: [(LearnedPreset, LearnedStudy, [Double])] = []
            for preset in weakPresets(toy) {
                let weak = try DenoiserTrainer(recipe: recipe(preset, settings: settings), source: toy.ideal, threads: settings.threads,
                                               preset: preset.rawValue).train()
                let particles = settings.quick ? 300 : (toy == .one ? 20_000 : 10_000)
                let study = try LearnedStudy.run(strong: strong, weak: weak, ideal: toy.ideal, settings: SamplerSettings(steps: settings.steps),
                                                 particles: particles, threads: settings.threads, sigmas: settings.proxySigmas,
                                                 alignmentSamples: settings.quick ? 200 : 5000)
                studies.append((preset, study, weak.provenance?.summary.lossByTenth ?? []))
                context.progress.advance()
            }
            outcomes.append(ToyOutcome(toy: toy, strongLoss: strong.provenance?.summary.lossByTenth ?? [], studies: studies))
        }

        var doc = LiterateDocument(title: "Learned models: W2SD with trained strong and weak denoisers", notebook: context.notebook, settings: settings)
        doc.section("Question")
        doc.paragraph("""
            The paper's weak and strong models are trained networks; the presets only stand in for them with exact \
            mixtures. Here a strong and four weak denoisers are trained inside the toolkit on samples of the exact \
            ideal mixture (EDM preconditioning, an MLP with a noise embedding, denoising score matching): does the \
            difference between two trained models, Delta1 = s_strong - s_weak, point where the learned strong model \
            is wrong, Delta2 = s_ideal - s_strong (exact ideal), and does W2SD with them move the samples toward the ideal?
            """)
        doc.section("Method")
        doc.paragraph("""
            Toys: \(toys.map { "`\($0.rawValue)`" }.joined(separator: ", ")) (the pinned presets' ideal mixtures). Strong: \
            \(LearnedPreset.strong1D.summary) (2D: \(LearnedPreset.strong2D.summary)). Weak, by recipe: \
            \(weakPresets(.one).map { "`\($0.rawValue)` (\($0.summary))" }.joined(separator: "; ")), and the same for 2D. \
            Every model is trained with seed 0 (bit-identical for any thread count)\(settings.quick ? "; this quick run trains a few steps of width-16 networks" : ""). \
            Sampling: T = \(settings.steps) Karras steps, Euler, `paper` inversion, lambda = T - 1, gamma = 1, seed 0; \
            W1 and W2 to the exact ideal distribution, nearest-mode masses, spurious fraction. Alignment: Monte Carlo \
            over exact samples of p*(x; sigma) at \(settings.proxySigmas.count) noise levels (field cosine and relative \
            error |Delta1 - Delta2| / |Delta2| per level; the JSON adds E|Delta1|, E|Delta2| and the mean pointwise cosine).
            """)
        doc.paragraph("""
            The alignment is `DeltaAlignment`'s estimator (`DeltaAlignment.sampleMean` over the draws), the one \
            estimator of the alignment of Delta1 and Delta2 that `delta`, `verify`, the figures, the other notebooks \
            and this study share. Its mean cosine averages over all draws, and a draw where either difference is \
            zero counts as cosine 0 (DeltaAlignment's convention). What that changed: the study's own loop, which \
            this replaces, already divided by all draws, so the convention and the numbers' meaning are unchanged \
            (and trained networks give no draw with an exactly zero difference); it formed the cosine as \
            D1.D2 / sqrt(|D1|^2 |D2|^2) and the field cosine and relative error from sums rather than means, so the \
            mean cosine, field cosine and relative error can differ from those of earlier runs in their last digits \
            (rounding).
            """)
        doc.section("Results")
        var headline = ""
        for o in outcomes {
            let toyName = o.toy == .one ? "1D" : "2D"
            doc.subsection("\(toyName) toy")
            guard let first = o.studies.first?.study else { continue }
            let perWeak = ["learned weak", "w2sd (learned)", LearnedStudy.controlNames.corrected]
            let reference = first.methods.filter { !perWeak.contains($0.name) }
            var rows = reference.map { m in [m.name, "-", Say.f4(m.wasserstein), Say.f4(m.wasserstein2), m.modeMasses.map(Say.f4).joined(separator: ","),
                                             Say.f4(m.spuriousFraction), Say.g(m.evaluationsPerParticle)] }
            for (preset, study, _) in o.studies {
                for m in study.methods where perWeak.contains(m.name) {
                    rows.append([m.name, "`\(preset.rawValue)`", Say.f4(m.wasserstein), Say.f4(m.wasserstein2),
                                 m.modeMasses.map(Say.f4).joined(separator: ","), Say.f4(m.spuriousFraction), Say.g(m.evaluationsPerParticle)])
                }
            }
            doc.table(TextTable(headers: ["sampler", "weak recipe", "W1", "W2", "mode masses", "spurious", "evals/particle"], rows: rows),
                      caption: "\(toyName): the references (exact samples, the exact ideal score, the learned strong model, and the control self-reflection: the learned strong model reflected by itself, so only the paper inversion's bias acts) and, per weak recipe, the learned weak model, W2SD with the pair, and the control w2sd-corrected (W2SD with the inversion bias removed):")
            let alignRows = o.studies.map { preset, study, _ -> [String] in
                let cosines = study.alignment.map(\.fieldCosine).filter(\.isFinite)
                return ["`\(preset.rawValue)`", Say.g(cosines.min() ?? .nan), Say.g(cosines.max() ?? .nan),
                        Say.g(study.alignment.map(\.relativeError).filter(\.isFinite).min() ?? .nan)]
            }
            doc.table(TextTable(headers: ["weak recipe", "lowest field cosine", "highest field cosine", "smallest relative error"], rows: alignRows),
                      caption: "\(toyName): Delta1 (learned) against Delta2 (exact ideal minus learned strong) over the noise levels:")
            let files = try context.add(figure: figure(o), base: "learned-\(o.toy.rawValue)")
            doc.figure(files, alt: "\(toyName) learned models", caption: "(a) training loss per tenth of training (strong and each weak recipe); (b) the field cosine of Delta1 and Delta2 per noise level for each weak recipe")

            guard let strongW1 = first.methods.first(where: { $0.name == "learned strong" })?.wasserstein else { continue }
            var bullets: [String] = []
            let selfW1 = first.methods.first { $0.name == LearnedStudy.controlNames.selfReflection }?.wasserstein ?? .nan
            bullets.append("\(toyName), the control first: the learned strong model reflected by itself (Delta1 = 0, only the paper inversion's bias acts) has W1 \(Say.f4(selfW1)) "
                + "against the learned strong model's \(Say.f4(strongW1)): the bias alone changes W1 by \(Say.signed(selfW1 - strongW1)) "
                + "(one training seed, one sampling seed: no interval; differences below the exact samples' W1 floor \(Say.f4(first.methods[0].wasserstein)) are not resolved).")
            for (preset, study, _) in o.studies {
                guard let w2sd = study.methods.first(where: { $0.name == "w2sd (learned)" }),
                      let corrected = study.methods.first(where: { $0.name == LearnedStudy.controlNames.corrected }) else { continue }
                let attributed = abs(corrected.wasserstein - strongW1) < abs(w2sd.wasserstein - strongW1) / 2
                    ? "most of W2SD's change goes with the inversion bias, not with Delta1" : "the bias-free move accounts for most of W2SD's change"
                bullets.append("\(toyName), `\(preset.rawValue)`: W2SD changes W1 by \(Say.signed(w2sd.wasserstein - strongW1)) (to \(Say.f4(w2sd.wasserstein))); "
                    + "with the inversion bias removed (w2sd-corrected) by \(Say.signed(corrected.wasserstein - strongW1)) (to \(Say.f4(corrected.wasserstein))): \(attributed).")
            }
            doc.section("What this run shows (\(toyName))")
            doc.bullets(bullets)
            let better = o.studies.filter { $0.study.methods.first { $0.name == "w2sd (learned)" }.map { $0.wasserstein < strongW1 } ?? false }.count
            headline += (headline.isEmpty ? "" : "; ") + "\(toyName): W2SD with learned models beats the learned strong model (W1 \(Say.f4(strongW1))) with \(better) of \(o.studies.count) weak recipes"
        }
        try context.add("learned-models.json", json: Document(toys: outcomes.map { o in
            ToyDocument(toy: o.toy.rawValue, strongLossByTenth: o.strongLoss,
                        weak: o.studies.map { WeakDocument(preset: $0.preset.rawValue, lossByTenth: $0.loss, study: $0.study) })
        }))
        doc.changes(ChangeNotes.metrics + [ChangeNotes.controls])
        try context.add("README.md", text: doc.markdown)
        return NotebookOutcome(preview: outcomes.last.map { "learned-\($0.toy.rawValue)" + (settings.writesPreviews ? ".png" : ".svg") } ?? "",
                               headline: headline)
    }

    struct WeakDocument: Encodable { var preset: String; var lossByTenth: [Double]; var study: LearnedStudy }
    struct ToyDocument: Encodable { var toy: String; var strongLossByTenth: [Double]; var weak: [WeakDocument] }
    struct Document: Encodable {
        var schema = "toy-w2sd.notebook.learned-models/1"
        var version = ToolVersion.current
        var toolkit = Toolkit.current
        var toys: [ToyDocument]
    }

    static func figure(_ o: ToyOutcome) -> Figure {
        let colors = Color.palette
        var loss = Panel(title: "(a) training loss per tenth of training", xAxis: Axis(label: "tenth of training"),
                         yAxis: Axis(label: "loss", scale: .log), legend: .automatic)
        func lossLine(_ values: [Double], _ label: String, _ color: Color) {
            let positive = values.enumerated().filter { $0.element > 0 && $0.element.isFinite }
            guard !positive.isEmpty else { return }
            loss.add(.lines(Lines(x: positive.map { Double($0.offset + 1) }, y: positive.map(\.element), style: LineStyle(color: color, width: 2), label: label)))
        }
        lossLine(o.strongLoss, "strong", MethodStyle.color(.strong))
        for (i, s) in o.studies.enumerated() { lossLine(s.loss, s.preset.rawValue, colors[(i + 1) % colors.count]) }
        var cosine = Panel(title: "(b) field cosine of Δ₁ (learned) and Δ₂ per noise level", xAxis: Axis(label: "σ", scale: .log),
                           yAxis: Axis(label: "cosine", limits: AxisLimits(-1.05, 1.05)), legend: .automatic)
        cosine.add(.referenceLine(ReferenceLine(.horizontal, at: 0)))
        for (i, s) in o.studies.enumerated() {
            let rows = s.study.alignment.filter { $0.fieldCosine.isFinite }
            cosine.add(.lines(Lines(x: rows.map(\.sigma), y: rows.map(\.fieldCosine), style: LineStyle(color: colors[(i + 1) % colors.count], width: 2),
                                    label: s.preset.rawValue)))
        }
        return Figure(title: "Learned models on the \(o.toy == .one ? "1D" : "2D") toy", width: 1300, height: 500, rows: 1, columns: 2,
                      panels: [loss, cosine])
    }
}
