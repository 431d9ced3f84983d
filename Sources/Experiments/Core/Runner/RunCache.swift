import Foundation
import Toy

/// Results of method runs shared by everything that holds the same cache (the notebooks: one cache for
/// every notebook of a process), so a run that several studies or cells make identically is computed
/// once. A run is identified by its request as the method reads it (`RunCache.key`); equal keys give
/// bit-identical results, because a run's samples and statistics depend only on that request (not on
/// the thread count, W2SD-NOTES and the engine's fixed chunks), which `SettingReadersTests` checks
/// setting by setting and method by method. The stored result is returned as it was computed, its
/// `seconds` included (the time of the run that computed it).
///
/// A request made while an identical one is being computed (concurrent cells of a study)
/// waits for that result instead of computing it again; if that computation throws, one waiter computes.
public final class RunCache: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [String: MethodResult] = [:]
    private var inFlight: Set<String> = []
    private var hitCount = 0

    public init() {}

    /// Runs served from the cache so far.
    public var hits: Int {
        condition.lock(); defer { condition.unlock() }
        return hitCount
    }

    /// Distinct requests stored.
    public var count: Int {
        condition.lock(); defer { condition.unlock() }
        return results.count
    }

    /// The stored result of `key`, or `compute()`'s, stored under it.
    public func result(for key: String, compute: () throws -> MethodResult) rethrows -> MethodResult {
        condition.lock()
        while true {
            if let found = results[key] {
                hitCount += 1
                condition.unlock()
                return found
            }
            guard inFlight.contains(key) else { break }
            condition.wait()
        }
        inFlight.insert(key)
        condition.unlock()
        let computed: MethodResult
        do {
            computed = try compute()
        } catch {
            condition.lock()
            inFlight.remove(key)
            condition.broadcast()
            condition.unlock()
            throw error
        }
        condition.lock()
        results[key] = computed
        inFlight.remove(key)
        condition.broadcast()
        condition.unlock()
        return computed
    }

    /// The request of `method` at `seed` on `spec` as the method reads it, as canonical JSON (sorted
    /// keys): the method, seed, kept and returned samples, recorded trajectories and the distances its
    /// statistics include (`SampleStatistics.Distances`); the class; the ideal model (every
    /// method's reference) and the strong and weak models only for the methods that use them
    /// (`MethodName.using`); and every sampler setting except those declared as read by other methods
    /// only (`SettingReaders.methods` not naming this one). `repeats` and `methods` are not part of a
    /// single run. Nil only if the encoder fails.
    public static func key(_ method: MethodName, seed: UInt64, spec: ExperimentSpec, keepSamples: Bool, returnsSamples: Bool = true,
                           trajectories: Int, distances: SampleStatistics.Distances = .all) -> String? {
        var single = spec
        single.seed = seed
        single.repeats = 1
        single.methods = [method]
        var sampler = single.samplerDocument
        for setting in ExperimentSpec.samplerSettings {
            if let readers = setting.option.readers.methodReaders, readers.readers(among: [method], in: single).isEmpty {
                sampler[setting.jsonKey] = nil
            }
        }
        let request = Request(method: method.rawValue, seed: seed, keepSamples: keepSamples, returnsSamples: returnsSamples, trajectories: trajectories,
                              distances: distances.rawValue,
                              condition: single.condition, ideal: single.ideal,
                              strong: MethodName.using(.strong).contains(method) ? single.strong : nil,
                              weak: MethodName.using(.weak).contains(method) ? single.weak : nil, sampler: sampler)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(request)).map { String(decoding: $0, as: UTF8.self) }
    }

    private struct Request: Encodable {
        var method: String
        var seed: UInt64
        var keepSamples: Bool
        var returnsSamples: Bool
        var trajectories: Int
        var distances: Int
        var condition: String?
        var ideal: MixtureSpec
        var strong: MixtureSpec?
        var weak: MixtureSpec?
        var sampler: [String: ScalarValue]
    }
}
