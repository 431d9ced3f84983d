import Foundation
import Toy

/// The JSON report of `toy-w2sd 1d|2d --json PATH` (schema "toy-w2sd.experiment/1", documented in the
/// README). Keys are sorted and no timing is included unless `--timings` is given, so the same
/// arguments give byte-identical JSON.
struct ExperimentReport: Codable {
    static let schemaName = "toy-w2sd.experiment/1"

    struct Mode: Codable {
        var name: String
        var component: Int
        var mass: Double
        var count: Int
        var mean: [Double]
        var std: [Double]
    }

    struct Method: Codable {
        var method: String
        var modes: [Mode]
        var wasserstein1: Double
        var wasserstein1Error: Double
        var meanNLL: Double
        var scoreEvaluations: Int
        var samples: Int
        var seconds: Double?
    }

    var schema: String
    var command: String
    var dimension: Int
    var threads: Int
    var trajectoriesRecorded: Int
    var wasserstein1Kind: String
    var samplesKept: Bool
    var experiment: ExperimentFile
    var methods: [Method]

    init(spec: ExperimentSpec, results: [MethodResult], samplesKept: Bool) {
        schema = Self.schemaName
        command = spec.command
        dimension = spec.dimension
        threads = spec.threads
        trajectoriesRecorded = spec.trajectories
        wasserstein1Kind = spec.dimension == 1 ? "exact 1D W1 (error 0 when samples are kept)"
            : "sliced W1 over \(Wasserstein.directions(dimension: spec.dimension).count) fixed directions"
        self.samplesKept = samplesKept
        experiment = spec.experimentFile
        methods = results.map { r in
            let s = r.statistics
            return Method(
                method: r.method.rawValue,
                modes: s.modes.map { m in
                    Mode(name: m.component < spec.modeNames.count ? spec.modeNames[m.component] : "\(m.component)",
                         component: m.component, mass: m.mass, count: m.count, mean: m.mean, std: m.std)
                },
                wasserstein1: s.wasserstein, wasserstein1Error: s.wassersteinError,
                meanNLL: s.meanNegativeLogLikelihood, scoreEvaluations: r.evaluations, samples: s.count,
                seconds: spec.timingsInJSON ? r.seconds : nil)
        }
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
