import Foundation
import Plot
import Toy

/// Colours and labels shared by every figure: a method (and the model it samples) keeps one colour.
public enum MethodStyle {
    public static func color(_ method: MethodName) -> Color {
        switch method {
        case .exact: return .nearBlack
        case .idealSampled: return .gray
        case .exactStrong: return Color.blue.mixed(with: .white, fraction: 0.4)
        case .exactWeak: return Color.orange.mixed(with: .white, fraction: 0.4)
        case .strong: return .blue
        case .weak: return .orange
        case .w2sd: return .green
        case .s2wd: return .vermillion
        case .autoguidance: return .purple
        case .resampling: return .skyBlue
        case .advancedResampling: return Color.yellow.mixed(with: .nearBlack, fraction: 0.35)
        case .selfReflection: return Color.green.mixed(with: .white, fraction: 0.45)
        case .w2sdCorrected: return Color(hex: 0x117733)
        case .edmChurn: return Color(hex: 0x882255)   // wine (Tol's palette): apart from strong's blue
        case .restart: return Color(hex: 0x999933)    // olive
        case .zSampling: return Color.green.mixed(with: .nearBlack, fraction: 0.4)
        }
    }

    /// The method's legend label; autoguidance's names its weight and, when set, its guidance interval.
    public static func label(_ method: MethodName, guidance: Double, interval: ClosedRange<Double>? = nil) -> String {
        switch method {
        case .exact: return "exact p*"
        case .exactStrong: return "exact p_s"
        case .exactWeak: return "exact p_w"
        case .idealSampled: return "ideal (sampled)"
        case .strong: return "strong"
        case .weak: return "weak"
        case .w2sd: return "W2SD"
        case .s2wd: return "S2WD"
        case .autoguidance:
            let limited = interval.map { " on sigma in [\(ExperimentSpec.label(mean: [$0.lowerBound])), \(ExperimentSpec.label(mean: [$0.upperBound]))]" } ?? ""
            return "autoguidance w=\(ExperimentSpec.label(mean: [guidance]))" + limited
        case .resampling: return "Re-Sampling"
        case .advancedResampling: return "Advanced Re-Sampling"
        case .selfReflection: return "self-reflection"
        case .w2sdCorrected: return "W2SD corrected"
        case .edmChurn: return "EDM churn"
        case .restart: return "Restart"
        case .zSampling: return "Z-Sampling"
        }
    }

    /// Delta1 = s_strong - s_weak and Delta2 = s_ideal - s_strong (not methods: colours of their own).
    public static let delta1 = Color(hex: 0x882255)
    public static let delta2 = Color(hex: 0x999933)
    /// Sampled densities: white below the lowest level (empty space stays white), then reversed viridis.
    static let density = Colormap(stops: [.white, Color(hex: 0xFDE725), Color(hex: 0x7AD151), Color(hex: 0x22A884),
                                          Color(hex: 0x2A788E), Color(hex: 0x414487), Color(hex: 0x440154)])
    static let startMarker = Color.nearBlack
    static let endMarker = Color.nearBlack
}

enum FigureMath {
    /// The EDM input scaling x / sqrt(1 + sigma^2): trajectories drawn on this scale keep both the prior
    /// draws (sigma_max = 80) and the final samples (sigma = 0: the raw position) readable on one axis.
    static func scaled(_ x: Double, sigma: Double) -> Double { x / (1 + sigma * sigma).squareRoot() }

    /// The main path of a trajectory: its start and the ordinary steps, one point per noise level.
    static func mainPath(_ t: Trajectory) -> [TrajectoryPoint] {
        t.points.filter { $0.phase == .start || $0.phase == .step }
    }

    /// The q-quantile of sorted values.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, max(0, Int((q * Double(sorted.count - 1)).rounded())))
        return sorted[index]
    }

    /// A plotted interval: `base` (the ideal modes' extent) widened to cover the samples between their
    /// q- and (1 - q)-quantiles (each sorted coordinate list in `sorted`, widened by `margin`), but by at
    /// most half of `base`'s width on each side, so that a few stragglers far away (a saturated field's,
    /// a diverging sampler's) cannot shrink the data to a dot; samples beyond fall outside the axes.
    static func plotRange(base: (Double, Double), sorted: [[Double]], quantile q: Double, margin: Double) -> (Double, Double) {
        var (lo, hi) = base
        for values in sorted where !values.isEmpty {
            lo = min(lo, quantile(values, q) - margin); hi = max(hi, quantile(values, 1 - q) + margin)
        }
        let reach = 0.5 * (base.1 - base.0)
        if base.0 < base.1 { (lo, hi) = (max(lo, base.0 - reach), min(hi, base.1 + reach)) }
        return lo < hi ? (lo, hi) : (-1, 1)
    }

    /// The marginal of a mixture on its first two coordinates (identity for d = 2).
    static func firstTwo(_ mixture: GaussianMixture) throws -> GaussianMixture {
        let d = mixture.dimension
        guard d > 2 else { return mixture }
        return try GaussianMixture(mixture.components.map { c in
            GaussianComponent(weight: c.weight, mean: Array(c.mean[0..<2]),
                              covariance: [c.covariance[0], c.covariance[1], c.covariance[d], c.covariance[d + 1]])
        })
    }

    /// What is drawn, on what: "ideal, strong, weak, W2SD on the 1D toy", or on the config file's experiment.
    static func title(_ run: ExperimentRun, preset: String) -> String {
        let methods = run.results.map { MethodStyle.label($0.method, guidance: run.spec.guidance, interval: run.spec.guidanceInterval) }.joined(separator: ", ")
        let kinds = run.spec.modelKinds.map { " (\($0))" } ?? ""
        guard let path = run.source else { return "\(methods) on \(preset)\(kinds)" }
        return "\(methods) on \(URL(fileURLWithPath: path).lastPathComponent) (d = \(run.spec.dimension)\(run.spec.modelKinds.map { "; \($0)" } ?? ""))"
    }

    /// "0.5", "2", "1e-3"-style short labels of numbers.
    static func short(_ v: Double) -> String { ExperimentSpec.label(mean: [v]) }
}
