import Experiments
import Foundation
import Plot
import Testing
import Toy

/// Sharded runs (N = 3) merged equal the unsharded run byte for byte (JSON and CSV) and draw the same
/// figure; merge refuses shards that do not belong together.
@Suite struct ShardMergeTests {
    static let base: ExperimentSpec = {
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.samples = 200
        spec.steps = 6
        spec.repeats = 2
        spec.methods = [.strong, .w2sd]
        return spec
    }()

    /// Writes documents into a fresh folder; returns their paths.
    static func write(_ documents: [Data], named: String) throws -> (URL, [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("toy-w2sd-merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let paths = try documents.enumerated().map { k, data -> String in
            let path = folder.appendingPathComponent("\(named)-\(k + 1).json").path
            try data.write(to: URL(fileURLWithPath: path))
            return path
        }
        return (folder, paths)
    }

    static func assertMergeEqualsWhole(_ whole: StudyOutputs.Document, parts: [Data]) throws {
        let (folder, paths) = try write(parts, named: "part")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Any order of the files merges to the same document.
        let merged = try StudyMerge.merge(paths: paths.reversed())
        #expect(try merged.json() == (try whole.json()))
        #expect(merged.csv() == whole.csv())
        #expect(try merged.figure().svg() == (try whole.figure().svg()))
        #expect(merged.text() == whole.text())
    }

    @Test func shardedSweepMergesToTheUnshardedBytes() throws {
        let sweep = try Sweep(base: Self.base, axes: [try SweepAxis.parse("gamma=0,1", base: Self.base),
                                                       try SweepAxis.parse("reflect-sigma-hi=1,5,80", base: Self.base)])
        let executor = StudyExecutor(threads: 2, keepSamples: true)
        let whole = try sweep.run(command: "sweep 1d", metrics: ["W1", "on-mode:left"], executor: executor)
        let parts = try (1...3).map { k in
            try sweep.run(command: "sweep 1d", metrics: ["W1", "on-mode:left"], shard: StudyShard(index: k, count: 3), executor: executor)
        }
        #expect(parts.map { $0.cells.map(\.index) } == [[0, 3], [1, 4], [2, 5]])
        #expect(parts.allSatisfy { $0.shard?.count == 3 } && whole.shard == nil)
        try Self.assertMergeEqualsWhole(.sweep(whole), parts: try parts.map { try $0.encoded() })
    }

    @Test func shardedFrontierMergesToTheUnshardedBytes() throws {
        var base = Self.base
        base.lambda = nil
        let frontier = try Frontier(base: base, budgets: [3, 12], variants: FrontierVariant.defaults)
        let executor = StudyExecutor(threads: 2, keepSamples: true)
        let whole = try frontier.run(command: "frontier 1d", metrics: ["W1"], executor: executor)
        let parts = try (1...3).map { try frontier.run(command: "frontier 1d", metrics: ["W1"], shard: StudyShard(index: $0, count: 3), executor: executor) }
        try Self.assertMergeEqualsWhole(.frontier(whole), parts: try parts.map { try $0.encoded() })
    }

    @Test func mergeRefusesShardsThatDoNotBelongTogether() throws {
        let axis = try SweepAxis.parse("gamma=0,1,2", base: Self.base)
        let sweep = try Sweep(base: Self.base, axes: [axis])
        let executor = StudyExecutor(threads: 2, keepSamples: true)
        func part(_ k: Int, of n: Int, sweep other: Sweep? = nil) throws -> Data {
            try (other ?? sweep).run(command: "sweep 1d", metrics: ["W1"], shard: StudyShard(index: k, count: n), executor: executor).encoded()
        }
        var other = Self.base
        other.seed = 7
        let otherSweep = try Sweep(base: other, axes: [axis])
        let whole = try sweep.run(command: "sweep 1d", metrics: ["W1"], executor: executor).encoded()
        var tampered = try JSONSerialization.jsonObject(with: try part(2, of: 2)) as? [String: Any] ?? [:]
        tampered["cells"] = []
        let cases: [(String, [Data], String)] = [
            ("a missing shard", [try part(1, of: 3), try part(3, of: 3)], "2/3 missing"),
            ("a shard twice", [try part(1, of: 2), try part(1, of: 2), try part(2, of: 2)], "given twice"),
            ("different splits", [try part(1, of: 2), try part(2, of: 3)], "of one split"),
            ("another study", [try part(1, of: 2), try part(2, of: 2, sweep: otherSweep)], "differ in experiment"),
            ("a whole study among shards", [whole, try part(2, of: 2)], "not a shard"),
            ("a tampered shard", [try part(1, of: 2), try JSONSerialization.data(withJSONObject: tampered)], "exactly the cells"),
            ("not a document", [Data("{}".utf8)], "no schema"),
        ]
        // A whole study alone passes through.
        let (folder, paths) = try Self.write([whole], named: "whole")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try StudyMerge.merge(paths: paths).json() == whole)
        for (name, documents, fragment) in cases {
            let (folder, paths) = try Self.write(documents, named: "part")
            defer { try? FileManager.default.removeItem(at: folder) }
            do {
                _ = try StudyMerge.merge(paths: paths)
                Issue.record("\(name): merged")
            } catch let error as UsageError {
                #expect(error.message.contains(fragment), "\(name): \(error.message)")
            }
        }
    }

    /// Non-finite per-seed values (e.g. the std ratio of a mode no sample reached) survive the JSON
    /// round trip of a merge.
    @Test func nonFiniteValuesRoundTrip() throws {
        let summary = MethodMetrics(method: "weak", metrics: ["std-ratio:left": MetricSummary(values: [.nan, 1, .infinity])])
        let data = try ReportEncoding.encode(summary)
        let again = try JSONDocument.decode(MethodMetrics.self, data)
        #expect(try ReportEncoding.encode(again) == data)
        #expect(again.metrics["std-ratio:left"]?.mean == nil && again.metrics["std-ratio:left"]?.values[1] == 1)
    }

    /// A sweep document is an experiment file too: --config of it reruns the base experiment.
    @Test func sweepDocumentCarriesTheBaseExperiment() throws {
        let sweep = try Sweep(base: Self.base, axes: [try SweepAxis.parse("gamma=0,1", base: Self.base)])
        let document = try sweep.run(command: "sweep 1d", metrics: ["W1"], executor: StudyExecutor(threads: 1, keepSamples: true))
        let data = try document.encoded()
        let again = try ExperimentSpec.decode(data)
        #expect(try ReportEncoding.encode(again) == (try ReportEncoding.encode(Self.base)))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"schema\" : \"toy-w2sd.sweep/1\"") && !text.contains("\"shard\""))
        // The CSV: a header and one row per cell, method and metric.
        let lines = document.csv().split(separator: "\n")
        #expect(lines.first == "gamma,method,metric,n,mean,sd,lower,upper")
        #expect(lines.count == 1 + 2 * 2 * RunMetrics.names(modeNames: Self.base.modeNames).count)
    }
}
