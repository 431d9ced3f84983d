import Toy

/// Training recipes for strong and weak learned models of the pinned presets' ideal distributions
/// (W2SD-NOTES section 6). Weak differs from strong by recipe, as real models do: an earlier checkpoint
/// of the strong run itself (at a tenth of its steps, with the strong run's learning-rate schedule, so
/// `train --preset strong-1d --checkpoints N` writes the same bits as `--preset weak-1d`), a narrower and
/// shallower network, a small finite training set that can be memorised, data missing a mode (the paper's
/// data-removal weak model), or data with one mode displaced (a systematic error).
public enum LearnedPreset: String, CaseIterable, Sendable {
    case strong1D = "strong-1d"
    case weak1D = "weak-1d"
    case weak1DNarrow = "weak-1d-narrow"
    case weak1DData = "weak-1d-data"
    case weak1DMissing = "weak-1d-missing"
    case weak1DBiased = "weak-1d-biased"
    case strong2D = "strong-2d"
    case weak2D = "weak-2d"
    case weak2DNarrow = "weak-2d-narrow"
    case weak2DData = "weak-2d-data"
    case weak2DMissing = "weak-2d-missing"
    case weak2DBiased = "weak-2d-biased"

    /// The toy whose ideal mixture is the source of the training data.
    public var toy: LearnedToy {
        switch self {
        case .strong1D, .weak1D, .weak1DNarrow, .weak1DData, .weak1DMissing, .weak1DBiased: return .one
        case .strong2D, .weak2D, .weak2DNarrow, .weak2DData, .weak2DMissing, .weak2DBiased: return .two
        }
    }

    /// What makes the model strong or weak, for help and reports.
    public var summary: String {
        let strong = toy == .one ? "strong-1d" : "strong-2d"
        switch self {
        case .strong1D, .strong2D:
            return "width \(recipe.width), depth \(recipe.depth), \(recipe.steps) steps of batch \(recipe.batchSize) on fresh samples"
                + (recipe.emaHalfLife.map { ", EMA half-life \($0)" } ?? "")
        case .weak1D, .weak2D: return "\(strong)'s checkpoint at step \(recipe.trainedSteps) of its \(recipe.steps)"
        case .weak1DNarrow, .weak2DNarrow: return "\(strong)'s steps on a width-\(recipe.width), depth-\(recipe.depth) network"
        case .weak1DData, .weak2DData:
            if case let .fixed(size) = recipe.trainingSet { return "\(strong) on a fixed set of \(size) samples" }
            return strong
        case .weak1DMissing: return "\(strong) on data without the left mode (-4)"
        case .weak2DMissing: return "\(strong) on data without the bottom-left mode (-4, -4)"
        case .weak1DBiased, .weak2DBiased:
            guard let shift = recipe.meanShift else { return strong }
            let mean = zip(toy.ideal.components[shift.component].mean, shift.shift).map { NumberFormat.significant($0 + $1, 3) }
            return "\(strong) on data whose mode \(shift.component) is moved by (\(shift.shift.map { NumberFormat.significant($0, 3) }.joined(separator: ", "))) to (\(mean.joined(separator: ", ")))"
        }
    }

    /// The recipe (seed 0; options override any field). Every preset of a toy uses the ideal mixture's
    /// sigma_data (4.079 on both toys) and hence the same noise-level distribution, so a weak model differs
    /// from the strong one only in what its `summary` names (a model trained on data without a mode is not
    /// given a smaller sigma_data by its own data).
    ///
    /// The strong recipe is tuned for accuracy (W1 of its T = 50 samples within `LearnedEvaluation.strongTarget`
    /// of the exact ideal score's for training seeds 0, 1, 2): batches of 1024, ln sigma with std 1.6 around EDM's
    /// adapted mean (so that the sampler's levels from 0.1 to 57 are within two standard deviations), and the
    /// model is the moving average of the parameters with a half-life of 300 steps.
    public var recipe: TrainingRecipe {
        let sigmaData = EDMPreconditioning.dataStandardDeviation(of: toy.ideal)
        // Cannot fail: the mean for sigma_data 4.079 is 0.90, inside [-20, 20] (the recipe test pins the std).
        let noise = try? LogNormalNoise.adapted(sigmaData: sigmaData, std: 1.6)
        let strong = TrainingRecipe(width: 64, depth: 3, steps: toy == .one ? 3000 : 6000, batchSize: 1024, learningRate: 2e-3,
                                    noise: noise, sigmaData: sigmaData, emaHalfLife: 300)
        var recipe = strong
        switch self {
        case .strong1D, .strong2D: break
        case .weak1D, .weak2D: recipe.stopStep = max(1, strong.steps / Self.checkpointFraction)
        case .weak1DNarrow, .weak2DNarrow: recipe.width = 16; recipe.depth = 2
        case .weak1DData, .weak2DData: recipe.trainingSet = .fixed(size: toy == .one ? 16 : 32)
        case .weak1DMissing: recipe.removedComponents = [0]
        case .weak2DMissing: recipe.removedComponents = [2]
        case .weak1DBiased: recipe.meanShift = MeanShift(component: 0, shift: [Self.biasShift])
        case .weak2DBiased: recipe.meanShift = MeanShift(component: 2, shift: [Self.biasShift, Self.biasShift])
        }
        return recipe
    }

    /// The checkpoint weak models stop at 1 / checkpointFraction of the strong run's steps.
    public static let checkpointFraction = 10

    /// The biased weak models' displacement per coordinate: one component standard deviation (0.8), towards
    /// the centre (the left mode -4 of 1D to -3.2; the bottom-left (-4, -4) of 2D to (-3.2, -3.2)).
    public static let biasShift = 0.8
}

/// The toys whose ideal distributions learned models are trained on.
public enum LearnedToy: String, CaseIterable, Sendable {
    case one = "1d"
    case two = "2d"

    /// The ideal mixture of the pinned preset.
    public var ideal: GaussianMixture {
        switch self {
        case .one: return Presets.oneDimensional().ideal
        case .two: return Presets.twoDimensional().ideal
        }
    }

    /// The seed of the held-out sets ("HELD"), the same for both toys (their sets differ by the mixture):
    /// no training recipe draws from it (training draws from the recipe's own seed).
    public static let heldOutSeed: UInt64 = 0x4845_4C44
    /// Triples in a held-out set.
    public static let heldOutCount = 10_000

    /// The toy's held-out set, on which the losses of every recipe are compared: `heldOutCount` exact
    /// samples of the ideal mixture with noise levels from the presets' distribution
    /// (`LogNormalNoise.adapted` of the ideal mixture's sigma_data, also the loss weight's sigma_data).
    public func heldOutSet() throws -> HeldOutSet {
        let sigmaData = EDMPreconditioning.dataStandardDeviation(of: ideal)
        return try HeldOutSet(source: ideal, noise: try LogNormalNoise.adapted(sigmaData: sigmaData), sigmaData: sigmaData,
                              count: Self.heldOutCount, seed: Self.heldOutSeed)
    }

    /// The toy of a model's dimension, nil for another dimension.
    public static func of(dimension: Int) -> LearnedToy? { allCases.first { $0.ideal.dimension == dimension } }
}
