import Foundation
import Toy

/// The memory a run will need, estimated before anything large is allocated, with the engine's own
/// memory model (`SamplingRun.retainedBytes`: kept samples 8 d bytes each, trajectories (1 + 4 T) points,
/// plus K (N + 1) with Restart,
/// of 8 d + 64 bytes) for every method whose results are held at once (all of them when a figure or a
/// samples file needs them at the end, else one; an export holds every repeat of each), plus the transient projections of the W1 computation (3 x particles x 8
/// bytes) and the chunk buffers of the threads.
///
/// Without a figure, runs above `streamingThreshold` particle-coordinates keep no samples: statistics
/// are streamed (memory independent of the particle count) and W1 comes from histograms, with its
/// binning error shown as "+-". Requests above `limitBytes` (8 GiB, or half the physical memory if
/// less; the engine refuses above half the physical memory) are refused with status 2.
public struct MemoryPlan: Sendable {
    public static let limitBytes = min(8.0 * 1024 * 1024 * 1024, Double(ProcessInfo.processInfo.physicalMemory) / 2)
    public static let streamingThreshold = 50_000_000.0

    public var keepSamples: Bool
    public var estimatedBytes: Double

    public init(_ request: ExperimentRequest) throws {
        let spec = request.spec
        let n = spec.particles, d = spec.dimension
        keepSamples = request.holdsAllSamples || Double(n) * Double(d) <= Self.streamingThreshold
        // Exports hold every repeat of every method; a figure, the first repeat of every method.
        let held = request.holdsAllSamples ? Double(spec.methods.count) * Double(request.holdsEveryRepeat ? spec.repeats : 1) : 1
        let perMethod = SamplingRun.retainedBytes(particles: n, dimension: d, keepSamples: keepSamples,
                                                  trajectories: request.trajectories, steps: spec.steps,
                                                  extraPoints: spec.extraTrajectoryPoints).map { Double($0) } ?? .infinity
        let projections = keepSamples ? 3 * Double(n) * 8 : 0
        let chunks = Double(request.threads) * 2048 * Double(d) * 8 * 4
        estimatedBytes = held * perMethod + projections + chunks
        guard estimatedBytes <= Self.limitBytes else {
            throw UsageError(message: """
                the request needs about \(Self.describe(estimatedBytes)) of memory (\(Self.describe(held * perMethod)) for samples and \
                trajectories of \(Int(held)) method run\(held == 1 ? "" : "s")), above the limit of \(Self.describe(Self.limitBytes)); \
                accepted: fewer --samples, --steps or --trajectories\(request.holdsAllSamples ? ", or no --plot/--ppm/--samples-out (statistics then stream)" : "")\(request.holdsEveryRepeat && spec.repeats > 1 ? ", or fewer --repeats (an export holds every repeat)" : "")
                """)
        }
    }

    public static func describe(_ bytes: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes, unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return value.isFinite ? String(format: "%.1f", value) + " " + units[unit] : "an unbounded amount"
    }
}
