import Foundation
import Toy

/// W2SD with learned models: a learned strong and a learned weak denoiser of the same toy, sampled
/// alone and together (W2SD with the strong learned step and the weak learned inversion), measured
/// against the exact ideal mixture; and how well the observable Delta1 = s_strong - s_weak (both learned)
/// stands in for the unobservable Delta2 = s_ideal - s_strong (exact ideal minus learned strong), per
/// noise level.
public struct LearnedStudy: Sendable, Codable {
    /// Delta1 vs Delta2 at one noise level, as Monte Carlo expectations over `samples` exact draws of
    /// p*(x; sigma) (draw i from stream i of the study seed): `DeltaAlignment.sampleMean` over the draws,
    /// so the same quantities and the same pointwise formula as every other alignment of the package (the
    /// mean cosine averages over all draws, a draw where either difference is zero counting as cosine 0).
    /// The differences are plain subtractions of the scores (a learned field offers nothing better). For
    /// learned models the differences are network errors spread over the data, which Monte Carlo estimates
    /// well; for weight-only mixture differences at small sigma, which live only in the rare region between
    /// the modes (and lose their digits to the subtraction), use `DeltaAlignment` instead: on the 1D preset
    /// at sigma = 0.3 20,000 draws are off by a factor 3, at sigma >= 2 within 5% (tested).
    public struct AlignmentRow: Sendable, Codable {
        public var sigma: Double
        public var meanNormDelta1: Double
        public var meanNormDelta2: Double
        /// E[cos(Delta1, Delta2)] (0 where either vanishes).
        public var meanCosine: Double
        /// E[Delta1 . Delta2] / sqrt(E|Delta1|^2 E|Delta2|^2).
        public var fieldCosine: Double
        /// sqrt(E|Delta1 - Delta2|^2 / E|Delta2|^2).
        public var relativeError: Double

        /// The row of an alignment estimate.
        init(_ a: DeltaAlignment) {
            sigma = a.sigma
            meanNormDelta1 = a.meanNormDelta1
            meanNormDelta2 = a.meanNormDelta2
            meanCosine = a.meanCosine
            fieldCosine = a.fieldCosine
            relativeError = a.relativeError
        }
    }

    public var steps: Int
    public var particles: Int
    public var seed: UInt64
    public var methods: [SamplerOutcome]
    public var alignment: [AlignmentRow]
    /// The version and build that ran the study (its JSON is `train --check --json`).
    public var toolkit = Toolkit.current

    /// The names of the two control rows.
    public static let controlNames = (selfReflection: "self-reflection (learned strong)", corrected: "w2sd-corrected (learned)")

    /// Runs the seven samplers (exact ideal samples, ideal score, learned strong, learned weak, W2SD with the
    /// two learned models, and the controls: self-reflection of the learned strong model, the inversion
    /// bias alone; w2sd-corrected, W2SD without it) with `settings` and the alignment on `sigmas` (default: the proxy grid, 20 levels
    /// from 0.01 to 10) with `alignmentSamples` draws per level.
    public static func run(strong: any ScoreField, weak: any ScoreField, ideal: GaussianMixture,
                           settings: SamplerSettings = SamplerSettings(), particles: Int, seed: UInt64 = 0, threads: Int,
                           sigmas: [Double] = ProxyAnalysis.defaultSigmas, alignmentSamples: Int = 20_000) throws -> LearnedStudy {
        let rows = try pairedRows(strong: strong, weak: [weak], ideal: ideal, settings: settings, particles: particles, seed: seed,
                                  threads: threads, sigmas: sigmas, alignmentSamples: alignmentSamples)
        let shared = rows.references, paired = rows.weak[0].methods
        // Report order: the references without the control, the weak model's rows, then the two controls.
        let selfReflection = shared.filter { $0.name == controlNames.selfReflection }
        let methods = shared.filter { $0.name != controlNames.selfReflection } + paired.filter { $0.name != controlNames.corrected }
            + selfReflection + paired.filter { $0.name == controlNames.corrected }
        return LearnedStudy(steps: settings.steps, particles: particles, seed: seed, methods: methods, alignment: rows.weak[0].alignment)
    }

    /// A sampler row of the study before it runs: its name and its run.
    struct PlannedRun: Sendable {
        var name: String
        var run: SamplingRun

        init(_ name: String, _ run: SamplingRun) {
            self.name = name
            self.run = run
        }

        /// Runs it on `threads` threads (the samples and statistics do not depend on the count).
        func outcome(threads: Int) throws -> SamplerOutcome {
            var run = self.run
            run.threads = threads
            let outcome = try run.run()
            guard let s = outcome.statistics else {
                throw ToyError.invalid(input: "study", accepted: "runs with statistics against the ideal model")
            }
            return SamplerOutcome(name: name, statistics: s, evaluations: outcome.evaluations)
        }
    }

    /// What one strong model gives with each of several weak models (`pairedRows`): the references, and per
    /// weak model its three sampler rows and its alignment rows.
    struct PairedRows: Sendable {
        var references: [SamplerOutcome]
        var weak: [(methods: [SamplerOutcome], alignment: [AlignmentRow])]
    }

    /// The rows of one strong model with each model of `weak`, all from the same prior draws (`seed`): the
    /// `references` once, per weak model its `weakMethods` and its alignment rows at `sigmas`, whose draws and
    /// strong and ideal scores (`AlignmentDraws`) are made once per level and shared by the weak models.
    ///
    /// Every run and every alignment level is an independent job: the jobs run on `threads` workers, one
    /// thread each (a run's samples and statistics do not depend on its thread count, and a job's result
    /// does not depend on which worker ran it or when), so the rows are bit for bit those of running
    /// everything one after another, for any thread count; while a single run of a few chunks would
    /// leave a thread idle at its end, the workers here stay busy until the last job. The jobs start
    /// roughly longest first (the weak models' runs with their reflections, then the references, then
    /// the levels, which cost a fraction of a run each), so that no long job starts last.
    static func pairedRows(strong: any ScoreField, weak: [any ScoreField], ideal: GaussianMixture, settings: SamplerSettings,
                           particles: Int, seed: UInt64, threads: Int, sigmas: [Double], alignmentSamples: Int) throws -> PairedRows {
        enum Job: Sendable {
            case run(PlannedRun)
            case level(sigma: Double)
        }
        enum Outcome: Sendable {
            case row(SamplerOutcome)
            case alignment([AlignmentRow])
        }
        let weakRuns = try weak.map { try weakMethods(try ScoreModels(ideal: ideal, strong: strong, weak: $0), settings: settings,
                                                      particles: particles, seed: seed) }
        let referenceRuns = try references(strong: strong, ideal: ideal, settings: settings, particles: particles, seed: seed)
        let jobs = weakRuns.flatMap { $0.map(Job.run) } + referenceRuns.map(Job.run) + sigmas.map { Job.level(sigma: $0) }
        let results = jobs.concurrentMap(threads: threads) { job -> Result<Outcome, any Error> in
            Result {
                switch job {
                case .run(let planned): return .row(try planned.outcome(threads: 1))
                case .level(let sigma):
                    let draws = AlignmentDraws(ideal: ideal, strong: strong, sigma: sigma, samples: alignmentSamples, seed: seed)
                    return .alignment(weak.map { draws.row(weak: $0) })
                }
            }
        }
        var rows: [SamplerOutcome] = [], levels: [[AlignmentRow]] = []
        for result in results {
            switch try result.get() {
            case .row(let row): rows.append(row)
            case .alignment(let perWeak): levels.append(perWeak)
            }
        }
        let perWeak = weakRuns.first?.count ?? 0
        return PairedRows(references: Array(rows[(weak.count * perWeak)...]),
                          weak: weak.indices.map { w in
                              (Array(rows[(w * perWeak)..<((w + 1) * perWeak)]), levels.map { $0[w] })
                          })
    }

    /// The rows that do not depend on the weak model, from the same prior draws (`seed`): exact ideal samples,
    /// the ideal score, the learned strong model and the control self-reflection (the learned strong model
    /// reflected by itself: Delta1 = 0, the paper inversion's bias alone).
    static func references(strong: any ScoreField, ideal: GaussianMixture, settings: SamplerSettings, particles: Int,
                           seed: UInt64) throws -> [PlannedRun] {
        func sampled(_ sampler: Sampler) -> SamplingRun { SamplingRun(sampler: sampler, particles: particles, seed: seed, ideal: ideal) }
        return [
            PlannedRun("exact ideal samples", .exactReference(of: ideal, particles: particles, seed: seed, ideal: ideal)),
            PlannedRun("ideal score", sampled(try .standard(ideal, settings: settings))),
            PlannedRun("learned strong", sampled(try .standard(strong, settings: settings))),
            PlannedRun(controlNames.selfReflection, sampled(try .selfReflection(strong, settings: settings))),
        ]
    }

    /// The rows of one weak model, from the same prior draws (`seed`) as `references`: the learned weak model,
    /// W2SD with the two learned models, and the control w2sd-corrected (W2SD with the inversion bias removed).
    static func weakMethods(_ models: ScoreModels, settings: SamplerSettings, particles: Int, seed: UInt64) throws -> [PlannedRun] {
        func sampled(_ sampler: Sampler) -> SamplingRun { SamplingRun(sampler: sampler, particles: particles, seed: seed, ideal: models.ideal) }
        return [
            PlannedRun("learned weak", sampled(try .standard(models.weak, settings: settings))),
            PlannedRun("w2sd (learned)", sampled(try .w2sd(strong: models.strong, weak: models.weak, settings: settings))),
            PlannedRun(controlNames.corrected, sampled(try .w2sdCorrected(strong: models.strong, weak: models.weak, settings: settings))),
        ]
    }

    /// The draws of one alignment level and the strong and ideal scores at them: the part of an
    /// `AlignmentRow` that does not depend on the weak model, made once and shared by every weak model
    /// of a strong one. Draw i of p*(x; sigma) comes from stream i of the seed; each field is evaluated with
    /// its own streams (stream i of the seed for draw i), so a field that draws random numbers gets the same
    /// ones whichever fields are evaluated before it (the deterministic learned and mixture fields draw none).
    struct AlignmentDraws: Sendable {
        let sigma: Double
        let count: Int
        let seed: UInt64
        /// x_i, flat [i * d + j].
        let points: [Double]
        let strongScores: [Double]
        let idealScores: [Double]

        init(ideal: GaussianMixture, strong: any ScoreField, sigma: Double, samples n: Int, seed: UInt64) {
            self.sigma = sigma
            count = n
            self.seed = seed
            points = ideal.samples(count: n, sigma: sigma, seed: seed)
            strongScores = Self.scores(strong, at: points, count: n, sigma: sigma, seed: seed)
            idealScores = Self.scores(ideal, at: points, count: n, sigma: sigma, seed: seed)
        }

        /// s(x_i; sigma) of `field` at the n points, flat like them.
        static func scores(_ field: any ScoreField, at points: [Double], count n: Int, sigma: Double, seed: UInt64) -> [Double] {
            var out = [Double](repeating: 0, count: points.count)
            var streams = ParticleStreams(seed: seed, first: 0, count: n)
            points.withUnsafeBufferPointer { xs in
                out.withUnsafeMutableBufferPointer { o in
                    if let xb = xs.baseAddress, let ob = o.baseAddress { field.scores(xb, count: n, sigma: sigma, into: ob, streams: &streams) }
                }
            }
            return out
        }

        /// The row of `weak` at these draws: Delta1 = s_strong - s_weak, Delta2 = s_ideal - s_strong and
        /// their gap at each draw, averaged by `DeltaAlignment.sampleMean`.
        func row(weak: any ScoreField) -> AlignmentRow {
            let d = weak.dimension
            let (ss, si) = (strongScores, idealScores)
            let sw = Self.scores(weak, at: points, count: count, sigma: sigma, seed: seed)
            return AlignmentRow(DeltaAlignment.sampleMean(sigma: sigma, count: count) { p in
                let coordinates = (p * d)..<((p + 1) * d)
                let delta1 = coordinates.map { ss[$0] - sw[$0] }, delta2 = coordinates.map { si[$0] - ss[$0] }
                return (delta1, delta2, zip(delta1, delta2).map { $0 - $1 })
            })
        }
    }

    /// The alignment of Delta1 and Delta2 at one noise level (see `AlignmentRow`).
    public static func alignmentRow(_ models: ScoreModels, sigma: Double, samples n: Int, seed: UInt64) -> AlignmentRow {
        AlignmentDraws(ideal: models.ideal, strong: models.strong, sigma: sigma, samples: n, seed: seed).row(weak: models.weak)
    }

    /// The two tables: samplers, then the alignment per noise level.
    public var text: String {
        let samplers = SamplerOutcome.table(methods, samplerHeader: "sampler (T = \(steps))")
        let levels = TextTable(
            headers: ["sigma", "E|Delta1|", "E|Delta2|", "mean cos", "field cos", "rel. error"],
            rows: alignment.map { r in
                [NumberFormat.significant(r.sigma, 3), NumberFormat.significant(r.meanNormDelta1, 3), NumberFormat.significant(r.meanNormDelta2, 3),
                 NumberFormat.fixed(r.meanCosine, 3), NumberFormat.fixed(r.fieldCosine, 3), NumberFormat.significant(r.relativeError, 3)]
            })
        return samplers.text(trimmingTrailingSpace: true) + "\n\n" + levels.text(trimmingTrailingSpace: true)
    }
}
