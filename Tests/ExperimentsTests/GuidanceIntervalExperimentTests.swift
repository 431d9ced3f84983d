import Experiments
import Foundation
import Testing
import Toy

/// `--guidance-interval LO:HI` (JSON `guidanceInterval`) through the experiment layer: the issue's
/// example, the two identities of classifier-free guidance on `guidance-over-1d`, the reflection steps
/// of W2SD with guided models, refusal, config, sweep and frontier.
@Suite struct GuidanceIntervalExperimentTests {
    static func request(_ arguments: [String], dimensions: ExperimentRequest.Dimensions = .one) throws -> ExperimentRequest {
        try ExperimentRequest.parse(command: "test", dimensions: dimensions, arguments)
    }

    /// Samples (bit patterns) and evaluations of each method of `spec`, one thread.
    static func outcomes(_ spec: ExperimentSpec) throws -> [([UInt64], Int)] {
        let runner = ExperimentRunner(spec: spec, models: try spec.models(), threads: 1)
        return try spec.methods.map { method in
            let result = try runner.run(method)
            return (result.samples.map(\.bitPattern), result.evaluations)
        }
    }

    static func overGuided(_ edit: (inout ExperimentSpec) -> Void = { _ in }) throws -> ExperimentSpec {
        var spec = try DifferenceCase.named("guidance-over-1d").experiment
        spec.samples = 400
        spec.steps = 12
        spec.methods = [.strong, .weak, .w2sd, .s2wd, .autoguidance, .resampling, .advancedResampling, .selfReflection, .w2sdCorrected]
        edit(&spec)
        return spec
    }

    /// `1d --missing-left --methods autoguidance --guidance 2.25 --guidance-interval 7.3:80 --steps 36`:
    /// 13 guided steps of 2 evaluations and 23 of 1, counted alike by the run-time estimate and the run.
    @Test func theIssueExampleRunsAt49EvaluationsPerParticle() throws {
        let request = try Self.request(["--missing-left", "--methods", "autoguidance", "--guidance", "2.25",
                                        "--guidance-interval", "7.3:80", "--steps", "36", "--samples", "500"])
        #expect(request.spec.guidanceInterval == 7.3...80)
        let estimate = try RunTimeEstimate(spec: request.spec, models: request.models, threads: 1)
        #expect(estimate.evaluationsPerParticle == [49])
        let result = try ExperimentRunner(spec: request.spec, models: request.models, threads: 2).run(.autoguidance)
        #expect(result.evaluations == 49 * 500)
    }

    /// On guidance-over-1d, an interval covering every step reproduces today's classifier-free guidance
    /// exactly (every method, samples and evaluations), and one covering none reproduces the conditional
    /// models exactly: the experiment with no cfg (each model p(x | a)), evaluations included (autoguidance,
    /// limited as well, is then the conditional strong model's sampler). `--cfg-strong 1
    /// --cfg-weak 1` (s + 1 (s_a - s)) gives the same samples up to rounding, at twice the evaluations.
    @Test func classifierFreeGuidanceIdentitiesOnGuidanceOver1D() throws {
        let today = try Self.outcomes(try Self.overGuided())
        let every = try Self.outcomes(try Self.overGuided { $0.guidanceInterval = 0...80 })
        #expect(today.map(\.0) == every.map(\.0))
        #expect(today.map(\.1) == every.map(\.1))
        let none = try Self.outcomes(try Self.overGuided { $0.guidanceInterval = 100...200 })
        let conditional = try Self.outcomes(try Self.overGuided { $0.strong.cfg = nil; $0.weak.cfg = nil })
        // Autoguidance is limited too: outside the interval it is the strong (here conditional) model alone.
        let auto = try #require(Self.overGuided().methods.firstIndex(of: .autoguidance))
        var expected = conditional
        expected[auto] = conditional[0]
        #expect(none.map(\.0) == expected.map(\.0))
        #expect(none.map(\.1) == expected.map(\.1))
        // --cfg-strong 1 alone: the strong method's samples, to rounding.
        var one = try Self.overGuided { $0.strong.cfg = 1 }
        one.methods = [.strong]
        let cfgOne = try ExperimentRunner(spec: one, models: try one.models(), threads: 1).run(.strong)
        let noneStrong = none[0].0.map(Double.init(bitPattern:))
        #expect(zip(cfgOne.samples, noneStrong).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) })
        #expect(cfgOne.evaluations == 2 * none[0].1)
    }

    /// W2SD with guided models: the reflection's down-step at step i and its inversion back to sigma_i
    /// belong to step i, so a reflecting guided step costs 2 + 2 + 2 (down, paper inversion, step) and an
    /// unguided one 1 + 1 + 1; the last step does not reflect.
    @Test func reflectionStepsFollowTheirStepsInterval() throws {
        var spec = try Self.overGuided { $0.guidanceInterval = 1...10 }
        spec.methods = [.w2sd]
        let sigmas = spec.samplerSettings.sigmas
        let guided = (0..<12).map { (1...10).contains(sigmas[$0]) }
        #expect(guided.contains(true) && guided.contains(false))
        let expected = (0..<12).map { i in (i < 11 ? 3 : 1) * (guided[i] ? 2 : 1) }
        let run = try MethodCatalogue.run(.w2sd, models: try spec.models(), spec: spec, threads: 1, trajectories: 0, keepSamples: false)
        #expect(try run.evaluationsPerStep() == expected)
        #expect(try RunTimeEstimate(spec: spec, models: try spec.models(), threads: 1).evaluationsPerParticle == [expected.reduce(0, +)])
        // Autoguidance of two guided models: 4 evaluations inside, the conditional strong score (1) outside.
        spec.methods = [.autoguidance]
        let auto = try MethodCatalogue.run(.autoguidance, models: try spec.models(), spec: spec, threads: 1, trajectories: 0, keepSamples: false)
        #expect(try auto.evaluationsPerStep() == guided.map { $0 ? 4 : 1 })
    }

    /// A request that sets the interval for methods that do not read it is refused (exit 2), naming the
    /// readers; on a class experiment with guided models the strong model's methods read it.
    @Test func refusedWhereNoSelectedMethodReadsIt() throws {
        do {
            _ = try Self.request(["--methods", "strong", "--guidance-interval", "1:5"])
            Issue.record("accepted")
        } catch let error as UsageError {
            #expect(error.message.contains("--guidance-interval") && error.message.contains("autoguidance"), "\(error.message)")
        }
        #expect(throws: UsageError.self) { _ = try Self.request(["--guidance-interval", "5:1"]) }
        #expect(throws: UsageError.self) { _ = try Self.request(["--guidance-interval", "-1:5"]) }
        let guided = try Self.request(["--case", "guidance-over-1d", "--methods", "strong,ideal-sampled", "--guidance-interval", "1:5"], dimensions: .any)
        #expect(guided.spec.guidanceInterval == 1...5)
        #expect(throws: UsageError.self) {
            _ = try Self.request(["--case", "guidance-over-1d", "--methods", "ideal-sampled", "--guidance-interval", "1:5"], dimensions: .any)
        }
    }

    /// The JSON key round-trips, a config file gives it, a sweep axis and a frontier variant set it.
    @Test func configSweepAndFrontierVariant() throws {
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.guidanceInterval = 7.3...80
        let encoded = try ReportEncoding.encode(spec)
        #expect(String(decoding: encoded, as: UTF8.self).contains("\"guidanceInterval\" : \"7.3:80.0\"")
            || String(decoding: encoded, as: UTF8.self).contains("\"guidanceInterval\": \"7.3:80.0\""))
        #expect(try ExperimentSpec.decode(encoded).guidanceInterval == 7.3...80)
        let axis = try SweepAxis.parse("guidance-interval=0:80,7.3:80", base: spec)
        #expect(axis.values == ["0:80", "7.3:80"])
        #expect(axis.readers(modeNames: spec.modeNames)?.methodReaders?.readers(among: [.autoguidance, .strong], in: spec) == [.autoguidance])
        let variant = try FrontierVariant.parse("autoguidance:w=2.25:guidance-interval=7.3:80")
        var applied = ExperimentSpec.preset(dimension: 1)
        try variant.apply(to: &applied)
        #expect(applied.guidanceInterval == 7.3...80 && applied.guidance == 2.25)
    }

    /// The frontier's budget search uses the exact count, which an interval makes non-linear in T (and,
    /// for autoguidance of guided models, 4 evaluations inside against 1 outside, not even monotone):
    /// the chosen T is the largest T whose count fits, found by checking every T, and its predicted
    /// count is what the run measures.
    @Test func frontierChoosesTheLargestFittingTWithAnInterval() throws {
        var base = try DifferenceCase.named("guidance-over-1d").experiment
        base.samples = 64
        let variants = [try FrontierVariant.parse("autoguidance:guidance-interval=0.3:3"), try FrontierVariant.parse("strong:guidance-interval=0.3:3"),
                        try FrontierVariant.parse("w2sd:guidance-interval=1:10")]
        let budgets = [12, 35, 61]  // bisection alone would choose T = 6 and 20 for autoguidance at 12 and 35 (the largest fitting: 8, 22)
        let frontier = try Frontier(base: base, budgets: budgets, variants: variants)
        var dips = 0
        for j in 0..<frontier.cellCount {
            let budget = budgets[frontier.indices(ofCell: j).budget]
            var spec = base
            try variants[frontier.indices(ofCell: j).variant].apply(to: &spec)
            let counts = try (2...(budget + 1)).map { try Frontier.evaluationsPerParticle(spec, steps: $0) }
            dips += zip(counts, counts.dropFirst()).filter { $0 > $1 }.count
            let largest = (2...(budget + 1)).last { counts[$0 - 2] <= budget }
            #expect(frontier.choices[j]?.steps == largest, "cell \(j)")
            guard let choice = frontier.choices[j], let cell = try frontier.spec(ofCell: j) else { continue }
            let measured = try ExperimentRunner(spec: cell, models: try cell.models(), threads: 1).run(cell.methods[0])
            #expect(measured.evaluations == choice.evaluationsPerParticle * cell.particles, "cell \(j): predicted \(choice.evaluationsPerParticle)")
        }
        #expect(dips > 0, "the autoguidance count should dip somewhere (else this test proves less than it says)")
    }
}
