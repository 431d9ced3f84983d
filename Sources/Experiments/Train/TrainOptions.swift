import Foundation
import Toy

/// The options of `toy-w2sd train`, declared once (help, README table and parsing come from here), and
/// the training request they describe: a preset's recipe with any field overridden by an explicit option.
public enum TrainOptions {
    public static let preset = ValueOption("preset", readers: .command, value: "NAME", help: "start from a preset recipe (strong and weak models of the 1D and 2D toys)",
                                           default: "none", accepted: LearnedPreset.allCases.map(\.rawValue).joined(separator: ", "),
                                           parse: Parse.named(LearnedPreset.self))
    public static let toy = ValueOption("toy", readers: .command, value: "1d|2d", help: "the data: the ideal mixture of the 1D or 2D preset",
                                        default: "the preset's, else 1d", accepted: "1d or 2d", parse: Parse.named(LearnedToy.self))
    public static let out = ValueOption("out", readers: .command, value: "PATH", help: "write the trained model here (atomically)",
                                        default: "none", accepted: "a file path ending in .model", parse: Parse.text)
    public static let width = ValueOption("width", readers: .command, value: "N", help: "units per hidden layer", default: "64 (preset's)",
                                          accepted: "an integer from 1 to \(DenoiserArchitecture.widthRange.upperBound)",
                                          parse: Parse.integer(in: DenoiserArchitecture.widthRange))
    public static let depth = ValueOption("depth", readers: .command, value: "N", help: "hidden layers", default: "3 (preset's)",
                                          accepted: "an integer from 1 to \(DenoiserArchitecture.depthRange.upperBound)",
                                          parse: Parse.integer(in: DenoiserArchitecture.depthRange))
    public static let frequencies = ValueOption("frequencies", readers: .command, value: "K", help: "Fourier frequency pairs of the noise embedding", default: "4",
                                                accepted: "an integer from 0 to \(DenoiserArchitecture.frequencyRange.upperBound)",
                                                parse: Parse.integer(in: DenoiserArchitecture.frequencyRange))
    public static let steps = ValueOption("steps", readers: .command, value: "N", help: "optimiser steps (of the learning-rate schedule; a checkpoint preset stops at a tenth of them)", default: "preset's, else 3000",
                                          accepted: "an integer from 1 to \(TrainingRecipe.stepRange.upperBound)",
                                          parse: Parse.integer(in: TrainingRecipe.stepRange))
    public static let batch = ValueOption("batch", readers: .command, value: "N", help: "samples per step", default: "preset's, else 256",
                                          accepted: "an integer from 1 to \(TrainingRecipe.batchRange.upperBound)",
                                          parse: Parse.integer(in: TrainingRecipe.batchRange))
    public static let learningRate = ValueOption("learning-rate", readers: .command, value: "LR", help: "Adam's learning rate (cosine decay to 5% of it)",
                                                 default: "0.002", accepted: "a number in (0, 1]",
                                                 parse: Parse.number(where: { $0 > 0 && $0 <= 1 }))
    public static let data = ValueOption("data", readers: .command, value: "fresh|set:N", help: "fresh samples every step, or a fixed set of N samples drawn once",
                                         default: "fresh", accepted: "fresh, or set:N with N from 1 to \(TrainingRecipe.setSizeRange.upperBound)",
                                         parse: parseTrainingSet)
    public static let remove = ValueOption("remove", readers: .command, value: "LIST", help: "component indices left out of the data (a missing mode)",
                                           default: "none", accepted: "comma-separated component indices (0-based), e.g. 0 or 2",
                                           parse: parseIndices)
    public static let noiseMean = ValueOption("noise-mean", readers: .command, value: "M", help: "mean of ln sigma in training", default: "-1.2 + ln(sigma_data / 0.5)",
                                              accepted: "a number in [-20, 20]", parse: Parse.number(where: { abs($0) <= 20 }))
    public static let noiseStd = ValueOption("noise-std", readers: .command, value: "S", help: "std of ln sigma in training", default: "preset's, else 1.2",
                                             accepted: "a number in (0, 10]", parse: Parse.number(where: { $0 > 0 && $0 <= 10 }))
    public static let sigmaData = ValueOption("sigma-data", readers: .command, value: "SD", help: "sigma_data of the preconditioning",
                                              default: "the data's standard deviation", accepted: "a number > 0",
                                              parse: Parse.number(where: { $0 > 0 }))
    public static let emaHalfLife = ValueOption("ema-half-life", readers: .command, value: "N",
                                                help: "the model is the moving average of the parameters with this half-life in steps; 0: the last iterate",
                                                default: "preset's, else 0", accepted: "an integer from 0 to \(TrainingRecipe.stepRange.upperBound)",
                                                parse: Parse.integer(in: 0...TrainingRecipe.stepRange.upperBound))
    public static let seed = ValueOption("seed", readers: .command, value: "N", help: "initialisation and data seed", default: "0",
                                         accepted: "an unsigned 64-bit integer", parse: Parse.unsigned)
    public static let seeds = ValueOption("seeds", readers: .command, value: "A..B|LIST",
                                          help: "train one model per seed (same recipe): NAME.seed-K.model for --out NAME.model",
                                          default: "none (one model, --seed)",
                                          accepted: "an inclusive range A..B or a comma-separated list of distinct unsigned integers, at most \(maximumSeeds) seeds",
                                          parse: parseSeeds)
    public static let checkpoints = ValueOption("checkpoints", readers: .command, value: "LIST",
                                                help: "also write the model after these optimiser steps: NAME.step-S.model beside NAME.model",
                                                default: "none", accepted: "comma-separated distinct integers from 1 to below the steps trained",
                                                parse: parseCheckpoints)
    /// The most seeds one `--seeds` trains.
    public static let maximumSeeds = 1000
    public static let evaluate = SwitchOption("evaluate", readers: .command, help: "after training, sample the model and the ideal score (T = 50) and compare W1")
    public static let check = ValueOption("check", readers: .command, value: "PATH", help: "evaluate a saved model instead of training one",
                                          default: "none", accepted: "a model file written by 'toy-w2sd train'", parse: Parse.text)
    public static let weak = ValueOption("weak", readers: .command, value: "PATH", help: "with --check: W2SD with the checked model as strong and this one as weak, and Delta1 vs Delta2 per sigma",
                                         default: "none", accepted: "a model file of the same toy", parse: Parse.text)
    public static let samples = ValueOption("samples", readers: .command, value: "N", help: "particles of the evaluation", default: "100000 (1D), 50000 (2D)",
                                            accepted: "an integer from 2 to 10000000", parse: Parse.integer(in: 2...10_000_000))

    public static let groups: [OptionGroup] = [
        OptionGroup("Model and data", [preset, toy, width, depth, frequencies, data, remove, sigmaData]),
        OptionGroup("Training", [steps, batch, learningRate, emaHalfLife, noiseMean, noiseStd, seed, seeds, checkpoints]),
        OptionGroup("Evaluation", [evaluate, check, weak, samples]),
        OptionGroup("Run", [RunOptions.threads, RunOptions.progress]),
        OptionGroup("Output", [out, OutputOptions.json]),
    ]

    static func parseTrainingSet(_ text: String) throws -> TrainingSet {
        if text == "fresh" { return .fresh }
        guard text.hasPrefix("set:"), let size = Int(text.dropFirst(4)), TrainingRecipe.setSizeRange.contains(size) else { throw InvalidValue() }
        return .fixed(size: size)
    }

    /// "A..B" (A <= B, inclusive) or "a,b,c" (distinct).
    static func parseSeeds(_ text: String) throws -> [UInt64] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let values: [UInt64]
        if let dots = trimmed.range(of: "..") {
            guard let low = UInt64(trimmed[..<dots.lowerBound].trimmingCharacters(in: .whitespaces)),
                  let high = UInt64(trimmed[dots.upperBound...].trimmingCharacters(in: .whitespaces)),
                  low <= high, high - low < UInt64(maximumSeeds) else { throw InvalidValue() }
            values = Array(low...high)
        } else {
            let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.allSatisfy({ $0 != nil }) else { throw InvalidValue() }
            values = parts.compactMap { $0 }
        }
        guard !values.isEmpty, values.count <= maximumSeeds, Set(values).count == values.count else { throw InvalidValue() }
        return values
    }

    /// Distinct positive integers, returned in increasing order (their bound is checked against the steps).
    static func parseCheckpoints(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else { throw InvalidValue() }
        let steps = parts.compactMap { $0 }
        guard Set(steps).count == steps.count else { throw InvalidValue() }
        return steps.sorted()
    }

    static func parseIndices(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? -1) >= 0 }) else { throw InvalidValue() }
        return parts.compactMap { $0 }
    }

    /// The training request of a command line: the preset's recipe (or the defaults) with every given
    /// option applied, validated against the toy's ideal mixture (errors are usage errors naming the option).
    public static func request(_ args: ParsedArguments) throws -> TrainRequest {
        let preset = try args.value(Self.preset)
        let toy = try args.value(Self.toy) ?? preset?.toy ?? .one
        if let preset, preset.toy != toy {
            throw UsageError(message: "--toy \(toy.rawValue) does not match --preset \(preset.rawValue) (a \(preset.toy.rawValue) recipe); accepted: --toy \(preset.toy.rawValue) or no --toy")
        }
        var recipe = preset?.recipe ?? TrainingRecipe(steps: 3000)
        if let v = try args.value(width) { recipe.width = v }
        if let v = try args.value(depth) { recipe.depth = v }
        if let v = try args.value(frequencies) { recipe.frequencies = v }
        if let v = try args.value(steps) {
            recipe.steps = v
            // A checkpoint preset (weak-1d, weak-2d) keeps stopping at the same fraction of the run.
            if recipe.stopStep != nil { recipe.stopStep = v / LearnedPreset.checkpointFraction }
        }
        if let v = try args.value(batch) { recipe.batchSize = v }
        if let v = try args.value(learningRate) { recipe.learningRate = v }
        if let v = try args.value(emaHalfLife) { recipe.emaHalfLife = v == 0 ? nil : v }
        if let v = try args.value(data) { recipe.trainingSet = v }
        if let v = try args.value(remove) { recipe.removedComponents = v }
        if let v = try args.value(sigmaData) { recipe.sigmaData = v }
        if let v = try args.value(seed) { recipe.seed = v }
        let seedList = try args.value(seeds)
        if seedList != nil, args.has(seed) {
            throw UsageError(message: "--seeds and --seed both choose the training seed; accepted: one of them")
        }
        let mean = try args.value(noiseMean), std = try args.value(noiseStd)
        do {
            if mean != nil || std != nil {
                let sd = try recipe.sigmaData ?? EDMPreconditioning.dataStandardDeviation(of: recipe.dataMixture(from: toy.ideal))
                // An option overrides its own parameter only: the other stays the preset's (or the adapted default).
                let base = try recipe.noise ?? LogNormalNoise.adapted(sigmaData: sd)
                recipe.noise = try LogNormalNoise(mean: mean ?? base.mean, std: std ?? base.std)
            }
            _ = try recipe.validated(for: toy.ideal)
        } catch let error as ToyError {
            throw UsageError(message: "\(error)")
        }
        let stops = try args.value(checkpoints) ?? []
        if let last = stops.last, last >= recipe.trainedSteps {
            throw UsageError(message: "--checkpoints \(last) is not before the end of training at step \(recipe.trainedSteps); accepted: steps from 1 to \(recipe.trainedSteps - 1)")
        }
        return TrainRequest(preset: preset, toy: toy, recipe: recipe, seeds: seedList, checkpoints: stops)
    }
}

extension TrainOptions {
    /// A saved model and the toy of its dimension; a missing, bad or mismatched file is a usage error
    /// (status 2) naming the file and what is wrong.
    public static func loadModel(_ path: String) throws -> (model: LearnedDenoiser, toy: LearnedToy) {
        let model: LearnedDenoiser
        do { model = try LearnedDenoiser(contentsOf: path) } catch let error as ToyError { throw UsageError(message: "\(error)") }
        guard let toy = LearnedToy.of(dimension: model.dimension) else {
            throw UsageError(message: "model file '\(path)' has dimension \(model.dimension); accepted: a model of the 1D or 2D toy")
        }
        return (model, toy)
    }
}

/// What to train: a recipe on the ideal mixture of a toy, for one seed (the recipe's) or for each of
/// `seeds`, with the checkpoints to keep.
public struct TrainRequest: Sendable, Equatable {
    public var preset: LearnedPreset?
    public var toy: LearnedToy
    public var recipe: TrainingRecipe
    /// One model per seed (the recipe's seed replaced); nil: the recipe's seed only.
    public var seeds: [UInt64]?
    /// Steps (increasing, below `recipe.trainedSteps`) after which the model is also kept.
    public var checkpoints: [Int]

    public init(preset: LearnedPreset?, toy: LearnedToy, recipe: TrainingRecipe, seeds: [UInt64]? = nil, checkpoints: [Int] = []) {
        self.preset = preset
        self.toy = toy
        self.recipe = recipe
        self.seeds = seeds
        self.checkpoints = checkpoints
    }

    /// The trainer of one seed's model (the recipe's seed when nil).
    public func trainer(seed: UInt64? = nil, threads: Int) throws -> DenoiserTrainer {
        var recipe = self.recipe
        if let seed { recipe.seed = seed }
        return try DenoiserTrainer(recipe: recipe, source: toy.ideal, threads: threads, preset: preset?.rawValue)
    }

    /// The model files of `--out NAME.model`, in training order: per seed (`NAME.seed-K`, or `NAME` without
    /// --seeds) its checkpoints `.step-S.model`, then its final `.model`. `step` is nil for the final model.
    public func modelFiles(out: String) -> [(seed: UInt64?, step: Int?, path: String)] {
        let name = out.lowercased().hasSuffix(".model") ? String(out.dropLast(".model".count)) : out
        let runs: [(UInt64?, String)] = seeds.map { $0.map { ($0, "\(name).seed-\($0)") } } ?? [(nil, name)]
        return runs.flatMap { seed, stem in
            checkpoints.map { (seed, Optional($0), "\(stem).step-\($0).model") } + [(seed, nil, "\(stem).model")]
        }
    }
}
