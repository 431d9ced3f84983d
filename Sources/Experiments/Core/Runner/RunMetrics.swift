import Toy

/// The scalar metrics of one method run, named, in report order: what a repeat summary, a sweep cell
/// or a frontier point averages. Each says what it measures (README "Metrics"):
///
/// - `W1`, `W2`: Wasserstein distances to the ideal distribution (exact in 1D, sliced for d >= 2); W2
///   weighs displaced mass more, and neither rewards collapse onto a mode.
/// - `MMD2`: squared maximum mean discrepancy to the exact ideal distribution (Gaussian kernel, median-
///   heuristic bandwidth): the unbiased U-statistic of the first min(n, 2000) samples against as many
///   exact ideal samples of a fixed seed (`GaussianKernelMMD`).
/// - `NLL`: mean -log p*(x); lower is not better beyond the exact reference's value (it rewards collapse).
/// - `spurious`: fraction of samples on no ideal mode (squared Mahalanobis distance at or above the
///   chi-square quantile chi2_d(0.999) for every mode: 1 - 0.999 = 0.001 for exact samples, any d).
/// - `evals/particle`: score evaluations per particle (the cost).
/// - per ideal mode: `mass:<mode>` (nearest-mode mass), `on-mode:<mode>` (squared Mahalanobis distance
///   below chi2_d(0.999), counted for the nearest such mode),
///   `std-ratio:<mode>` (on-mode standard deviation over the ideal one, averaged over coordinates).
public struct RunMetrics: Sendable, Equatable {
    public var names: [String]
    public var values: [Double]

    public init(_ result: MethodResult, modeNames: [String]) {
        let s = result.statistics
        var names = ["W1", "W2", "MMD2", "NLL", "spurious", "evals/particle"]
        var values = [s.wasserstein, s.wasserstein2, s.mmd?.value ?? .nan, s.meanNegativeLogLikelihood, s.spuriousFraction,
                      Double(result.evaluations) / Double(max(1, s.count))]
        func name(_ k: Int) -> String { k < modeNames.count ? modeNames[k] : "\(k)" }
        for m in s.modes { names.append("mass:\(name(m.component))"); values.append(m.mass) }
        for m in s.onMode { names.append("on-mode:\(name(m.component))"); values.append(m.mass) }
        for m in s.onMode {
            names.append("std-ratio:\(name(m.component))")
            // Undefined (NaN: left out of summaries, printed "-") with fewer than two samples on the mode.
            values.append(m.count < 2 || m.stdRatio.isEmpty ? .nan : m.stdRatio.reduce(0, +) / Double(m.stdRatio.count))
        }
        self.names = names
        self.values = values
    }

    /// The costly distances (`SampleStatistics.Distances`) that `metrics` need: W1, W2 and MMD2 their own,
    /// every other metric none (it comes from the moments every run takes).
    public static func distances(for metrics: [String]) -> SampleStatistics.Distances {
        var needed: SampleStatistics.Distances = []
        for metric in metrics {
            switch metric {
            case "W1": needed.insert(.wasserstein)
            case "W2": needed.insert(.wasserstein2)
            case "MMD2": needed.insert(.mmd)
            default: break
            }
        }
        return needed
    }

    public subscript(_ name: String) -> Double? {
        names.firstIndex(of: name).map { values[$0] }
    }
}
