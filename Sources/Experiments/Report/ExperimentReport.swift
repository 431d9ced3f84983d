import Foundation
import Toy

/// The JSON report of an experiment run (schema "toy-w2sd.experiment/2", documented in the README).
/// No timing is included unless asked for, so the same arguments give byte-identical JSON.
public struct ExperimentReport: Codable, Sendable {
    public static let schemaName = "toy-w2sd.experiment/2"

    public struct Mode: Codable, Sendable {
        public var name: String
        public var component: Int
        public var mass: Double
        public var count: Int
        public var mean: [Double]
        public var std: [Double]
    }

    public struct Method: Codable, Sendable {
        public var method: String
        public var modes: [Mode]
        public var wasserstein1: Double
        public var wasserstein1Error: Double
        public var meanNLL: Double
        public var scoreEvaluations: Int
        public var samples: Int
        public var seconds: Double?
    }

    public var schema: String
    public var version: String
    public var command: String
    public var dimension: Int
    public var threads: Int
    public var trajectoriesRecorded: Int
    public var wasserstein1Kind: String
    public var samplesKept: Bool
    /// The experiment in the `--config` format, methods included: `--config` of this report reruns it.
    public var experiment: ExperimentSpec
    public var methods: [Method]

    public init(command: String, spec: ExperimentSpec, threads: Int, trajectories: Int, results: [MethodResult],
                samplesKept: Bool, timings: Bool) {
        schema = Self.schemaName
        version = ToolVersion.current
        self.command = command
        dimension = spec.dimension
        self.threads = threads
        trajectoriesRecorded = trajectories
        wasserstein1Kind = spec.dimension == 1 ? "exact 1D W1 (error 0 when samples are kept)"
            : "sliced W1 over \(Wasserstein.directions(dimension: spec.dimension).count) fixed directions"
        self.samplesKept = samplesKept
        experiment = spec
        let names = spec.modeNames
        methods = results.map { r in
            let s = r.statistics
            return Method(
                method: r.method.rawValue,
                modes: s.modes.map { m in
                    Mode(name: m.component < names.count ? names[m.component] : "\(m.component)",
                         component: m.component, mass: m.mass, count: m.count, mean: m.mean, std: m.std)
                },
                wasserstein1: s.wasserstein, wasserstein1Error: s.wassersteinError,
                meanNLL: s.meanNegativeLogLikelihood, scoreEvaluations: r.evaluations, samples: s.count,
                seconds: timings ? r.seconds : nil)
        }
    }

    public func encoded() throws -> Data { try ReportEncoding.encode(self) }
}
