import Foundation
import Toy

/// The memory a run will need, estimated before anything large is allocated.
///
/// - kept samples: particles x d x 8 bytes per method, for every method when a figure needs them
///   all at the end, otherwise one method at a time; plus the transient projections of the W1
///   computation (3 x particles x 8 bytes);
/// - trajectories: K x points x (8 d + 80) bytes per method (points = 1 + T + 3 lambda at most);
/// - the noise schedule: T x 8 bytes, a few copies.
///
/// Without a figure, runs above `streamingThreshold` particle-coordinates keep no samples: statistics
/// are streamed (memory independent of the particle count) and W1 comes from histograms, with its
/// binning error shown as "+-". Requests above `limitBytes` (8 GiB, or half the physical memory if
/// less) are refused with status 2.
struct MemoryPlan {
    /// 8 GiB, or half the physical memory where that is less (the engine's own refusal threshold), so
    /// the command line refuses first, with status 2.
    static let limitBytes = min(8.0 * 1024 * 1024 * 1024, Double(ProcessInfo.processInfo.physicalMemory) / 2)
    static let streamingThreshold = 50_000_000.0

    var keepSamples: Bool
    var estimatedBytes: Double

    init(_ spec: ExperimentSpec) throws {
        let n = Double(spec.particles), d = Double(spec.dimension), methods = Double(spec.methods.count)
        let steps = Double(spec.settings.steps), lambda = Double(spec.settings.lambda)
        keepSamples = spec.wantsFigure || n * d <= Self.streamingThreshold
        let perMethodSamples = keepSamples ? n * d * 8 + 3 * n * 8 : 0
        let samples = spec.wantsFigure ? methods * n * d * 8 + 3 * n * 8 : perMethodSamples
        let points = 1 + steps + 3 * lambda
        let trajectories = methods * Double(spec.trajectories) * points * (8 * d + 80)
        let schedule = 8 * steps * 8
        let chunks = Double(spec.threads) * 2048 * d * 8 * 4
        estimatedBytes = samples + trajectories + schedule + chunks
        guard estimatedBytes <= Self.limitBytes else {
            throw UsageError(message: """
                the request needs about \(Self.describe(estimatedBytes)) of memory (samples \(Self.describe(samples)), \
                trajectories \(Self.describe(trajectories))), above the limit of \(Self.describe(Self.limitBytes)); \
                accepted: fewer --samples, --steps or --trajectories\(spec.wantsFigure ? ", or no --plot/--ppm (statistics then stream)" : "")
                """)
        }
    }

    static func describe(_ bytes: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes, unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return value.isFinite ? String(format: "%.1f", value) + " " + units[unit] : "an unbounded amount"
    }
}
