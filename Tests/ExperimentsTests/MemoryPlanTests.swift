import Experiments
import Testing
import Toy

/// The memory model: one formula (the engine's), refusal above the limit before any allocation.
@Suite struct MemoryPlanTests {
    static func request(_ arguments: [String]) throws -> ExperimentRequest {
        try ExperimentRequest.parse(command: "1d", dimensions: .one, arguments)
    }

    @Test func pricesKeptSamplesWithTheEngineFormula() throws {
        let request = try Self.request(["--samples", "1000", "--trajectories", "10", "--steps", "20"])
        let plan = try MemoryPlan(request)
        let engine = try #require(SamplingRun.retainedBytes(particles: 1000, dimension: 1, keepSamples: true, trajectories: 10, steps: 20))
        // One method held at a time without a figure, plus 3 x 1000 x 8 bytes of W1 projections and the chunk buffers.
        #expect(plan.keepSamples)
        #expect(plan.estimatedBytes == Double(engine) + 3 * 1000 * 8 + Double(request.threads) * 2048 * 8 * 4)
    }

    @Test(arguments: [["--samples", "2000000000", "--plot", "/tmp/never-written.svg"],
                      ["--steps", "1000000", "--samples", "5000", "--trajectories", "5000", "--plot", "/tmp/never-written.svg"]])
    func refusesAboveTheLimit(_ arguments: [String]) throws {
        let request = try Self.request(arguments)
        #expect(throws: UsageError.self) { try MemoryPlan(request) }
    }
}
