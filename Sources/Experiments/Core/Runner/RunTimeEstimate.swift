import Foundation
import Toy

/// How long a run will take, estimated before it starts from its score-evaluation count: each method's
/// evaluations per particle are counted on one particle (exactly what the full run spends per particle),
/// and the time is evaluations x repeats / (threads x rate). For three mixtures the rate is the engine's
/// measured rate per thread for a mixture of K components in d dimensions, 2.4e8 x 2 / (K d)
/// evaluations/s (`toy-w2sd bench`, release build: 1D preset 4.8e8/s and 2D preset 1.2e8/s on two
/// threads). Score fields (guided, saturated, learned) have no such model: each method is timed on
/// `probeParticles` particles on one thread and scaled to the run. Debug builds compile Toy with
/// optimisation but for the baseline CPU (about 2x slower: 1M particles of 1D W2SD 0.44 s against 0.26 s,
/// 2D 1.27 s against 0.68 s); under TOY_W2SD_PORTABLE=1 Toy is unoptimised in debug builds, 10-50x
/// slower; the estimate says which. Statistics are not included (they are a fraction of the sampling time).
public struct RunTimeEstimate: Sendable {
    public var seconds: Double
    public var evaluationsPerParticle: [Int]

    /// Release rate per thread for a 2-component 1D mixture.
    static let baseRatePerThread = 2.4e8
    #if DEBUG && TOY_OPTIMIZED_DEBUG
    static let buildFactor = 2.0
    static let buildNote = " (a debug build; release builds run about 2x faster)"
    #elseif DEBUG
    static let buildFactor = 30.0
    static let buildNote = " (a debug build; release builds run 10-50x faster)"
    #else
    static let buildFactor = 1.0
    static let buildNote = ""
    #endif

    /// Above this a run says how long it will take (stderr).
    public static let announceSeconds = 60.0

    /// Particles of the timed probe of a run on score fields.
    static let probeParticles = 64

    public init(spec: ExperimentSpec, models: ScoreModels, threads: Int) throws {
        var perParticle: [Int] = []
        var one = spec
        one.samples = 1
        for method in spec.methods {
            var probe = try MethodCatalogue.run(method, models: models, spec: one, threads: 1, trajectories: 0, keepSamples: false)
            probe.ideal = nil
            perParticle.append((try? probe.run().evaluations) ?? 0)
        }
        evaluationsPerParticle = perParticle
        let scale = Double(spec.particles) * Double(spec.repeats)
        if let mixtures = models.mixtures {
            let k = Double(max(mixtures.ideal.activeCount, mixtures.strong.activeCount, mixtures.weak.activeCount))
            let rate = Self.baseRatePerThread * 2 / (k * Double(spec.dimension)) / Self.buildFactor * Double(threads)
            seconds = Double(perParticle.reduce(0, +)) * scale / rate
        } else {
            var probe = spec
            probe.samples = Self.probeParticles
            var total = 0.0
            for method in spec.methods {
                var run = try MethodCatalogue.run(method, models: models, spec: probe, threads: 1, trajectories: 0, keepSamples: false)
                run.ideal = nil
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try? run.run()
                total += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            }
            seconds = total / Double(Self.probeParticles) * scale / Double(threads)
        }
    }

    /// "2.5 s", "3.1 min", "2.4 h", "5.0 days".
    public static func describe(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "an unbounded time" }
        if seconds < 120 { return NumberFormat.fixed(seconds, 1) + " s" }
        if seconds < 7200 { return NumberFormat.fixed(seconds / 60, 1) + " min" }
        if seconds < 172_800 { return NumberFormat.fixed(seconds / 3600, 1) + " h" }
        return NumberFormat.fixed(seconds / 86_400, 1) + " days"
    }

    /// Checks the estimate against the ceiling (refusing with status 2 unless allowed) and returns the
    /// note to print on stderr for long runs (nil below a minute).
    public func check(limitMinutes: Double, allowLong: Bool) throws -> String? {
        if seconds > limitMinutes * 60 && !allowLong {
            throw UsageError(message: "this run needs about \(Self.describe(seconds))\(Self.buildNote) (\(evaluationsPerParticle.reduce(0, +)) score evaluations per particle over all methods), above the --time-limit of \(NumberFormat.significant(limitMinutes, 4)) min; accepted: fewer --samples or --steps, a larger --time-limit, or --allow-long")
        }
        return seconds > Self.announceSeconds ? "note: this run needs about \(Self.describe(seconds))\(Self.buildNote)" : nil
    }
}
