import Foundation
import Toy

/// Speed and memory of the sampling engine (meaningful on a release build only; never asserted by a
/// timed test).
///
/// Cases: (1) a statistics-only 1D W2SD run of `memorySamples` particles, reporting peak resident memory
/// (it runs first, so the peak is its own); (2) 1D preset, W2SD, T = 50, lambda = 49; (3) the same on
/// the 2D preset. Targets: (2) >= 3e8 and (3) >= 1e8 score evaluations per second; (1) under 200 MB.
public struct Benchmark: Sendable {
    public var samples: Int
    public var memorySamples: Int
    public var threads: Int

    public init(samples: Int = 1_000_000, memorySamples: Int = 10_000_000, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.samples = samples
        self.memorySamples = memorySamples
        self.threads = threads
    }

    public struct Case: Codable, Sendable {
        public var name: String
        public var particles: Int
        public var steps: Int
        public var seconds: Double
        public var particleStepsPerSecond: Double
        public var scoreEvaluationsPerSecond: Double
        public var peakResidentMegabytes: Double?
        public var target: String
        public var met: Bool
    }

    /// The `--json` document.
    public struct Report: Codable, Sendable {
        public var schema = "toy-w2sd.bench/2"
        public var version = ToolVersion.current
        public var command = "bench"
        public var threads: Int
        public var cases: [Case]
    }

    public func run() throws -> Report {
        let settings = SamplerSettings()
        let oneD = Presets.oneDimensional(), twoD = Presets.twoDimensional()
        func measure(_ name: String, _ models: ModelTriple, _ n: Int, streaming: Bool, target: String,
                     met: (Double, Double?) -> Bool) throws -> Case {
            let sampler = try Sampler.w2sd(strong: models.strong, weak: models.weak, settings: settings)
            let run = SamplingRun(sampler: sampler, particles: n, threads: threads, keepSamples: !streaming,
                                  ideal: streaming ? models.ideal : nil)
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try run.run()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let rate = Double(result.evaluations) / seconds
            let peak = streaming ? Self.peakResidentMegabytes() : nil
            return Case(name: name, particles: n, steps: settings.steps, seconds: seconds,
                        particleStepsPerSecond: Double(n * settings.steps) / seconds,
                        scoreEvaluationsPerSecond: rate, peakResidentMegabytes: peak, target: target, met: met(rate, peak))
        }
        return Report(threads: threads, cases: [
            try measure("1d w2sd, statistics only", oneD, memorySamples, streaming: true,
                        target: "peak resident memory < 200 MB", met: { _, peak in (peak ?? .infinity) < 200 }),
            try measure("1d w2sd", oneD, samples, streaming: false,
                        target: ">= 3e8 score evaluations/s", met: { rate, _ in rate >= 3e8 }),
            try measure("2d w2sd", twoD, samples, streaming: false,
                        target: ">= 1e8 score evaluations/s", met: { rate, _ in rate >= 1e8 }),
        ])
    }

    /// The human-readable form of a report.
    public static func text(_ report: Report) -> String {
        (["threads: \(report.threads)"] + report.cases.map { c in
            """
            \(c.name): \(c.particles) particles x \(c.steps) steps in \(NumberFormat.fixed(c.seconds, 3)) s
              particle-steps/s: \(NumberFormat.scientific(c.particleStepsPerSecond, 3))  \
            score evaluations/s: \(NumberFormat.scientific(c.scoreEvaluationsPerSecond, 3))\
            \(c.peakResidentMegabytes.map { "  peak resident: \(NumberFormat.fixed($0, 1)) MB" } ?? "")
              target: \(c.target): \(c.met ? "met" : "NOT met")
            """
        }).joined(separator: "\n")
    }

    /// Peak resident set size of this process (VmHWM from /proc/self/status), in megabytes.
    public static func peakResidentMegabytes() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first
            return kilobytes.map { $0 / 1024 }
        }
        return nil
    }
}
