import Experiments
import Foundation
import Plot
import Toy

extension Notebook {
    /// The difference zoo: toys where Delta1 and Delta2 disagree, with the controls.
    static let differenceZoo = Notebook(
        name: "difference-zoo",
        title: "The difference zoo: where Delta1 and Delta2 disagree",
        summary: "every case of `toy-w2sd cases`: W2SD, its bias-corrected form and self-reflection against strong, with the measured alignment of Delta1 and Delta2",
        body: DifferenceZooNotebook.body)
}

enum DifferenceZooNotebook {
    /// The methods run on every case: the exact floor, the strong sampler, W2SD and its two controls.
    static let methods: [MethodName] = [.exact, .strong, .w2sd, .w2sdCorrected, .selfReflection]

    static func repeats(_ settings: NotebookSettings) -> Int { settings.quick ? 2 : 3 }

    /// Every case; a quick run (a smoke test in a debug build, where the sliced 2D statistics are slow)
    /// keeps the 1D cases and one 2D case, and its README says which it leaves out.
    static func cases(_ settings: NotebookSettings) -> [DifferenceCase] {
        settings.quick ? DifferenceCase.all.filter { c in c.dimension == 1 || c.name == "shifted-2d" } : DifferenceCase.all
    }

    /// One case's outcome: per method the repeated metrics, the alignment numbers, the target mode.
    struct CaseOutcome {
        var name: String
        var summary: String
        var dimension: Int
        var runs: RepeatedRuns
        var modeNames: [String]
        /// The ideal mode the strong model under-weights most (relative to its ideal weight).
        var target: String
        var alignment: Alignment
        var figure: FigureFiles
    }

    /// Delta1 against Delta2 aggregated over the proxy levels, as expectations under p*(x; sigma)
    /// estimated from exact samples (Monte Carlo: `DeltaAlignment.sampleMean` per level, summed by
    /// `ProxyAnalysis`): the field cosine sum E[D1.D2] / sqrt(sum E|D1|^2 sum E|D2|^2) and the proxy error
    /// E(1)/E(0) = sum E|D1 - D2|^2 / sum E|D2|^2 (W2SD-NOTES 5).
    struct Alignment: Encodable {
        var fieldCosine: Double
        var errorRatio: Double
        /// What rounding alone can make of E(1)/E(0): (8 eps)^2 sum E(|s_s| + |s_w| + |s*|)^2 / sum E|D2|^2,
        /// a generous bound on the squared error of a difference of scores formed in double precision.
        var errorRatioRounding: Double
        var sigmas: [Double]
        var samplesPerLevel: Int

        /// E(1)/E(0) with four significant digits, or the rounding bound when it is not above it (the
        /// two fields then agree to rounding: no digit of the ratio is known).
        var errorRatioText: String {
            errorRatio <= errorRatioRounding ? "<= \(Say.g(errorRatioRounding)) (rounding)" : Say.g(errorRatio)
        }

        /// The proxy's forecast: Delta1 points the right way and is closer to Delta2 than zero is.
        var predictsHelp: Bool { fieldCosine > 0 && errorRatio < 1 }
    }

    static func alignment(_ c: DifferenceCase, _ models: ScoreModels, settings: NotebookSettings) throws -> Alignment {
        let n = settings.quick ? 200 : 4000
        let d = models.dimension
        // The levels are independent (level l draws its points from seed l; the zoo's score fields draw
        // no noise from `streams`), so they run concurrently; the scale's terms are then added in level
        // and point order, so every number is the same for any thread count.
        let perLevel = Array(settings.proxySigmas.enumerated()).concurrentMap(threads: settings.threads) { level, sigma -> (DeltaAlignment, [Double]) in
            let x = models.ideal.samples(count: n, sigma: sigma, seed: UInt64(level))
            func point(_ i: Int) -> [Double] { Array(x[(i * d)..<((i + 1) * d)]) }
            // Mixture cases without cancellation (ScoreDifference); field cases as plain differences. Set up
            // once for the level.
            let deltas = models.deltas(sigma: sigma)
            let alignment = DeltaAlignment.sampleMean(sigma: sigma, count: n) { i in
                let (a, b) = deltas(point(i))
                return (a, b, zip(a, b).map { $0 - $1 })
            }
            // The three scores of all n points, each field set up once for the level.
            let (strong, weak, ideal) = (scores(models.strong, x, n, sigma), scores(models.weak, x, n, sigma), scores(models.ideal, x, n, sigma))
            func row(_ s: [Double], _ i: Int) -> [Double] { Array(s[(i * d)..<((i + 1) * d)]) }
            let terms = (0..<n).map { i -> Double in
                let magnitude = DeltaAlignment.norm(row(strong, i)) + DeltaAlignment.norm(row(weak, i)) + DeltaAlignment.norm(row(ideal, i))
                return magnitude * magnitude / Double(n)
            }
            return (alignment, terms)
        }
        var scale = 0.0
        for (_, terms) in perLevel { for term in terms { scale += term } }
        let proxy = ProxyAnalysis(levels: perLevel.map(\.0))
        return Alignment(fieldCosine: proxy.fieldCosine, errorRatio: proxy.gapRatio,
                         errorRatioRounding: proxy.delta2Squared > 0 ? 64 * Double.ulpOfOne * Double.ulpOfOne * scale / proxy.delta2Squared : .nan,
                         sigmas: settings.proxySigmas, samplesPerLevel: n)
    }

    /// The field's scores at the n points of x (flat, n x d) at one noise level. The zoo's fields draw no
    /// noise, so the streams (one per point) are never read.
    static func scores(_ field: any ScoreField, _ x: [Double], _ n: Int, _ sigma: Double) -> [Double] {
        var out = [Double](repeating: 0, count: x.count)
        var streams = ParticleStreams(seed: 0, first: 0, count: n)
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in field.scores(xs.baseAddress!, count: n, sigma: sigma, into: o.baseAddress!, streams: &streams) }
        }
        return out
    }

    /// Runs the methods of a case over the seeds through the experiment runner.
    static func run(_ c: DifferenceCase, settings: NotebookSettings) throws -> (RepeatedRuns, [MethodResult], ScoreModels) {
        let models = try c.models()
        let seeds = (0..<UInt64(repeats(settings))).map { $0 }
        var spec = settings.scaled(c.experiment)
        if spec.dimension > 2 { spec.samples = settings.quick ? 300 : 10_000 }
        spec.methods = methods
        let runner = ExperimentRunner(spec: spec, models: models, threads: settings.threads)
        let (first, runs) = try runner.runRepeats(seeds.count, modeNames: c.modeNames)
        return (runs, first, models)
    }

    /// The mode the strong model under-weights most, relative to the ideal weight (by the normalised
    /// weights of the models' marginals).
    static func target(_ c: DifferenceCase, _ runs: RepeatedRuns, modeNames: [String]) -> String {
        guard let exact = runs.methods.firstIndex(of: .exact), let strong = runs.methods.firstIndex(of: .strong) else { return modeNames.first ?? "" }
        let worst = modeNames.max { a, b in
            func deficit(_ name: String) -> Double {
                let ideal = runs.metrics[exact].compactMap { $0["mass:\(name)"] }.reduce(0, +)
                let got = runs.metrics[strong].compactMap { $0["mass:\(name)"] }.reduce(0, +)
                return ideal > 0 ? (ideal - got) / ideal : 0
            }
            return deficit(a) < deficit(b)
        }
        return worst ?? modeNames.first ?? ""
    }

    static func body(_ context: inout NotebookContext) throws -> NotebookOutcome {
        let settings = context.settings
        var outcomes: [CaseOutcome] = []
        context.progress.plan(2 * cases(settings).count)
        for c in cases(settings) {
            let (runs, first, models) = try run(c, settings: settings)
            context.progress.advance()
            let align = try alignment(c, models, settings: settings)
            context.progress.advance()
            let files = try context.add(figure: try figure(c, first: first, models: models), base: c.name)
            outcomes.append(CaseOutcome(name: c.name, summary: c.summary, dimension: c.dimension, runs: runs, modeNames: c.modeNames,
                                        target: target(c, runs, modeNames: c.modeNames), alignment: align, figure: files))
        }

        var doc = LiterateDocument(title: "The difference zoo: where Delta1 and Delta2 disagree", notebook: context.notebook, settings: settings)
        doc.section("Question")
        doc.paragraph("""
            The pinned presets differ only in mode weights, so Delta1 = s_strong - s_weak and Delta2 = s_ideal - s_strong \
            are parallel there and the claim "Delta1 approximates Delta2" holds in direction by construction. In the toys of \
            `toy-w2sd cases` the weak model differs in location, spread, which mode it misses, guidance or tail behaviour. \
            In which of them does W2SD move the strong sampler toward the ideal distribution, in which does it hurt, and \
            does the measured alignment of Delta1 and Delta2 say so beforehand?
            """)
        doc.section("Method")
        doc.paragraph("""
            Every case runs \(methods.map { "`\($0.rawValue)`" }.joined(separator: ", ")) with \(repeats(settings)) seeds \
            (0 ... \(repeats(settings) - 1), the same prior draws for every method of a seed), T = \(settings.steps) Karras steps, \
            Euler, `paper` inversion, lambda = T - 1, gamma = 1; \(settings.quick ? "a quick run's small sample counts" : "100,000 particles in 1D, 50,000 in 2D, 10,000 for d = 16 and 64"). \
            `w2sd-corrected` is x + (R_s->w(x) - R_s->s(x)): the reflection with its own inversion bias removed; \
            `self-reflection` is W2SD with weak = strong: what the reflection does by itself. Every case is its experiment \
            file `Examples/cases/<name>.json` run by the experiment runner (`toy-w2sd run --case NAME` runs the same)\
            \(settings.quick ? " (this quick run leaves out " + DifferenceCase.all.filter { c in !cases(settings).contains { $0.name == c.name } }.map { "`\($0.name)`" }.joined(separator: ", ") + ")" : ""). \
            W1 is the (sliced for d >= 2) Wasserstein-1 distance to the ideal distribution; "target on-mode" is the on-mode \
            mass (squared Mahalanobis distance below the chi-square quantile at q = 0.999, nearest such mode) of the ideal mode the strong model under-weights most; every cell is the \
            mean +- the half-width of the 95% Student-t interval over the seeds. The alignment is aggregated over \
            \(settings.proxySigmas.count) noise levels from \(Say.g(settings.proxySigmas.first ?? 0)) to \(Say.g(settings.proxySigmas.last ?? 0)) \
            by Monte Carlo over exact samples of p*(x; sigma) (\(outcomes.first?.alignment.samplesPerLevel ?? 0) per level; \
            `DeltaAlignment.sampleMean` per level, summed over the levels by `ProxyAnalysis`): the field cosine \
            and the proxy error E(1)/E(0) = E|Delta1 - Delta2|^2 / E|Delta2|^2 (below 1: stepping along Delta1 gets closer to Delta2 than not stepping).
            """)

        doc.section("Results")
        var rows: [[String]] = []
        var verdictRows: [[String]] = []
        var agreements = 0, decided = 0
        var helped: [String] = [], hurt: [String] = [], unclear: [String] = []
        for o in outcomes {
            for method in methods {
                rows.append([method == methods[0] ? o.name : "", method.rawValue,
                             RepeatTable.cell(o.runs.summary(method, "W1")),
                             RepeatTable.cell(o.runs.summary(method, "on-mode:\(o.target)")),
                             RepeatTable.cell(o.runs.summary(method, "spurious")),
                             RepeatTable.interval(o.runs.pairedToStrong(method, "W1"))])
            }
            let paired = o.runs.pairedToStrong(.w2sd, "W1")
            let outcome: String
            if let ci = paired?.confidenceInterval, ci.upperBound < 0 { outcome = "helps"; helped.append(o.name) }
            else if let ci = paired?.confidenceInterval, ci.lowerBound > 0 { outcome = "hurts"; hurt.append(o.name) }
            else { outcome = "unclear"; unclear.append(o.name) }
            let forecast = o.alignment.predictsHelp ? "helps" : "does not help"
            if outcome != "unclear" {
                decided += 1
                if (outcome == "helps") == o.alignment.predictsHelp { agreements += 1 }
            }
            verdictRows.append([o.name, "\(o.dimension)", Say.g(o.alignment.fieldCosine), o.alignment.errorRatioText, forecast,
                                RepeatTable.interval(paired), outcome])
        }
        doc.table(TextTable(headers: ["case", "method", "W1", "target on-mode", "spurious", "W1 - strong W1 (paired)"], rows: rows),
                  caption: "Every case and method (mean +- 95% half-width over the seeds; the paired difference with its 95% interval):")
        doc.table(TextTable(headers: ["case", "d", "field cosine", "E(1)/E(0)", "proxy forecast", "W2SD W1 - strong W1", "W2SD"], rows: verdictRows),
                  caption: "Alignment and outcome per case (W2SD helps when the 95% interval of its paired W1 difference to strong lies below 0, hurts when above):")
        for o in outcomes {
            doc.figure(o.figure, alt: "case \(o.name)", caption: "`\(o.name)` (d = \(o.dimension)): \(o.summary)")
        }

        doc.section("What this run shows")
        let list = { (names: [String]) in names.isEmpty ? "none" : names.map { "`\($0)`" }.joined(separator: ", ") }
        doc.bullets([
            "W2SD lowers W1 against the strong sampler (95% interval below 0) in: \(list(helped)).",
            "W2SD raises W1 (95% interval above 0) in: \(list(hurt)).",
            "Undecided at \(repeats(settings)) seeds (the interval contains 0): \(list(unclear)).",
            "The aggregated proxy (field cosine > 0 and E(1)/E(0) < 1) forecast the outcome in \(agreements) of the \(decided) decided cases.",
        ])
        try context.add("difference-zoo.json", json: Document(cases: outcomes.map { o in
            CaseDocument(name: o.name, dimension: o.dimension, target: o.target, alignment: o.alignment,
                         methods: o.runs.methods.map { m in
                             MethodDocument(method: m.rawValue, metrics: Dictionary(uniqueKeysWithValues: o.runs.metricNames.compactMap { name in
                                 o.runs.values(m, name).map { (name, $0) }
                             }))
                         })
        }))
        doc.changes(ChangeNotes.metrics)
        try context.add("README.md", text: doc.markdown)
        return NotebookOutcome(preview: outcomes.first { $0.name == "wrong-mode-2d" }?.figure.shown ?? outcomes[0].figure.shown,
                               headline: "W2SD helps in \(helped.count), hurts in \(hurt.count) of \(outcomes.count) cases; the aggregated proxy forecast \(agreements) of \(decided) decided outcomes")
    }

    struct MethodDocument: Encodable { var method: String; var metrics: [String: [Double]] }
    struct CaseDocument: Encodable { var name: String; var dimension: Int; var target: String; var alignment: Alignment; var methods: [MethodDocument] }
    struct Document: Encodable {
        var schema = "toy-w2sd.notebook.difference-zoo/1"
        var version = ToolVersion.current
        var toolkit = Toolkit.current
        var cases: [CaseDocument]
    }

    /// Per case: the final samples of strong, W2SD and the corrected reflection against the ideal
    /// (1D: histograms over the exact density; d >= 2: the first two coordinates as scatter), and
    /// Delta1, Delta2 at sigma = 1 (1D: curves; d >= 2: mean norms along the first coordinate are not
    /// drawn, the scatter suffices).
    static func figure(_ c: DifferenceCase, first: [MethodResult], models: ScoreModels) throws -> Figure {
        let d = models.dimension
        let shown = first.filter { [.strong, .w2sd, .w2sdCorrected].contains($0.method) }
        if d == 1 {
            let all = first.flatMap(\.samples).filter(\.isFinite).sorted()
            let lo = min(all.first ?? -8, -8), hi = max(all.last ?? 8, 8)
            let xs = Grid2D.evenlySpaced(from: lo, to: hi, count: 400)
            var samples = Panel(title: "final samples over the ideal density", xAxis: Axis(label: "x", limits: AxisLimits(lo, hi)),
                                yAxis: Axis(label: "density"), legend: .outsideRight)
            let density = xs.map { models.ideal.density(at: [$0]) }
            samples.add(.band(Band(x: xs, lower: xs.map { _ in 0 }, upper: density, color: .gray, opacity: 0.2, label: "ideal p*")))
            for r in shown where !r.samples.isEmpty {
                samples.add(.histogram(HistogramMark(histogram: Histogram(values: r.samples, binCount: 120, range: lo...hi), style: .step,
                                                     color: MethodStyle.color(r.method), lineWidth: 1.5, label: MethodStyle.label(r.method, guidance: 2))))
            }
            let atLevel = models.deltas(sigma: 1)
            let pairs = xs.map { x in atLevel([x]) }
            var deltas = Panel(title: "Δ₁ and Δ₂ at σ = 1", xAxis: Axis(label: "x"), yAxis: Axis(label: "score difference"), legend: .automatic)
            deltas.add(.referenceLine(ReferenceLine(.horizontal, at: 0, style: LineStyle(color: .gray, width: 0.8))))
            deltas.add(.lines(Lines(x: xs, y: pairs.map { $0.0[0] }, style: LineStyle(color: MethodStyle.delta1, width: 2), label: "Δ₁ = s_s − s_w")))
            deltas.add(.lines(Lines(x: xs, y: pairs.map { $0.1[0] }, style: LineStyle(color: MethodStyle.delta2, width: 2, dash: [6, 3]), label: "Δ₂ = s* − s_s")))
            var figure = Figure(title: "\(c.name)", width: 1300, height: 480, rows: 1, columns: 2, panels: [samples, deltas])
            figure.lettersPanels = true
            return figure
        }
        var panels: [Panel] = []
        for r in shown where !r.samples.isEmpty {
            let n = min(r.samples.count / d, 3000)
            var panel = Panel(title: "\(MethodStyle.label(r.method, guidance: 2)): x₁, x₂ of \(n) samples", xAxis: Axis(label: "x₁"),
                              yAxis: Axis(label: "x₂"), equalAspect: true, legend: .hidden)
            let means = models.ideal.components.filter { $0.weight > 0 }
            panel.add(.scatter(Scatter(x: (0..<n).map { r.samples[$0 * d] }, y: (0..<n).map { r.samples[$0 * d + 1] }, shape: .dot,
                                       color: MethodStyle.color(r.method), size: 2)))
            panel.add(.scatter(Scatter(x: means.map { $0.mean[0] }, y: means.map { $0.mean[1] }, shape: .cross, color: .nearBlack, size: 7)))
            panels.append(panel)
        }
        var figure = Figure(title: "\(c.name) (d = \(d)): final samples, ideal modes as crosses", width: 1500, height: 520, rows: 1,
                            columns: max(1, panels.count), panels: panels)
        figure.lettersPanels = true
        return figure
    }
}
