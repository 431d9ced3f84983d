import Foundation
import Toy

/// The JSON report of an experiment run (schema "toy-w2sd.experiment/3", documented in Documentation/json-reports.md).
/// No timing is included unless asked for, so the same arguments give byte-identical JSON.
public struct ExperimentReport: Codable, Sendable {
    public static let schemaName = "toy-w2sd.experiment/3"

    /// The samples of a mode (nearest-mode assignment, or the samples on it): mean null without
    /// samples, std (sample std, n - 1) null with fewer than two; the on-mode summaries add the std ratio
    /// (null with fewer than two). Absent values are written as null, so every mode has the same keys.
    public struct Mode: Codable, Sendable {
        public var name: String
        public var component: Int
        public var mass: Double
        public var count: Int
        public var mean: [Double]?
        public var std: [Double]?
        /// On-mode summaries only.
        public var stdRatio: [Double]?
        /// Whether this is an on-mode summary (it then has the `stdRatio` key).
        public var isOnMode = false

        enum CodingKeys: String, CodingKey { case name, component, mass, count, mean, std, stdRatio }

        init(name: String, component: Int, mass: Double, count: Int, mean: [Double], std: [Double], stdRatio: [Double]? = nil) {
            (self.name, self.component, self.mass, self.count) = (name, component, mass, count)
            self.mean = count > 0 ? mean : nil
            self.std = count > 1 ? std : nil
            self.stdRatio = count > 1 ? stdRatio : nil
            isOnMode = stdRatio != nil
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            component = try c.decode(Int.self, forKey: .component)
            mass = try c.decode(Double.self, forKey: .mass)
            count = try c.decode(Int.self, forKey: .count)
            mean = try c.decodeIfPresent([Double].self, forKey: .mean)
            std = try c.decodeIfPresent([Double].self, forKey: .std)
            stdRatio = try c.decodeIfPresent([Double].self, forKey: .stdRatio)
            isOnMode = c.contains(.stdRatio)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(component, forKey: .component)
            try c.encode(mass, forKey: .mass)
            try c.encode(count, forKey: .count)
            try c.encode(mean, forKey: .mean)
            try c.encode(std, forKey: .std)
            if isOnMode { try c.encode(stdRatio, forKey: .stdRatio) }
        }
    }

    /// MMD^2 to the ideal distribution (`GaussianKernelMMD`, `MMDEstimate`): the U-statistic, its standard
    /// error (the error bar), the null standard error sigma0 and z = value / sigma0 (about N(0, 1) for
    /// exact samples), the method's samples in it (= the reference draws), its pairs i < j and the
    /// kernel's bandwidth.
    public struct MMD: Codable, Sendable {
        public var value: Double
        public var standardError: Double?
        public var nullStandardError: Double?
        public var z: Double?
        public var samples: Int
        public var pairs: Int
        public var bandwidth: Double
    }

    public struct Method: Codable, Sendable {
        public var method: String
        public var modes: [Mode]
        public var onMode: [Mode]
        public var spuriousFraction: Double
        public var wasserstein1: Double
        public var wasserstein1Error: Double
        public var wasserstein2: Double
        public var wasserstein2Error: Double
        public var mmd2: MMD?
        public var meanNLL: Double
        public var scoreEvaluations: Int
        public var evaluationsPerParticle: Double
        public var samples: Int
        public var seconds: Double?
    }

    /// A metric over the repeats: mean, sample standard deviation and 95% interval (absent when undefined).
    public struct Summary: Codable, Sendable {
        public var mean: Double
        public var standardDeviation: Double?
        public var lower: Double?
        public var upper: Double?
        init(_ s: RepeatSummary) {
            mean = s.mean
            standardDeviation = s.standardDeviation
            lower = s.confidenceInterval?.lowerBound
            upper = s.confidenceInterval?.upperBound
        }
    }

    public struct RepeatedMethod: Codable, Sendable {
        public var method: String
        /// Metric name (see `RunMetrics`) -> its summary over the repeats.
        public var metrics: [String: Summary]
        /// Metric name -> the summary of the per-seed difference to strong.
        public var pairedToStrong: [String: Summary]?
    }

    public struct Repeats: Codable, Sendable {
        public var count: Int
        public var seeds: [UInt64]
        public var level: Double
        public var methods: [RepeatedMethod]
    }

    public var schema: String
    public var version: String
    /// The version and build that wrote the report.
    public var toolkit: Toolkit
    public var command: String
    public var dimension: Int
    public var threads: Int
    public var trajectoriesRecorded: Int
    public var wasserstein1Kind: String
    /// q of the on-mode windows (`StatisticsReference.onModeQuantile`, 0.999).
    public var onModeQuantile: Double
    /// The on-mode and spurious rule in words, with the window's threshold chi2_d(q) for this d.
    public var onModeKind: String
    /// How MMD^2 was computed: the estimator, the sample cap, the reference seed, the bandwidth rule.
    public var mmd2Kind: String
    public var samplesKept: Bool
    /// The experiment in the `--config` format, methods included: `--config` of this report reruns it.
    public var experiment: ExperimentSpec
    /// Sampler keys the config file, case or saved report gave that no selected method reads (absent when none).
    public var settingsNotRead: [String]?
    /// The first repeat (seed = the experiment's seed), in full.
    public var methods: [Method]
    /// Every metric over all repeats (also for one repeat, where spreads are absent).
    public var repeats: Repeats
    /// Per learned model, its evaluations over all repeats against its trained sigma range (absent without learned models).
    public var learnedModels: [TrainedRangeUse]?

    public init(command: String, spec: ExperimentSpec, threads: Int, trajectories: Int, results: [MethodResult],
                repeated: RepeatedRuns, samplesKept: Bool, timings: Bool, settingsNotRead: [String] = []) {
        schema = Self.schemaName
        version = ToolVersion.current
        toolkit = Toolkit.current
        self.command = command
        dimension = spec.dimension
        self.threads = threads
        trajectoriesRecorded = trajectories
        wasserstein1Kind = spec.dimension == 1 ? "exact 1D W1 (error 0 when samples are kept)"
            : "sliced W1 over \(Wasserstein.directions(dimension: spec.dimension).count) fixed directions"
        onModeQuantile = StatisticsReference.onModeQuantile
        onModeKind = "on mode k: squared Mahalanobis distance to ideal component k at sigma = 0 below the chi-square quantile chi2_\(spec.dimension)(\(onModeQuantile)) = "
            + NumberFormat.significant(StatisticsReference.onModeThreshold(dimension: spec.dimension), 8)
            + "; a sample inside several windows counts for the nearest (Mahalanobis) mode; spurious: on no mode (exact samples: about \(NumberFormat.significant(1 - onModeQuantile, 3)))"
        mmd2Kind = "unbiased U-statistic over all pairs of the first min(n, \(GaussianKernelMMD.sampleCap)) samples of the run (particle order) "
            + "against as many exact ideal samples (seed 0x\(String(GaussianKernelMMD.referenceSeed, radix: 16, uppercase: true)), streams from 2^63, independent of the run's seed); "
            + "Gaussian kernel exp(-|x - y|^2 / (2 l^2)), l = the median pairwise distance of \(GaussianKernelMMD.bandwidthSampleCount) further exact ideal samples (same seed, streams from 2^63 + 2^62); "
            + "standardError: Hoeffding's variance with zeta1 clipped at 0 (the error bar); nullStandardError: the statistic's standard deviation if the method sampled the ideal model; "
            + "z = value / nullStandardError (mean 0, sd 1 for exact samples; grows with n where the method differs)"
        self.samplesKept = samplesKept
        experiment = spec
        self.settingsNotRead = settingsNotRead.isEmpty ? nil : settingsNotRead
        let names = spec.modeNames
        methods = results.map { r in
            let s = r.statistics
            return Method(
                method: r.method.rawValue,
                modes: s.modes.map { m in
                    Mode(name: m.component < names.count ? names[m.component] : "\(m.component)",
                         component: m.component, mass: m.mass, count: m.count, mean: m.mean, std: m.std)
                },
                onMode: s.onMode.map { m in
                    Mode(name: m.component < names.count ? names[m.component] : "\(m.component)", component: m.component,
                         mass: m.mass, count: m.count, mean: m.mean, std: m.std, stdRatio: m.stdRatio)
                },
                spuriousFraction: s.spuriousFraction,
                wasserstein1: s.wasserstein, wasserstein1Error: s.wassersteinError,
                wasserstein2: s.wasserstein2, wasserstein2Error: s.wasserstein2Error,
                mmd2: s.mmd.map { MMD(value: $0.value, standardError: $0.standardError, nullStandardError: $0.nullStandardError, z: $0.z, samples: $0.samples, pairs: $0.pairs, bandwidth: $0.bandwidth) },
                meanNLL: s.meanNegativeLogLikelihood, scoreEvaluations: r.evaluations,
                evaluationsPerParticle: Double(r.evaluations) / Double(max(1, s.count)), samples: s.count,
                seconds: timings ? r.seconds : nil)
        }
        let metricNames = repeated.metricNames
        repeats = Repeats(count: repeated.seeds.count, seeds: repeated.seeds, level: 0.95, methods: repeated.methods.map { method in
            var metrics: [String: Summary] = [:], paired: [String: Summary] = [:]
            for name in metricNames {
                if let s = repeated.summary(method, name) { metrics[name] = Summary(s) }
                if let p = repeated.pairedToStrong(method, name) { paired[name] = Summary(p) }
            }
            return RepeatedMethod(method: method.rawValue, metrics: metrics, pairedToStrong: method == .strong || paired.isEmpty ? nil : paired)
        })
        learnedModels = repeated.learnedModels.isEmpty ? nil : repeated.learnedModels
    }

    public func encoded() throws -> Data { try ReportEncoding.encode(self) }
}
