import Toy

/// A finished experiment: what was asked and what every method gave, as typed values. Figures and
/// reports are built from it.
public struct ExperimentRun: Sendable {
    public var spec: ExperimentSpec
    public var models: ModelTriple
    public var results: [MethodResult]
    /// Particles whose paths were recorded.
    public var trajectories: Int
    /// The experiment file's path when it came from one (figure titles name it).
    public var source: String?

    public init(spec: ExperimentSpec, models: ModelTriple, results: [MethodResult], trajectories: Int, source: String? = nil) {
        self.spec = spec
        self.models = models
        self.results = results
        self.trajectories = trajectories
        self.source = source
    }
}
