import Foundation
import Testing
import TestSupport
@testable import Toy
@testable import Experiments

/// `Verification` (the checks of `toy-w2sd verify`), its typed results and the statistics it reports.
@Suite struct VerificationTests {
    /// The reduced `verify` runs once and must pass every check with the stricter thresholds; its typed
    /// results must be complete: tables with rows, figure series of equal lengths, the global check's
    /// rho, n and p.
    @Test func quickVerificationPassesWithTypedResults() throws {
        let results = try Verification(quick: true, threads: 2).all()
        #expect(results.count == 5)
        for result in results {
            #expect(result.passed, "\(result.name): \(result.verdict)")
            #expect(!result.tables.isEmpty && result.tables.allSatisfy { $0.rowCount > 0 && !$0.columns.isEmpty }, "\(result.name)")
            for series in result.convergence?.series ?? [] {
                #expect(series.steps.count == series.values.count && series.steps.count >= 3, "\(result.name): \(series.label)")
                #expect(series.values.allSatisfy { $0 > 0 && $0.isFinite }, "\(result.name): \(series.label)")
            }
        }
        // Checks 2, 3 and 4 carry the series of the convergence figure; 4 has one per gamma.
        #expect(results[1].convergence?.series.count == 2)
        #expect(results[2].convergence?.series.count == 2)
        #expect(results[3].convergence?.series.count == 2)
        // The stricter identity threshold: a first-order bias, slope <= -0.8 (not merely negative).
        #expect((results[1].numbers["paperSlope"] ?? 0) <= -0.8 && (results[1].numbers["ddimSlope"] ?? 0) <= -0.8)
        for gamma in [0.5, 1] {
            #expect((results[3].numbers["slope[gamma=\(Verification.plain(gamma))]"] ?? 0) <= -0.8, "gamma \(gamma)")
        }
        // Check 1 measures the reflection at the schedule's own steps, for every inversion.
        let schedule = try #require(results[0].tables.last)
        for inversion in Verification.inversions {
            let column = try #require(schedule.column(named: "\(inversion.name): relative"))
            #expect(column.values.allSatisfy { ($0.numericValue ?? -1) >= 0 }, "\(inversion.name)")
        }
        // Check 5 reports rho, n and p for the 1D family, and says whether the prediction held.
        let global = results[4]
        let rho = try #require(global.numbers["rho[1d]"]), n = try #require(global.numbers["n[1d]"]), p = try #require(global.numbers["p[1d]"])
        #expect((-1...1).contains(rho) && n == 4 && p > 0 && p <= 1)
        let verdict = global.verdict.parts.compactMap { if case let .text(t) = $0 { t } else { nil } }.joined()
        #expect(verdict.contains("the prediction held") || verdict.contains("the prediction did not hold"))
    }

    // MARK: Typed tables and prose

    @Test func resultTableKeepsColumnsOfEqualLength() {
        var table = ResultTable(title: "t", columns: [Column("T"), Column("W1", format: .fixed(decimals: 4)), Column("note")])
        table.append([.integer(20), .number(0.5), .undefined])
        table.append([.integer(40), .number(.nan), .text("x")])
        #expect(table.rowCount == 2)
        #expect(table.columns.allSatisfy { $0.values.count == 2 })
        #expect(table.row(0) == [.integer(20), .number(0.5), .undefined])
        #expect(table.row(1)[0] == .integer(40) && table.row(1)[1].numericValue?.isNaN == true && table.row(1)[2] == .text("x"))
        #expect(table.column(named: "W1")?.format == .fixed(decimals: 4))
        #expect(table.column(named: "T")?.values.map(\.numericValue) == [20, 40])
        #expect(table.column(named: "missing") == nil)
    }

    @Test func checkTextKeepsNumbersTyped() {
        let slope = -0.93, steps = 3
        let text: CheckText = "slope \(slope, .fixed(decimals: 3)) over \(steps) counts, W1 \(0.25)"
        #expect(text.parts == [.text("slope "), .number(-0.93, .fixed(decimals: 3)), .text(" over "), .integer(3),
                               .text(" counts, W1 "), .number(0.25, .significant(digits: 3))])
        let joined = CheckText.joined(["a", "b \(1)"], separator: "; ")
        #expect(joined.parts == [.text("a"), .text("; "), .text("b "), .integer(1)])
    }

    // MARK: Rank correlation and its permutation test

    @Test func spearmanCorrelationOfRanks() {
        #expect(spearmanCorrelation([1, 2, 3, 4], [10, 20, 30, 45]) == 1)
        #expect(spearmanCorrelation([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
        #expect(abs(spearmanCorrelation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) - 0.8) < 1e-12)
        #expect(spearmanCorrelation([1, 1, 1], [1, 2, 3]).isNaN)
        #expect(spearmanCorrelation([1, 2], [1, 2, 3]).isNaN)
    }

    @Test func tiedValuesShareTheirAverageRank() {
        #expect(averageRanks([10, 20, 20, 5]) == [2, 3.5, 3.5, 1])
        #expect(averageRanks([7, 7, 7]) == [2, 2, 2])
        #expect(averageRanks([]) == [])
    }

    /// Hand-computed exact cases: a perfectly monotone n = 5 is the only one of 5! = 120 pairings with
    /// rho = 1, so p = 1/120 (two-sided: rho = -1 is as extreme, 2/120). For n = 3 the six pairings have
    /// rho = 1, 0.5, 0.5, -0.5, -0.5, -1, so observing 0.5 gives p = 3/6.
    @Test func exactPermutationPValues() {
        let monotone = SpearmanTest([1, 2, 3, 4, 5], [2, 4, 8, 16, 32])
        #expect(monotone.rho == 1 && monotone.count == 5)
        #expect(monotone.method == .exact(permutations: 120))
        #expect(abs(monotone.pValue - 1.0 / 120) < 1e-15)
        #expect(abs(SpearmanTest([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], alternative: .negative).pValue - 1.0 / 120) < 1e-15)
        #expect(abs(SpearmanTest([1, 2, 3, 4, 5], [2, 4, 8, 16, 32], alternative: .twoSided).pValue - 2.0 / 120) < 1e-15)
        #expect(SpearmanTest([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]).pValue == 1)
        let three = SpearmanTest([1, 2, 3], [1, 3, 2])
        #expect(abs(three.rho - 0.5) < 1e-15 && abs(three.pValue - 0.5) < 1e-15)
        let eight = SpearmanTest((1...8).map(Double.init), (1...8).map { Double($0 * $0) })
        #expect(eight.method == .exact(permutations: 40320) && abs(eight.pValue - 1.0 / 40320) < 1e-15)
    }

    /// Above 8 values: 10,000 seeded random permutations, p = (1 + hits) / 10,001; a perfectly monotone
    /// n = 10 (one pairing in 3.6 million reaches rho = 1) gives 1/10,001 unless a draw hits it.
    @Test func monteCarloPermutationPValue() {
        let x = (1...10).map(Double.init)
        let test = SpearmanTest(x, x.map { $0 * 3 })
        #expect(test.method == .monteCarlo(permutations: 10_000, seed: 0))
        #expect(test.pValue >= 1.0 / 10_001 && test.pValue <= 2.0 / 10_001)
        // Deterministic for a seed.
        #expect(SpearmanTest(x, x.reversed()).pValue == SpearmanTest(x, x.reversed()).pValue)
        #expect(SpearmanTest(x, [Double](repeating: 1, count: 10)).pValue.isNaN)
    }

    /// For any data, p(rho_perm >= rho) + p(rho_perm <= rho) >= 1 (the pairings with rho_perm = rho count
    /// in both), with equality when no other pairing ties the observed rho; in both the exact and the
    /// Monte Carlo branch (same seed, so the same permutations), and p is in (0, 1].
    @Test func oneSidedPValuesAreComplementary() {
        let failures = Property.check("p(>=) + p(<=) >= 1", cases: Property.caseCount(fraction: 0.1)) { rng in
            // n = 3 ... 7 (exact, at most 5040 pairings) or 9 ... 12 (Monte Carlo).
            let n = rng.next() % 2 == 0 ? 3 + Int(rng.next() % 5) : 9 + Int(rng.next() % 4)
            let a = (0..<n).map { _ in rng.nextNormal() }
            // Some ties in b.
            let b = (0..<n).map { _ in (3 * rng.nextNormal()).rounded() }
            let up = SpearmanTest(a, b, alternative: .positive, permutations: 200, seed: 7)
            let down = SpearmanTest(a, b, alternative: .negative, permutations: 200, seed: 7)
            guard up.rho.isFinite else { return up.pValue.isNaN ? nil : "finite p for undefined rho" }
            guard (0...1).contains(up.pValue), up.pValue > 0, down.pValue > 0 else { return "p outside (0, 1]: \(up.pValue), \(down.pValue)" }
            let sum = up.pValue + down.pValue
            return sum >= 1 - 1e-12 ? nil : "n = \(n): p(>=) + p(<=) = \(sum)"
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    // MARK: Fits and the schedule-step quantities

    /// Check 4's step counts start where gamma (sigma_0 - sigma_1) / sigma_0 <= 0.12 on the pinned
    /// schedule, whose largest relative step is 1 - (1 - c / (T - 1))^7 with c = 1 - (0.002 / 80)^(1/7)
    /// (sigma_i^(1/7) is linear in i), about 5.5 / (T - 1) for large T.
    @Test func smallStepLinkStartsWhereStepsAreSmall() {
        #expect(Verification.firstSmallStepCount(gamma: 0.5) == 25)
        #expect(Verification.firstSmallStepCount(gamma: 1) == 50)
        #expect(Verification.firstSmallStepCount(gamma: 2) == 100)
        for steps in [25, 50, 100, 400] {
            let relative = Verification.largestRelativeStep(steps: steps)
            let c = 1 - pow(0.002 / 80, 1.0 / 7)
            #expect(abs(relative - (1 - pow(1 - c / Double(steps - 1), 7))) < 1e-12, "T = \(steps): \(relative)")
        }
    }

    @Test func logLogSlopeRecoversAPowerLaw() {
        let x = [25.0, 50, 100, 200, 400]
        #expect(abs(logLogSlope(x: x, y: x.map { 3 * pow($0, -1.5) }) + 1.5) < 1e-12)
        // Non-positive points are skipped; fewer than two usable points give NaN.
        #expect(abs(logLogSlope(x: x + [0], y: x.map { 2 * $0 * $0 } + [5]) - 2) < 1e-12)
        #expect(logLogSlope(x: [1, 2], y: [1, 0]).isNaN)
        #expect(StepSeries(label: "", steps: [10, 20, 40], values: [1, 0.5, 0.25]).slope == -1)
    }

    /// Single Gaussians: Delta1 - Delta2 = a + b x is affine and x ~ N(0, v*) under p*(x; sigma), so each
    /// term h_i E|a + b x| is a folded-normal mean in closed form.
    @Test func scheduleWeightedMismatchMatchesTheClosedForm() throws {
        func single(_ mean: Double, _ variance: Double) throws -> GaussianMixture {
            try GaussianMixture([GaussianComponent(weight: 1, mean: [mean], covariance: [variance])])
        }
        let models = try ModelTriple(ideal: single(0, 1), strong: single(0.5, 1.44), weak: single(1, 2.25))
        let settings = SamplerSettings(schedule: .karras(sigmaMax: 3, sigmaMin: 0.05, rho: 7), steps: 5)
        let mismatch = ScheduleWeightedMismatch.compute(models, settings: settings, threads: 2)
        let sigmas = settings.sigmas
        #expect(mismatch.terms.count == settings.lambda)
        for i in 0..<settings.lambda {
            let s2 = sigmas[i] * sigmas[i]
            let (vi, vs, vw) = (1 + s2, 1.44 + s2, 2.25 + s2)
            // Delta1 - Delta2 = (s_s - s_w) - (s* - s_s) = 2 s_s - s_w - s*, with s(x) = (m - x) / v.
            let a = 2 * 0.5 / vs - 1 / vw, b = -2 / vs + 1 / vw + 1 / vi
            let sd = abs(b) * vi.squareRoot()
            let folded = sd * (2 / Double.pi).squareRoot() * exp(-a * a / (2 * sd * sd)) + a * erf(a / (sd * 2.0.squareRoot()))
            let h = sigmas[i] * (sigmas[i] - sigmas[i + 1])
            #expect(abs(mismatch.terms[i] - h * folded) <= 1e-8 * h * abs(folded), "step \(i)")
        }
        #expect(abs(mismatch.total - mismatch.terms.reduce(0, +)) == 0)
    }

    /// The averaged residual of one reflection is second order in the step (ratio ~4 when the step
    /// halves); with weak = strong it is the inversion's own bias, with no predicted move.
    @Test func reflectionStepErrorIsSecondOrder() throws {
        let models = Presets.oneDimensional()
        let coarse = try ReflectionStepError.compute(models, sigma: 1, next: 1 - 0.02, inversion: .paper)
        let fine = try ReflectionStepError.compute(models, sigma: 1, next: 1 - 0.01, inversion: .paper)
        let ratio = coarse.meanResidual / fine.meanResidual
        #expect(ratio > 3.4 && ratio < 4.6, "ratio \(ratio)")
        #expect(coarse.relativeResidual > fine.relativeResidual)
        // weak = strong: Delta1 = 0, so the paper inversion's own bias is all of the residual, infinitely
        // large relative to the (zero) predicted move.
        let same = try ModelTriple(ideal: models.ideal, strong: models.strong, weak: models.strong)
        let identity = try ReflectionStepError.compute(same, sigma: 2, next: 1.6, inversion: .paper)
        #expect(identity.meanFirstOrderMove == 0 && identity.meanResidual > 0 && identity.relativeResidual == .infinity)
    }
}
