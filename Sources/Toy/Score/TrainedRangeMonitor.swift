import Foundation

/// Counts how often a field is evaluated, and how often at a noise level outside a range (a learned
/// model's trained range, `TrainingProvenance.trainedRange`): one count per particle of each `scores`
/// call, whichever sampler, inversion or analysis makes it. Thread-safe (the engine evaluates chunks on
/// several threads); the totals are sums of per-call counts, so they do not depend on the thread count.
public final class TrainedRangeMonitor: @unchecked Sendable {
    public let range: ClosedRange<Double>
    private let lock = NSLock()
    private var evaluationCount = 0
    private var outsideCount = 0

    public init(range: ClosedRange<Double>) { self.range = range }

    func record(_ count: Int, sigma: Double) {
        let outside = range.contains(sigma) ? 0 : count
        lock.lock(); defer { lock.unlock() }
        evaluationCount += count
        outsideCount += outside
    }

    /// Particle evaluations of the field so far, and those at a sigma outside `range`.
    public var counts: (evaluations: Int, outside: Int) {
        lock.lock(); defer { lock.unlock() }
        return (evaluationCount, outsideCount)
    }
}

/// A field whose score evaluations are counted by a `TrainedRangeMonitor`; the scores, Jacobian and
/// evaluation cost are the base field's, bit for bit. Its prepared, step and unguided forms count into
/// the same monitor.
public struct RangeMonitoredField: ScoreField {
    public let base: any ScoreField
    public let monitor: TrainedRangeMonitor

    public init(_ base: any ScoreField, monitor: TrainedRangeMonitor) {
        self.base = base
        self.monitor = monitor
    }

    public var dimension: Int { base.dimension }
    public var evaluationCost: Int { base.evaluationCost }

    public func scores(_ x: UnsafePointer<Double>, count: Int, sigma: Double,
                       into out: UnsafeMutablePointer<Double>, streams: inout ParticleStreams) {
        monitor.record(count, sigma: sigma)
        base.scores(x, count: count, sigma: sigma, into: out, streams: &streams)
    }

    public func logDensityHessian(at x: [Double], sigma: Double) -> [Double]? { base.logDensityHessian(at: x, sigma: sigma) }

    public func prepared(for sigmas: [Double]) -> any ScoreField { RangeMonitoredField(base.prepared(for: sigmas), monitor: monitor) }

    public func field(forStepFrom sigma: Double) -> any ScoreField { RangeMonitoredField(base.field(forStepFrom: sigma), monitor: monitor) }

    public var withoutGuidance: (any ScoreField)? { base.withoutGuidance.map { RangeMonitoredField($0, monitor: monitor) } }
}
