import Foundation
import Toy

extension RunMetrics {
    /// The metric names of a run on an experiment with these ideal modes, in report order (the names
    /// `RunMetrics(_:modeNames:)` gives; a test checks they agree).
    public static func names(modeNames: [String]) -> [String] {
        ["W1", "W2", "MMD2", "NLL", "spurious", "evals/particle"]
            + ["mass", "on-mode", "std-ratio"].flatMap { kind in modeNames.map { "\(kind):\($0)" } }
    }

    /// Checks a `--metric` list against the metric names (nearest suggestion for an unknown one).
    public static func checkChoice(_ chosen: [String], modeNames: [String]) throws {
        let known = names(modeNames: modeNames)
        var seen: Set<String> = []
        for name in chosen {
            guard known.contains(name) else {
                throw UsageError(message: "--metric: unknown metric '\(name)' (did you mean \(nearestName(to: name, among: known) ?? "W1")?); accepted: \(known.joined(separator: ", "))")
            }
            guard seen.insert(name).inserted else { throw UsageError(message: "--metric lists '\(name)' twice; accepted: distinct metric names") }
        }
    }
}

/// What "better" means for a metric, for the best cell of a sweep and the Pareto front of a frontier:
/// distances, MMD^2, NLL, the spurious fraction and the cost are better lower; a std ratio is better
/// closer to 1; a mode's mass (nearest-mode or on-mode) closer to that mode's ideal weight (the
/// on-mode mass of exact samples of separated modes sits 0.1% below it in any dimension: the window
/// holds the chi-square quantile q = 0.999).
public struct MetricGoal: Sendable, Equatable {
    /// nil: lower is better; else closer to this target.
    public var target: Double?

    public init(metric: String, spec: ExperimentSpec) {
        if metric.hasPrefix("std-ratio:") {
            target = 1
        } else if metric.hasPrefix("mass:") || metric.hasPrefix("on-mode:") {
            let mode = String(metric.drop(while: { $0 != ":" }).dropFirst())
            let weights = spec.modeComponents.map { spec.ideal.components[$0].weight }
            let total = weights.reduce(0, +)
            target = spec.modeNames.firstIndex(of: mode).map { total > 0 ? weights[$0] / total : 0 }
        } else {
            target = nil
        }
    }

    /// How bad a value is (lower is better): the value, or its distance to the target.
    public func badness(_ value: Double) -> Double { target.map { abs(value - $0) } ?? value }

    /// "lowest", or "closest to 0.5".
    public var description: String { target.map { "closest to \(SweepAxis.shortText($0))" } ?? "lowest" }
}

/// One metric of one method in one cell over the repeats: the per-seed values and, when every value
/// is finite, their mean, sample standard deviation and 95% Student-t interval (`RepeatSummary`).
public struct MetricSummary: Codable, Sendable, Equatable {
    public var n: Int
    public var values: [Double]
    public var mean: Double?
    public var standardDeviation: Double?
    public var lower: Double?
    public var upper: Double?

    public init(values: [Double]) {
        n = values.count
        self.values = values
        let summary = values.allSatisfy(\.isFinite) ? try? RepeatSummary(values) : nil
        mean = summary?.mean
        standardDeviation = summary?.standardDeviation
        lower = summary?.confidenceInterval?.lowerBound
        upper = summary?.confidenceInterval?.upperBound
    }

    private enum CodingKeys: String, CodingKey { case n, values, mean, standardDeviation, lower, upper }

    /// Reads what `ReportEncoding` writes: non-finite values arrive as the strings "NaN", "Infinity"
    /// and "-Infinity".
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        n = try c.decode(Int.self, forKey: .n)
        values = try c.decode([FlexibleNumber].self, forKey: .values).map(\.value)
        mean = try c.decodeIfPresent(Double.self, forKey: .mean)
        standardDeviation = try c.decodeIfPresent(Double.self, forKey: .standardDeviation)
        lower = try c.decodeIfPresent(Double.self, forKey: .lower)
        upper = try c.decodeIfPresent(Double.self, forKey: .upper)
    }

    /// The repeat summary, nil when undefined.
    public var summary: RepeatSummary? { values.allSatisfy(\.isFinite) ? try? RepeatSummary(values) : nil }

    /// Half the interval's width; nil for one repeat.
    public var halfWidth: Double? { summary?.halfWidth }

    /// "0.1234 +-0.0056", "0.1234 (1 repeat: no interval)" or "undefined".
    public var text: String { RepeatTable.cell(summary, digits: 4) }
}

/// One method's metrics in one cell: every `RunMetrics` name summarised over the repeats.
public struct MethodMetrics: Codable, Sendable, Equatable {
    public var method: String
    public var metrics: [String: MetricSummary]

    public init(method: String, metrics: [String: MetricSummary]) {
        self.method = method
        self.metrics = metrics
    }

    /// The summaries of every method of repeated runs, metric by metric (values in seed order).
    public static func from(_ runs: RepeatedRuns) -> [MethodMetrics] {
        runs.methods.enumerated().map { m, method in
            var metrics: [String: MetricSummary] = [:]
            for name in runs.metricNames {
                metrics[name] = MetricSummary(values: runs.metrics[m].map { $0[name] ?? .nan })
            }
            return MethodMetrics(method: method.rawValue, metrics: metrics)
        }
    }
}

/// The seeds and confidence level shared by every cell of a study.
public struct StudyRepeats: Codable, Sendable, Equatable {
    public var count: Int
    public var seeds: [UInt64]
    public var level: Double

    public init(spec: ExperimentSpec) {
        count = max(1, spec.repeats)
        seeds = (0..<UInt64(count)).map { spec.seed &+ $0 }
        level = 0.95
    }
}


/// A number, or one of the strings `ReportEncoding` writes for non-finite numbers.
struct FlexibleNumber: Decodable {
    var value: Double

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Double.self) {
            value = v
            return
        }
        switch try c.decode(String.self) {
        case "NaN": value = .nan
        case "Infinity": value = .infinity
        case "-Infinity": value = -.infinity
        case let other:
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(other)' is not a number (accepted: a number, NaN, Infinity, -Infinity)")
        }
    }
}
