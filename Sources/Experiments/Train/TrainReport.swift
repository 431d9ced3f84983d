import Toy

/// What `toy-w2sd train` reports: the model's architecture and provenance (recipe, training seed, the
/// noise levels it was trained on, loss course; "recipe unknown" for a file without one), its loss on the
/// toy's held-out set and, when asked, its evaluation. Deterministic: no timings.
public struct TrainReport: Sendable, Encodable {
    public var toolkit = Toolkit.current
    public var architecture: DenoiserArchitecture
    public var parameterCount: Int
    public var sigmaData: Double
    /// nil: recipe unknown (a model file of format 1).
    public var training: TrainingProvenance?
    /// [low, high]: `LogNormalNoise.trainedRange` of the training noise distribution; nil when the recipe is unknown.
    public var trainedSigmaRange: [Double]?
    /// The loss on the toy's held-out set (`LearnedToy.heldOutSet`): the same data for every recipe of the toy.
    public var heldOutLoss: Double
    /// The held-out set: its size, seed and noise-level distribution.
    public var heldOutSet: HeldOutDescription
    public var evaluation: LearnedEvaluation?
    /// The model file written (training with --out), nil otherwise.
    public var file: String?
    /// The checkpoints written beside it (training with --checkpoints), empty otherwise.
    public var checkpoints: [Checkpoint] = []

    /// A checkpoint of the training run: its step, file and held-out loss.
    public struct Checkpoint: Sendable, Encodable {
        public var step: Int
        public var file: String
        public var heldOutLoss: Double

        public init(step: Int, file: String, heldOutLoss: Double) {
            (self.step, self.file, self.heldOutLoss) = (step, file, heldOutLoss)
        }
    }

    public struct HeldOutDescription: Sendable, Encodable {
        public var count: Int
        public var seed: UInt64
        public var noise: LogNormalNoise
        public var lossWeightSigmaData: Double
    }

    public init(model: LearnedDenoiser, toy: LearnedToy, evaluation: LearnedEvaluation?) throws {
        architecture = model.architecture
        parameterCount = model.network.parameters.count
        sigmaData = model.preconditioning.sigmaData
        training = model.provenance
        trainedSigmaRange = model.provenance?.trainedRange.map { [$0.lowerBound, $0.upperBound] }
        let set = try toy.heldOutSet()
        heldOutLoss = try set.loss(of: model)
        heldOutSet = HeldOutDescription(count: set.count, seed: set.seed, noise: set.noise, lossWeightSigmaData: set.weighting.sigmaData)
        self.evaluation = evaluation
    }

    public var text: String {
        let a = architecture
        var lines = ["network: d = \(a.dimension), width \(a.width), depth \(a.depth), \(a.frequencies) noise frequencies, "
                     + "\(parameterCount) parameters; sigma_data \(NumberFormat.significant(sigmaData, 5))"]
        if let t = training {
            let r = t.recipe
            let data: String
            switch r.trainingSet {
            case .fresh: data = "fresh samples"
            case let .fixed(size): data = "a fixed set of \(size) samples"
            }
            let removed = r.removedComponents.isEmpty ? "" : ", components \(r.removedComponents.map(String.init).joined(separator: ",")) removed"
            let shifted = r.meanShift.map { ", component \($0.component)'s mean moved by (\($0.shift.map { NumberFormat.significant($0, 4) }.joined(separator: ", ")))" } ?? ""
            let stopped = r.stopStep.map { "checkpoint at step \($0) of " } ?? ""
            lines.append("recipe\(t.preset.map { " (\($0))" } ?? ""): \(stopped)\(r.steps) steps, batch \(r.batchSize), learning rate "
                         + "\(NumberFormat.significant(r.learningRate, 3)) (cosine to \(NumberFormat.significant(r.finalLearningRateFraction, 3))x), "
                         + (r.emaHalfLife.map { "moving average of half-life \($0) steps, " } ?? "")
                         + "ln sigma ~ N(\(NumberFormat.significant(r.noise?.mean ?? .nan, 3)), \(NumberFormat.significant(r.noise?.std ?? .nan, 3))^2), "
                         + "\(data)\(removed)\(shifted); training seed \(r.seed)")
            if let range = trainedSigmaRange {
                lines.append("trained sigma range: [\(NumberFormat.significant(range[0], 4)), \(NumberFormat.significant(range[1], 4))] "
                             + "(the exact 0.1% and 99.9% quantiles of its log-normal training noise levels)")
            }
            lines.append("loss per tenth of training: " + t.summary.lossByTenth.map { NumberFormat.significant($0, 4) }.joined(separator: " "))
        } else {
            lines.append("recipe unknown (a model file of format 1, whose recipe is not read, or one written without a recipe): no training seed or trained sigma range")
        }
        let h = heldOutSet
        lines.append("held-out loss: \(NumberFormat.significant(heldOutLoss, 5)) (the toy's held-out set: \(h.count) ideal samples, seed 0x\(String(h.seed, radix: 16, uppercase: true)), "
                     + "ln sigma ~ N(\(NumberFormat.significant(h.noise.mean, 3)), \(NumberFormat.significant(h.noise.std, 3))^2), weight sigma_data \(NumberFormat.significant(h.lossWeightSigmaData, 5)); the same for every recipe)")
        for c in checkpoints {
            lines.append("checkpoint at step \(c.step): held-out loss \(NumberFormat.significant(c.heldOutLoss, 5)), written to \(c.file)")
        }
        if let evaluation { lines.append(""); lines.append(evaluation.text) }
        return lines.joined(separator: "\n")
    }
}
