import Experiments
import Foundation
import Testing
import Toy

/// Trained models kept as results (`LearnedModelStore`) and the study over training seeds
/// (`LearnedSeedStudy`), on tiny recipes (a few steps of a width-8 network) so that the debug build trains
/// them in well under a second.
@Suite struct LearnedModelStoreTests {
    /// strong-1d's recipe shrunk; weak-1d is its checkpoint at step 4 of 10 (as the presets' checkpoint).
    static func tiny(_ preset: LearnedPreset) -> TrainingRecipe {
        var recipe = preset.recipe
        recipe.steps = 10
        recipe.width = 8
        recipe.depth = 2
        recipe.batchSize = 32
        recipe.emaHalfLife = 3
        recipe.stopStep = recipe.stopStep == nil ? nil : 4
        return recipe
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ entries: [LearnedModelStore.Entry], to folder: URL) throws {
        for e in entries { try e.model.write(to: folder.appendingPathComponent(e.fileName).path) }
    }

    /// An empty folder trains everything; the checkpoint taken from the strong run is the model a training
    /// of the weak recipe alone gives, bit for bit, under the weak preset's name.
    @Test func aCheckpointFromTheStrongRunIsTheWeakPresetsModel() throws {
        let store = LearnedModelStore(folder: try Self.folder(), threads: 2)
        defer { try? FileManager.default.removeItem(at: store.folder!) }
        let entries = try store.models([.strong1D, .weak1D], seed: 3, recipe: Self.tiny)
        #expect(entries.map(\.preset) == [.strong1D, .weak1D] && entries.allSatisfy(\.trained))
        var weakRecipe = Self.tiny(.weak1D)
        weakRecipe.seed = 3
        let alone = try DenoiserTrainer(recipe: weakRecipe, source: LearnedToy.one.ideal, threads: 1, preset: "weak-1d").train()
        #expect(try entries[1].model.fileBytes() == alone.fileBytes())
        #expect(entries[0].model.provenance?.recipe.seed == 3 && entries[0].fileName == "strong-1d.seed-3.model")
    }

    /// A stored model whose recipe matches is read (not trained) and is the same model; a changed recipe,
    /// `retrain`, another seed or a damaged file trains again.
    @Test func aStoredModelIsReadOnlyWhenItsRecipeMatches() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = LearnedModelStore(folder: folder, threads: 2)
        let first = try store.models([.strong1D, .weak1DNarrow], seed: 0, recipe: Self.tiny)
        try Self.write(first, to: folder)
        let second = try store.models([.strong1D, .weak1DNarrow], seed: 0, recipe: Self.tiny)
        #expect(second.allSatisfy { !$0.trained })
        #expect(zip(first, second).allSatisfy { $0.model == $1.model })

        let changed = try store.models([.strong1D, .weak1DNarrow], seed: 0) { preset in
            var r = Self.tiny(preset)
            if preset == .weak1DNarrow { r.learningRate = 1e-3 }
            return r
        }
        #expect(changed.map(\.trained) == [false, true], "only the changed recipe trains")
        #expect(changed[1].model != first[1].model)
        #expect(try LearnedModelStore(folder: folder, retrain: true, threads: 2).models([.strong1D], seed: 0, recipe: Self.tiny).allSatisfy(\.trained))
        #expect(try store.models([.strong1D], seed: 1, recipe: Self.tiny).allSatisfy(\.trained), "no file for seed 1")

        let path = folder.appendingPathComponent(LearnedModelStore.fileName(.strong1D, seed: 0))
        var bytes = try Data(contentsOf: path)
        bytes[bytes.count - 3] ^= 0xFF
        try bytes.write(to: path)
        #expect(try store.models([.strong1D], seed: 0, recipe: Self.tiny).allSatisfy(\.trained), "a damaged file is retrained, not trusted")
    }

    /// The seed study's rows for seed K are the single study's rows for the same models and sampling seed K,
    /// its paired differences are per seed, and different training seeds give different models and W1.
    @Test func theSeedStudyRepeatsTheSingleStudyPerSeed() throws {
        let store = LearnedModelStore(folder: nil, threads: 2)
        let settings = SamplerSettings(steps: 5)
        let sigmas = [0.5, 3.0]
        let (study, models) = try LearnedSeedStudy.run(
            toy: .one, strong: .strong1D, weak: [.weak1D, .weak1DBiased], seeds: [2, 5],
            models: { seed in try store.models([.strong1D, .weak1D, .weak1DBiased], seed: seed, recipe: Self.tiny) },
            settings: settings, particles: 200, sigmas: sigmas, alignmentSamples: 100, threads: 2)
        #expect(models.count == 6 && study.seeds == [2, 5] && study.runs.count == 2)
        for (index, seed) in [UInt64(2), 5].enumerated() {
            let strong = models[3 * index].model, biased = models[3 * index + 2].model
            #expect(strong.provenance?.recipe.seed == seed)
            let single = try LearnedStudy.run(strong: strong, weak: biased, ideal: LearnedToy.one.ideal, settings: settings, particles: 200,
                                              seed: seed, threads: 2, sigmas: sigmas, alignmentSamples: 100)
            for method in single.methods {
                let mine = study.runs[index].references.first { $0.name == method.name }
                    ?? study.runs[index].weak[1].methods.first { $0.name == method.name }
                #expect(mine?.wasserstein == method.wasserstein, "seed \(seed), \(method.name)")
            }
            #expect(study.runs[index].weak[1].alignment.map(\.fieldCosine) == single.alignment.map(\.fieldCosine))
        }
        let strongW1 = study.w1("learned strong"), w2sd = study.w1("w2sd (learned)", preset: "weak-1d")
        #expect(strongW1.count == 2 && strongW1[0] != strongW1[1])
        let paired = try RepeatSummary.paired(w2sd, minus: strongW1)
        #expect(abs(paired.mean - zip(w2sd, strongW1).map { $0 - $1 }.reduce(0, +) / 2) < 1e-15)
        #expect(study.fieldCosine(preset: "weak-1d").map(\.sigma) == sigmas)
        #expect(study.heldOutLoss(preset: nil).count == 2 && study.heldOutLoss(preset: "weak-1d-biased").allSatisfy { $0 > 0 })
    }
}
