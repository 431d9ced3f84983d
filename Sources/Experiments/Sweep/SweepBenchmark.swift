import Foundation

/// The sweep benchmark (`toy-w2sd sweep --benchmark`; meaningful on a release build, never a timed
/// test): a 10 x 10 grid of gamma (0 ... 2) x reflect-sigma-hi (0.5 ... 80) with 3 repeats of 20,000
/// particles on the 1D preset, W2SD alone, T = 50: 300 runs. Target: under 30 s on two cores.
public enum SweepBenchmark {
    public static let particles = 20_000

    /// The benchmark's sweep.
    public static func sweep() throws -> Sweep {
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.methods = [.w2sd]
        spec.steps = 50
        spec.samples = particles
        spec.repeats = 3
        return try Sweep(base: spec, axes: [try SweepAxis.parse("gamma=0:2:10", base: spec),
                                            try SweepAxis.parse("reflect-sigma-hi=0.5:80:10", base: spec)])
    }

    /// Wall-clock seconds of the whole sweep (cells, repeats and statistics) and its document.
    public static func run(threads: Int, parallelism: StudyExecutor.Parallelism) throws -> (seconds: Double, document: SweepDocument) {
        let sweep = try sweep()
        let specs = try (0..<sweep.cellCount).map { try sweep.spec(ofCell: $0) }
        let executor = try StudyExecutor(threads: threads, parallelism: parallelism, cells: specs)
        let start = DispatchTime.now().uptimeNanoseconds
        let document = try sweep.run(command: "sweep --benchmark", metrics: ["W1"], executor: executor)
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, document)
    }

    /// Seconds of the benchmark with the parallelism a sweep of it would choose (`StudyExecutor.preferred`).
    public static func seconds(threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Double {
        let sweep = try sweep()
        let specs = try (0..<sweep.cellCount).map { try sweep.spec(ofCell: $0) }
        return try run(threads: threads, parallelism: StudyExecutor.preferred(for: specs, threads: threads)).seconds
    }
}
