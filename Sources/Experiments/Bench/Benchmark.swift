import Foundation
import Toy

/// Speed and memory of the sampling engine (meaningful on a release build only; never asserted by a
/// timed test).
///
/// Cases: (1) a statistics-only 1D W2SD run of `memorySamples` particles, reporting peak resident memory
/// (it runs first, so the peak is its own); (2, 3) the sampling engine alone on the 1D and 2D presets,
/// W2SD, T = 50, lambda = 49 (no statistics); (4, 5) the same runs whole, with every statistic against the
/// ideal model (kept samples, as `toy-w2sd 1d|2d` computes them), and the share of the run the statistics
/// took, (whole - engine alone) / whole; (6) the 1023-component anisotropic `TreeMixture`, engine alone and
/// whole; (6b) the tree sampled as the autoguidance paper's toy is: the strong model alone, Heun with 32
/// steps (Karras, sigma_max = 5), from exact samples of p_strong(x; 5), engine alone and whole (target:
/// whole run under 1 s). Each engine-alone / whole pair runs `rounds` times, interleaved (engine, whole, engine, ...), and
/// reports the medians of the wall and CPU times (a shared machine's noise moves single runs by 10%); (7) a learned field (`untrainedLearnedField`) sampled with the standard sampler: network
/// evaluations per second. Targets: (2) >= 6.5e8 and (3) >= 2.4e8 score evaluations per second; (1) under 200 MB;
/// statistics under 15% of the whole run in (4, 5) and under half in (6).
public struct Benchmark: Sendable {
    public var samples: Int
    public var memorySamples: Int
    public var treeSamples: Int
    /// Particles of the learned-field case (a network evaluation costs ~1e4 flops); nil: min(samples, 4000).
    public var learnedSamples: Int?
    public var threads: Int
    /// Interleaved rounds of each engine-alone / whole pair (medians reported).
    public var rounds: Int

    public init(samples: Int = 1_000_000, memorySamples: Int = 10_000_000, treeSamples: Int = 20_000, learnedSamples: Int? = nil,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, rounds: Int = 3) {
        self.samples = samples
        self.rounds = rounds
        self.memorySamples = memorySamples
        self.treeSamples = treeSamples
        self.learnedSamples = learnedSamples
        self.threads = threads
    }

    public struct Case: Codable, Sendable {
        public var name: String
        public var particles: Int
        public var steps: Int
        public var seconds: Double
        /// CPU time of the process over the case (all threads, user + system): less sensitive than
        /// `seconds` to other processes on a shared machine.
        public var cpuSeconds: Double
        public var particleStepsPerSecond: Double
        public var scoreEvaluationsPerSecond: Double
        public var peakResidentMegabytes: Double?
        /// Whole-run cases: the share of `seconds` spent on statistics (whole minus the engine alone).
        public var statisticsShare: Double?
        public var target: String
        public var met: Bool
    }

    /// The `--json` document.
    public struct Report: Codable, Sendable {
        public var schema = "toy-w2sd.bench/4"
        public var version = ToolVersion.current
        public var toolkit = Toolkit.current
        public var command = "bench"
        public var threads: Int
        /// Interleaved rounds behind each engine-alone and whole-run case (their medians).
        public var rounds: Int
        public var instructionSet: String
        public var cases: [Case]
    }

    /// The instruction set the binary was compiled for (release builds target the build machine's CPU,
    /// Package.swift; TOY_W2SD_PORTABLE=1 gives the portable baseline), and the vector extensions the CPU
    /// offers (from /proc/cpuinfo where it exists).
    public static var instructionSet: String {
        #if arch(x86_64)
        let portable = "x86-64 baseline (SSE2, 2 doubles per vector instruction), portable"
        #elseif arch(arm64)
        let portable = "arm64 (NEON, 2 doubles per vector instruction), portable"
        #else
        let portable = "generic target, portable"
        #endif
        let compiled = ToolVersion.isHostCPU ? "compiled for the build machine's CPU (-target-cpu native; not portable as a binary)" : portable
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") || $0.hasPrefix("Features") }) else {
            return compiled
        }
        let offered = Set(flags.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "\t" }).map(String.init))
        let vector = ["sse2", "avx", "avx2", "fma", "avx512f", "asimd", "sve"].filter(offered.contains)
        return compiled + "; this CPU offers " + vector.joined(separator: ", ")
    }

    public func run() throws -> Report {
        let settings = SamplerSettings()
        let oneD = Presets.oneDimensional(), twoD = Presets.twoDimensional(), tree = try TreeMixture.models()
        func timed(_ sampler: Sampler, prior: Prior = .gaussian, _ n: Int, streaming: Bool, ideal: GaussianMixture?) throws -> Timing {
            let run = SamplingRun(sampler: sampler, prior: prior, particles: n, threads: threads, keepSamples: !streaming, ideal: ideal)
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = Self.processCPUSeconds()
            let result = try run.run()
            return Timing(seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
                          cpuSeconds: Self.processCPUSeconds() - cpuStart, evaluations: result.evaluations)
        }
        func make(_ name: String, _ n: Int, _ t: Timing, peak: Double? = nil, share: Double? = nil,
                  target: String, met: Bool, steps: Int = settings.steps) -> Case {
            Case(name: name, particles: n, steps: steps, seconds: t.seconds, cpuSeconds: t.cpuSeconds,
                 particleStepsPerSecond: Double(n * steps) / t.seconds,
                 scoreEvaluationsPerSecond: Double(t.evaluations) / t.seconds, peakResidentMegabytes: peak,
                 statisticsShare: share, target: target, met: met)
        }
        var cases: [Case] = []
        let memory = try timed(Sampler.w2sd(strong: oneD.strong, weak: oneD.weak, settings: settings), memorySamples, streaming: true,
                               ideal: oneD.ideal)
        let peak = Self.peakResidentMegabytes()
        cases.append(make("1d w2sd, statistics only", memorySamples, memory, peak: peak,
                          target: "peak resident memory < 200 MB", met: (peak ?? .infinity) < 200))
        /// Runs the engine alone and the whole run `rounds` times, interleaved, and appends their medians;
        /// the whole run is `met` by `wholeMet(whole seconds, statistics share)`.
        func pair(_ label: String, _ sampler: Sampler, prior: Prior = .gaussian, ideal: GaussianMixture, _ n: Int, rate: Double,
                  wholeTarget: String, wholeMet: (Double, Double) -> Bool) throws {
            var engineRounds: [Timing] = [], wholeRounds: [Timing] = []
            for _ in 0..<max(1, rounds) {
                engineRounds.append(try timed(sampler, prior: prior, n, streaming: false, ideal: nil))
                wholeRounds.append(try timed(sampler, prior: prior, n, streaming: false, ideal: ideal))
            }
            let engine = Timing.median(engineRounds), whole = Timing.median(wholeRounds)
            let engineRate = Double(engine.evaluations) / engine.seconds
            let steps = sampler.settings.steps
            cases.append(make(label, n, engine, target: rate > 0 ? ">= \(NumberFormat.scientific(rate, 2)) score evaluations/s" : "none (engine alone)",
                              met: engineRate >= rate, steps: steps))
            let share = max(0, whole.seconds - engine.seconds) / whole.seconds
            cases.append(make(label + ", whole run with statistics", n, whole, share: share, target: wholeTarget,
                              met: wholeMet(whole.seconds, share), steps: steps))
        }
        for (label, models, n, rate, shareLimit) in [("1d w2sd", oneD, samples, 6.5e8, 0.15), ("2d w2sd", twoD, samples, 2.4e8, 0.15),
                                                    ("2d tree (\(tree.ideal.activeCount) components) w2sd", tree, treeSamples, 0.0, 0.5)] {
            try pair(label, try Sampler.w2sd(strong: models.strong, weak: models.weak, settings: settings), ideal: models.ideal, n, rate: rate,
                     wholeTarget: "statistics < \(Int(shareLimit * 100))% of the whole run", wholeMet: { $1 < shareLimit })
        }
        // (6b) The autoguidance paper's toy setting on the tree.
        let heun = SamplerSettings(schedule: .karras(sigmaMax: 5, sigmaMin: 0.002, rho: 7), steps: 32, solver: .heun)
        try pair("2d tree (\(tree.ideal.activeCount) components) strong, Heun T = 32 from exact p(x; 5)",
                 try Sampler.standard(tree.strong, settings: heun, name: "strong"), prior: .exact(tree.strong), ideal: tree.ideal,
                 treeSamples, rate: 0, wholeTarget: "whole run < 1 s", wholeMet: { seconds, _ in seconds < 1 })
        let learned = try Self.untrainedLearnedField(ideal: twoD.ideal)
        let learnedCount = learnedSamples ?? min(samples, 4000)
        let network = try timed(Sampler.standard(learned, settings: settings), learnedCount, streaming: false, ideal: nil)
        cases.append(make("2d learned field (untrained, width 64, depth 3: the 2D strong preset's architecture), standard sampler",
                          learnedCount, network, target: "none (network evaluations per second)", met: true))
        return Report(threads: threads, rounds: max(1, rounds), instructionSet: Self.instructionSet, cases: cases)
    }

    /// A learned denoiser of the 2D strong preset's architecture (width 64, depth 3, 4 noise frequencies),
    /// randomly initialised (seed 1), with the EDM preconditioning of `ideal`'s data spread: its speed is
    /// that of a trained one (the same operations).
    static func untrainedLearnedField(ideal: GaussianMixture) throws -> LearnedDenoiser {
        let architecture = try DenoiserArchitecture(dimension: 2, width: 64, depth: 3)
        return LearnedDenoiser(network: DenoiserNetwork(architecture: architecture, seed: 1),
                               preconditioning: try EDMPreconditioning(sigmaData: EDMPreconditioning.dataStandardDeviation(of: ideal)))
    }

    /// The human-readable form of a report.
    public static func text(_ report: Report) -> String {
        (["threads: \(report.threads); engine-alone and whole-run times: medians of \(report.rounds) interleaved rounds",
          "instruction set: \(report.instructionSet)"] + report.cases.map { c in
            """
            \(c.name): \(c.particles) particles x \(c.steps) steps in \(NumberFormat.fixed(c.seconds, 3)) s \
            (CPU \(NumberFormat.fixed(c.cpuSeconds, 3)) s)
              particle-steps/s: \(NumberFormat.scientific(c.particleStepsPerSecond, 3))  \
            score evaluations/s: \(NumberFormat.scientific(c.scoreEvaluationsPerSecond, 3))\
            \(c.peakResidentMegabytes.map { "  peak resident: \(NumberFormat.fixed($0, 1)) MB" } ?? "")\
            \(c.statisticsShare.map { "  statistics: \(NumberFormat.fixed(100 * $0, 1))% of the run" } ?? "")
              target: \(c.target): \(c.met ? "met" : "NOT met")
            """
        }).joined(separator: "\n")
    }

    /// Wall time, CPU time and score evaluations of one timed run.
    struct Timing {
        var seconds: Double
        var cpuSeconds: Double
        var evaluations: Int

        /// The median wall and CPU times of runs of the same work (the upper median for an even count).
        static func median(_ runs: [Timing]) -> Timing {
            let middle = runs.count / 2
            return Timing(seconds: runs.map(\.seconds).sorted()[middle], cpuSeconds: runs.map(\.cpuSeconds).sorted()[middle],
                          evaluations: runs[0].evaluations)
        }
    }

    /// CPU time of this process so far, all threads (clock_gettime(CLOCK_PROCESS_CPUTIME_ID)), in seconds.
    public static func processCPUSeconds() -> Double {
        var t = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) == 0 else { return 0 }
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
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
