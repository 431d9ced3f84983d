import Experiments
import Foundation
import Testing
import Toy

/// The shared run cache (`RunCache`): a request it holds is answered with the result a fresh run of that
/// request gives, bit for bit, also when the request reaches it through a spec that differs only in what
/// the method does not read; requests that differ in what the method reads are distinct entries with
/// distinct results.
@Suite struct RunCacheTests {
    /// A small 1D run: 600 particles, T = 8.
    static var base: ExperimentSpec {
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.samples = 600
        spec.steps = 8
        spec.lambda = nil
        return spec
    }

    /// The same samples, evaluations and W1 (bit for bit).
    static func same(_ a: MethodResult, _ b: MethodResult) -> Bool {
        a.samples.map(\.bitPattern) == b.samples.map(\.bitPattern) && a.evaluations == b.evaluations
            && a.statistics.wasserstein.bitPattern == b.statistics.wasserstein.bitPattern
    }

    /// Edits of the spec, each with the methods that read what it changes (among those tried).
    static let edits: [(name: String, edit: @Sendable (inout ExperimentSpec) -> Void, readers: Set<MethodName>)] = [
        ("gamma 0.5", { $0.gamma = 0.5 }, [.w2sd, .selfReflection]),
        ("steps 6", { $0.steps = 6 }, [.strong, .w2sd, .selfReflection, .autoguidance]),
        ("guidance 3", { $0.guidance = 3 }, [.autoguidance]),
        ("weak left weight 0", { $0.weak.components[0].weight = 0 }, [.w2sd, .autoguidance]),
        ("strong left weight 0.4", { $0.strong.components[0].weight = 0.4 }, [.strong, .w2sd, .selfReflection, .autoguidance]),
        ("seed 1", { $0.seed = 1 }, [.exact, .strong, .w2sd, .selfReflection, .autoguidance]),
        ("samples 500", { $0.samples = 500 }, [.exact, .strong, .w2sd, .selfReflection, .autoguidance]),
    ]
    static let methods: [MethodName] = [.exact, .strong, .w2sd, .selfReflection, .autoguidance]

    @Test func identicalRequestsAreComputedOnceAndAnsweredExactly() throws {
        let cache = RunCache()
        var spec = Self.base
        spec.methods = Self.methods
        let cached = try ExperimentRunner(spec: spec, threads: 2, cache: cache)
        let fresh = try ExperimentRunner(spec: spec, threads: 1)
        for method in Self.methods {
            let first = try cached.run(method), second = try cached.run(method), plain = try fresh.run(method)
            #expect(Self.same(first, plain) && Self.same(second, plain), "\(method.rawValue): the cached result is the fresh one")
        }
        #expect(cache.count == Self.methods.count)
        #expect(cache.hits == Self.methods.count)

        // A runner that returns no samples gets the same statistics from its own entries.
        var metricsOnly = try ExperimentRunner(spec: spec, threads: 2, cache: cache)
        metricsOnly.returnsSamples = false
        for method in Self.methods {
            let result = try metricsOnly.run(method), plain = try fresh.run(method)
            #expect(result.samples.isEmpty && result.statistics.wasserstein.bitPattern == plain.statistics.wasserstein.bitPattern, "\(method.rawValue)")
        }
        #expect(cache.count == 2 * Self.methods.count)
    }

    /// Concurrent identical requests (cells of a study in parallel): the run is computed once, every caller gets
    /// that result and the others count as hits; a computation that throws lets a waiting caller compute.
    @Test func concurrentIdenticalRequestsAreComputedOnce() throws {
        let cache = RunCache()
        var spec = Self.base
        spec.methods = [.strong]
        let runner = try ExperimentRunner(spec: spec, threads: 1)
        let result = try runner.run(.strong)
        let computations = Counter(), failures = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let answer = try? cache.result(for: "strong") {
                computations.add()
                // Long enough that the other callers arrive while it runs (the property holds for any timing).
                Thread.sleep(forTimeInterval: 0.05)
                return result
            }
            if answer.map({ Self.same($0, result) }) != true { failures.add() }
        }
        #expect(computations.value == 1 && failures.value == 0, "\(computations.value) computations, \(failures.value) wrong answers")
        #expect(cache.count == 1 && cache.hits == 7)

        struct Refused: Error {}
        let attempts = Counter()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            _ = try? cache.result(for: "refused once") {
                attempts.add()
                if attempts.value == 1 { Thread.sleep(forTimeInterval: 0.05); throw Refused() }
                return result
            }
        }
        #expect(attempts.value == 2 && cache.count == 2, "after the first computation threw, one waiter computed: \(attempts.value) attempts")
    }

    /// A count shared by concurrent closures.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.lock(); defer { lock.unlock() }; return count }
        func add() { lock.lock(); count += 1; lock.unlock() }
    }

    /// For every edit and method: through the cache filled from the base spec, the edited spec gets the
    /// result a fresh run of the edited spec gives; the entry is new exactly when the method reads the edit,
    /// and then its result differs from the base's.
    @Test func anEditHitsTheCacheExactlyWhenTheMethodDoesNotReadIt() throws {
        for (name, edit, readers) in Self.edits {
            let cache = RunCache()
            var spec = Self.base
            spec.methods = Self.methods
            var edited = spec
            edit(&edited)
            let before = try ExperimentRunner(spec: spec, threads: 2, cache: cache)
            let after = try ExperimentRunner(spec: edited, threads: 2, cache: cache)
            let fresh = try ExperimentRunner(spec: edited, threads: 2)
            for method in Self.methods {
                let original = try before.run(method)
                let stored = cache.count
                let answer = try after.run(method), truth = try fresh.run(method)
                #expect(Self.same(answer, truth), "\(name), \(method.rawValue): the cache's answer is the fresh run's")
                let reads = readers.contains(method)
                #expect((cache.count == stored + 1) == reads, "\(name), \(method.rawValue): a new entry exactly when the method reads the edit")
                if reads { #expect(!Self.same(answer, original), "\(name), \(method.rawValue): a distinct request has a distinct result") }
            }
        }
    }

    @Test func keysSeparateKeptAndReturnedSamplesTrajectoriesSeedsAndDistances() {
        let spec = Self.base
        let key = { (seed: UInt64, keep: Bool, trajectories: Int) in RunCache.key(.w2sd, seed: seed, spec: spec, keepSamples: keep, trajectories: trajectories) }
        let keys = [key(0, true, 0), key(1, true, 0), key(0, false, 0), key(0, true, 4),
                    RunCache.key(.w2sd, seed: 0, spec: spec, keepSamples: true, returnsSamples: false, trajectories: 0),
                    RunCache.key(.w2sd, seed: 0, spec: spec, keepSamples: true, trajectories: 0, distances: [.wasserstein]),
                    RunCache.key(.w2sd, seed: 0, spec: spec, keepSamples: true, trajectories: 0, distances: [])]
        #expect(keys.allSatisfy { $0 != nil })
        #expect(Set(keys.compactMap { $0 }).count == keys.count)
        var repeated = spec
        repeated.repeats = 5
        repeated.methods = [.strong]
        #expect(RunCache.key(.w2sd, seed: 0, spec: repeated, keepSamples: true, trajectories: 0) == key(0, true, 0), "repeats and the method list are not part of one run")
    }

    /// A run with fewer distances is its own entry: a later request for every metric is not answered with
    /// the NaN of the distances the first run left out, and its W1 is the restricted run's bit for bit.
    @Test func aRestrictedRunIsNotServedToAFullRequest() throws {
        let cache = RunCache()
        var restricted = try ExperimentRunner(spec: Self.base, threads: 1, cache: cache)
        restricted.distances = [.wasserstein]
        let first = try restricted.run(.w2sd)
        let full = try ExperimentRunner(spec: Self.base, threads: 1, cache: cache).run(.w2sd)
        #expect(cache.hits == 0 && cache.count == 2)
        #expect(first.statistics.wasserstein2.isNaN && first.statistics.mmd == nil)
        #expect(full.statistics.wasserstein2.isFinite && full.statistics.mmd != nil)
        #expect(Self.same(first, full))
    }
}
