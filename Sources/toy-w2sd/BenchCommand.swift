import Foundation
import Toy

/// `toy-w2sd bench`: speed and memory of the sampling engine (meaningful on a release build).
///
/// Cases: (1) statistics-only 1D W2SD run of 10^7 particles, reporting peak resident memory (it runs
/// first, so the peak is its own); (2) 1D preset, W2SD, T = 50, lambda = 49; (3) the same on the 2D
/// preset. Targets from the foundation issue: (2) >= 3e8 and (3) >= 1e8 score evaluations per second;
/// (1) under 200 MB peak.
struct BenchCommand {
    let arguments: [String]

    struct Case: Codable {
        var name: String
        var particles: Int
        var steps: Int
        var seconds: Double
        var particleStepsPerSecond: Double
        var scoreEvaluationsPerSecond: Double
        var peakResidentMegabytes: Double?
        var target: String
        var met: Bool
    }

    /// The `--json` document: one object holding the thread count and every case.
    struct Report: Codable {
        var threads: Int
        var cases: [Case]
    }

    func run() throws {
        let args = try ParsedArguments(arguments, options: [
            .init(name: "particles", takesValue: true), .init(name: "memory-particles", takesValue: true),
            .init(name: "threads", takesValue: true), .init(name: "json", takesValue: false),
            .init(name: "help", takesValue: false),
        ])
        if args.has("help") {
            print("""
            toy-w2sd bench: speed and memory of the sampling engine (use a release build).

            Examples:
              swift build -c release && .build/release/toy-w2sd bench
              .build/release/toy-w2sd bench --json

            Options:
              --particles N          particles of the speed cases (default 1000000)
              --memory-particles N   particles of the statistics-only memory case (default 10000000)
              --threads N            worker threads (default: all cores)
              --json                 print the results as JSON
            """)
            return
        }
        let particles = try args.integer("particles", accepted: "an integer >= 1", where: { $0 >= 1 }) ?? 1_000_000
        let memoryParticles = try args.integer("memory-particles", accepted: "an integer >= 1", where: { $0 >= 1 }) ?? 10_000_000
        let threads = try args.integer("threads", accepted: "an integer from 1 to 256", where: { (1...256).contains($0) })
            ?? ProcessInfo.processInfo.activeProcessorCount
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
            let peak = streaming ? peakResidentMegabytes() : nil
            return Case(name: name, particles: n, steps: settings.steps, seconds: seconds,
                        particleStepsPerSecond: Double(n * settings.steps) / seconds,
                        scoreEvaluationsPerSecond: rate, peakResidentMegabytes: peak, target: target, met: met(rate, peak))
        }
        let cases = [
            try measure("1d w2sd, statistics only", oneD, memoryParticles, streaming: true,
                        target: "peak resident memory < 200 MB", met: { _, peak in (peak ?? .infinity) < 200 }),
            try measure("1d w2sd", oneD, particles, streaming: false,
                        target: ">= 3e8 score evaluations/s", met: { rate, _ in rate >= 3e8 }),
            try measure("2d w2sd", twoD, particles, streaming: false,
                        target: ">= 1e8 score evaluations/s", met: { rate, _ in rate >= 1e8 }),
        ]
        if args.has("json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(Report(threads: threads, cases: cases)), as: UTF8.self))
        } else {
            print("threads: \(threads)")
            for c in cases {
                print("""
                \(c.name): \(c.particles) particles x \(c.steps) steps in \(String(format: "%.3f", c.seconds)) s
                  particle-steps/s: \(String(format: "%.3e", c.particleStepsPerSecond))  \
                score evaluations/s: \(String(format: "%.3e", c.scoreEvaluationsPerSecond))\
                \(c.peakResidentMegabytes.map { String(format: "  peak resident: %.1f MB", $0) } ?? "")
                  target: \(c.target): \(c.met ? "met" : "NOT met")
                """)
            }
        }
    }
}

/// Peak resident set size of this process (VmHWM from /proc/self/status), in megabytes.
func peakResidentMegabytes() -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first
        return kilobytes.map { $0 / 1024 }
    }
    return nil
}
