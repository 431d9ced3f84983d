import Foundation

/// A metric over repeated runs (seeds seed, seed + 1, ...): mean, sample standard deviation and the
/// Student-t confidence interval for the mean,
///
///     mean -+ t_{(1 + level) / 2}(n - 1) s / sqrt(n),   s^2 = sum (v_i - mean)^2 / (n - 1),
///
/// exact for normally distributed values and a good approximation for averages of many particles.
/// With one value no spread can be estimated: `standardDeviation`, `standardError` and
/// `confidenceInterval` are nil (undefined), never a made-up number.
///
/// Paired differences (a method minus the strong sampler on the same seed) use the same summary of the
/// per-seed differences (`paired(_:minus:)`), which removes the variation the two runs share.
public struct RepeatSummary: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    /// The sample standard deviation s (denominator n - 1); nil for a single value.
    public var standardDeviation: Double?
    /// s / sqrt(n); nil for a single value.
    public var standardError: Double?
    /// The confidence level of the interval (0.95 by default).
    public var level: Double
    /// t_{(1 + level) / 2}(n - 1) s / sqrt(n); nil for a single value.
    public var halfWidth: Double?
    /// mean -+ halfWidth; nil for a single value.
    public var confidenceInterval: ClosedRange<Double>?

    /// Summarises finite values (at least one) at the confidence level in (0, 1).
    public init(_ values: [Double], level: Double = 0.95) throws {
        guard !values.isEmpty else { throw ToyError.invalid(input: "repeat values", accepted: "at least one value") }
        guard values.allSatisfy(\.isFinite) else {
            throw ToyError.invalid(input: "repeat values", accepted: "finite numbers (got \(values.filter { !$0.isFinite }))")
        }
        guard level > 0, level < 1 else {
            throw ToyError.invalid(input: "confidence level", accepted: "a number strictly between 0 and 1 (got \(level))")
        }
        let n = Double(values.count)
        count = values.count
        // Two passes: the mean, then the squared deviations from it (no sum-of-squares cancellation).
        mean = values.reduce(0, +) / n
        self.level = level
        guard values.count >= 2, let t = StudentT.quantile((1 + level) / 2, degreesOfFreedom: n - 1) else {
            standardDeviation = nil; standardError = nil; halfWidth = nil; confidenceInterval = nil
            return
        }
        let m = mean
        let s = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot()
        standardDeviation = s
        standardError = s / n.squareRoot()
        let half = t * s / n.squareRoot()
        halfWidth = half
        confidenceInterval = (mean - half)...(mean + half)
    }

    /// The summary of the per-seed differences values[i] - baseline[i] (equal counts).
    public static func paired(_ values: [Double], minus baseline: [Double], level: Double = 0.95) throws -> RepeatSummary {
        guard values.count == baseline.count else {
            throw ToyError.invalid(input: "paired values", accepted: "as many values as baseline values (got \(values.count) and \(baseline.count))")
        }
        return try RepeatSummary(zip(values, baseline).map { $0 - $1 }, level: level)
    }
}
