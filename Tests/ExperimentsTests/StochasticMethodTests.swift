import Experiments
import Foundation
import Testing
import Toy

/// The methods `edm-churn`, `restart` and `z-sampling` on the experiment layer: their controls, their
/// exact costs (run-time estimate and frontier), their settings in files, sweeps and frontiers, and
/// the refusal of z-sampling on an experiment without classes.
@Suite struct StochasticMethodTests {
    static func preset(_ edit: (inout ExperimentSpec) -> Void = { _ in }) -> ExperimentSpec {
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.samples = 300
        spec.steps = 12
        edit(&spec)
        return spec
    }

    static func guidanceCase(_ name: String, _ edit: (inout ExperimentSpec) -> Void = { _ in }) throws -> ExperimentSpec {
        var spec = try DifferenceCase.named(name).experiment
        spec.samples = 300
        spec.steps = 12
        edit(&spec)
        return spec
    }

    static func result(_ spec: ExperimentSpec, _ method: MethodName) throws -> MethodResult {
        try ExperimentRunner(spec: spec, threads: 2).run(method)
    }

    static func bits(_ result: MethodResult) -> [UInt64] { result.samples.map(\.bitPattern) }

    /// S_churn = 0 and K = 0 reproduce `strong --solver heun` bit for bit, with equal evaluations; the
    /// defaults change the samples.
    @Test func zeroNoiseReproducesDeterministicHeun() throws {
        let heun = try Self.result(Self.preset { $0.solver = .heun }, .strong)
        let noChurn = try Self.result(Self.preset { $0.churn.sChurn = 0 }, .edmChurn)
        let noRestart = try Self.result(Self.preset { $0.restart.count = 0 }, .restart)
        for control in [noChurn, noRestart] {
            #expect(Self.bits(control) == Self.bits(heun), "\(control.method.rawValue)")
            #expect(control.evaluations == heun.evaluations)
        }
        #expect(Self.bits(try Self.result(Self.preset(), .edmChurn)) != Self.bits(heun))
        #expect(Self.bits(try Self.result(Self.preset(), .restart)) != Self.bits(heun))
    }

    /// Evaluations per particle, counted by the run-time estimate (what the run spends): strong-heun and
    /// edm-churn 2 T - 1, restart 2 T - 1 + 2 K N, z-sampling (guided fields, 2 per call; Euler, paper
    /// inversion, lambda = T - 1) 2 T + 4 (T - 1); the full runs spend exactly particles x that.
    @Test func evaluationsPerParticleFollowTheFormulas() throws {
        for t in [2, 7, 50] {
            let spec = Self.preset {
                $0.steps = t
                $0.methods = [.edmChurn, .restart]
                $0.restart = Restart(interval: 0.1...2, count: 3, steps: 4)
            }
            let estimate = try RunTimeEstimate(spec: spec, models: try spec.models(), threads: 1)
            #expect(estimate.evaluationsPerParticle == [2 * t - 1, 2 * t - 1 + 2 * 3 * 4], "T = \(t)")
            #expect(try Self.result(spec, .restart).evaluations == 300 * (2 * t - 1 + 24))
            let z = try Self.guidanceCase("guidance-over-1d") { $0.steps = t; $0.methods = [.zSampling] }
            #expect(try RunTimeEstimate(spec: z, models: try z.models(), threads: 1).evaluationsPerParticle == [2 * t + 4 * (t - 1)])
        }
    }

    /// The frontier picks, per budget B, the largest T whose count fits, and its count is the measured
    /// one: edm-churn 2 T - 1 <= B, restart 2 T - 1 + 2 K N <= B (unavailable when T = 2 does not fit),
    /// z-sampling 6 T - 4 <= B.
    @Test func frontierCostModelsMatchTheRuns() throws {
        var base = Self.preset()
        base.lambda = nil
        let variants = try ["edm-churn", "restart", "restart:restarts=1:restart-steps=3", "edm-churn:s-churn=0"].map(FrontierVariant.parse)
        let budgets = [20, 25, 100, 151]
        let frontier = try Frontier(base: base, budgets: budgets, variants: variants)
        func predicted(_ variant: Int, _ budget: Int) -> Int? {
            let extra = [0, 2 * 2 * 10, 2 * 1 * 3, 0][variant]
            let t = (budget + 1 - extra) / 2
            return t >= 2 ? t : nil
        }
        for j in 0..<frontier.cellCount {
            let (b, v) = frontier.indices(ofCell: j)
            #expect(frontier.choices[j]?.steps == predicted(v, budgets[b]), "budget \(budgets[b]), \(variants[v].name)")
            guard let choice = frontier.choices[j], let spec = try frontier.spec(ofCell: j) else { continue }
            let run = try Self.result(spec, spec.methods[0])
            #expect(run.evaluations == choice.evaluationsPerParticle * 300, "cell \(j)")
        }
        let zBase = try Self.guidanceCase("guidance-over-1d")
        let zFrontier = try Frontier(base: zBase, budgets: [8, 20, 100], variants: [try FrontierVariant.parse("z-sampling:z-guidance=1.5")])
        #expect(zFrontier.choices.map { $0?.steps } == [2, 4, 17])
        let cell = try #require(try zFrontier.spec(ofCell: 2))
        #expect(try Self.result(cell, .zSampling).evaluations == 300 * (6 * 17 - 4))
    }

    /// Z-Sampling is W2SD with the condition difference: at its defaults (2, 0) on guidance-over-1d
    /// (strong w = 2, weak w = 0, the same mixture) it is that case's W2SD bit for bit; with the two
    /// weights equal to the strong model's cfg it is that guided model's self-reflection (Delta1 = 0).
    @Test func zSamplingIsW2SDOfTheConditionDifference() throws {
        let over = try Self.guidanceCase("guidance-over-1d")
        let z = try Self.result(over, .zSampling)
        #expect(Self.bits(z) == Self.bits(try Self.result(over, .w2sd)))
        let under = try Self.guidanceCase("guidance-under-1d") { $0.zGuidance = 0.5; $0.zInversionGuidance = 0.5 }
        let same = try Self.result(under, .zSampling), control = try Self.result(under, .selfReflection)
        #expect(Self.bits(same) == Self.bits(control) && same.evaluations == control.evaluations)
        // The strong model's own cfg does not enter z-sampling; its weights do.
        let recast = try Self.guidanceCase("guidance-under-1d") { $0.strong.cfg = 3 }
        #expect(Self.bits(try Self.result(recast, .zSampling)) == Self.bits(try Self.result(try Self.guidanceCase("guidance-under-1d"), .zSampling)))
    }

    /// z-sampling needs classes: refused (a usage error naming the method and what is accepted) by run,
    /// sweep and frontier on the 1D preset; accepted on the guidance cases.
    @Test func zSamplingIsRefusedWithoutClasses() throws {
        func refusal(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let error as UsageError { return error.message } catch { return "not a usage error: \(error)" }
        }
        let messages = [
            refusal { _ = try ExperimentRequest.parse(command: "1d", dimensions: .one, ["--methods", "strong,z-sampling"]) },
            refusal { _ = try StudyRequest.parseSweep(["1d", "--methods", "z-sampling", "--sweep", "gamma=0,1", "--samples", "50"]) },
            refusal { _ = try StudyRequest.parseFrontier(["1d", "--budgets", "50", "--variants", "z-sampling"]) },
        ]
        for message in messages {
            #expect(message?.contains("z-sampling") == true && message?.contains("class") == true, "\(message ?? "accepted")")
        }
        for name in ["guidance-over-1d", "guidance-under-1d", "guidance-and-weights-1d"] {
            let request = try ExperimentRequest.parse(command: "1d", dimensions: .one, ["--case", name, "--methods", "z-sampling", "--z-guidance", "1.5"])
            #expect(request.spec.zGuidance == 1.5)
        }
    }

    /// The settings: each read by its method alone (the readers walker proves it; here the refusals a
    /// user meets), the shaping ones only with a churn or restarts at all, a JSON round trip keeping
    /// them, defaults left out of the document, and sweep axes from the declarations.
    @Test func settingsRoundTripAndAreSweepAxes() throws {
        let refused = [
            (["--methods", "strong", "--s-churn", "5"], "edm-churn"),
            (["--methods", "edm-churn", "--s-churn", "0", "--s-tmin", "1"], "--s-churn S > 0"),
            (["--methods", "restart", "--restarts", "0", "--restart-steps", "3"], "--restarts K > 0"),
            (["--methods", "edm-churn,restart", "--solver", "heun"], "--solver"),
            (["--methods", "edm-churn", "--s-tmin", "5", "--s-tmax", "1"], "s-tmin <= s-tmax"),
            (["--methods", "restart", "--restart-interval", "2:1"], "--restart-interval"),
            (["--methods", "restart", "--restart-interval", "0.001:1"], "sigma_{T-1}"),
            (["--case", "guidance-over-1d", "--methods", "z-sampling", "--cfg-strong", "3"], "--cfg-strong"),
        ]
        for (arguments, fragment) in refused {
            do {
                _ = try ExperimentRequest.parse(command: "1d", dimensions: .one, arguments)
                Issue.record("\(arguments) was accepted")
            } catch let error as UsageError {
                #expect(error.message.contains(fragment), "\(arguments): \(error.message)")
            }
        }
        let request = try ExperimentRequest.parse(command: "1d", dimensions: .one, [
            "--methods", "edm-churn,restart", "--s-churn", "4", "--s-tmin", "0.2", "--s-tmax", "9", "--s-noise", "1.003",
            "--restart-interval", "0.3:3", "--restarts", "1", "--restart-steps", "7",
        ])
        #expect(request.spec.churn == Churn(sChurn: 4, sTmin: 0.2, sTmax: 9, sNoise: 1.003))
        #expect(request.spec.restart == Restart(interval: 0.3...3, count: 1, steps: 7))
        let again = try ExperimentSpec.decode(try ReportEncoding.encode(request.spec))
        #expect(again.churn == request.spec.churn && again.restart == request.spec.restart)
        var z = try DifferenceCase.named("guidance-over-1d").experiment
        (z.zGuidance, z.zInversionGuidance) = (1.25, 0.5)
        let zAgain = try ExperimentSpec.decode(try ReportEncoding.encode(z))
        #expect(zAgain.zGuidance == 1.25 && zAgain.zInversionGuidance == 0.5)
        let document = ExperimentSpec.preset(dimension: 1).samplerDocument
        for key in ["sChurn", "sTmin", "sTmax", "sNoise", "restartInterval", "restarts", "restartSteps", "zGuidance", "zInversionGuidance"] {
            #expect(document[key] == nil, "\(key) at its default is written")
        }
        let names = SweepAxis.names(modeNames: ["left", "right"])
        for name in ["s-churn", "s-tmin", "s-tmax", "s-noise", "restart-interval", "restarts", "restart-steps", "z-guidance", "z-inversion-guidance"] {
            #expect(names.contains(name), "\(name) is not a sweep axis")
        }
        let sweep = try StudyRequest.parseSweep(["1d", "--methods", "edm-churn,restart", "--sweep", "s-churn=0,10", "--samples", "50"])
        guard case let .sweep(s) = sweep.study else { Issue.record("not a sweep"); return }
        #expect(try s.spec(ofCell: 0).churn.sChurn == 0 && s.spec(ofCell: 1).churn.sChurn == 10)
        #expect(throws: UsageError.self) { _ = try StudyRequest.parseSweep(["1d", "--methods", "strong,w2sd", "--sweep", "restarts=0,1"]) }
        #expect(throws: UsageError.self) { _ = try StudyRequest.parseSweep(["1d", "--case", "guidance-over-1d", "--methods", "z-sampling", "--sweep", "strong-cfg=1,2"]) }
        _ = try StudyRequest.parseSweep(["1d", "--case", "guidance-over-1d", "--methods", "z-sampling", "--sweep", "z-guidance=1,2", "--samples", "50"])
    }

    /// A request with Restart prices its trajectories with the K (N + 1) extra points per particle.
    @Test func memoryModelCountsRestartPoints() throws {
        let plain = try ExperimentRequest.parse(command: "1d", dimensions: .one, ["--methods", "strong", "--trajectories", "100", "--samples", "1000"])
        let restart = try ExperimentRequest.parse(command: "1d", dimensions: .one, ["--methods", "restart", "--trajectories", "100", "--samples", "1000"])
        let difference = try MemoryPlan(restart).estimatedBytes - MemoryPlan(plain).estimatedBytes
        #expect(difference == Double(100 * 2 * 11 * (8 + 64)))
    }
}
