import Foundation
import Toy

/// How a run used one learned model against the noise levels it was trained on: its trained sigma range
/// (`LogNormalNoise.trainedRange`: the 0.1% and 99.9% quantiles of its training noise distribution) and
/// how many of its score evaluations (one per particle and call, `TrainedRangeMonitor`) were at a sigma
/// outside it. A model file without a recipe (format 1) has no range: "recipe unknown", nothing counted.
/// In reports: a note line per learned model, and the JSON key `learnedModels` (one entry per model).
public struct TrainedRangeUse: Codable, Sendable, Equatable {
    /// "strong" or "weak".
    public var role: String
    /// The model file.
    public var model: String
    /// [low, high]; nil: recipe unknown.
    public var trainedSigmaRange: [Double]?
    /// Score evaluations of the model (nil: recipe unknown, not counted).
    public var evaluations: Int?
    /// Those at a sigma outside the trained range.
    public var outsideTrainedRange: Int?

    public init(role: String, model: String, trainedSigmaRange: [Double]? = nil, evaluations: Int? = nil, outsideTrainedRange: Int? = nil) {
        (self.role, self.model, self.trainedSigmaRange) = (role, model, trainedSigmaRange)
        (self.evaluations, self.outsideTrainedRange) = (evaluations, outsideTrainedRange)
    }

    /// The learned models of `spec` as built in `models` (`ExperimentSpec.models`), with their counts so far.
    public static func snapshot(spec: ExperimentSpec, models: ScoreModels) -> [TrainedRangeUse] {
        [("strong", spec.strong, models.strong), ("weak", spec.weak, models.weak)].compactMap { role, declared, field in
            guard let path = declared.model else { return nil }
            guard let monitored = field as? RangeMonitoredField else { return TrainedRangeUse(role: role, model: path) }
            let range = monitored.monitor.range, counts = monitored.monitor.counts
            return TrainedRangeUse(role: role, model: path, trainedSigmaRange: [range.lowerBound, range.upperBound],
                                   evaluations: counts.evaluations, outsideTrainedRange: counts.outside)
        }
    }

    /// The counts made since the `snapshot` `before` of the same models (so that earlier evaluations,
    /// such as a run-time probe's, are left out).
    public static func made(since before: [TrainedRangeUse], spec: ExperimentSpec, models: ScoreModels) -> [TrainedRangeUse] {
        zip(snapshot(spec: spec, models: models), before).map { $0.adding($1, sign: -1) }
    }

    /// Per role, the counts of several runs (e.g. a study's cells) added up; the range and file of the first.
    public static func total(_ runs: [[TrainedRangeUse]]) -> [TrainedRangeUse] {
        var totals: [TrainedRangeUse] = []
        for use in runs.joined() {
            if let k = totals.firstIndex(where: { $0.role == use.role && $0.model == use.model }) {
                totals[k] = totals[k].adding(use, sign: 1)
            } else {
                totals.append(use)
            }
        }
        return totals
    }

    private func adding(_ other: TrainedRangeUse, sign: Int) -> TrainedRangeUse {
        var sum = self
        if let a = evaluations, let b = other.evaluations { sum.evaluations = a + sign * b }
        if let a = outsideTrainedRange, let b = other.outsideTrainedRange { sum.outsideTrainedRange = a + sign * b }
        return sum
    }

    /// "note: learned strong model 's.model' (trained sigma range [0.0527, 114]): 12000 of 5000000 score
    /// evaluations (0.24%) at a sigma outside it", or "... recipe unknown (...): no trained range to check".
    public var note: String {
        let name = "note: learned \(role) model '\(model)'"
        guard let range = trainedSigmaRange, range.count == 2, let evaluations, let outside = outsideTrainedRange else {
            return "\(name): recipe unknown (a model file of format 1 or without a recipe): no trained range to check"
        }
        let share = evaluations > 0 ? " (\(NumberFormat.significant(100 * Double(outside) / Double(evaluations), 3))%)" : ""
        return "\(name) (trained sigma range [\(NumberFormat.significant(range[0], 3)), \(NumberFormat.significant(range[1], 3))]): "
            + "\(outside) of \(evaluations) score evaluations\(share) at a sigma outside it"
    }
}
