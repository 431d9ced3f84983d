import Toy

/// A finished experiment: what was asked and what every method gave, as typed values. Figures and
/// reports are built from it.
public struct ExperimentRun: Sendable {
    public var spec: ExperimentSpec
    public var models: ScoreModels
    public var results: [MethodResult]
    /// Particles whose paths were recorded.
    public var trajectories: Int
    /// The experiment file's path when it came from one (figure titles name it).
    public var source: String?
    /// Every method's metrics over the repeats, when the run was repeated (figure legends then give
    /// W1 with its 95% interval).
    public var repeated: RepeatedRuns?
    /// The results of repeats 1, 2, ... with their samples and trajectories, when an export holds every
    /// repeat (`laterRepeats[r - 1][m]`); empty otherwise.
    public var laterRepeats: [[MethodResult]]

    public init(spec: ExperimentSpec, models: ScoreModels, results: [MethodResult], trajectories: Int, source: String? = nil,
                repeated: RepeatedRuns? = nil, laterRepeats: [[MethodResult]] = []) {
        self.spec = spec
        self.models = models
        self.results = results
        self.trajectories = trajectories
        self.source = source
        self.repeated = repeated
        self.laterRepeats = laterRepeats
    }

    /// Every repeat held: the first repeat's results, then the later ones.
    public var heldRepeats: [[MethodResult]] { [results] + laterRepeats }

    /// The three mixtures, for analyses that need the strong and weak densities or components; an
    /// error when either is a score field.
    public func mixtures() throws -> ModelTriple {
        guard let mixtures = models.mixtures else {
            throw RunError(message: "this analysis needs strong and weak mixtures, and the experiment's strong or weak model is a score field (guided, saturated or learned)")
        }
        return mixtures
    }

    /// " (W1 0.3864 +-0.0159)" for a method of a repeated run (at least two seeds), else "".
    public func w1Note(_ method: MethodName) -> String {
        guard let repeated, repeated.seeds.count > 1, let summary = repeated.summary(method, "W1") else { return "" }
        return " (W1 \(RepeatTable.cell(summary)), \(repeated.seeds.count) seeds)"
    }
}
