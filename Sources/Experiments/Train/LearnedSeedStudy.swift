import Foundation
import Toy

/// The learned-models study repeated over training seeds, so that a finding says whether it survives
/// retraining. For each training seed K the strong model and every weak recipe are trained with seed K
/// (or read from a `LearnedModelStore`), and every sampler of that seed starts from the prior draws of
/// sampling seed K: the methods of one seed are paired (they share their draws and their strong model),
/// and the spread over seeds holds both the training and the sampling variation.
///
/// Per seed (`LearnedStudy.pairedRows`, every run and alignment level a job on the study's threads, with
/// the rows of running them one after another): the references (`LearnedStudy.references`: exact ideal
/// samples, the ideal score, the learned strong model, the control self-reflection), per weak recipe its
/// three rows (`LearnedStudy.weakMethods`: the learned weak model, W2SD, the control w2sd-corrected) and
/// the alignment of Delta1 (learned strong minus learned weak) with Delta2 (exact ideal minus learned
/// strong) per noise level (`LearnedStudy.AlignmentDraws`: the draws and the strong and ideal scores of a
/// level made once for all recipes), and each model's loss on the toy's held-out set (`LearnedToy.heldOutSet`).
///
/// Nothing is tuned here: lambda, gamma and the inversion are the paper's defaults for every recipe, so
/// there is no selection to keep apart from the reported seeds.
public struct LearnedSeedStudy: Sendable, Codable {
    public struct WeakRun: Sendable, Codable {
        public var preset: String
        /// learned weak, w2sd (learned), w2sd-corrected (learned).
        public var methods: [SamplerOutcome]
        public var alignment: [LearnedStudy.AlignmentRow]
        public var heldOutLoss: Double
    }

    public struct SeedRun: Sendable, Codable {
        public var seed: UInt64
        /// exact ideal samples, ideal score, learned strong, self-reflection (learned strong).
        public var references: [SamplerOutcome]
        public var strongHeldOutLoss: Double
        public var weak: [WeakRun]
    }

    public var toy: String
    public var strongPreset: String
    public var weakPresets: [String]
    public var seeds: [UInt64]
    public var steps: Int
    public var particles: Int
    public var alignmentSamples: Int
    public var runs: [SeedRun]

    /// Runs the study; `models` gives the strong and weak models of a seed (strong first), `advance` is
    /// called after each seed. Returns the study and every model it used (to be stored).
    public static func run(toy: LearnedToy, strong: LearnedPreset, weak: [LearnedPreset], seeds: [UInt64],
                           models: (UInt64) throws -> [LearnedModelStore.Entry],
                           settings: SamplerSettings, particles: Int, sigmas: [Double], alignmentSamples: Int, threads: Int,
                           advance: () -> Void = {}) throws -> (study: LearnedSeedStudy, models: [LearnedModelStore.Entry]) {
        let heldOut = try toy.heldOutSet()
        var runs: [SeedRun] = [], used: [LearnedModelStore.Entry] = []
        for seed in seeds {
            let entries = try models(seed)
            used += entries
            guard let strongModel = entries.first(where: { $0.preset == strong })?.model else {
                throw ToyError.invalid(input: "learned study", accepted: "the strong model \(strong.rawValue) among the models of seed \(seed)")
            }
            let weakModels = try weak.map { preset in
                guard let model = entries.first(where: { $0.preset == preset })?.model else {
                    throw ToyError.invalid(input: "learned study", accepted: "the weak model \(preset.rawValue) among the models of seed \(seed)")
                }
                return model
            }
            let rows = try LearnedStudy.pairedRows(strong: strongModel, weak: weakModels, ideal: toy.ideal, settings: settings,
                                                   particles: particles, seed: seed, threads: threads, sigmas: sigmas,
                                                   alignmentSamples: alignmentSamples)
            let losses = try ([strongModel] + weakModels).concurrentMap(threads: threads) { model in Result { try heldOut.loss(of: model) } }
                .map { try $0.get() }
            let weakRuns = weak.indices.map { w in
                WeakRun(preset: weak[w].rawValue, methods: rows.weak[w].methods, alignment: rows.weak[w].alignment, heldOutLoss: losses[w + 1])
            }
            runs.append(SeedRun(seed: seed, references: rows.references, strongHeldOutLoss: losses[0], weak: weakRuns))
            advance()
        }
        let study = LearnedSeedStudy(toy: toy.rawValue, strongPreset: strong.rawValue, weakPresets: weak.map(\.rawValue), seeds: seeds,
                                     steps: settings.steps, particles: particles, alignmentSamples: alignmentSamples, runs: runs)
        return (study, used)
    }

    /// The outcome of `method` per seed: a reference row when `preset` is nil, else the row of that weak recipe.
    public func outcomes(_ method: String, preset: String? = nil) -> [SamplerOutcome] {
        runs.compactMap { run in
            guard let preset else { return run.references.first { $0.name == method } }
            return run.weak.first { $0.preset == preset }?.methods.first { $0.name == method }
        }
    }

    /// W1 to the ideal distribution of `method` per seed (see `outcomes`).
    public func w1(_ method: String, preset: String? = nil) -> [Double] { outcomes(method, preset: preset).map(\.wasserstein) }

    /// The field cosine of Delta1 and Delta2 per noise level: per level its summary over the seeds (nil
    /// where a seed's value is not finite).
    public func fieldCosine(preset: String) -> [(sigma: Double, summary: RepeatSummary?)] {
        let rows = runs.compactMap { run in run.weak.first { $0.preset == preset }?.alignment }
        guard let first = rows.first else { return [] }
        return first.indices.map { level in
            let values = rows.map { $0[level].fieldCosine }
            return (first[level].sigma, values.allSatisfy(\.isFinite) ? try? RepeatSummary(values) : nil)
        }
    }

    /// Held-out loss of a weak recipe per seed (the strong model's with nil).
    public func heldOutLoss(preset: String?) -> [Double] {
        runs.compactMap { run in
            guard let preset else { return run.strongHeldOutLoss }
            return run.weak.first { $0.preset == preset }?.heldOutLoss
        }
    }
}
