import Toy

/// What `toy-w2sd train` reports: the model's architecture and provenance (recipe, loss course) and,
/// when asked, its evaluation. Deterministic: no timings.
public struct TrainReport: Sendable, Encodable {
    public var toolkit = Toolkit.current
    public var architecture: DenoiserArchitecture
    public var parameterCount: Int
    public var sigmaData: Double
    public var training: TrainingProvenance?
    public var evaluation: LearnedEvaluation?

    public init(model: LearnedDenoiser, evaluation: LearnedEvaluation?) {
        architecture = model.architecture
        parameterCount = model.network.parameters.count
        sigmaData = model.preconditioning.sigmaData
        training = model.provenance
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
            lines.append("recipe\(t.preset.map { " (\($0))" } ?? ""): \(r.steps) steps, batch \(r.batchSize), learning rate "
                         + "\(NumberFormat.significant(r.learningRate, 3)) (cosine to \(NumberFormat.significant(r.finalLearningRateFraction, 3))x), "
                         + "ln sigma ~ N(\(NumberFormat.significant(r.noise?.mean ?? .nan, 3)), \(NumberFormat.significant(r.noise?.std ?? .nan, 3))^2), "
                         + "\(data)\(removed), seed \(r.seed)")
            lines.append("loss per tenth of training: " + t.summary.lossByTenth.map { NumberFormat.significant($0, 4) }.joined(separator: " "))
        }
        if let evaluation { lines.append(""); lines.append(evaluation.text) }
        return lines.joined(separator: "\n")
    }
}
