import Experiments
import Foundation
import Testing
import Toy

/// The summary table with many modes: the `modeLimit` heaviest per method and one summary row with the
/// rest's total mass; few modes are all listed.
@Suite struct SummaryTableTests {
    /// A 1D mixture of `k` unit-sd components 10 apart, weights 1 ... k, with 3000 exact samples.
    static func result(components k: Int) throws -> MethodResult {
        let ideal = try GaussianMixture((0..<k).map { GaussianComponent(weight: Double($0 + 1), mean: [10 * Double($0)], std: 1) })
        let statistics = SampleStatistics(samples: ideal.samples(count: 3000, seed: 5), ideal: ideal)
        return MethodResult(method: .w2sd, statistics: statistics, evaluations: 0, seconds: 0, samples: [], trajectories: [])
    }

    /// 20 modes: 12 rows with the 12 largest nearest-mode masses (in mode order), then "8 other modes"
    /// whose mass is the sum of the remaining eight (to the 4 printed decimals); the statistics keep all 20.
    @Test func manyModesShowTheHeaviestAndOneSummaryRow() throws {
        let result = try Self.result(components: 20)
        let modes = result.statistics.modes
        #expect(modes.count == 20)
        let names = (0..<20).map { "m\($0)" }
        let table = SummaryTable.table([result], modeNames: names)
        #expect(table.rows.count == SummaryTable.modeLimit + 1)
        let byMass = modes.indices.sorted { modes[$0].mass > modes[$1].mass || (modes[$0].mass == modes[$1].mass && $0 < $1) }
        let expected = byMass.prefix(12).sorted()
        #expect(table.rows.prefix(12).map { $0[1] } == expected.map { names[$0] })
        let summary = try #require(table.rows.last)
        #expect(summary[1] == "8 other modes")
        let rest = byMass.dropFirst(12).reduce(0) { $0 + modes[$1].mass }
        #expect(summary[2] == NumberFormat.fixed(rest, 4))
        #expect(rest > 0 && rest < byMass.prefix(12).reduce(0) { $0 + modes[$1].mass })
        // The method-level columns sit on the method's first row only.
        #expect(table.rows[0][0] == "w2sd" && !table.rows[0][7].isEmpty && summary[7].isEmpty)
    }

    /// Up to `modeLimit` modes: one row each, no summary row.
    @Test func fewModesAreAllListed() throws {
        let table = SummaryTable.table([try Self.result(components: 5)], modeNames: (0..<5).map { "m\($0)" })
        #expect(table.rows.map { $0[1] } == ["m0", "m1", "m2", "m3", "m4"])
    }
}

/// A mode without samples has no mean, std or std ratio: null in the JSON (the whole field) and "-" in
/// the table, never 0; a mode with one sample has a mean and no std (the sample std needs n >= 2).
@Suite struct EmptyModeTests {
    @Test func emptyModesHaveNoValues() throws {
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.samples = 400
        spec.methods = [.exactWeak]
        spec.weak.setWeight(0, ofComponent: 0)
        let runner = try ExperimentRunner(spec: spec, threads: 1)
        let (results, repeated) = try runner.runRepeats(2, modeNames: spec.modeNames)
        #expect(results[0].statistics.modes[0].count == 0)
        let report = ExperimentReport(command: "1d", spec: spec, threads: 1, trajectories: 0, results: results, repeated: repeated,
                                      samplesKept: true, timings: false)
        let json = try #require(try JSONSerialization.jsonObject(with: report.encoded()) as? [String: Any])
        let method = try #require((json["methods"] as? [[String: Any]])?.first)
        let left = try #require((method["modes"] as? [[String: Any]])?.first)
        #expect(left["mean"] is NSNull && left["std"] is NSNull)
        let onLeft = try #require((method["onMode"] as? [[String: Any]])?.first)
        #expect(onLeft["mean"] is NSNull && onLeft["std"] is NSNull && onLeft["stdRatio"] is NSNull)
        let right = try #require((method["modes"] as? [[String: Any]])?.last)
        #expect((right["mean"] as? [Double])?.count == 1 && (right["std"] as? [Double])?.count == 1)
        // The std ratio of the empty mode is undefined over the repeats, not 0.
        #expect(repeated.summary(.exactWeak, "std-ratio:left") == nil && repeated.summary(.exactWeak, "std-ratio:right") != nil)
        let row = SummaryTable.table(results, modeNames: spec.modeNames).rows[0]
        #expect(row[4] == "-" && row[5] == "-" && row[6] == "-")
    }
}
