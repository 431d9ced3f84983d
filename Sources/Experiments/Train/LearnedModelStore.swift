import Foundation
import Toy

/// Trained models kept as results: a folder of model files named `PRESET.seed-K.model`, each holding its
/// recipe, seed and source mixture in its header (`LearnedDenoiser` file format). A model is taken from the
/// folder only when its stored provenance matches what is asked for (the same recipe field for field,
/// seed and stop step included, and the same source mixture); otherwise, or when `retrain` is set, it is
/// trained, and the caller writes the new file. So a changed recipe retrains exactly the models it
/// affects, and an unchanged one costs a file read instead of a training run.
public struct LearnedModelStore: Sendable {
    /// The folder of the model files; nil: nothing is stored, every model is trained.
    public var folder: URL?
    /// Train every model even when a matching file exists.
    public var retrain: Bool
    public var threads: Int

    public init(folder: URL?, retrain: Bool = false, threads: Int) {
        self.folder = folder
        self.retrain = retrain
        self.threads = threads
    }

    /// The file name of a preset's model at a training seed.
    public static func fileName(_ preset: LearnedPreset, seed: UInt64) -> String { "\(preset.rawValue).seed-\(seed).model" }

    /// A model and whether it was trained by this call (false: read from the folder).
    public struct Entry: Sendable {
        public var preset: LearnedPreset
        public var seed: UInt64
        public var model: LearnedDenoiser
        public var trained: Bool
        public var fileName: String { LearnedModelStore.fileName(preset, seed: seed) }
    }

    /// The stored model of `preset` trained with `recipe` at `recipe.seed`, when the folder holds one whose
    /// provenance matches; nil when there is none, it does not match, or it does not load (a damaged file is
    /// retrained, not trusted).
    public func stored(_ preset: LearnedPreset, recipe: TrainingRecipe) -> LearnedDenoiser? {
        guard !retrain, let folder else { return nil }
        let path = folder.appendingPathComponent(Self.fileName(preset, seed: recipe.seed)).path
        guard let model = try? LearnedDenoiser(contentsOf: path), let provenance = model.provenance,
              provenance.preset == preset.rawValue, provenance.recipe == recipe,
              provenance.source == preset.toy.ideal.components else { return nil }
        return model
    }

    /// The models of `presets` (one toy) at `seed`, each with its `recipe(preset)` (seed replaced): read
    /// when stored, else trained. A checkpoint preset (`stopStep`) whose full run is also asked for and
    /// must be trained is taken from that run's checkpoint (the same bits as training it alone).
    public func models(_ presets: [LearnedPreset], seed: UInt64, recipe: (LearnedPreset) -> TrainingRecipe) throws -> [Entry] {
        var recipes: [LearnedPreset: TrainingRecipe] = [:]
        for preset in presets {
            var r = recipe(preset)
            r.seed = seed
            recipes[preset] = r
        }
        var found: [LearnedPreset: Entry] = [:]
        for preset in presets {
            if let recipe = recipes[preset], let model = stored(preset, recipe: recipe) {
                found[preset] = Entry(preset: preset, seed: seed, model: model, trained: false)
            }
        }
        for preset in presets where found[preset] == nil {
            guard let r = recipes[preset] else { continue }
            // Checkpoints of this run that are asked for and not stored: presets whose recipe is this one
            // stopped earlier.
            let checkpoints = r.stopStep != nil ? [] : presets.filter { other in
                guard found[other] == nil, other != preset, let o = recipes[other], o.stopStep != nil else { return false }
                return Self.fullRun(o) == r
            }
            let trainer = try DenoiserTrainer(recipe: r, source: preset.toy.ideal, threads: threads, preset: preset.rawValue)
            var taken: [LearnedPreset: LearnedDenoiser] = [:]
            let model = try trainer.train(checkpoints: checkpoints.compactMap { recipes[$0]?.stopStep }) { checkpoint in
                guard let step = checkpoint.provenance?.recipe.stopStep,
                      let match = checkpoints.first(where: { recipes[$0]?.stopStep == step }) else { return }
                var named = checkpoint
                named.provenance?.preset = match.rawValue
                taken[match] = named
            }
            found[preset] = Entry(preset: preset, seed: seed, model: model, trained: true)
            for (p, m) in taken { found[p] = Entry(preset: p, seed: seed, model: m, trained: true) }
        }
        return presets.compactMap { found[$0] }
    }

    /// The recipe run to its end (no stop step).
    static func fullRun(_ recipe: TrainingRecipe) -> TrainingRecipe {
        var full = recipe
        full.stopStep = nil
        return full
    }
}
