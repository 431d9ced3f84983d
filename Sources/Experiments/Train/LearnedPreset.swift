import Toy

/// Training recipes for strong and weak learned models of the pinned presets' ideal distributions
/// (W2SD-NOTES section 6). Weak differs from strong by recipe, as real models do: the same network
/// trained for a tenth of the steps, a narrower and shallower network, a small finite training set that
/// can be memorised, or data missing a mode (the paper's data-removal weak model).
public enum LearnedPreset: String, CaseIterable, Sendable {
    case strong1D = "strong-1d"
    case weak1D = "weak-1d"
    case weak1DNarrow = "weak-1d-narrow"
    case weak1DData = "weak-1d-data"
    case weak1DMissing = "weak-1d-missing"
    case strong2D = "strong-2d"
    case weak2D = "weak-2d"
    case weak2DNarrow = "weak-2d-narrow"
    case weak2DData = "weak-2d-data"
    case weak2DMissing = "weak-2d-missing"

    /// The toy whose ideal mixture is the source of the training data.
    public var toy: LearnedToy {
        switch self {
        case .strong1D, .weak1D, .weak1DNarrow, .weak1DData, .weak1DMissing: return .one
        case .strong2D, .weak2D, .weak2DNarrow, .weak2DData, .weak2DMissing: return .two
        }
    }

    /// What makes the model strong or weak, for help and reports.
    public var summary: String {
        let strong = toy == .one ? "strong-1d" : "strong-2d"
        switch self {
        case .strong1D, .strong2D:
            return "width \(recipe.width), depth \(recipe.depth), \(recipe.steps) steps of batch \(recipe.batchSize) on fresh samples"
                + (recipe.emaHalfLife.map { ", EMA half-life \($0)" } ?? "")
        case .weak1D, .weak2D: return "\(strong) stopped after \(recipe.steps) steps"
        case .weak1DNarrow, .weak2DNarrow: return "\(strong)'s steps on a width-\(recipe.width), depth-\(recipe.depth) network"
        case .weak1DData, .weak2DData:
            if case let .fixed(size) = recipe.trainingSet { return "\(strong) on a fixed set of \(size) samples" }
            return strong
        case .weak1DMissing: return "\(strong) on data without the left mode (-4)"
        case .weak2DMissing: return "\(strong) on data without the bottom-left mode (-4, -4)"
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
        case .weak1D, .weak2D: recipe.steps = strong.steps / 10
        case .weak1DNarrow, .weak2DNarrow: recipe.width = 16; recipe.depth = 2
        case .weak1DData, .weak2DData: recipe.trainingSet = .fixed(size: toy == .one ? 16 : 32)
        case .weak1DMissing: recipe.removedComponents = [0]
        case .weak2DMissing: recipe.removedComponents = [2]
        }
        return recipe
    }
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
}
