import Toy

extension Verification {
    /// The reflection strengths whose small-step limit check 4 tests (gamma = 1 is the paper); quick
    /// runs test 0.5 and 1 (gamma = 2 needs T up to 1600 to show its asymptotic rate).
    var linkGammas: [Double] { quick ? [0.5, 1] : [0.5, 1, 2] }

    /// The largest step of the reflection relative to the noise level, gamma (sigma_0 - sigma_1) / sigma_0,
    /// at which check 4 starts its fit: the first-order expansion's remainder is of that relative size.
    static let smallStepBound = 0.12

    /// Check 4. W2SD with reflection strength gamma and autoguidance with w = 1 + gamma, from the same
    /// prior draws, draw together like 1/T.
    ///
    /// Why w = 1 + gamma: by Theorem 1, R(x) - x = h Delta1(x) + O(h^2) with Delta1 = s_s - s_w, so one
    /// W2SD step is
    ///
    ///     x' = x + gamma (R(x) - x) + h s_s(x + gamma (R(x) - x))
    ///        = x + gamma h (s_s - s_w) + h s_s(x) + O(h^2)
    ///        = x + h (s_w + (1 + gamma)(s_s - s_w)) + O(h^2),
    ///
    /// the Euler step of autoguidance s_w + w (s_s - s_w) with w = 1 + gamma, up to O(h^2) per step.
    /// Over T steps the local O(h^2) differences add up to a global difference O(1/T) (h ~ 1/T), so the
    /// mean distance between the two samplers' outputs should fall with fitted slope near -1 in T; the
    /// check requires at most -0.8 for every gamma.
    ///
    /// The rate is asymptotic: the remainder relative to the kept term is about gamma times the relative
    /// step (sigma_i - sigma_{i+1}) / sigma_i, which on the Karras schedule (rho = 7) is largest at i = 0
    /// and 1 - (1 - c / (T - 1))^7 with c = 1 - (sigma_min / sigma_max)^(1/7), about 5.5 / (T - 1) (0.21 at T = 25). While it is not small the two samplers' outputs are both pulled onto the
    /// modes and their distance saturates (slope well above -1). So each gamma's step counts start at the
    /// smallest T = 25 2^k with gamma (sigma_0 - sigma_1) / sigma_0 <= 0.12 (gamma = 0.5: 25, 1: 50,
    /// 2: 100) and double from there (5 counts; quick: 3).
    func smallStepLink() throws -> CheckResult {
        let models = Presets.oneDimensional()
        let counts = quick ? 3 : 5
        let particles = quick ? 200 : 10000
        var table = ResultTable(title: "Mean |x_w2sd - x_autoguidance| over \(particles) particles from the same prior draws", columns: [
            Column("gamma", format: .significant(digits: 3)), Column("w = 1 + gamma", format: .significant(digits: 3)), Column("T"),
            Column("gamma (sigma_0 - sigma_1) / sigma_0", format: .fixed(decimals: 3)),
            Column("mean |x_w2sd - x_ag|", format: .scientific(decimals: 3)),
        ])
        var series: [StepSeries] = []
        for gamma in linkGammas {
            let first = Self.firstSmallStepCount(gamma: gamma)
            let stepsList = (0..<counts).map { first << $0 }
            var distances: [Double] = []
            for steps in stepsList {
                let settings = SamplerSettings(steps: steps, gamma: gamma)
                let w = try SamplingRun(sampler: .w2sd(strong: models.strong, weak: models.weak, settings: settings),
                                        particles: particles, threads: threads).run()
                let a = try SamplingRun(sampler: .autoguidance(strong: models.strong, weak: models.weak, weight: 1 + gamma, settings: settings),
                                        particles: particles, threads: threads).run()
                let distance = Self.meanDistance(w.samples, a.samples, dimension: 1)
                distances.append(distance)
                table.append([.number(gamma), .number(1 + gamma), .integer(steps), .number(gamma * Self.largestRelativeStep(steps: steps)),
                              .number(distance)])
            }
            series.append(StepSeries(label: "gamma = \(Self.plain(gamma)) vs w = \(Self.plain(1 + gamma))", steps: stepsList, values: distances))
        }
        var fits = ResultTable(title: "Fitted slope in T (threshold <= -0.8)", columns: [
            Column("gamma", format: .significant(digits: 3)), Column("w", format: .significant(digits: 3)),
            Column("T range"), Column("slope", format: .fixed(decimals: 3)),
        ])
        var numbers: [String: Double] = [:]
        for (gamma, line) in zip(linkGammas, series) {
            fits.append([.number(gamma), .number(1 + gamma), .text("\(line.steps.first ?? 0) ... \(line.steps.last ?? 0)"), .number(line.slope)])
            numbers["slope[gamma=\(Self.plain(gamma))]"] = line.slope
        }
        // The paper's gamma = 1 keeps its old key.
        numbers["slope"] = series[linkGammas.firstIndex(of: 1) ?? 0].slope
        let passed = series.allSatisfy { $0.slope <= -0.8 }
        let slopes = CheckText.joined(series.map { "\($0.label): \($0.slope, .fixed(decimals: 3))" }, separator: ", ")
        let ends = CheckText.joined(series.map { line in
            "\(line.label): \(line.values.first ?? .nan, .scientific(decimals: 2)) at T = \(line.steps.first ?? 0) -> \(line.values.last ?? .nan, .scientific(decimals: 2)) at T = \(line.steps.last ?? 0)"
        }, separator: "; ")
        return CheckResult(
            name: "Small-step link to autoguidance",
            tests: "In the limit of small steps W2SD with reflection strength gamma equals autoguidance with w = 1 + gamma (gamma = 1, the paper, gives w = 2): for each gamma the mean distance between their samples from the same prior draws must fall with T (fitted slope <= -0.8; first order predicts -1), over step counts that start where gamma (sigma_0 - sigma_1) / sigma_0 <= 0.12, i.e. where the steps are small relative to the noise level, and double from there.",
            tables: [table, fits], passed: passed,
            verdict: "\(Self.word(passed)): slopes " + slopes + " (bound -0.8).",
            interpretation: "W2SD is a discretisation of autoguidance with weight 1 + gamma; the mean distance falls " + ends
                + ": the two differ by a discretisation error that vanishes like 1/T once the steps are small relative to the noise level.",
            numbers: numbers,
            convergence: ConvergenceStudy(title: "W2SD vs autoguidance (w = 1 + gamma)", quantity: "mean |x_w2sd - x_ag|", series: series))
    }

    /// (sigma_0 - sigma_1) / sigma_0 of the pinned schedule with `steps` steps: its largest relative step.
    static func largestRelativeStep(steps: Int) -> Double {
        let sigmas = SamplerSettings(steps: steps).sigmas
        return (sigmas[0] - sigmas[1]) / sigmas[0]
    }

    /// The smallest T = 25 2^k (k <= 10) with gamma (sigma_0 - sigma_1) / sigma_0 <= `smallStepBound`.
    static func firstSmallStepCount(gamma: Double) -> Int {
        let candidates = (0...10).map { 25 << $0 }
        return candidates.first { abs(gamma) * largestRelativeStep(steps: $0) <= smallStepBound } ?? candidates[candidates.count - 1]
    }

    /// A parameter value as written in a label ("0.5", "1", "2").
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
