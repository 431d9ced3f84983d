import Dispatch
import Foundation

/// Trains a `LearnedDenoiser` by denoising score matching with EDM's weighting:
///
///     L(theta) = E_{x0 ~ data, ln sigma ~ N(P_mean, P_std^2), n ~ N(0, I)} lambda(sigma) |D(x0 + sigma n; sigma) - x0|^2
///              = E |F(c_in x, c_noise) - F*|^2,   F* = (x0 - c_skip x) / c_out = c_in (sigma x0 / sd - sd n)
///
/// (lambda c_out^2 = 1; the last form of F* has no cancellation at small sigma). Each step estimates L and
/// its gradient on a batch of B fresh triples (x0, sigma, n) and takes one Adam step with the cosine-decayed
/// learning rate of the recipe. With `emaHalfLife` set, the model gets the exponential moving average of
/// the iterates (`ParameterAverage`) instead of the last one.
///
/// Determinism: the batch is cut into fixed shards of `shardRows` rows; shard s of step t draws all its
/// randomness from stream 1 + t S + s of the recipe's seed (S shards per step; stream 0 initialises the
/// network) and computes its gradient into its own buffer; the shard gradients are then summed in shard
/// order. Threads only decide which worker computes which shard, so the trained parameters are
/// bit-identical for any thread count. No allocation happens inside the step loop: each shard owns its
/// workspace ([rows x width] buffers) for the whole run.
public struct DenoiserTrainer: Sendable {
    /// The recipe with every default resolved (sigma data, noise distribution).
    public let recipe: TrainingRecipe
    public let source: GaussianMixture
    /// The mixture the data come from (source with removed components at weight 0).
    public let data: GaussianMixture
    public let preconditioning: EDMPreconditioning
    public let noise: LogNormalNoise
    public let threads: Int
    public let preset: String?

    public static let shardRows = 64

    public init(recipe: TrainingRecipe, source: GaussianMixture, threads: Int, preset: String? = nil) throws {
        guard threads >= 1 else { throw ToyError.invalid(input: "threads", accepted: "an integer >= 1 (got \(threads))") }
        var resolved = try recipe.validated(for: source)
        data = try resolved.dataMixture(from: source)
        let sd = resolved.sigmaData ?? EDMPreconditioning.dataStandardDeviation(of: data)
        preconditioning = try EDMPreconditioning(sigmaData: sd)
        noise = try resolved.noise ?? LogNormalNoise.adapted(sigmaData: sd)
        architecture = try DenoiserArchitecture(dimension: source.dimension, width: resolved.width, depth: resolved.depth,
                                                frequencies: resolved.frequencies)
        resolved.sigmaData = sd
        resolved.noise = noise
        self.recipe = resolved
        self.source = source
        self.threads = threads
        self.preset = preset
    }

    public let architecture: DenoiserArchitecture

    /// Shards per step: ceil(B / shardRows).
    public var shardCount: Int { (recipe.batchSize + Self.shardRows - 1) / Self.shardRows }

    /// The fixed training set (flat, size x d) of a `.fixed` recipe, drawn from stream i of the data seed
    /// SplitMix64.mix(seed ^ 0xDA7A) for sample i; nil for `.fresh`.
    public var fixedSet: [Double]? {
        guard case let .fixed(size) = recipe.trainingSet else { return nil }
        return data.samples(count: size, sigma: 0, seed: SplitMix64.mix(recipe.seed ^ 0xDA7A))
    }

    /// Trains the network for `recipe.trainedSteps` steps; `progress` is called on the calling thread every
    /// 10 steps and after the last. At each step s of `checkpoints` (each in 1 ..< trainedSteps, increasing
    /// order not required) `checkpoint` receives the model after s optimiser steps: the same bits as the
    /// model of this recipe with `stopStep = s` (its provenance says so), and the run goes on unchanged
    /// (taking checkpoints does not alter the final model). An error thrown by `checkpoint` ends the run.
    public func train(checkpoints: [Int] = [], checkpoint: ((LearnedDenoiser) throws -> Void)? = nil,
                      progress: ((TrainingProgress) -> Void)? = nil) throws -> LearnedDenoiser {
        let architecture = self.architecture
        var model = LearnedDenoiser(network: DenoiserNetwork(architecture: architecture, seed: recipe.seed),
                                    preconditioning: preconditioning)
        let shards = TrainingShards(trainer: self, architecture: architecture, fixedSet: fixedSet)
        var optimiser = AdamOptimizer(parameterCount: architecture.parameterCount)
        var gradient = [Double](repeating: 0, count: architecture.parameterCount)
        let steps = recipe.trainedSteps, stops = Set(checkpoints)
        var stepLosses: [Double] = []
        stepLosses.reserveCapacity(steps)
        var recent = 0.0
        var average = recipe.emaHalfLife.map { ParameterAverage(halfLife: $0) }
        let workers = min(threads, shardCount)
        for t in 0..<steps {
            let current = model
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for s in stride(from: worker, to: shards.count, by: workers) { shards.compute(shard: s, step: t, model: current) }
            }
            let loss = shards.reduce(into: &gradient)
            optimiser.step(&model.network.parameters, gradient: gradient, learningRate: recipe.learningRate(atStep: t))
            stepLosses.append(loss)
            average?.add(model.network.parameters)
            recent = t == 0 ? loss : 0.98 * recent + 0.02 * loss
            if let progress, (t + 1) % 10 == 0 || t + 1 == steps {
                progress(TrainingProgress(step: t + 1, steps: steps, recentLoss: recent))
            }
            if let checkpoint, t + 1 < steps, stops.contains(t + 1) {
                var stopped = model   // the checkpoint is what the run stopped here gives: the average when there is one
                if let average { stopped.network.parameters = average.value }
                stopped.provenance = provenance(stoppedAt: t + 1, stepLosses: stepLosses)
                try checkpoint(stopped)
            }
        }
        if let average { model.network.parameters = average.value }
        model.provenance = provenance(stoppedAt: steps, stepLosses: stepLosses)
        return model
    }

    /// The provenance of the model after `step` steps (the recipe's `stopStep` set to it unless it is the
    /// end of the schedule), its loss course from the first `step` batch losses.
    private func provenance(stoppedAt step: Int, stepLosses: [Double]) -> TrainingProvenance {
        var stopped = recipe
        stopped.stopStep = step < recipe.steps ? step : nil
        return TrainingProvenance(preset: preset, recipe: stopped, source: source.components,
                                  summary: TrainingSummary(stepLosses: stepLosses, steps: step))
    }

    /// The training loss of `model` on the batch of step `step` (as `train` draws it), and its gradient:
    /// the quantities `train` hands to Adam at that step. For tests and diagnostics.
    public func lossAndGradient(of model: LearnedDenoiser, step: Int) -> (loss: Double, gradient: [Double]) {
        let shards = TrainingShards(trainer: self, architecture: model.architecture, fixedSet: fixedSet)
        for s in 0..<shards.count { shards.compute(shard: s, step: step, model: model) }
        var gradient = [Double](repeating: 0, count: model.architecture.parameterCount)
        let loss = shards.reduce(into: &gradient)
        return (loss, gradient)
    }
}

/// Where a training run stands: after `step` of `steps`, with an exponential moving average (weight
/// 0.02 per step) of the batch loss.
public struct TrainingProgress: Sendable {
    public var step: Int
    public var steps: Int
    public var recentLoss: Double
}

/// The per-shard state of a training run: workspace, batch buffers, gradient and loss of each shard.
/// Shard s is touched only by the worker computing it; `reduce` runs after all shards are done.
final class TrainingShards: @unchecked Sendable {
    let count: Int
    private let trainer: DenoiserTrainer
    private let sampler: MixtureDataSampler
    private let fixedSet: [Double]?
    private let workspaces: [NetworkWorkspace]
    private let buffers: UnsafeMutablePointer<Double>
    private let gradients: UnsafeMutablePointer<Double>
    private var losses: [Double]
    private let dimension: Int
    private let parameterCount: Int

    /// Per shard: x0, x, dL/dF (rows x d each) and d scratch values.
    private var perShard: Int { 3 * DenoiserTrainer.shardRows * dimension + dimension }

    init(trainer: DenoiserTrainer, architecture: DenoiserArchitecture, fixedSet: [Double]?) {
        self.trainer = trainer
        count = trainer.shardCount
        sampler = MixtureDataSampler(trainer.data)
        self.fixedSet = fixedSet
        dimension = architecture.dimension
        parameterCount = architecture.parameterCount
        workspaces = (0..<count).map { _ in NetworkWorkspace(architecture: architecture, capacity: DenoiserTrainer.shardRows) }
        losses = [Double](repeating: 0, count: count)
        let perShard = 3 * DenoiserTrainer.shardRows * architecture.dimension + architecture.dimension
        buffers = .allocate(capacity: count * perShard)
        buffers.initialize(repeating: 0, count: count * perShard)
        gradients = .allocate(capacity: count * architecture.parameterCount)
        gradients.initialize(repeating: 0, count: count * architecture.parameterCount)
    }

    deinit {
        buffers.deallocate()
        gradients.deallocate()
    }

    /// Draws shard s of step t, evaluates the model on it and stores its loss sum and gradient
    /// (of sum over its rows of |F - F*|^2 / B).
    func compute(shard s: Int, step t: Int, model: LearnedDenoiser) {
        let d = dimension, rowsPerShard = DenoiserTrainer.shardRows
        let batch = trainer.recipe.batchSize
        let rows = min(rowsPerShard, batch - s * rowsPerShard)
        let workspace = workspaces[s]
        let x0 = buffers + s * perShard, x = x0 + rowsPerShard * d, outputGradient = x + rowsPerShard * d
        let scratch = outputGradient + rowsPerShard * d
        var rng = Xoshiro256StarStar(seed: trainer.recipe.seed, stream: 1 &+ UInt64(t) &* UInt64(count) &+ UInt64(s))
        let noise = trainer.noise
        for b in 0..<rows {
            if let fixedSet {
                let index = Int(rng.next() % UInt64(fixedSet.count / d))
                for j in 0..<d { x0[b * d + j] = fixedSet[index * d + j] }
            } else {
                sampler.draw(into: x0 + b * d, scratch: scratch, using: &rng)
            }
            let sigma = exp(noise.mean + noise.std * rng.nextNormal())
            workspace.sigmas[b] = sigma
            // x = x0 + sigma n; keep n in the dL/dF buffer until the target is formed.
            for j in 0..<d {
                let n = rng.nextNormal()
                outputGradient[b * d + j] = n
                x[b * d + j] = x0[b * d + j] + sigma * n
            }
        }
        model.prepareInput(x, rows: rows, workspace)
        model.network.forward(workspace, rows: rows)
        let sd = model.preconditioning.sigmaData, scale = 2 / Double(batch)
        var loss = 0.0
        for b in 0..<rows {
            let sigma = workspace.sigmas[b]
            let cIn = model.preconditioning.coefficients(sigma: sigma).input
            for j in 0..<d {
                let k = b * d + j
                let target = cIn * (sigma * x0[k] / sd - sd * outputGradient[k])
                let residual = workspace.output[k] - target
                loss += residual * residual
                outputGradient[k] = scale * residual
            }
        }
        losses[s] = loss
        let gradient = gradients + s * parameterCount
        gradient.update(repeating: 0, count: parameterCount)
        model.network.accumulateGradient(workspace, rows: rows, outputGradient: outputGradient, into: gradient)
    }

    /// Sums the shard gradients in shard order into `gradient`; returns the batch's mean loss.
    func reduce(into gradient: inout [Double]) -> Double {
        let n = parameterCount
        gradient.withUnsafeMutableBufferPointer { g in
            guard let out = g.baseAddress else { return }
            out.update(from: gradients, count: n)
            for s in 1..<max(1, count) {
                let shard = gradients + s * n
                for k in 0..<n { out[k] += shard[k] }
            }
        }
        return losses.reduce(0, +) / Double(trainer.recipe.batchSize)
    }
}
