import Foundation

/// One verification check: what it tests, its table, its verdict and a plain sentence of interpretation.
public struct CheckResult: Sendable {
    public var name: String
    public var tests: String
    public var headers: [String]
    public var rows: [[String]]
    public var passed: Bool
    public var verdict: String
    public var interpretation: String
    /// Named numbers for JSON.
    public var numbers: [String: Double]
}

/// The checks of `toy-w2sd verify` (notes section 5). `quick` shrinks particle counts and step lists
/// so the test suite can afford them; the verdicts use the same thresholds.
public struct Verification: Sendable {
    public var quick: Bool
    public var threads: Int

    public init(quick: Bool, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.quick = quick
        self.threads = threads
    }

    /// The five checks in report order, each as a name and the call that runs it.
    public var checks: [(name: String, run: () throws -> CheckResult)] {
        [("Theorem 1", theoremOne), ("identity", identity), ("oracle convergence", oracleConvergence),
         ("autoguidance link", smallStepLink), ("local claim", localClaim)]
    }

    public func all() throws -> [CheckResult] {
        try checks.map { try $0.run() }
    }

    static func text(_ v: Double, _ digits: Int = 4) -> String {
        guard v.isFinite else { return "\(v)" }
        let t = String(format: "%.\(digits)e", v)
        return t
    }

    // MARK: 1. Theorem 1, locally

    /// Slopes of |R(x) - x - h Delta1| against h on the presets and on random mixtures (d = 1, 2, 3).
    public func theoremOne() throws -> CheckResult {
        let deltas = [0.08, 0.04, 0.02, 0.01, 0.005]
        var cases: [(String, ModelTriple, [Double], Double)] = [
            ("1d preset", Presets.oneDimensional(), [-3], 1.0),
            ("1d missing-left", Presets.oneDimensional(missingLeft: true), [-2], 1.5),
            ("2d preset", Presets.twoDimensional(), [-3, -2.5], 1.2),
        ]
        // Random triples sharing means and spreads, with independent weights; x near a mean. Points where
        // |Delta1| < 1e-3 (one component dominating both models) are redrawn: there R(x) - x - h Delta1 can
        // sit at rounding level, where no order can be fitted.
        var rng = Xoshiro256StarStar(seed: 20250201)
        while cases.count < 3 + (quick ? 6 : 20) {
            let d = 1 + cases.count % 3
            let triple = try randomTriple(dimension: d, &rng)
            let k = Int(rng.next() % UInt64(triple.ideal.activeCount))
            let x = (0..<d).map { triple.ideal.flatMeans[k * d + $0] + 1.5 * rng.nextNormal() }
            let sigma = 0.5 + 2 * rng.nextOpenUnit()
            guard DeltaAlignment.norm(DeltaAlignment.deltas(triple, at: x, sigma: sigma).0) > 1e-3 else { continue }
            cases.append(("random d=\(d)", triple, x, sigma))
        }
        var rows: [[String]] = []
        var all: [Double] = []
        var unfittable = 0
        for inversion in [Inversion.paper, .ddim, .exactDefault] {
            var slopes: [Double] = []
            var atRounding = 0
            for (_, models, x, sigma) in cases {
                let r = try TheoremOne.residuals(at: x, strong: models.strong, weak: models.weak, sigma: sigma,
                                                 deltas: deltas, inversion: inversion)
                // A residual at rounding level (below 1e-13 |x|-relative at every h) has no order to fit:
                // the reflection is exact to rounding there. It is counted, not fitted.
                let scale = max(1, x.map(abs).max() ?? 0)
                if r.residual.allSatisfy({ $0 <= 1e-13 * scale }) { atRounding += 1; continue }
                slopes.append(logLogSlope(x: r.h, y: r.residual))
            }
            all += slopes
            unfittable += atRounding
            rows.append([inversion.name, "\(cases.count)", "\(atRounding)", String(format: "%.4f", slopes.min() ?? .nan),
                         String(format: "%.4f", slopes.max() ?? .nan)])
        }
        // NaN (a failed fit) is outside [1.8, 2.2], so it fails the check; at most a tenth may be exact to rounding.
        let passed = all.allSatisfy { (1.8...2.2).contains($0) } && unfittable * 10 <= all.count + unfittable
        return CheckResult(
            name: "Theorem 1, locally",
            tests: "One reflection R = M_inv^weak(M^strong(x)) moves x by h Delta1 up to O(h^2): the log-log slope of |R(x) - x - h Delta1| against h (5 step sizes) must lie in [1.8, 2.2] for every inversion variant.",
            headers: ["inversion", "cases", "exact to rounding", "min slope", "max slope"], rows: rows, passed: passed,
            verdict: passed ? "PASS" : "FAIL",
            interpretation: "The reflection is, to second order, a step of size h along the weak-to-strong difference, for all three inversions.",
            numbers: ["minSlope": all.min() ?? .nan, "maxSlope": all.max() ?? .nan, "exactToRounding": Double(unfittable)])
    }

    func randomTriple(dimension d: Int, _ rng: inout Xoshiro256StarStar) throws -> ModelTriple {
        let k = 2 + Int(rng.next() % 2)
        let means = (0..<k).map { _ in (0..<d).map { _ in 4 * rng.nextNormal() } }
        let stds = (0..<k).map { _ in 0.5 + rng.nextOpenUnit() }
        func mixture(_ rng: inout Xoshiro256StarStar) throws -> GaussianMixture {
            try GaussianMixture((0..<k).map { GaussianComponent(weight: 0.1 + rng.nextOpenUnit(), mean: means[$0], std: stds[$0]) })
        }
        return try ModelTriple(ideal: mixture(&rng), strong: mixture(&rng), weak: mixture(&rng))
    }

    // MARK: 2. Identity

    /// weak = strong: exact inversion reproduces standard sampling; paper / ddim leave a bias that shrinks with T.
    public func identity() throws -> CheckResult {
        let models = Presets.oneDimensional()
        let particles = quick ? 64 : 2000
        func pair(_ steps: Int, _ inversion: Inversion, _ n: Int) throws -> (SamplingResult, SamplingResult) {
            let settings = SamplerSettings(steps: steps, inversion: inversion)
            let w2sd = try SamplingRun(sampler: .w2sd(strong: models.strong, weak: models.strong, settings: settings),
                                       particles: n, threads: threads, ideal: models.ideal).run()
            let standard = try SamplingRun(sampler: .standard(models.strong, settings: settings),
                                           particles: n, threads: threads, ideal: models.ideal).run()
            return (w2sd, standard)
        }
        let (exactW2sd, exactStandard) = try pair(quick ? 10 : 50, .exactDefault, quick ? 16 : 200)
        let exactGap = zip(exactW2sd.samples, exactStandard.samples).map { abs($0 - $1) }.max() ?? .infinity
        var rows: [[String]] = [["exact", quick ? "10" : "50", Self.text(exactGap), "-"]]
        var numbers: [String: Double] = ["exactMaxDifference": exactGap]
        var passed = exactGap <= 1e-9
        let stepsList = quick ? [25, 50, 100] : [25, 50, 100, 200, 400]
        for inversion in [Inversion.paper, .ddim] {
            var distances: [Double] = []
            for steps in stepsList {
                let (w, s) = try pair(steps, inversion, particles)
                let distance = zip(w.samples, s.samples).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(particles)
                let massBias = (w.statistics?.modes[0].mass ?? .nan) - (s.statistics?.modes[0].mass ?? .nan)
                distances.append(distance)
                rows.append([inversion.name, "\(steps)", Self.text(distance), String(format: "%+.4f", massBias)])
            }
            let slope = logLogSlope(x: stepsList.map(Double.init), y: distances)
            rows.append([inversion.name, "slope", String(format: "%.3f", slope), ""])
            numbers["\(inversion.name)Slope"] = slope
            passed = passed && slope < 0
        }
        return CheckResult(
            name: "Identity (weak = strong)",
            tests: "With weak = strong the reflection should do nothing: exact inversion must reproduce standard sampling to 1e-9; paper and ddim inversion leave a bias (mean particle distance, left-mode mass difference) that must shrink as T grows.",
            headers: ["inversion", "T", "mean |x_w2sd - x_standard| (exact: max)", "left-mass bias"], rows: rows,
            passed: passed, verdict: passed ? "PASS" : "FAIL",
            interpretation: "Exact inversion makes W2SD with identical models exactly the standard sampler; the paper's cheap inversion leaves a discretisation bias of order 1/T.",
            numbers: numbers)
    }

    // MARK: 3. Oracle convergence

    /// With the oracle weak field 2 s_s - s*, Delta1 = Delta2 exactly; W2SD's W1 to the ideal must fall with T.
    public func oracleConvergence() throws -> CheckResult {
        let models = Presets.oneDimensional()
        let oracle = try LinearScoreCombination.oracleWeak(strong: models.strong, ideal: models.ideal)
        let stepsList = quick ? [20, 40, 80] : [20, 40, 80, 160, 320]
        let particles = quick ? 4000 : 200_000
        var rows: [[String]] = []
        var oracleW1: [Double] = [], strongW1: [Double] = []
        for steps in stepsList {
            let settings = SamplerSettings(steps: steps)
            let w2sd = try SamplingRun(sampler: .w2sd(strong: models.strong, weak: oracle, settings: settings),
                                       prior: .exact(models.ideal), particles: particles, threads: threads,
                                       keepSamples: !quick, ideal: models.ideal).run()
            let strong = try SamplingRun(sampler: .standard(models.strong, settings: settings), prior: .exact(models.ideal),
                                         particles: particles, threads: threads, keepSamples: !quick, ideal: models.ideal).run()
            let a = w2sd.statistics?.wasserstein ?? .nan, b = strong.statistics?.wasserstein ?? .nan
            oracleW1.append(a); strongW1.append(b)
            rows.append(["\(steps)", String(format: "%.4f", a), String(format: "%.4f", w2sd.statistics?.modes[0].mass ?? .nan),
                         String(format: "%.4f", b), String(format: "%.4f", strong.statistics?.modes[0].mass ?? .nan)])
        }
        let slope = logLogSlope(x: stepsList.map(Double.init), y: oracleW1)
        rows.append(["slope", String(format: "%.3f", slope), "", String(format: "%.3f", logLogSlope(x: stepsList.map(Double.init), y: strongW1)), ""])
        let final = oracleW1.last ?? .nan
        // The quick version has too few particles for the 0.1 floor to be meaningful at 3 step counts:
        // it checks the trend (W1 falls and ends below strong-only).
        let passed = quick ? (final < oracleW1[0] && final < (strongW1.last ?? 0))
            : (slope <= -0.8 && final < 0.1 && (strongW1.last ?? 0) > 0.5)
        let twoD = try oracleTwoD()
        rows += twoD.rows
        return CheckResult(
            name: "Oracle convergence",
            tests: "With the oracle weak field 2 s_s - s* (so Delta1 = Delta2 everywhere) and the exact ideal prior, W2SD's W1 to the ideal distribution must fall with fitted slope <= -0.8 over T and end below 0.1 in 1D, while strong-only sampling stays at its own gap. In 2D the missing-mode mass and centre must approach the ideal ones.",
            headers: ["T", "W2SD(oracle) W1", "W2SD left mass", "strong W1", "strong left mass"], rows: rows,
            passed: passed, verdict: passed ? "PASS" : "FAIL",
            interpretation: "When the weak-to-strong difference equals the strong-to-ideal difference, the reflection turns the strong sampler into the ideal one, up to the discretisation error that vanishes like 1/T.",
            numbers: ["oracleSlope": slope, "oracleFinalW1": final, "strongFinalW1": strongW1.last ?? .nan])
    }

    func oracleTwoD() throws -> (rows: [[String]], mass: Double) {
        let models = Presets.twoDimensional()
        let oracle = try LinearScoreCombination.oracleWeak(strong: models.strong, ideal: models.ideal)
        var rows: [[String]] = [["2d T", "W2SD(oracle) bottom-left mass", "centre", "strong mass", "centre"]]
        var mass = 0.0
        for steps in quick ? [20, 40] : [20, 80, 320] {
            let settings = SamplerSettings(steps: steps)
            let n = quick ? 1000 : 50_000
            let w = try SamplingRun(sampler: .w2sd(strong: models.strong, weak: oracle, settings: settings), prior: .exact(models.ideal),
                                    particles: n, threads: threads, keepSamples: false, ideal: models.ideal).run().statistics
            let s = try SamplingRun(sampler: .standard(models.strong, settings: settings), prior: .exact(models.ideal),
                                    particles: n, threads: threads, keepSamples: false, ideal: models.ideal).run().statistics
            func centre(_ m: ModeSummary?) -> String { (m?.mean ?? []).map { String(format: "%.3f", $0) }.joined(separator: ",") }
            mass = w?.modes[2].mass ?? .nan
            rows.append(["2d, T = \(steps)", String(format: "%.4f (ideal 0.25)", mass), centre(w?.modes[2]),
                         String(format: "%.4f", s?.modes[2].mass ?? .nan), centre(s?.modes[2])])
        }
        return (rows, mass)
    }

    // MARK: 4. Small-step link to autoguidance

    /// W2SD (gamma = 1) and autoguidance with w = 2 from the same initial noise draw closer as T grows.
    public func smallStepLink() throws -> CheckResult {
        let models = Presets.oneDimensional()
        let stepsList = quick ? [25, 50, 100] : [25, 50, 100, 200, 400]
        let particles = quick ? 200 : 20000
        var rows: [[String]] = []
        var distances: [Double] = []
        for steps in stepsList {
            let settings = SamplerSettings(steps: steps)
            let w = try SamplingRun(sampler: .w2sd(strong: models.strong, weak: models.weak, settings: settings),
                                    particles: particles, threads: threads).run()
            let a = try SamplingRun(sampler: .autoguidance(strong: models.strong, weak: models.weak, weight: 2, settings: settings),
                                    particles: particles, threads: threads).run()
            let distance = zip(w.samples, a.samples).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(particles)
            distances.append(distance)
            rows.append(["\(steps)", String(format: "%.5f", distance)])
        }
        let slope = logLogSlope(x: stepsList.map(Double.init), y: distances)
        rows.append(["slope", String(format: "%.3f", slope)])
        let passed = slope <= -0.8
        return CheckResult(
            name: "Small-step link to autoguidance",
            tests: "In the limit of small steps W2SD with gamma = 1 equals autoguidance with w = 2: the mean distance between their samples from the same initial noise must fall with T (fitted slope <= -0.8).",
            headers: ["T", "mean |x_w2sd - x_autoguidance|"], rows: rows, passed: passed,
            verdict: passed ? "PASS" : "FAIL",
            interpretation: "W2SD is a discretisation of autoguidance with weight 2; the two differ by the discretisation error, which vanishes like 1/T.",
            numbers: ["slope": slope])
    }

    // MARK: 5. The local claim of Figure 3

    /// |R(x) - (x + h Delta2)| / (h |Delta1 - Delta2|) -> 1 as h -> 0 at random points and noise levels.
    public func localClaim() throws -> CheckResult {
        var rng = Xoshiro256StarStar(seed: 31)
        let deltas = [0.1, 0.01, 0.001, 0.0001]
        var rows: [[String]] = []
        var worst = 0.0
        var used = 0
        while used < (quick ? 6 : 20) {
            let models = rng.next() % 2 == 0 ? Presets.oneDimensional() : Presets.twoDimensional()
            let d = models.dimension
            let x = (0..<d).map { _ in 5 * rng.nextNormal() }
            let sigma = 0.5 + 3 * rng.nextOpenUnit()
            let (d1, d2) = DeltaAlignment.deltas(models, at: x, sigma: sigma)
            let gap = DeltaAlignment.norm(zip(d1, d2).map { $0 - $1 })
            guard gap > 0.25 else { continue }
            used += 1
            var ratios: [Double] = []
            for delta in deltas {
                let h = sigma * delta
                let r = try TheoremOne.reflection(of: x, strong: models.strong, weak: models.weak, sigma: sigma,
                                                  next: sigma - delta, inversion: .paper)
                let miss = DeltaAlignment.norm((0..<d).map { r[$0] - x[$0] - h * d2[$0] })
                ratios.append(miss / (h * gap))
            }
            worst = max(worst, abs((ratios.last ?? .nan) - 1))
            rows.append([x.map { String(format: "%.2f", $0) }.joined(separator: ","), String(format: "%.2f", sigma),
                         String(format: "%.3f", gap)] + ratios.map { String(format: "%.5f", $0) })
        }
        let passed = worst < 0.01
        return CheckResult(
            name: "Local claim of Figure 3",
            tests: "Where |Delta1 - Delta2| is not negligible (> 0.25), the reflected point misses the ideal step x + h Delta2 by h |Delta1 - Delta2| to first order: the ratio must tend to 1 (within 0.01 at the smallest step).",
            headers: ["x", "sigma", "|Delta1 - Delta2|"] + deltas.map { "ratio, sigma_i - sigma_{i+1} = \($0)" }, rows: rows,
            passed: passed, verdict: passed ? "PASS" : "FAIL",
            interpretation: "The reflection lands exactly as far from the ideal model's step as Delta1 is from Delta2: W2SD is only as good as the proxy Delta1 ~ Delta2.",
            numbers: ["worstDeviation": worst])
    }
}
