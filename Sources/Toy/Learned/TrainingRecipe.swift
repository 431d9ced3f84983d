import Foundation

/// Which data a denoiser is trained on, drawn from a source mixture.
public enum TrainingSet: Sendable, Equatable, Codable {
    /// Fresh exact samples of the (possibly mode-removed) mixture at every step: no memorisation possible.
    case fresh
    /// One finite set of `size` exact samples, drawn once (sample i from stream i of the data seed,
    /// `GaussianMixture.samples`); each batch picks rows uniformly with replacement (row = next() mod size,
    /// bias below size / 2^64). A small set can be
    /// memorised: the model then learns the empirical distribution, not the mixture.
    case fixed(size: Int)
}

/// The noise-level distribution of denoising score matching: ln sigma ~ N(mean, std^2).
/// EDM uses mean -1.2, std 1.2 for image data of standard deviation 0.5; `adapted(sigmaData:)` keeps
/// EDM's distribution of sigma / sigma_data: mean = -1.2 + ln(sigma_data / 0.5), std = 1.2. For the presets
/// (sigma_data ~ 4.08) that is mean 0.90: median sigma 2.5, 95% of the levels in [0.23, 26], the range
/// in which the modes are chosen and shaped (below it F's target is pure noise and D ~ x; above it the
/// score is close to that of a single wide Gaussian).
public struct LogNormalNoise: Sendable, Equatable, Codable {
    public var mean: Double
    public var std: Double

    public init(mean: Double, std: Double) throws {
        guard mean.isFinite, abs(mean) <= 20 else { throw ToyError.invalid(input: "noise mean", accepted: "a number in [-20, 20] (got \(mean))") }
        guard std.isFinite, std > 0, std <= 10 else { throw ToyError.invalid(input: "noise std", accepted: "a number in (0, 10] (got \(std))") }
        self.mean = mean
        self.std = std
    }

    /// EDM's mean for this sigma_data, with EDM's std 1.2 or a wider one (which reaches further towards the
    /// sampler's extreme levels, sigma_max = 80 and sigma_min = 0.002, at the cost of fewer levels in the middle).
    /// Throws when sigma_data is so extreme (beyond 0.5 e^(+-18.8)) that the mean leaves [-20, 20].
    public static func adapted(sigmaData: Double, std: Double = 1.2) throws -> LogNormalNoise {
        try LogNormalNoise(mean: -1.2 + log(sigmaData / 0.5), std: std)
    }

    /// The tail probability outside a model's trained range on each side: 0.1%.
    public static let trainedRangeTail = 0.001

    /// The p-quantile of sigma, exp(mean + std z_p) with z_p the standard normal p-quantile, for p in (0, 1).
    /// z_p is exact to the accuracy of `SpecialFunctions.chiSquareQuantile` (~1e-15 relative): |z_p| is the
    /// (|1 - 2p|)-quantile of chi^2_1 = Z^2, square-rooted, with the sign of p - 1/2.
    public func quantile(_ p: Double) -> Double {
        let z = SpecialFunctions.chiSquareQuantile(abs(1 - 2 * p), degreesOfFreedom: 1).squareRoot()
        return exp(mean + std * (p < 0.5 ? -z : z))
    }

    /// The noise levels a model trained with this distribution has seen: its 0.1% and 99.9% quantiles,
    /// exp(mean -+ 3.0902 std) (the exact quantiles of the log-normal, not an empirical range of the draws).
    public var trainedRange: ClosedRange<Double> {
        quantile(Self.trainedRangeTail)...quantile(1 - Self.trainedRangeTail)
    }
}

/// A systematic error in the training data: component `component`'s mean shifted by the vector `shift`
/// (the same covariance and weight), so that a model learns that mode in the wrong place.
public struct MeanShift: Sendable, Equatable, Codable {
    public var component: Int
    public var shift: [Double]

    public init(component: Int, shift: [Double]) {
        self.component = component
        self.shift = shift
    }
}

/// Everything that determines a trained model, besides the source mixture: the network shape, the
/// optimisation, the data recipe and the seed. Training with an equal recipe and source gives equal bits
/// (for any thread count).
public struct TrainingRecipe: Sendable, Equatable, Codable {
    public var width: Int
    public var depth: Int
    public var frequencies: Int
    public var steps: Int
    public var batchSize: Int
    public var learningRate: Double
    /// The learning rate decays along a half cosine from `learningRate` to `learningRate * finalLearningRateFraction`.
    public var finalLearningRateFraction: Double
    /// nil: `LogNormalNoise.adapted(sigmaData:)`.
    public var noise: LogNormalNoise?
    public var trainingSet: TrainingSet
    /// Indices of source components whose weight is set to 0 in the training data (the paper's
    /// data-removal weak model); empty keeps the source.
    public var removedComponents: [Int]
    /// A fixed bias of one mode in the training data (the systematic-error weak model); nil: none.
    public var meanShift: MeanShift?
    /// nil: the standard deviation of the training data mixture (`EDMPreconditioning.dataStandardDeviation`).
    public var sigmaData: Double?
    /// The initialisation and data seed: stream 0 initialises the network, the batches draw from the
    /// streams after it (`DenoiserTrainer`), a fixed training set from its own derived seed.
    public var seed: UInt64
    /// Training stops after this many of the `steps` optimiser steps (the learning-rate schedule stays that
    /// of `steps`): the model is the checkpoint at that step of the full run, bit for bit. nil: all `steps`.
    public var stopStep: Int?
    /// The half-life in optimiser steps of the exponential moving average of the parameters that the
    /// trained model gets (`ParameterAverage`); nil: the model is the last iterate (as every model file
    /// written before this field existed, which therefore decodes as nil).
    public var emaHalfLife: Int?

    public init(width: Int = 64, depth: Int = 3, frequencies: Int = 4, steps: Int = 4000, batchSize: Int = 256,
                learningRate: Double = 2e-3, finalLearningRateFraction: Double = 0.05, noise: LogNormalNoise? = nil,
                trainingSet: TrainingSet = .fresh, removedComponents: [Int] = [], meanShift: MeanShift? = nil, sigmaData: Double? = nil,
                seed: UInt64 = 0, stopStep: Int? = nil, emaHalfLife: Int? = nil) {
        self.width = width
        self.depth = depth
        self.frequencies = frequencies
        self.steps = steps
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.finalLearningRateFraction = finalLearningRateFraction
        self.noise = noise
        self.trainingSet = trainingSet
        self.removedComponents = removedComponents
        self.meanShift = meanShift
        self.sigmaData = sigmaData
        self.seed = seed
        self.stopStep = stopStep
        self.emaHalfLife = emaHalfLife
    }

    /// The optimiser steps actually taken: `stopStep`, else `steps`.
    public var trainedSteps: Int { stopStep ?? steps }

    public static let stepRange = 1...10_000_000
    public static let batchRange = 1...65_536
    public static let setSizeRange = 1...100_000_000

    /// Checks every field against `source` and names the one at fault.
    public func validated(for source: GaussianMixture) throws -> TrainingRecipe {
        _ = try DenoiserArchitecture(dimension: source.dimension, width: width, depth: depth, frequencies: frequencies)
        guard Self.stepRange.contains(steps) else { throw ToyError.invalid(input: "steps", accepted: "an integer from 1 to \(Self.stepRange.upperBound) (got \(steps))") }
        if let stopStep, !(1..<steps).contains(stopStep) {
            throw ToyError.invalid(input: "stop step", accepted: "an integer from 1 to \(steps - 1), below the \(steps) steps (got \(stopStep))")
        }
        guard Self.batchRange.contains(batchSize) else { throw ToyError.invalid(input: "batch", accepted: "an integer from 1 to \(Self.batchRange.upperBound) (got \(batchSize))") }
        guard learningRate.isFinite, learningRate > 0, learningRate <= 1 else {
            throw ToyError.invalid(input: "learning rate", accepted: "a number in (0, 1] (got \(learningRate))")
        }
        guard finalLearningRateFraction.isFinite, (0...1).contains(finalLearningRateFraction) else {
            throw ToyError.invalid(input: "final learning rate fraction", accepted: "a number in [0, 1] (got \(finalLearningRateFraction))")
        }
        if let noise { _ = try LogNormalNoise(mean: noise.mean, std: noise.std) }
        if case let .fixed(size) = trainingSet, !Self.setSizeRange.contains(size) {
            throw ToyError.invalid(input: "training set size", accepted: "an integer from 1 to \(Self.setSizeRange.upperBound) (got \(size))")
        }
        let count = source.components.count
        if let bad = removedComponents.first(where: { !(0..<count).contains($0) }) {
            throw ToyError.invalid(input: "removed component", accepted: "a component index from 0 to \(count - 1) (got \(bad))")
        }
        guard Set(removedComponents).count == removedComponents.count else {
            throw ToyError.invalid(input: "removed components", accepted: "distinct indices (got \(removedComponents))")
        }
        if let meanShift {
            guard (0..<count).contains(meanShift.component) else {
                throw ToyError.invalid(input: "shifted component", accepted: "a component index from 0 to \(count - 1) (got \(meanShift.component))")
            }
            guard meanShift.shift.count == source.dimension, meanShift.shift.allSatisfy({ $0.isFinite && abs($0) <= 1e6 }) else {
                throw ToyError.invalid(input: "mean shift", accepted: "\(source.dimension) finite numbers of size at most 1e6 (got \(meanShift.shift))")
            }
        }
        if let sigmaData { _ = try EDMPreconditioning(sigmaData: sigmaData) }
        if let emaHalfLife, !Self.stepRange.contains(emaHalfLife) {
            throw ToyError.invalid(input: "EMA half-life", accepted: "an integer from 1 to \(Self.stepRange.upperBound) steps (got \(emaHalfLife))")
        }
        _ = try dataMixture(from: source)
        return self
    }

    /// The mixture the data are drawn from: `source` with the removed components at weight 0 and the
    /// shifted component's mean moved by its shift.
    public func dataMixture(from source: GaussianMixture) throws -> GaussianMixture {
        guard !removedComponents.isEmpty || meanShift != nil else { return source }
        var components = source.components
        for k in removedComponents where components.indices.contains(k) { components[k].weight = 0 }
        guard components.contains(where: { $0.weight > 0 }) else {
            throw ToyError.invalid(input: "removed components", accepted: "at least one component of positive weight left (all removed: \(removedComponents))")
        }
        if let meanShift, components.indices.contains(meanShift.component) {
            let k = meanShift.component
            components[k].mean = zip(components[k].mean, meanShift.shift).map { $0 + $1 }
        }
        return try GaussianMixture(components)
    }

    /// The learning rate of step t (0-based): lr (f + (1 - f) (1 + cos(pi t / steps)) / 2).
    public func learningRate(atStep t: Int) -> Double {
        let f = finalLearningRateFraction
        return learningRate * (f + (1 - f) * 0.5 * (1 + cos(Double.pi * Double(t) / Double(steps))))
    }
}

/// How a model file's network was made: the recipe with every default resolved, the source mixture and
/// the course of the loss.
public struct TrainingProvenance: Sendable, Equatable, Codable {
    /// A preset name when the recipe came from one.
    public var preset: String?
    public var recipe: TrainingRecipe
    /// The source mixture before any component was removed.
    public var source: [GaussianComponent]
    public var summary: TrainingSummary

    public init(preset: String?, recipe: TrainingRecipe, source: [GaussianComponent], summary: TrainingSummary) {
        self.preset = preset
        self.recipe = recipe
        self.source = source
        self.summary = summary
    }

    /// The noise levels the model was trained on: `LogNormalNoise.trainedRange` of the resolved noise
    /// distribution (nil only for a hand-built provenance whose recipe leaves the noise unresolved).
    public var trainedRange: ClosedRange<Double>? { recipe.noise?.trainedRange }
}

/// The course of the training loss: the weighted denoising loss mean_batch lambda(sigma) |D - x0|^2
/// (summed over coordinates), averaged over each tenth of the steps taken (fewer entries with fewer than ten steps).
public struct TrainingSummary: Sendable, Equatable, Codable {
    public var lossByTenth: [Double]
    public var finalLoss: Double { lossByTenth.last ?? .nan }

    public init(lossByTenth: [Double]) { self.lossByTenth = lossByTenth }

    /// The summary of the first `steps` batch losses: step t (0-based) in tenth floor(10 t / steps).
    public init(stepLosses: [Double], steps: Int) {
        let buckets = min(10, steps)
        var sums = [Double](repeating: 0, count: buckets), counts = [Int](repeating: 0, count: buckets)
        for t in 0..<min(steps, stepLosses.count) {
            sums[t * buckets / steps] += stepLosses[t]
            counts[t * buckets / steps] += 1
        }
        lossByTenth = zip(sums, counts).map { $0 / Double(max(1, $1)) }
    }
}
