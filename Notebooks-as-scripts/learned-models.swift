import Experiments
import Foundation
import Plot
import Toy

extension Notebook {
    /// W2SD with trained networks as strong and weak models, against the exact ideal distribution, over
    /// training seeds.
    static let learnedModels = Notebook(
        name: "learned-models",
        title: "Learned models: W2SD with trained strong and weak denoisers, over training seeds",
        summary: "tiny EDM denoisers trained inside the toolkit (strong, and weak by recipe: an earlier checkpoint of the strong run, narrower, little data, a missing mode, a displaced mode), five training seeds each; W2SD with each pair against its controls, and Delta1 (learned) against Delta2 (exact ideal minus learned strong), with intervals over the seeds",
        body: LearnedModelsNotebook.body)
}

enum LearnedModelsNotebook {
    /// The subfolder of the notebook's folder that holds the trained models (committed under Output/).
    static let modelFolder = "models"

    /// The weak recipes of a toy, in report order.
    static func weakPresets(_ toy: LearnedToy) -> [LearnedPreset] {
        toy == .one ? [.weak1D, .weak1DNarrow, .weak1DData, .weak1DMissing, .weak1DBiased]
            : [.weak2D, .weak2DNarrow, .weak2DData, .weak2DMissing, .weak2DBiased]
    }

    static func strongPreset(_ toy: LearnedToy) -> LearnedPreset { toy == .one ? .strong1D : .strong2D }

    /// Training seeds: five (t(4) = 2.78, an interval that can exclude 0 for differences a few times their
    /// spread); a quick run two (the interval code runs, its width means little).
    static func seeds(_ settings: NotebookSettings) -> [UInt64] { settings.quick ? [0, 1] : Array(0...4) }

    /// Particles per sampler and seed: W1 between these samplers differs by 0.01 to 7 and its sampling spread at
    /// these counts is about 0.01 (1D) and 0.02 (2D), below the spread over training seeds it is pooled with.
    static func particles(_ toy: LearnedToy, settings: NotebookSettings) -> Int {
        settings.quick ? 300 : (toy == .one ? 10_000 : 5_000)
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

    static func body(_ context: inout NotebookContext) throws -> NotebookOutcome {
        let settings = context.settings
        let toys: [LearnedToy] = settings.quick ? [.one] : [.one, .two]
        let seeds = seeds(settings)
        let store = LearnedModelStore(folder: settings.modelFolder, retrain: settings.retrain, threads: settings.threads)
        let progress = context.progress
        progress.plan(toys.count * seeds.count)
        var studies: [LearnedSeedStudy] = []
        var stored = 0, trained = 0
        for toy in toys {
            let strong = strongPreset(toy)
            let (study, models) = try LearnedSeedStudy.run(
                toy: toy, strong: strong, weak: weakPresets(toy), seeds: seeds,
                models: { seed in try store.models([strong] + weakPresets(toy), seed: seed) { recipe($0, settings: settings) } },
                settings: SamplerSettings(steps: settings.steps), particles: particles(toy, settings: settings), sigmas: settings.proxySigmas,
                alignmentSamples: settings.quick ? 200 : 5000, threads: settings.threads, advance: { progress.advance() })
            for entry in models { try context.add("\(modelFolder)/\(entry.fileName)", try entry.model.fileBytes()) }
            trained += models.filter(\.trained).count
            stored += models.filter { !$0.trained }.count
            studies.append(study)
        }
        FileHandle.standardError.write(Data("learned-models: \(stored) models read from \(settings.modelFolder?.path ?? "-"), \(trained) trained\n".utf8))

        var doc = LiterateDocument(title: "Learned models: W2SD with trained strong and weak denoisers, over training seeds",
                                   notebook: context.notebook, settings: settings)
        doc.section("Question")
        doc.paragraph("""
            The paper's weak and strong models are trained networks; the presets only stand in for them with exact \
            mixtures. Here a strong and five weak denoisers are trained inside the toolkit on samples of the exact \
            ideal mixture (EDM preconditioning, an MLP with a noise embedding, denoising score matching), each with \
            \(seeds.count) training seeds: does the difference between two trained models, Delta1 = s_strong - s_weak, \
            point where the learned strong model is wrong, Delta2 = s_ideal - s_strong (exact ideal), does W2SD with \
            them move the samples toward the ideal once the inversion bias is controlled for, and does the answer \
            survive retraining?
            """)
        doc.section("Method")
        doc.paragraph("""
            Toys: \(toys.map { "`\($0.rawValue)`" }.joined(separator: ", ")) (the pinned presets' ideal mixtures). Strong: \
            \(LearnedPreset.strong1D.summary) (2D: \(LearnedPreset.strong2D.summary)). Weak, by recipe: \
            \(weakPresets(.one).map { "`\($0.rawValue)` (\($0.summary))" }.joined(separator: "; ")), and the same for 2D \
            (\(weakPresets(.two).map { "`\($0.rawValue)`: \($0.summary)" }.joined(separator: "; ")))\
            \(settings.quick ? "; this quick run trains a few steps of width-16 networks" : "").
            """)
        doc.paragraph("""
            **Training seeds \(seeds.map(String.init).joined(separator: ", ")) (n = \(seeds.count)).** Every model of \
            seed K is trained with seed K (initialisation and data; bit-identical for any thread count), and every \
            sampler of seed K starts from the prior draws of sampling seed K, so the rows of one seed are paired: they \
            share their draws and their strong model. Each finding is a mean over the \(seeds.count) seeds with its 95% \
            Student-t interval (t(\(seeds.count - 1))); a difference between samplers is the mean of the per-seed \
            differences with their interval, and "no difference shown" where it contains 0. The spread holds both \
            retraining and resampling. Nothing is tuned: lambda, gamma and the inversion are the paper's defaults for \
            every recipe, so no setting is selected on the seeds reported.
            """)
        doc.paragraph("""
            Sampling: T = \(settings.steps) Karras steps, Euler, `paper` inversion, lambda = T - 1, gamma = 1; \
            \(toys.map { "\(Say.count(particles($0, settings: settings))) particles per sampler and seed in \($0.rawValue.uppercased())" }.joined(separator: ", ")); \
            W1 to the exact ideal distribution (exact ideal samples show its floor at this particle count). \
            **Controls:** self-reflection (the learned strong model reflected by itself: Delta1 = 0, only the paper \
            inversion's bias acts) and w2sd-corrected (W2SD with that bias removed: a pure h Delta1 move). W2SD minus \
            self-reflection is what Delta1 adds at the same inversion bias; w2sd-corrected minus strong is Delta1's \
            effect without any bias. Held-out loss: each model's weighted denoising loss on the toy's one held-out set \
            (\(Say.count(LearnedToy.heldOutCount)) exact samples with noise levels, seed 0x48454C44, drawn by no \
            recipe), so the recipes' losses are comparable. Alignment: `DeltaAlignment.sampleMean` over \
            \(settings.quick ? 200 : 5000) exact draws of p*(x; sigma) at each of \(settings.proxySigmas.count) noise \
            levels (field cosine E[Delta1 . Delta2] / sqrt(E|Delta1|^2 E|Delta2|^2): +1 where Delta1 points along \
            Delta2 everywhere it matters, 0 unrelated, -1 opposed).
            """)
        doc.paragraph("""
            **The models are results:** all \(studies.reduce(0) { $0 + $1.seeds.count * (1 + $1.weakPresets.count) }) \
            trained models are kept in `\(modelFolder)/` as `PRESET.seed-K.model`; each file's header holds its recipe, \
            seed, data changes, noise levels and loss course (`toy-w2sd train --check \(modelFolder)/strong-1d.seed-0.model` \
            states them, and every model serves as `--strong-model` or `--weak-model` in run, sweep, frontier and delta). \
            The notebook reads a stored model when the recipe it asks for matches the file's, field for field, and \
            trains it otherwise, so only a changed recipe costs training (`notebooks learned-models --retrain` trains \
            them all; training is deterministic, so the files come out the same).
            """)
        doc.section("Results")
        var headline: [String] = []
        for study in studies {
            let toyName = study.toy.uppercased()
            doc.subsection("\(toyName) toy (n = \(study.seeds.count) training seeds)")
            let strongW1 = study.w1("learned strong")
            let references = ["exact ideal samples", "ideal score", "learned strong", LearnedStudy.controlNames.selfReflection]
            doc.table(TextTable(
                headers: ["sampler", "W1, mean [95% interval]", "minus learned strong, paired"],
                rows: references.map { name in
                    [name, Attribution.mean(study.w1(name)).text, name == "learned strong" ? "-" : Attribution.paired(study.w1(name), minus: strongW1).text]
                }),
                caption: "\(toyName): the references and the control self-reflection (the learned strong model reflected by itself, the inversion bias alone), W1 over the \(study.seeds.count) training seeds:")
            let weakRows = study.weakPresets.map { preset -> [String] in
                let w2sd = study.w1("w2sd (learned)", preset: preset)
                return ["`\(preset)`", Attribution.mean(study.w1("learned weak", preset: preset)).text,
                        Attribution.paired(w2sd, minus: strongW1).text,
                        Attribution.paired(w2sd, minus: study.w1(LearnedStudy.controlNames.selfReflection)).text,
                        Attribution.paired(study.w1(LearnedStudy.controlNames.corrected, preset: preset), minus: strongW1).text]
            }
            doc.table(TextTable(headers: ["weak recipe", "learned weak W1", "W2SD minus strong", "W2SD minus self-reflection", "w2sd-corrected minus strong"],
                                rows: weakRows),
                      caption: "\(toyName): per weak recipe, W1 differences paired by training seed, mean [95% interval] over \(study.seeds.count) seeds (negative: closer to the ideal than the comparison). W2SD minus self-reflection is Delta1's part at the same inversion bias; w2sd-corrected minus strong is Delta1's move without the bias:")
            let lossRows = [("strong `\(study.strongPreset)`", study.heldOutLoss(preset: nil))]
                + study.weakPresets.map { ("`\($0)`", study.heldOutLoss(preset: $0)) }
            doc.table(TextTable(headers: ["model", "held-out loss, mean [95% interval]"],
                                rows: lossRows.map { [$0.0, Attribution.mean($0.1, format: Say.g).text] }),
                      caption: "\(toyName): each recipe's loss on the toy's held-out set, over the \(study.seeds.count) training seeds:")
            let alignRows = study.weakPresets.map { preset -> [String] in
                let levels = study.fieldCosine(preset: preset)
                let above = levels.filter { ($0.summary?.confidenceInterval?.lowerBound ?? -.infinity) > 0 }
                let below = levels.filter { ($0.summary?.confidenceInterval?.upperBound ?? .infinity) < 0 }
                let best = levels.compactMap { l in l.summary.map { (l.sigma, $0.mean) } }.max { $0.1 < $1.1 }
                return ["`\(preset)`", "\(above.count) of \(levels.count)", "\(below.count) of \(levels.count)",
                        best.map { "\(Say.g($0.1)) at sigma \(Say.g($0.0))" } ?? "undefined",
                        Say.ranges(levels.map(\.sigma), where: levels.map { ($0.summary?.confidenceInterval?.lowerBound ?? -.infinity) > 0 }) ?? "none"]
            }
            doc.table(TextTable(headers: ["weak recipe", "levels with cosine > 0", "levels with cosine < 0", "highest mean field cosine", "sigma where > 0"],
                                rows: alignRows),
                      caption: "\(toyName): the field cosine of Delta1 (learned) and Delta2 (exact ideal minus learned strong) per noise level; a level counts as > 0 (< 0) when its 95% interval over the \(study.seeds.count) seeds lies above (below) 0:")
            let files = try context.add(figure: figure(study), base: "learned-\(study.toy)")
            doc.figure(files, alt: "\(toyName) learned models over training seeds",
                       caption: "(a) held-out loss per recipe (checkpoint: the strong run stopped early), one point per training seed; (b) the field cosine of Delta1 and Delta2 per noise level, mean over the \(study.seeds.count) training seeds with its 95% interval (band), one colour per weak recipe")

            doc.section("What this run shows (\(toyName), n = \(study.seeds.count) training seeds, 95% intervals)")
            doc.bullets(findings(study))
            let verdicts = study.weakPresets.map { Attribution.paired(study.w1("w2sd (learned)", preset: $0), minus: strongW1).summary?.confidenceInterval }
            let better = verdicts.filter { ($0?.upperBound ?? 0) < 0 }.count, worse = verdicts.filter { ($0?.lowerBound ?? 0) > 0 }.count
            headline.append("\(toyName), W2SD minus learned strong over \(study.seeds.count) training seeds: lower W1 with \(better), higher with \(worse), no difference shown with \(verdicts.count - better - worse) of \(verdicts.count) weak recipes")
        }
        try context.add("learned-models.json", json: Document(studies: studies))
        doc.changes(ChangeNotes.metrics + [ChangeNotes.controls, ChangeNotes.learnedModels])
        try context.add("README.md", text: doc.markdown)
        return NotebookOutcome(preview: studies.last.map { "learned-\($0.toy)" + (settings.writesPreviews ? ".png" : ".svg") } ?? "",
                               headline: headline.joined(separator: "; "))
    }

    /// The findings of one toy, the control first, each with its interval over the training seeds.
    static func findings(_ study: LearnedSeedStudy) -> [String] {
        let toyName = study.toy.uppercased()
        let strongW1 = study.w1("learned strong")
        let selfW1 = study.w1(LearnedStudy.controlNames.selfReflection)
        let bias = Attribution.paired(selfW1, minus: strongW1)
        let gap = Attribution.paired(strongW1, minus: study.w1("ideal score"))
        var bullets = [
            "\(toyName), the control first: self-reflection (Delta1 = 0, only the paper inversion's bias acts) minus the learned strong model, "
                + "W1 \(bias.text): the bias alone "
                + Attribution.verdict(bias.summary, larger: "moves the samples away from the ideal", smaller: "moves the samples toward the ideal") + ".",
            gapSentence(toyName, gap, floor: Attribution.mean(study.w1("exact ideal samples")).text),
        ]
        for preset in study.weakPresets {
            let w2sd = study.w1("w2sd (learned)", preset: preset)
            let total = Attribution.paired(w2sd, minus: strongW1)
            let delta1 = Attribution.paired(w2sd, minus: selfW1)
            let pure = Attribution.paired(study.w1(LearnedStudy.controlNames.corrected, preset: preset), minus: strongW1)
            bullets.append("\(toyName), `\(preset)`: W2SD minus strong \(total.text) ("
                + Attribution.verdict(total.summary, larger: "W2SD is worse", smaller: "W2SD is better")
                + "); at the same inversion bias, W2SD minus self-reflection \(delta1.text) ("
                + Attribution.verdict(delta1.summary, larger: "Delta1 adds distance", smaller: "Delta1 helps")
                + "); bias-free, w2sd-corrected minus strong \(pure.text) ("
                + Attribution.verdict(pure.summary, larger: "Delta1's move alone is worse", smaller: "Delta1's move alone is better") + ").")
        }
        return bullets
    }

    /// How far the learned strong model is from the exact ideal score (what Delta2 has to correct).
    static func gapSentence(_ toyName: String, _ gap: (text: String, summary: RepeatSummary?), floor: String) -> String {
        let verdict = Attribution.verdict(gap.summary, larger: "the strong model is measurably worse than the ideal score",
                                          smaller: "the strong model is measurably better than the ideal score's discretisation")
        let consequence = gap.summary?.confidenceInterval.map { $0.contains(0) } == true
            ? " So the learned strong model is as close to the ideal as the exact score's own sampler, within this interval: "
                + "Delta2 leaves W2SD nothing measurable to correct in W1, and a move along Delta1 can only show as added distance or none."
            : ""
        return "\(toyName), what there is to correct: the learned strong model minus the exact ideal score, W1 \(gap.text) (\(verdict)); "
            + "the exact samples' W1 \(floor) is the floor at this particle count." + consequence
    }

    struct Document: Encodable {
        var schema = "toy-w2sd.notebook.learned-models/2"
        var version = ToolVersion.current
        var toolkit = Toolkit.current
        var studies: [LearnedSeedStudy]
    }

    static func figure(_ study: LearnedSeedStudy) -> Figure {
        let colors = Color.palette
        let names = ["strong"] + study.weakPresets
        // Short tick labels: the weak recipe's kind (the checkpoint preset has no suffix).
        let kinds = names.map { name in name == "strong" ? name : (name.split(separator: "-").count > 2 ? String(name.split(separator: "-").dropFirst(2).joined(separator: "-")) : "checkpoint") }
        var loss = Panel(title: "(a) held-out loss per recipe, one point per training seed",
                         xAxis: Axis(label: "recipe", limits: AxisLimits(-0.5, Double(names.count) - 0.5),
                                     ticks: kinds.enumerated().map { Tick(value: Double($0.offset), label: $0.element) }),
                         yAxis: Axis(label: "held-out loss", scale: .log))
        for (i, name) in names.enumerated() {
            let values = study.heldOutLoss(preset: i == 0 ? nil : name).filter { $0 > 0 && $0.isFinite }
            guard !values.isEmpty else { continue }
            loss.add(.scatter(Scatter(x: values.map { _ in Double(i) }, y: values, color: i == 0 ? MethodStyle.color(.strong) : colors[i % colors.count],
                                      size: 7, opacity: 0.8)))
        }
        var cosine = Panel(title: "(b) field cosine of Δ₁ (learned) and Δ₂ per noise level", xAxis: Axis(label: "σ", scale: .log),
                           yAxis: Axis(label: "cosine", limits: AxisLimits(-1.05, 1.05)), legend: .outsideRight)
        cosine.add(.referenceLine(ReferenceLine(.horizontal, at: 0)))
        for (i, preset) in study.weakPresets.enumerated() {
            let rows = study.fieldCosine(preset: preset).compactMap { l in l.summary.map { (l.sigma, $0) } }
            let color = colors[(i + 1) % colors.count]
            let banded = rows.filter { $0.1.confidenceInterval != nil }
            if !banded.isEmpty {
                cosine.add(.band(Band(x: banded.map(\.0), lower: banded.map { max(-1.05, $0.1.confidenceInterval?.lowerBound ?? 0) },
                                      upper: banded.map { min(1.05, $0.1.confidenceInterval?.upperBound ?? 0) }, color: color, opacity: 0.18)))
            }
            cosine.add(.lines(Lines(x: rows.map(\.0), y: rows.map(\.1.mean), style: LineStyle(color: color, width: 2), label: preset)))
        }
        // One panel per row: six recipe names fit under (a) at a page's width, and (b)'s legend stands beside
        // its bands instead of over them.
        return Figure(title: "Learned models on the \(study.toy.uppercased()) toy, \(study.seeds.count) training seeds", width: 1300, height: 1000,
                      rows: 2, columns: 1, panels: [loss, cosine])
    }
}
