import Experiments
import Testing
import Toy

/// The time guard: evaluations are counted exactly on one particle, and a run beyond the ceiling is
/// refused before any work unless allowed.
@Suite struct RunTimeEstimateTests {
    @Test func countsEvaluationsPerParticle() throws {
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.steps = 20
        spec.methods = [.strong, .w2sd, .autoguidance]
        let estimate = try RunTimeEstimate(spec: spec, models: try spec.models(), threads: 2)
        // strong: one evaluation per step; W2SD adds two per reflecting step (lambda = T - 1); autoguidance
        // evaluates two mixtures per step.
        #expect(estimate.evaluationsPerParticle == [20, 20 + 2 * 19, 40])
        #expect(estimate.seconds > 0 && estimate.seconds.isFinite)
    }

    @Test func refusesBeyondTheLimitUnlessAllowed() throws {
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.samples = 100_000_000_000
        let estimate = try RunTimeEstimate(spec: spec, models: try spec.models(), threads: 2)
        #expect(throws: UsageError.self) { _ = try estimate.check(limitMinutes: 60, allowLong: false) }
        let note = try estimate.check(limitMinutes: 60, allowLong: true)
        #expect(note?.contains("this run needs about") == true)
        spec.samples = 1000
        #expect(try RunTimeEstimate(spec: spec, models: try spec.models(), threads: 2).check(limitMinutes: 60, allowLong: false) == nil)
    }

    @Test func describesDurations() {
        #expect(RunTimeEstimate.describe(5) == "5.0 s" && RunTimeEstimate.describe(600) == "10.0 min")
        #expect(RunTimeEstimate.describe(3 * 3600) == "3.0 h" && RunTimeEstimate.describe(10 * 86_400) == "10.0 days")
    }
}
