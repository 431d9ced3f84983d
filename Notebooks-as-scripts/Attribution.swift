import Experiments
import Foundation
import Toy

/// The controls that say what W2SD's effect is due to, run on one experiment over several seeds (each
/// seed's methods share their prior draws, so differences are paired by seed):
///
/// - `self-reflection` (weak := strong, Delta1 = 0): the paper inversion's bias alone;
/// - `w2sd-corrected`: W2SD with that bias removed (a pure h Delta1 move at the denoised point);
/// - W2SD with `exact` inversion: no bias at all.
///
/// Each is reported as its W1 minus strong's with a 95% Student-t interval over the seeds, and W2SD
/// against its bias-free versions likewise; "no difference shown" where an interval contains 0.
struct Attribution {
    var seeds: [UInt64]
    /// Per method, W1 per seed.
    var w1: [String: [Double]]

    static let methods: [MethodName] = [.strong, .w2sd, .selfReflection, .w2sdCorrected]
    static let exactLabel = "w2sd (exact inversion)"

    /// The particles of each control run (at most): W1 differences between these methods are 0.1 to 2,
    /// their spread over seeds at 20,000 particles about 0.01, and exact inversion costs a Newton solve
    /// per particle and step.
    static let particles = 20_000

    /// Runs the controls on `spec` (its sampler settings and models) for `seeds` seeds from spec.seed.
    static func measure(_ spec: ExperimentSpec, seeds count: Int, threads: Int, cache: RunCache) throws -> Attribution {
        var controls = spec
        controls.methods = methods
        controls.samples = min(spec.particles, particles)
        var runner = try ExperimentRunner(spec: controls, threads: threads, keepSamples: false, cache: cache)
        runner.returnsSamples = false
        let runs = try runner.runRepeats(count, modeNames: spec.modeNames, holdSamples: false).runs
        var exact = controls
        exact.methods = [.w2sd]
        exact.inversion = .exact
        exact.inversionError = 0
        var exactRunner = try ExperimentRunner(spec: exact, threads: threads, keepSamples: false, cache: cache)
        exactRunner.returnsSamples = false
        let exactRuns = try exactRunner.runRepeats(count, modeNames: spec.modeNames, holdSamples: false).runs
        var w1: [String: [Double]] = [:]
        for method in methods { w1[method.rawValue] = runs.metrics[runs.methods.firstIndex(of: method) ?? 0].map { $0["W1"] ?? .nan } }
        w1[exactLabel] = exactRuns.metrics[0].map { $0["W1"] ?? .nan }
        return Attribution(seeds: runs.seeds, w1: w1)
    }

    /// "+0.123 [0.101, 0.145]" (a minus b over the seeds), or "no interval" for one seed.
    func difference(_ a: String, minus b: String) -> (text: String, summary: RepeatSummary?) {
        guard let x = w1[a], let y = w1[b] else { return ("undefined", nil) }
        return Self.paired(x, minus: y)
    }

    /// The paired difference x[i] - y[i] over seeds as "+0.123 [0.101, 0.145]" (mean and 95% Student-t
    /// interval), "(1 seed: no interval)" for one seed, "undefined" when the values do not pair.
    static func paired(_ x: [Double], minus y: [Double]) -> (text: String, summary: RepeatSummary?) {
        guard let d = try? RepeatSummary.paired(x, minus: y) else { return ("undefined", nil) }
        guard let ci = d.confidenceInterval else { return (Say.signed(d.mean) + " (1 seed: no interval)", d) }
        return (Say.signed(d.mean) + " [\(Say.f4(ci.lowerBound)), \(Say.f4(ci.upperBound))]", d)
    }

    /// A mean with its 95% Student-t interval over seeds, "0.123 [0.101, 0.145]" (format `format`).
    static func mean(_ values: [Double], format: (Double) -> String = Say.f4) -> (text: String, summary: RepeatSummary?) {
        guard let s = try? RepeatSummary(values) else { return ("undefined", nil) }
        guard let ci = s.confidenceInterval else { return (format(s.mean) + " (1 seed: no interval)", s) }
        return (format(s.mean) + " [\(format(ci.lowerBound)), \(format(ci.upperBound))]", s)
    }

    /// "larger", "smaller" or "no difference shown" from a paired interval.
    static func verdict(_ d: RepeatSummary?, larger: String, smaller: String) -> String {
        guard let ci = d?.confidenceInterval else { return "no interval (one seed)" }
        return ci.lowerBound > 0 ? larger : ci.upperBound < 0 ? smaller : "no difference shown"
    }

    /// The findings, the control named first: what the bias alone does, what W2SD does, and what is
    /// left of W2SD's effect without the bias.
    var findings: [String] {
        let n = seeds.count
        let mean = { (m: String) in Say.f4((w1[m] ?? []).reduce(0, +) / Double(max(1, w1[m]?.count ?? 1))) }
        let selfBias = difference(MethodName.selfReflection.rawValue, minus: "strong")
        let w2sd = difference("w2sd", minus: "strong")
        let corrected = difference(MethodName.w2sdCorrected.rawValue, minus: "strong")
        let exact = difference(Self.exactLabel, minus: "strong")
        let biasShare = difference("w2sd", minus: MethodName.w2sdCorrected.rawValue)
        return [
            "The control first: self-reflection (the strong model reflected by itself, Delta1 = 0, so only the paper inversion's bias acts) "
                + "changes W1 by \(selfBias.text) against strong (n = \(n) seeds, paired, 95% interval): the bias alone "
                + Self.verdict(selfBias.summary, larger: "moves the sampler away from the ideal distribution", smaller: "moves the sampler towards the ideal distribution")
                + ".",
            "W2SD changes W1 by \(w2sd.text) against strong; with the bias removed (w2sd-corrected, a pure h Delta1 move) by \(corrected.text); "
                + "with exact inversion (no bias at all) by \(exact.text). Mean W1: strong \(mean("strong")), W2SD \(mean("w2sd")), self-reflection "
                + "\(mean(MethodName.selfReflection.rawValue)), w2sd-corrected \(mean(MethodName.w2sdCorrected.rawValue)), exact inversion \(mean(Self.exactLabel)).",
            "So the part of W2SD's effect that is Delta1's is the bias-free one (\(corrected.text) for w2sd-corrected: "
                + Self.verdict(corrected.summary, larger: "Delta1 alone makes the result worse", smaller: "Delta1 alone improves on strong")
                + "); W2SD minus w2sd-corrected, the inversion bias's share, is \(biasShare.text) ("
                + Self.verdict(biasShare.summary, larger: "the bias costs W2SD distance", smaller: "the bias helps W2SD here")
                + ").",
        ]
    }
}
