import Foundation

/// Fresh noise a sampler adds around its ordinary steps: the stochastic baselines, which go back up in
/// noise with Gaussian noise instead of a weak model's inversion.
public enum NoiseInjection: Sendable, Equatable {
    /// None: the deterministic probability-flow sampler (and every reflecting method).
    case none
    /// EDM churn (Karras et al. 2022, Algorithm 2) before each step.
    case churn(Churn)
    /// Restart (Xu et al. 2023) after the step that reaches the restart interval's lower end.
    case restart(Restart)
}

/// EDM's stochastic churn (Karras et al. 2022, "Elucidating the design space", Algorithm 2). Before
/// step i, from sigma_i:
///
///     gamma_i   = min(S_churn / T, sqrt(2) - 1)   if S_tmin <= sigma_i <= S_tmax, else 0
///     sigma_hat = sigma_i + gamma_i sigma_i                          (EDM's t_hat = t_cur + gamma t_cur)
///     x_hat     = x + sqrt(sigma_hat^2 - sigma_i^2) S_noise eps,     eps ~ N(0, I) from the particle's stream
///
/// then the step goes from sigma_hat (not sigma_i) to sigma_{i+1}. A step with gamma_i = 0 draws no
/// noise and starts at sigma_i exactly, so S_churn = 0 (or an empty window) is the deterministic
/// sampler bit for bit.
public struct Churn: Sendable, Equatable {
    /// S_churn: the total churn, spread over the T steps (gamma_i = S_churn / T, at most sqrt(2) - 1).
    public var sChurn: Double
    /// [S_tmin, S_tmax]: the noise levels sigma_i that churn (both ends included).
    public var sTmin: Double
    public var sTmax: Double
    /// S_noise: the inflation of the fresh noise (1: exactly the variance the level increase needs).
    public var sNoise: Double

    /// The toy's defaults: S_churn = 10, S_tmin = 0.05, S_tmax = 50, S_noise = 1.
    ///
    /// S_churn = 10 gives gamma_i = 0.2 at the default T = 50, i.e. each churning step raises sigma by
    /// 20% (fresh noise of standard deviation 0.66 sigma_i), the same order as EDM's tuned ImageNet-64
    /// setting (S_churn = 40 over 256 steps: gamma 0.16); the cap sqrt(2) - 1 binds only for T < 25.
    /// [0.05, 50] is EDM's ImageNet window; here it spans every level of the default schedule but the
    /// first few (80 ... 50) and the last (sigma_min = 0.002), so the last step stays deterministic.
    /// S_noise = 1 because EDM's tuned inflation (1.003 - 1.007) compensates a learned denoiser's
    /// over-smoothing, which the toy's exact scores do not have.
    public static let toyDefault = Churn(sChurn: 10, sTmin: 0.05, sTmax: 50, sNoise: 1)

    public init(sChurn: Double, sTmin: Double, sTmax: Double, sNoise: Double) {
        self.sChurn = sChurn
        self.sTmin = sTmin
        self.sTmax = sTmax
        self.sNoise = sNoise
    }

    /// gamma_i of a step from `sigma` in a run of `steps` steps.
    public func gamma(sigma: Double, steps: Int) -> Double {
        guard sChurn > 0, sTmin <= sigma, sigma <= sTmax else { return 0 }
        return min(sChurn / Double(steps), 2.0.squareRoot() - 1)
    }

    /// sigma_hat = sigma + gamma sigma of a step from `sigma` (sigma itself when gamma = 0).
    public func raisedLevel(sigma: Double, steps: Int) -> Double {
        let gamma = gamma(sigma: sigma, steps: steps)
        return gamma > 0 ? sigma + gamma * sigma : sigma
    }

    /// Adds sqrt(sigma_hat^2 - sigma^2) S_noise eps to the batch `x` (each particle from its own stream)
    /// and returns sigma_hat; draws nothing and returns `sigma` when gamma = 0.
    func churn(_ x: UnsafeMutablePointer<Double>, count: Int, dimension d: Int, sigma: Double, steps: Int,
               streams: inout ParticleStreams) -> Double {
        let hat = raisedLevel(sigma: sigma, steps: steps)
        guard hat != sigma else { return sigma }
        let scale = (hat * hat - sigma * sigma).squareRoot() * sNoise
        for p in 0..<count { for j in 0..<d { x[p * d + j] += scale * streams.generators[p].nextNormal() } }
        return hat
    }

    /// Checks each value and names the one at fault.
    public func validated() throws -> Churn {
        guard sChurn.isFinite, sChurn >= 0 else { throw ToyError.invalid(input: "S_churn", accepted: "a finite number >= 0 (got \(sChurn))") }
        guard sTmin.isFinite, sTmax.isFinite, sTmin >= 0, sTmin <= sTmax else {
            throw ToyError.invalid(input: "S_tmin / S_tmax", accepted: "finite numbers with 0 <= S_tmin <= S_tmax (got \(sTmin), \(sTmax))")
        }
        guard sNoise.isFinite, sNoise >= 0 else { throw ToyError.invalid(input: "S_noise", accepted: "a finite number >= 0 (got \(sNoise))") }
        return self
    }
}

/// Restart sampling (Xu et al. 2023, "Restart sampling for improving generative processes"), one
/// restart interval [t_min, t_max]. The main pass is deterministic Heun along the run's schedule; after
/// the main step that lands on level j, K times:
///
///     x <- x + sqrt(t_max^2 - sigma_j^2) eps                        (eps ~ N(0, I), the particle's stream)
///     N Heun steps from t_max down to sigma_j on t_k = (t_max^(1/rho) + k/N (sigma_j^(1/rho) - t_max^(1/rho)))^rho
///
/// then the main schedule continues from level j.
///
/// Alignment: j is the first level in 1 ... T - 1 with sigma_j <= t_min (the first positive level at or
/// below t_min), and the interval's lower end actually used is sigma_j, not t_min: the restarts end
/// exactly on the main grid, the main pass needs no extra step, and they never begin above t_min. (The
/// authors' code takes the level nearest to t_min instead.) It needs sigma_{T-1} <= t_min, i.e.
/// t_min >= sigma-min. The sub-schedule's rho is the main Karras schedule's (7 for other schedules), its
/// ends t_max and sigma_j exactly.
///
/// Cost per particle: the main Heun pass (2 (T - 1) + 1 evaluations of the field, Euler on the last step
/// to sigma = 0) plus K N Heun steps of 2 (none of them ends at 0): 2 T - 1 + 2 K N, times the field's
/// evaluation cost. K = 0 is deterministic Heun bit for bit.
public struct Restart: Sendable, Equatable {
    /// [t_min, t_max].
    public var interval: ClosedRange<Double>
    /// K: restarts of the interval.
    public var count: Int
    /// N: Heun steps of each restart's backward pass.
    public var steps: Int

    /// The toy's defaults: [0.1, 2], K = 2, N = 10.
    ///
    /// t_max = 2 is 2.5 standard deviations of a preset mode (0.8): re-noising there reshapes each mode
    /// and lets particles settle within it, while moving mass between the modes at -4 and +4 needs
    /// sigma of about 4, so the restarts act on the sampler's discretisation error, as in the paper, not
    /// on the weights the strong model got wrong. t_min = 0.1 is an eighth of a mode's standard
    /// deviation, below which little remains to correct (the paper's intervals also sit in the low-to-
    /// middle noise range). N = 10: a restart's own backward pass must be accurate, and on a Gaussian of
    /// std 0.8 N Heun steps from 2 to 0.1 (rho = 7) scale x by 3.0% too much with N = 5, 1.1% with 8,
    /// 0.7% with 10. K = 2, N = 10 add 40 evaluations per particle to Heun's 99 at T = 50.
    public static let toyDefault = Restart(interval: 0.1...2, count: 2, steps: 10)

    public init(interval: ClosedRange<Double>, count: Int, steps: Int) {
        self.interval = interval
        self.count = count
        self.steps = steps
    }

    /// The main-schedule level j the restarts start from and end on: the first j in 1 ... T - 1 with
    /// sigma_j <= t_min (`sigmas` = sigma_0 ... sigma_{T-1}, 0), or nil when there is none.
    public func level(in sigmas: [Double]) -> Int? {
        guard sigmas.count >= 3 else { return nil }
        return (1..<(sigmas.count - 1)).first { sigmas[$0] <= interval.lowerBound }
    }

    /// The N + 1 levels of one restart's backward pass, t_max ... `lower` (both exactly), Karras-spaced
    /// with exponent `rho`.
    public func levels(down lower: Double, rho: Double) -> [Double] {
        let top = interval.upperBound
        let a = pow(top, 1 / rho), b = pow(lower, 1 / rho)
        return (0...steps).map { k in
            k == 0 ? top : k == steps ? lower : pow(a + Double(k) / Double(steps) * (b - a), rho)
        }
    }

    /// Score evaluations per particle of a run of `steps` steps (field cost 1): 2 T - 1 + 2 K N.
    public func evaluationsPerParticle(steps t: Int) -> Int { 2 * t - 1 + 2 * count * steps }

    /// Runs the K restarts on the batch `x` (at `sigmas[level]`), recording each restart's noised point
    /// and steps. Returns the evaluations spent.
    func run(_ field: any ScoreField, _ x: UnsafeMutablePointer<Double>, count n: Int, level: Int, sigmas: [Double], rho: Double,
             streams: inout ParticleStreams, recorder: inout TrajectoryRecorder) -> Int {
        let d = field.dimension, lower = sigmas[level], top = interval.upperBound
        let levels = levels(down: lower, rho: rho)
        let scale = (top * top - lower * lower).squareRoot()
        var evaluations = 0
        for _ in 0..<count {
            for p in 0..<n { for j in 0..<d { x[p * d + j] += scale * streams.generators[p].nextNormal() } }
            recorder.record(x, level: level, sigma: top, phase: .restartNoise)
            for k in 0..<steps {
                evaluations += Solver.heun.step(field.field(forStepFrom: levels[k]), x, count: n, from: levels[k], to: levels[k + 1], streams: &streams)
                recorder.record(x, level: level, sigma: levels[k + 1], phase: .restartStep)
            }
        }
        return evaluations
    }

    /// Checks each value and names the one at fault.
    public func validated() throws -> Restart {
        guard interval.lowerBound.isFinite, interval.upperBound.isFinite, interval.lowerBound > 0, interval.lowerBound < interval.upperBound else {
            throw ToyError.invalid(input: "restart interval", accepted: "t_min:t_max with 0 < t_min < t_max, finite (got \(interval))")
        }
        guard count >= 0 else { throw ToyError.invalid(input: "restarts", accepted: "an integer >= 0 (got \(count))") }
        guard steps >= 1 else { throw ToyError.invalid(input: "restart steps", accepted: "an integer >= 1 (got \(steps))") }
        return self
    }
}
