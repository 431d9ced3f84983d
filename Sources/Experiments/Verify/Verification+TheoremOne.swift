import Foundation
import Toy

extension Verification {
    /// The inversions every Theorem 1 table covers.
    static let inversions: [Inversion] = [.paper, .ddim, .exactDefault]

    /// The noise levels near which check 1 reports the reflection's error at the schedule's own steps.
    static let representativeSigmas: [Double] = [80, 10, 2, 0.5, 0.05]

    /// Check 1. Slopes of |R(x) - x - h Delta1| against small h on the presets and on random mixtures
    /// (d = 1, 2, 3), and, without a threshold, the same residual at the steps of the pinned schedule.
    func theoremOne() throws -> CheckResult {
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
        var orders = ResultTable(title: "Fitted order in h (steps sigma_i - sigma_{i+1} = 0.08 ... 0.005)", columns: [
            Column("inversion"), Column("cases"), Column("exact to rounding"),
            Column("min slope", format: .fixed(decimals: 4)), Column("max slope", format: .fixed(decimals: 4)),
        ])
        var all: [Double] = []
        var unfittable = 0
        for inversion in Self.inversions {
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
            orders.append([.text(inversion.name), .integer(cases.count), .integer(atRounding),
                           .number(slopes.min() ?? .nan), .number(slopes.max() ?? .nan)])
        }
        // NaN (a failed fit) is outside [1.8, 2.2], so it fails the check; at most a tenth may be exact to rounding.
        let passed = all.allSatisfy { (1.8...2.2).contains($0) } && unfittable * 10 <= all.count + unfittable
        let lowest = all.min() ?? .nan, highest = all.max() ?? .nan

        let schedule = try scheduleStepErrors()
        var numbers: [String: Double] = ["minSlope": lowest, "maxSlope": highest, "exactToRounding": Double(unfittable)]
        for (key, value) in schedule.numbers { numbers[key] = value }
        return CheckResult(
            name: "Theorem 1, locally",
            tests: "One reflection R = M_inv^weak(M^strong(x)) moves x by h Delta1 up to O(h^2): the log-log slope of |R(x) - x - h Delta1| against h (5 step sizes sigma_i - sigma_{i+1} from 0.08 to 0.005) must lie in [1.8, 2.2] for every inversion variant. The second table measures the same residual at the steps of the pinned schedule (Karras, T = 50), averaged under p*(x; sigma_i), where the steps are far larger (up to 8.5 in sigma); it has no threshold.",
            tables: [orders, schedule.table], passed: passed,
            verdict: "\(Self.word(passed)): fitted orders \(lowest, .fixed(decimals: 3)) ... \(highest, .fixed(decimals: 3)) over \(all.count) fitted cases (bounds [1.8, 2.2]); \(unfittable) case(s) exact to rounding (at most a tenth allowed).",
            interpretation: "For small steps the reflection is, to second order, a step of size h along the weak-to-strong difference, for all three inversions. "
                + schedule.interpretation,
            numbers: numbers)
    }

    /// The residual of the reflection at the steps i of the pinned schedule whose sigma_i is nearest (in
    /// log) to each representative level, per preset and inversion (2D: trapezoid grids of 61 and 121
    /// points per axis). `quick` measures only the 1D preset at the level nearest 2.
    func scheduleStepErrors() throws -> (table: ResultTable, interpretation: CheckText, numbers: [String: Double]) {
        let settings = SamplerSettings()
        let sigmas = settings.sigmas
        let reflecting = 0..<settings.lambda
        let targets = quick ? [2] : Self.representativeSigmas
        let steps = targets.compactMap { target in
            reflecting.min { abs(log(sigmas[$0] / target)) < abs(log(sigmas[$1] / target)) }
        }
        let presets: [(String, ModelTriple)] = quick ? [("1d", Presets.oneDimensional())]
            : [("1d", Presets.oneDimensional()), ("1d missing-left", Presets.oneDimensional(missingLeft: true)),
               ("2d", Presets.twoDimensional())]
        var columns = [Column("preset"), Column("i"), Column("sigma_i", format: .significant(digits: 3)),
                       Column("h_i", format: .significant(digits: 3)), Column("E|h Delta1|", format: .scientific(decimals: 2))]
        for inversion in Self.inversions {
            columns += [Column("\(inversion.name): E|R - x - h Delta1|", format: .scientific(decimals: 2)),
                        Column("\(inversion.name): relative", format: .significant(digits: 3))]
        }
        var table = ResultTable(title: "At the schedule's own steps (T = 50), x ~ p*(x; sigma_i); relative = E|R - x - h Delta1| / E|h Delta1|",
                                columns: columns)
        var numbers: [String: Double] = [:]
        var measured: [(preset: String, step: Int, errors: [ReflectionStepError])] = []
        for (presetName, models) in presets {
            let grid = models.dimension == 2 ? 61 : 161
            for i in steps {
                let errors = try Self.inversions.map {
                    try ReflectionStepError.compute(models, sigma: sigmas[i], next: sigmas[i + 1], inversion: $0, gridPoints: grid)
                }
                measured.append((presetName, i, errors))
                var row: [Cell] = [.text(presetName), .integer(i), .number(sigmas[i]), .number(errors[0].h),
                                   .number(errors[0].meanFirstOrderMove)]
                for (inversion, error) in zip(Self.inversions, errors) {
                    row += [.number(error.meanResidual), .number(error.relativeResidual)]
                    numbers["relativeResidual.\(presetName).\(inversion.name).i\(i)"] = error.relativeResidual
                }
                table.append(row)
            }
        }
        func relatives(_ entry: (preset: String, step: Int, errors: [ReflectionStepError])) -> CheckText {
            CheckText.joined(zip(Self.inversions, entry.errors).map { "\($0.name) \($1.relativeResidual)" }, separator: ", ")
        }
        // The 1D preset's step nearest sigma = 2, where the sampler decides between the modes.
        let nearTwo = steps.min { abs(log(sigmas[$0] / 2)) < abs(log(sigmas[$1] / 2)) }
        let local = measured.first { $0.preset == "1d" && $0.step == nearTwo }
        let worst = Self.inversions.indices.compactMap { k in
            measured.max { $0.errors[k].relativeResidual < $1.errors[k].relativeResidual }.map { entry -> CheckText in
                let e = entry.errors[k]
                return "\(Self.inversions[k].name) \(e.relativeResidual) (\(entry.preset), sigma_i = \(e.sigma), where E|h Delta1| = \(e.meanFirstOrderMove, .scientific(decimals: 1)) and E|R - x - h Delta1| = \(e.meanResidual, .scientific(decimals: 1)))"
            }
        }
        // Whether every inversion's worst relative residual comes from a step whose predicted move is tiny.
        let largestMove = measured.flatMap { $0.errors.map(\.meanFirstOrderMove) }.max() ?? 0
        let tinyMoves = Self.inversions.indices.allSatisfy { k in
            let entry = measured.max { $0.errors[k].relativeResidual < $1.errors[k].relativeResidual }
            return (entry?.errors[k].meanFirstOrderMove ?? .infinity) < 0.01 * largestMove
        }
        var interpretation: CheckText = "At the pinned schedule's own steps the residual is measured, not bounded"
        if let local, let first = local.errors.first {
            interpretation = interpretation + ": on the 1D preset at sigma_i = \(first.sigma) (step \(first.sigma - first.next), h_i = \(first.h)) it is, relative to the predicted move h Delta1, "
                + relatives(local)
        }
        interpretation = interpretation + "; the largest relative residuals over presets and representative steps are "
            + CheckText.joined(worst, separator: ", ")
            + ". " + (tinyMoves ? "Each of these sits where the predicted move is below a hundredth of the largest one in the table (for weak and strong models that differ only in weights, Delta1 lives between the modes, where p*(x; sigma_i) has little mass once sigma_i is small), so the residual there is all second-order remainder; compare the inversions' columns at those rows to see how much of it each inversion adds. " : "")
            + "No pass threshold is set: Theorem 1 speaks of h -> 0 and gives no bound at a finite step; a relative residual near or above 1 means that the first-order reading (one reflection = a move h Delta1) does not describe that step."
        return (table, interpretation, numbers)
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
}
