import Dispatch
import Foundation

/// A sampler applied to many particles: processed in fixed-size chunks spread over threads.
///
/// Particle i draws all its randomness (prior, re-noising, perturbations) from stream i of `seed`, and
/// every floating-point reduction happens per chunk and merges in chunk order, so the samples and
/// statistics are bit-identical for any thread count and any chunk size (the statistics only for
/// a fixed chunk size: merging order follows chunks).
public struct SamplingRun: Sendable {
    public var sampler: Sampler
    public var prior: Prior
    public var particles: Int
    public var seed: UInt64
    public var threads: Int
    public var chunkSize: Int
    /// How many particles (the first ones) to record trajectories of.
    public var trajectories: Int
    /// Keep the final samples or stream statistics only (memory independent of particles). Kept samples
    /// give exact W1 / W2 in 1D, and for d >= 2 up to `SampleStatistics.exactSliceLimit` samples; beyond,
    /// d >= 2 uses the projection histograms (with their stated error) like a streamed run.
    public var keepSamples: Bool
    /// The reference for statistics; nil computes none.
    public var ideal: GaussianMixture?
    /// The costly distances the statistics include (all by default; `SampleStatistics.Distances`).
    public var distances: SampleStatistics.Distances = .all

    /// The particles of one chunk unless a run asks otherwise: the unit a run's threads take work in.
    public static let defaultChunkSize = 2048

    public init(sampler: Sampler, prior: Prior = .gaussian, particles: Int, seed: UInt64 = 0,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, chunkSize: Int = defaultChunkSize,
                trajectories: Int = 0, keepSamples: Bool = true, ideal: GaussianMixture? = nil) {
        self.sampler = sampler
        self.prior = prior
        self.particles = particles
        self.seed = seed
        self.threads = threads
        self.chunkSize = chunkSize
        self.trajectories = trajectories
        self.keepSamples = keepSamples
        self.ideal = ideal
    }

    public var dimension: Int { sampler.field.dimension }

    /// Runs every chunk. `progress(done, total)` is called after each chunk (from worker threads).
    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> SamplingResult {
        guard particles >= 1 else { throw ToyError.invalid(input: "samples", accepted: "an integer >= 1 (got \(particles))") }
        guard threads >= 1 else { throw ToyError.invalid(input: "threads", accepted: "an integer >= 1 (got \(threads))") }
        guard chunkSize >= 1 else { throw ToyError.invalid(input: "chunk size", accepted: "an integer >= 1 (got \(chunkSize))") }
        if let ideal, ideal.dimension != dimension {
            throw ToyError.invalid(input: "ideal model", accepted: "dimension \(dimension) like the sampler (got \(ideal.dimension))")
        }
        let d = dimension
        try checkMemory()
        let chunkCount = (particles - 1) / chunkSize + 1 // (particles + chunkSize - 1) would overflow near Int.max
        let workers = min(threads, chunkCount)
        let board = ChunkBoard(chunks: chunkCount, workers: workers)
        // Histograms for streamed runs, and for kept samples of d >= 2 beyond the exact-slice limit.
        let binned = !keepSamples || (d >= 2 && particles > SampleStatistics.exactSliceLimit)
        let histogramTemplate = binned ? ideal.map { ProjectionHistograms(ideal: $0) } : nil
        let reference = ideal.map { StatisticsReference(ideal: $0) }
        let sigma0 = sampler.settings.sigmas[0]
        let sampler = self.sampler.preparedForItsLevels()
        let work: @Sendable (SharedOutput) -> Void = { output in
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var histograms = histogramTemplate
                while let chunk = board.nextChunk() {
                    let first = chunk * chunkSize, count = min(chunkSize, particles - first)
                    var streams = ParticleStreams(seed: seed, first: first, count: count)
                    var recorder = TrajectoryRecorder(firstParticle: first, chunkCount: count, requested: trajectories, dimension: d)
                    var x = [Double](repeating: 0, count: count * d)
                    var outcome = ChunkOutcome()
                    do {
                        try x.withUnsafeMutableBufferPointer { buffer in
                            let base = buffer.baseAddress!
                            prior.draw(into: base, count: count, dimension: d, sigma: sigma0, streams: &streams)
                            outcome.evaluations = try sampler.run(base, count: count, streams: &streams, recorder: &recorder)
                            if let bad = (0..<(count * d)).first(where: { !base[$0].isFinite }) {
                                throw ToyError.notConverged(
                                    what: "sampling", detail: "particle \(first + bad / d) ended non-finite (the steps overflowed); "
                                        + "accepted: a smaller sigma-max or gamma, or more steps")
                            }
                            output.base?.advanced(by: first * d).update(from: base, count: count * d)
                        }
                        outcome.trajectories = recorder.trajectories
                        if let reference {
                            x.withUnsafeBufferPointer { buffer in
                                outcome.moments = ChunkMoments(samples: buffer, firstIndex: first, reference: reference)
                                outcome.outside = histograms?.add(buffer, dimension: d)
                            }
                        }
                    } catch {
                        outcome.error = error
                    }
                    board.finish(chunk, with: outcome)
                    progress?(board.finishedCount, chunkCount)
                }
                board.store(histograms, worker: worker)
            }
        }
        var samples: [Double] = []
        if keepSamples {
            samples = [Double](unsafeUninitializedCapacity: particles * d) { buffer, initialised in
                work(SharedOutput(base: buffer.baseAddress))
                initialised = particles * d
            }
        } else {
            work(SharedOutput(base: nil))
        }
        return try board.result(samples: samples, ideal: ideal, threads: threads, distances: distances)
    }
}

extension SamplingRun {
    /// Bytes a run holds beyond its chunks: 8 d per kept sample, and per recorded trajectory point
    /// (at most 1 + 4 T per trajectory: start, reflection down, up, reflected, step, or a churn and a
    /// step; plus K (N + 1) for Restart, `Sampler.extraTrajectoryPoints`) 8 d plus about 64 of
    /// bookkeeping. nil on overflow. Statistics-only runs without trajectories need none: they stream.
    public var retainedBytes: UInt64? {
        Self.retainedBytes(particles: particles, dimension: dimension, keepSamples: keepSamples,
                           trajectories: trajectories, steps: sampler.settings.steps, extraPoints: sampler.extraTrajectoryPoints)
    }

    /// The memory model of a run (the one the command line prices requests with): see `retainedBytes`.
    /// `extraPoints`: trajectory points per recorded particle beyond 1 + 4 T.
    public static func retainedBytes(particles: Int, dimension: Int, keepSamples: Bool, trajectories: Int, steps: Int,
                                     extraPoints: Int = 0) -> UInt64? {
        let d = UInt64(max(0, dimension))
        let (samples, o1) = UInt64(keepSamples ? max(0, particles) : 0).multipliedReportingOverflow(by: 8 * d)
        let points = 1 + 4 * UInt64(min(max(0, steps), 1 << 40)) + UInt64(min(max(0, extraPoints), 1 << 40))
        let perTrajectory = points * (8 * d + 64)
        let (paths, o2) = UInt64(max(0, min(trajectories, particles))).multipliedReportingOverflow(by: perTrajectory)
        let (total, o3) = samples.addingReportingOverflow(paths)
        return o1 || o2 || o3 ? nil : total
    }

    /// Refuses, before allocating anything, a run whose kept samples and trajectories would need more
    /// than half the physical memory.
    func checkMemory() throws {
        let limit = ProcessInfo.processInfo.physicalMemory / 2
        guard let bytes = retainedBytes, bytes <= limit else {
            let needed = retainedBytes.map { String(format: "%.3g GB", Double($0) / 1e9) } ?? "more than 1.8e10 GB"
            throw ToyError.invalid(
                input: "samples",
                accepted: "a run whose kept samples and trajectories fit in half the memory (\(needed) needed, "
                    + String(format: "%.3g GB", Double(limit) / 1e9) + " allowed); keep statistics only (they stream) or use fewer samples")
        }
    }
}

/// The outcome of a run.
public struct SamplingResult: Sendable {
    /// Final samples, flat [i * d + j]; empty when the run kept statistics only.
    public var samples: [Double]
    /// Recorded trajectories, ordered by particle index.
    public var trajectories: [Trajectory]
    /// Mixture-score evaluations spent in the whole run.
    public var evaluations: Int
    /// Statistics against the ideal model, when one was given.
    public var statistics: SampleStatistics?
}

/// The output buffer of a run: each chunk writes its own disjoint range.
struct SharedOutput: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>?
}

/// What one chunk produced.
struct ChunkOutcome: @unchecked Sendable {
    var evaluations = 0
    var trajectories: [Trajectory] = []
    var moments: ChunkMoments?
    var outside: ProjectionHistograms.OutsideSums?
    var error: (any Error)?
}

/// The shared state of a run's workers: the next chunk to take, and one slot per chunk for its outcome.
/// Each slot is written by exactly one worker, under the lock.
final class ChunkBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private(set) var finishedCount = 0
    private var outcomes: [ChunkOutcome?]
    private var histograms: [ProjectionHistograms?]
    private var failed = false

    init(chunks: Int, workers: Int) {
        outcomes = [ChunkOutcome?](repeating: nil, count: chunks)
        histograms = [ProjectionHistograms?](repeating: nil, count: workers)
    }

    /// The next chunk index, or nil when all are taken or a chunk has failed.
    func nextChunk() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard !failed, next < outcomes.count else { return nil }
        next += 1
        return next - 1
    }

    func finish(_ chunk: Int, with outcome: ChunkOutcome) {
        lock.lock(); defer { lock.unlock() }
        if outcome.error != nil { failed = true }
        outcomes[chunk] = outcome
        finishedCount += 1
    }

    func store(_ histogram: ProjectionHistograms?, worker: Int) {
        lock.lock(); defer { lock.unlock() }
        histograms[worker] = histogram
    }

    /// Merges the chunk outcomes in chunk order. Throws the error of the lowest failed chunk.
    func result(samples: [Double], ideal: GaussianMixture?, threads: Int, distances: SampleStatistics.Distances) throws -> SamplingResult {
        if let error = outcomes.compactMap({ $0?.error }).first { throw error }
        var evaluations = 0
        var trajectories: [Trajectory] = []
        var moments: ChunkMoments?
        var outside: ProjectionHistograms.OutsideSums?
        for case let outcome? in outcomes {
            evaluations += outcome.evaluations
            trajectories += outcome.trajectories
            if let m = outcome.moments {
                if moments == nil { moments = m } else { moments?.merge(m) }
            }
            if let o = outcome.outside {
                if outside == nil { outside = o } else { outside?.merge(o) }
            }
        }
        var statistics: SampleStatistics?
        if let ideal, let moments {
            if var merged = histograms.compactMap({ $0 }).first, let outside {
                for h in histograms.compactMap({ $0 }).dropFirst() { merged.merge(h) }
                statistics = SampleStatistics(moments: moments, ideal: ideal, histograms: merged, outside: outside, threads: threads,
                                              distances: distances)
            } else {
                statistics = SampleStatistics(moments: moments, ideal: ideal, samples: samples, threads: threads, distances: distances)
            }
        }
        return SamplingResult(samples: samples, trajectories: trajectories, evaluations: evaluations, statistics: statistics)
    }
}

extension SamplingRun {
    /// The score evaluations of each step (its reflection included) for the run's first particle, drawn
    /// and moved exactly as `run()` moves it: what every particle spends at each step, for every method
    /// whose count does not depend on the particle (`exact` inversion's Newton iterations can differ).
    /// Their sum is the evaluations of the same run with one particle.
    public func evaluationsPerStep() throws -> [Int] {
        let d = dimension
        let sampler = self.sampler.preparedForItsLevels()
        var counts = [Int](repeating: 0, count: sampler.settings.steps)
        var streams = ParticleStreams(seed: seed, first: 0, count: 1)
        var recorder = TrajectoryRecorder(firstParticle: 0, chunkCount: 1, requested: 0, dimension: d)
        var x = [Double](repeating: 0, count: d)
        try x.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            prior.draw(into: base, count: 1, dimension: d, sigma: sampler.settings.sigmas[0], streams: &streams)
            _ = try sampler.run(base, count: 1, streams: &streams, recorder: &recorder) { step, evaluations in counts[step] = evaluations }
        }
        return counts
    }
}
