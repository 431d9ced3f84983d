import Experiments
import Testing
import Toy

/// The reflection window in sigma and lambda as a fraction of T (W2SD-NOTES section 8).
@Suite struct ReflectionWindowTests {
    /// Step i reflects iff LO <= sigma_i <= HI and i < T - 1; the evaluation count shows it: W2SD costs
    /// T + 2 x (reflecting steps) evaluations per particle with Euler and paper inversion.
    @Test func windowSelectsTheStepsBySigma() throws {
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.steps = 30
        spec.reflectSigma = 0.5...10
        spec.methods = [.w2sd]
        let sigmas = spec.samplerSettings.sigmas
        let expected = (0..<29).filter { (0.5...10).contains(sigmas[$0]) }.count
        #expect(expected > 0 && expected < 29)
        #expect(spec.samplerSettings.reflectingSteps == expected)
        let estimate = try RunTimeEstimate(spec: spec, models: try spec.models(), threads: 1)
        #expect(estimate.evaluationsPerParticle == [30 + 2 * expected])
    }

    /// "0.5T" keeps its meaning when the steps change: floor(0.5 T), at most T - 1; a JSON round trip
    /// keeps the fraction.
    @Test func lambdaAsAFractionOfT() throws {
        let request = try ExperimentRequest.parse(command: "1d", dimensions: .one, ["--lambda", "0.5T", "--steps", "41", "--reflect-sigma", "0.1:5"])
        #expect(request.spec.reflectionSteps == 20 && request.spec.reflectSigma == 0.1...5)
        var again = try ExperimentSpec.decode(try ReportEncoding.encode(request.spec))
        #expect(again.lambda == .fraction(0.5) && again.reflectSigma == 0.1...5)
        again.steps = 10
        #expect(again.reflectionSteps == 5)
        #expect(ExperimentSpec.Lambda.fraction(1).resolved(steps: 50) == 49)
        #expect(throws: UsageError.self) { _ = try ExperimentRequest.parse(command: "1d", dimensions: .one, ["--lambda", "1.5T"]) }
        #expect(throws: UsageError.self) { _ = try ExperimentRequest.parse(command: "1d", dimensions: .one, ["--reflect-sigma", "5:1"]) }
    }
}
