import Dispatch
import Foundation
import Toy

/// Runs the cells of a study (a sweep or a frontier): each cell an experiment whose methods run for
/// the same seeds seed ... seed + repeats - 1, so cells and methods share their prior draws and every
/// difference between cells is paired by seed.
///
/// Two ways to use the cores, with identical results (samples and statistics do not depend on the
/// thread count at the engine's fixed chunk size): `.cells` runs several cells at once, one thread
/// each; `.runs` runs one cell at a time with every thread. `preferred` picks `.runs` when the engine's
/// 2048-particle chunks of the largest cell keep every thread busy (see `preferred`), else `.cells`: on
/// the sweep benchmark (20,000 particles, two threads) `.runs` took 19.3-22.2 s against 20.5-24.7 s for
/// `.cells` in three runs on the loaded two-core machine (each order tried), while a cell of one chunk
/// would leave a thread idle.
/// Statistics are streamed or kept as
/// `MemoryPlan` decides for one run (kept up to 5 x 10^7 sample coordinates, for the exact W1); each
/// method's samples are dropped as soon as its metrics are taken.
public struct StudyExecutor: Sendable {
    public enum Parallelism: String, Sendable, CaseIterable {
        case cells, runs
    }

    /// `.runs` when the largest cell's chunks keep every thread busy: at least one per thread and either
    /// a multiple of the threads or at least four per thread (so the last round of chunks idles at most a
    /// quarter of a thread's work); else `.cells`. 10,000 particles are 5 chunks, which two threads take as
    /// 3 + 2 (a sixth of the cores idle) in `.runs`, while `.cells` keeps both busy over many cells.
    public static func preferred(for cells: [ExperimentSpec], threads: Int) -> Parallelism {
        let particles = cells.map(\.particles).max() ?? 0, threads = max(1, threads)
        let chunks = (particles + SamplingRun.defaultChunkSize - 1) / SamplingRun.defaultChunkSize
        return chunks >= threads && (chunks % threads == 0 || chunks >= 4 * threads) ? .runs : .cells
    }

    public var threads: Int
    public var parallelism: Parallelism
    /// Kept samples (exact W1) or streamed statistics; the same for every cell.
    public var keepSamples: Bool
    /// Runs shared with other studies (`RunCache`): a method run another cell or study already made
    /// with the same request is taken from it.
    public var cache: RunCache?

    public init(threads: Int, parallelism: Parallelism = .cells, keepSamples: Bool, cache: RunCache? = nil) {
        self.threads = max(1, threads)
        self.parallelism = parallelism
        self.keepSamples = keepSamples
        self.cache = cache
    }

    /// Keeps samples as `MemoryPlan` would for one run of the largest cell, and refuses (status 2) a
    /// study whose concurrent runs would need more than `MemoryPlan.limitBytes`; `parallelism` nil
    /// takes the `preferred` one.
    public init(threads: Int, parallelism: Parallelism? = nil, cells: [ExperimentSpec], cache: RunCache? = nil) throws {
        let largest = cells.map { Double($0.particles) * Double($0.dimension) }.max() ?? 0
        let keep = largest <= MemoryPlan.streamingThreshold
        self.init(threads: threads, parallelism: parallelism ?? Self.preferred(for: cells, threads: threads), keepSamples: keep, cache: cache)
        let concurrent = Double(parallelism == .cells ? min(self.threads, max(1, cells.count)) : 1)
        let perRun = cells.map { spec -> Double in
            let retained = SamplingRun.retainedBytes(particles: spec.particles, dimension: spec.dimension, keepSamples: keep,
                                                     trajectories: 0, steps: spec.steps).map { Double($0) } ?? .infinity
            return retained + (keep ? 3 * Double(spec.particles) * 8 : 0) + 2048 * Double(spec.dimension) * 8 * 4
        }.max() ?? 0
        let bytes = concurrent * perRun
        guard bytes <= MemoryPlan.limitBytes else {
            throw UsageError(message: "the study needs about \(MemoryPlan.describe(bytes)) of memory (\(Int(concurrent)) runs at once), above the limit of \(MemoryPlan.describe(MemoryPlan.limitBytes)); accepted: fewer --samples or --threads")
        }
    }

    /// Runs every cell (its methods, `repeats` seeds each) and returns their metrics in cell order, each
    /// run's statistics with the chosen `distances` (the others NaN). `progress(done, total)` counts
    /// finished cells. Throws `RunError` when a run fails.
    public func run(_ cells: [ExperimentSpec], distances: SampleStatistics.Distances = .all,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [RepeatedRuns] {
        let slots = CellSlots(count: cells.count)
        let (keep, cache) = (keepSamples, self.cache)
        switch parallelism {
        case .runs:
            for (j, spec) in cells.enumerated() {
                slots.store(Result { try Self.runCell(spec, threads: threads, keepSamples: keep, cache: cache, distances: distances) }, at: j)
                progress?(slots.finished, cells.count)
            }
        case .cells:
            let workers = min(threads, max(1, cells.count))
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let j = slots.next(), j < cells.count {
                    slots.store(Result { try Self.runCell(cells[j], threads: 1, keepSamples: keep, cache: cache, distances: distances) }, at: j)
                    progress?(slots.finished, cells.count)
                }
            }
        }
        return try slots.results().enumerated().map { j, result in
            do { return try result.get() } catch {
                throw RunError(message: "cell \(j) failed: \(error)")
            }
        }
    }

    /// One cell: every method of the spec for its repeats, metrics only.
    static func runCell(_ spec: ExperimentSpec, threads: Int, keepSamples: Bool, cache: RunCache?,
                        distances: SampleStatistics.Distances) throws -> RepeatedRuns {
        var runner = try ExperimentRunner(spec: spec, threads: threads, trajectories: 0, keepSamples: keepSamples, cache: cache)
        runner.returnsSamples = false
        runner.distances = distances
        return try runner.runRepeats(spec.repeats, modeNames: spec.modeNames, holdSamples: false).runs
    }
}

/// Work distribution and result slots of concurrent cells (each slot written once, under the lock).
private final class CellSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<RepeatedRuns, any Error>?]
    private var nextIndex = 0
    private var finishedCount = 0

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard nextIndex < slots.count else { return nil }
        defer { nextIndex += 1 }
        return nextIndex
    }

    func store(_ result: Result<RepeatedRuns, any Error>, at j: Int) {
        lock.lock(); defer { lock.unlock() }
        slots[j] = result
        finishedCount += 1
    }

    var finished: Int {
        lock.lock(); defer { lock.unlock() }
        return finishedCount
    }

    func results() -> [Result<RepeatedRuns, any Error>] { slots.compactMap { $0 } }
}
