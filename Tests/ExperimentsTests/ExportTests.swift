import Experiments
import Foundation
import Testing
import TestSupport
import Toy

/// NPY and CSV export: the NumPy format 1.0 header as the specification states it, a byte-exact round
/// trip, and the long-format tables of a real run.
@Suite struct ExportTests {
    /// numpy.lib.format 1.0: magic, version 1.0, little-endian header length, a dict ending in "\n",
    /// data aligned to 64 bytes, float64 little-endian row-major.
    @Test func headerFollowsTheSpecification() throws {
        let array = NumPyArray(rows: 2, columns: 3, values: [1, -2, 3.5, .pi, 0, -0.0])
        let bytes = array.encoded()
        #expect(Array(bytes[0..<8]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let length = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + length) % 64 == 0)
        let header = try #require(String(bytes: bytes[10..<(10 + length)], encoding: .ascii))
        #expect(header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }") && header.hasSuffix("\n"))
        #expect(bytes.count == 10 + length + 48)
        // The first value, 1.0, little-endian: 00 00 00 00 00 00 F0 3F.
        #expect(Array(bytes[(10 + length)..<(18 + length)]) == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
    }

    /// Any shape and any finite or non-finite values round-trip bit for bit.
    @Test func roundTrip() throws {
        let failures = try Property.check("npy round trip") { rng in
            let rows = Int(rng.next() % 40), columns = 1 + Int(rng.next() % 9)
            let values = (0..<(rows * columns)).map { _ in rng.nextNormal() * pow(10, Double(Int(rng.next() % 40)) - 20) }
            let array = NumPyArray(rows: rows, columns: columns, values: values)
            let back = try NumPyArray(decoding: array.encoded())
            return back.rows == rows && back.columns == columns && zip(back.values, values).allSatisfy { $0.bitPattern == $1.bitPattern }
                ? nil : "\(rows) x \(columns) differs"
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// With repeats, the exports hold every repeat: N x samples rows per method, the repeat column telling
    /// them apart, and repeat r's rows exactly the run at seed + r.
    @Test func exportsHoldEveryRepeat() throws {
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.samples = 25
        spec.steps = 5
        spec.methods = [.strong, .w2sd]
        let runner = try ExperimentRunner(spec: spec, threads: 1, trajectories: 1)
        let every = try runner.runEveryRepeat(3, modeNames: spec.modeNames)
        #expect(every.results.count == 3 && every.runs.seeds == [0, 1, 2])
        let run = ExperimentRun(spec: spec, models: runner.models, results: every.results[0], trajectories: 1,
                                laterRepeats: Array(every.results.dropFirst()))
        let samples = SampleExport.samples(run)
        #expect(samples.rows.count == 3 * 2 * 25)
        #expect(Set(samples.rows.map { $0[1] }) == [0, 1, 2])
        let third = try runner.run(.w2sd, seed: 2)
        let rowsOfThird = samples.rows.filter { $0[0] == 1 && $0[1] == 2 }.map { $0[3] }
        #expect(rowsOfThird == third.samples)
        #expect(Set(SampleExport.trajectories(run).rows.map { $0[1] }) == [0, 1, 2])
        // The first repeat's metrics are those of runRepeats.
        let (first, runs) = try runner.runRepeats(3, modeNames: spec.modeNames)
        let bits = { (r: RepeatedRuns) in r.metrics.map { $0.map { $0.values.map(\.bitPattern) } } }  // NaN-safe (undefined metrics)
        #expect(bits(runs) == bits(every.runs) && first.map(\.samples) == every.results[0].map(\.samples))
    }

    /// A run's samples: one row per method and particle, the positions exactly the run's.
    @Test func samplesAndTrajectoriesOfARun() throws {
        var spec = ExperimentSpec.preset(dimension: 2)
        spec.samples = 30
        spec.steps = 6
        spec.methods = [.strong, .w2sd]
        let runner = try ExperimentRunner(spec: spec, threads: 2, trajectories: 2)
        let results = try runner.runAll()
        let run = ExperimentRun(spec: spec, models: runner.models, results: results, trajectories: 2)
        let samples = SampleExport.samples(run)
        #expect(samples.columns == ["method", "repeat", "particle", "x1", "x2"] && samples.rows.count == 60)
        #expect(samples.rows[31] == [1, 0, 1, results[1].samples[2], results[1].samples[3]])
        let files = try SampleExport.files(samples, path: "/tmp/s.npy")
        #expect(files.map(\.0) == ["/tmp/s.npy", "/tmp/s.npy.json"])
        let decoded = try NumPyArray(decoding: files[0].1)
        #expect(decoded.rows == 60 && decoded.columns == 5 && decoded.values == samples.rows.flatMap { $0 })
        let sidecar = try #require(try JSONSerialization.jsonObject(with: Data(files[1].1)) as? [String: Any])
        #expect((sidecar["categories"] as? [String: [String]])?["method"] == ["strong", "w2sd"])

        let paths = SampleExport.trajectories(run)
        let points = results.reduce(0) { $0 + $1.trajectories.reduce(0) { $0 + $1.points.count } }
        #expect(paths.rows.count == points && paths.columns.count == 8)
        let csv = SampleExport.csv(paths).split(separator: "\n")
        #expect(csv[0] == "method,repeat,particle,level,sigma,phase,x1,x2" && csv.count == points + 1)
        #expect(csv[1].hasPrefix("strong,0,0,0,80.0,start,"))
    }
}
