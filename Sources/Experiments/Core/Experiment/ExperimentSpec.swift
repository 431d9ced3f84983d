import Foundation
import Toy

/// A whole experiment: the ideal, strong and weak models (any dimension), the sampler settings and the
/// methods. ONE type serves the JSON experiment file (`--config`, and the `experiment` object of every
/// report, so a saved report reruns exactly) and the command line, whose options fill the same fields
/// through the same declarations (`ExperimentSpec.settings`).
///
///     {
///       "ideal":  { "components": [ { "name": "left", "weight": 0.5, "mean": [-4], "std": 0.8 }, ... ] },
///       "strong": { "components": [ { "weight": 0.3, "mean": [-4], "covariance": [[0.64]] }, ... ] },
///       "weak":   { "components": [ ... ] },
///       "sampler": { "steps": 50, "solver": "euler", ... },
///       "methods": ["ideal", "strong", "weak", "w2sd"]
///     }
///
/// Every `sampler` key and `methods` are optional and default to the pinned values; unknown keys are
/// errors. Rules that involve two settings (lambda against steps, sigma-min against sigma-max, the
/// inversion's tolerance and error) are checked once, in `validate()`, whatever the source.
public struct ExperimentSpec: Sendable, Equatable {
    public var ideal: MixtureSpec
    public var strong: MixtureSpec
    public var weak: MixtureSpec
    /// The class c of a class-conditional experiment (JSON "class"): the ideal model is p*(x | c) and
    /// mixture strong and weak models are guided towards c (`MixtureSpec+Field.swift`); nil: unconditional.
    public var condition: String?

    public var steps = 50
    public var solver: Solver = .euler
    public var inversion: InversionKind = .paper
    /// Only with `exact` inversion; nil: 1e-13.
    public var inversionTolerance: Double?
    /// lambda: reflect at steps i < lambda; nil: steps - 1 (the paper's default).
    public var lambda: Lambda?
    /// Reflect only at steps whose sigma_i lies in [lo, hi] (and i < lambda); nil: no window.
    public var reflectSigma: ClosedRange<Double>?
    public var gamma = 1.0
    public var sigmaMax = 80.0
    public var sigmaMin = 0.002
    public var rho = 7.0
    public var prior: PriorKind = .gaussian
    /// nil: 100,000 in 1D, 50,000 for d >= 2.
    public var samples: Int?
    public var seed: UInt64 = 0
    /// Runs per method, with seeds seed, seed + 1, ...: every metric is then reported with its spread.
    public var repeats = 1
    /// Autoguidance weight w: s_w + w (s_s - s_w).
    public var guidance = 2.0
    /// Guidance in a limited interval (Kynkaanniemi et al. 2024): only steps whose starting sigma_i lies
    /// in [lo, hi] are guided, by autoguidance and by the classifier-free guidance of the strong and weak
    /// models (`cfg`, with a class); the other steps take the strong model alone, or the conditional
    /// score s_C. nil: every step is guided.
    public var guidanceInterval: ClosedRange<Double>?
    /// k of the paper's Table 13: W2SD inverts with s_w + k eps (0: exact weak score).
    public var inversionError = 0.0
    /// Units of the inversion error: `score` (s + k eps, the pinned convention) or `eps` (a kick of
    /// -(sigma_i - sigma_{i+1}) k eps after each inversion); see Toy's `InversionError`.
    public var inversionErrorUnits: InversionError.Units = .score
    /// EDM churn (method `edm-churn`): S_churn, [S_tmin, S_tmax], S_noise of Karras et al. 2022, Algorithm 2.
    public var churn = Churn.toyDefault
    /// Restart sampling (method `restart`): the interval [t_min, t_max], K restarts, N steps each.
    public var restart = Restart.toyDefault
    /// Z-Sampling (method `z-sampling`): the denoising guidance weight w of the strong mixture towards the class.
    public var zGuidance = ExperimentSpec.zGuidanceDefault
    /// Z-Sampling: the inversion guidance weight (the paper's 0: unconditional inversion).
    public var zInversionGuidance = ExperimentSpec.zInversionGuidanceDefault
    public var methods: [MethodName] = MethodName.defaults

    public init(ideal: MixtureSpec, strong: MixtureSpec, weak: MixtureSpec) {
        self.ideal = ideal
        self.strong = strong
        self.weak = weak
    }

    /// lambda as a step count, or as a fraction f of T (lambda = min(T - 1, floor(f T)), written "0.5T")
    /// so that a saved experiment keeps its meaning when the steps change.
    public enum Lambda: Sendable, Equatable {
        case steps(Int)
        case fraction(Double)

        public func resolved(steps t: Int) -> Int {
            switch self {
            case let .steps(l): return l
            case let .fraction(f): return min(t - 1, Int((f * Double(t)).rounded(.down)))
            }
        }

        public var text: String {
            switch self {
            case let .steps(l): return String(l)
            case let .fraction(f): return "\(f)T"
            }
        }
    }

    public enum InversionKind: String, CaseIterable, Codable, Sendable { case paper, ddim, exact }
    public enum PriorKind: String, CaseIterable, Codable, Sendable { case gaussian, exact }

    /// d, from the first ideal component (validated by `models()`).
    public var dimension: Int { ideal.components.first?.mean.count ?? 0 }

    /// The number of particles: as set, or the pinned default of the dimension.
    public var particles: Int { samples ?? (dimension == 1 ? 100_000 : 50_000) }

    /// The label of each ideal component: its declared name, else its mean ("-4", "(-4,4)").
    public var componentNames: [String] {
        ideal.components.map { $0.name ?? Self.label(mean: $0.mean) }
    }

    /// The label of each mode (the components of `modeComponents`).
    public var modeNames: [String] {
        let names = componentNames
        return modeComponents.map { names[$0] }
    }

    /// The sampler settings of Toy.
    public var samplerSettings: SamplerSettings {
        let toyInversion: Inversion
        switch inversion {
        case .paper: toyInversion = .paper
        case .ddim: toyInversion = .ddim
        case .exact: toyInversion = inversionTolerance.map { .exact(tolerance: $0) } ?? .exactDefault
        }
        return SamplerSettings(schedule: .karras(sigmaMax: sigmaMax, sigmaMin: sigmaMin, rho: rho), steps: steps,
                               solver: solver, inversion: toyInversion, reflectionSteps: reflectionSteps, gamma: gamma,
                               reflectionWindow: reflectSigma)
    }

    /// Trajectory points per recorded particle beyond the memory model's 1 + 4 T: Restart's K (N + 1)
    /// when it is among the methods (`Sampler.extraTrajectoryPoints`).
    public var extraTrajectoryPoints: Int {
        methods.contains(.restart) ? restart.count * (restart.steps + 1) : 0
    }

    /// The effective lambda.
    public var reflectionSteps: Int { lambda?.resolved(steps: steps) ?? steps - 1 }

    /// A broken rule between settings: the keys involved and what is accepted.
    public struct Conflict: Error, Sendable {
        public var keys: [String]
        public var message: String
    }

    /// Checks the rules that involve two settings (each single setting was checked by its declaration).
    public func validate() throws(Conflict) {
        if case let .steps(l)? = lambda, !(0...steps - 1).contains(l) {
            throw Conflict(keys: ["lambda", "steps"], message: "lambda \(l) is not valid for steps \(steps); accepted: an integer from 0 to steps - 1 = \(steps - 1), or a fraction of T such as 0.5T")
        }
        guard sigmaMin < sigmaMax else {
            throw Conflict(keys: ["sigmaMin", "sigmaMax"], message: "sigma-min \(sigmaMin) must be below sigma-max \(sigmaMax); accepted: 0 < sigma-min < sigma-max")
        }
        if inversionTolerance != nil, inversion != .exact {
            throw Conflict(keys: ["inversionTolerance", "inversion"], message: "an inversion tolerance applies to exact inversion only (inversion is \(inversion.rawValue)); accepted: inversion exact, or no tolerance")
        }
        if churn.sTmin > churn.sTmax {
            throw Conflict(keys: ["sTmin", "sTmax"], message: "S_tmin \(churn.sTmin) is above S_tmax \(churn.sTmax), so no level would churn; accepted: s-tmin <= s-tmax")
        }
        if inversionError > 0, inversion == .exact, inversionErrorUnits == .score {
            throw Conflict(keys: ["inversionError", "inversion"], message: "an inversion error \(Self.label(mean: [inversionError])) cannot be combined with exact inversion (a randomly perturbed score has no Hessian); accepted: inversion paper or ddim, or inversion-error-units eps")
        }
    }

    /// "-4", "(-4,4)": a mean with at most three decimals, trailing zeros dropped.
    public static func label(mean: [Double]) -> String {
        let parts = mean.map { v -> String in
            var s = NumberFormat.fixed(v, 3)
            while s.contains("."), s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
            return s
        }
        return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: ",") + ")"
    }
}
