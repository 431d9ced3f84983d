import Foundation
import Testing
import Toy
@testable import Experiments

/// `Verification` (the checks of `toy-w2sd verify`) and its typed results; the estimators it calls are
/// tested in ToyTests (`VerificationEstimatorTests`).
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

    // MARK: The checks' own parameters

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

    /// A step series' slope is the log-log fit of its values against T.
    @Test func stepSeriesSlopeIsTheLogLogFit() {
        #expect(StepSeries(label: "", steps: [10, 20, 40], values: [1, 0.5, 0.25]).slope == -1)
    }
}
