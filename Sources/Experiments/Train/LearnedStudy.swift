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
        let models = try ScoreModels(ideal: ideal, strong: strong, weak: weak)
        let shared = try references(strong: strong, ideal: ideal, settings: settings, particles: particles, seed: seed, threads: threads)
        let paired = try weakMethods(models, settings: settings, particles: particles, seed: seed, threads: threads)
        // Report order: the references without the control, the weak model's rows, then the two controls.
        let selfReflection = shared.filter { $0.name == controlNames.selfReflection }
        let methods = shared.filter { $0.name != controlNames.selfReflection } + paired.filter { $0.name != controlNames.corrected }
            + selfReflection + paired.filter { $0.name == controlNames.corrected }
        let alignment = sigmas.map { alignmentRow(models, sigma: $0, samples: alignmentSamples, seed: seed) }
        return LearnedStudy(steps: settings.steps, particles: particles, seed: seed, methods: methods, alignment: alignment)
    }

    /// The rows that do not depend on the weak model, from the same prior draws (`seed`): exact ideal samples,
    /// the ideal score, the learned strong model and the control self-reflection (the learned strong model
    /// reflected by itself: Delta1 = 0, the paper inversion's bias alone).
    public static func references(strong: any ScoreField, ideal: GaussianMixture, settings: SamplerSettings, particles: Int,
                                  seed: UInt64, threads: Int) throws -> [SamplerOutcome] {
        [
            try outcome("exact ideal samples", .exactReference(of: ideal, particles: particles, seed: seed, threads: threads, ideal: ideal)),
            try outcome("ideal score", sampled(try .standard(ideal, settings: settings), ideal: ideal, particles: particles, seed: seed, threads: threads)),
            try outcome("learned strong", sampled(try .standard(strong, settings: settings), ideal: ideal, particles: particles, seed: seed, threads: threads)),
            try outcome(controlNames.selfReflection, sampled(try .selfReflection(strong, settings: settings), ideal: ideal, particles: particles,
                                                             seed: seed, threads: threads)),
        ]
    }

    /// The rows of one weak model, from the same prior draws (`seed`) as `references`: the learned weak model,
    /// W2SD with the two learned models, and the control w2sd-corrected (W2SD with the inversion bias removed).
    public static func weakMethods(_ models: ScoreModels, settings: SamplerSettings, particles: Int, seed: UInt64,
                                   threads: Int) throws -> [SamplerOutcome] {
        func run(_ sampler: Sampler) -> SamplingRun { sampled(sampler, ideal: models.ideal, particles: particles, seed: seed, threads: threads) }
        return [
            try outcome("learned weak", run(try .standard(models.weak, settings: settings))),
            try outcome("w2sd (learned)", run(try .w2sd(strong: models.strong, weak: models.weak, settings: settings))),
            try outcome(controlNames.corrected, run(try .w2sdCorrected(strong: models.strong, weak: models.weak, settings: settings))),
        ]
    }

    private static func sampled(_ sampler: Sampler, ideal: GaussianMixture, particles: Int, seed: UInt64, threads: Int) -> SamplingRun {
        SamplingRun(sampler: sampler, particles: particles, seed: seed, threads: threads, ideal: ideal)
    }

    private static func outcome(_ name: String, _ run: SamplingRun) throws -> SamplerOutcome {
        let outcome = try run.run()
        guard let s = outcome.statistics else {
            throw ToyError.invalid(input: "study", accepted: "runs with statistics against the ideal model")
        }
        return SamplerOutcome(name: name, statistics: s, evaluations: outcome.evaluations)
    }

    /// The alignment of Delta1 and Delta2 at one noise level (see `AlignmentRow`).
    public static func alignmentRow(_ models: ScoreModels, sigma: Double, samples n: Int, seed: UInt64) -> AlignmentRow {
        let d = models.dimension
        let x = models.ideal.samples(count: n, sigma: sigma, seed: seed)
        var ss = [Double](repeating: 0, count: n * d), sw = ss, si = ss
        var streams = ParticleStreams(seed: seed, first: 0, count: n)
        x.withUnsafeBufferPointer { xs in
            guard let base = xs.baseAddress else { return }
            for (field, index) in [(models.strong, 0), (models.weak, 1), (models.ideal as any ScoreField, 2)] {
                var out = [Double](repeating: 0, count: n * d)
                out.withUnsafeMutableBufferPointer { o in
                    if let ob = o.baseAddress { field.scores(base, count: n, sigma: sigma, into: ob, streams: &streams) }
                }
                switch index {
                case 0: ss = out
                case 1: sw = out
                default: si = out
                }
            }
        }
        // Delta1 = s_strong - s_weak, Delta2 = s_ideal - s_strong, and their gap, at draw p.
        return AlignmentRow(DeltaAlignment.sampleMean(sigma: sigma, count: n) { p in
            let coordinates = (p * d)..<((p + 1) * d)
            let delta1 = coordinates.map { ss[$0] - sw[$0] }, delta2 = coordinates.map { si[$0] - ss[$0] }
            return (delta1, delta2, zip(delta1, delta2).map { $0 - $1 })
        })
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
