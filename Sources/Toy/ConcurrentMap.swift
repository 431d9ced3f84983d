import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// `map` with the elements spread over `threads` workers: each worker takes the next element not yet
    /// taken, in input order, so elements of unequal cost keep every worker busy (put the costly ones
    /// first). The result is in input order and, for a pure `transform`, identical for any thread count.
    public func concurrentMap<T: Sendable>(threads: Int, _ transform: @Sendable (Element) -> T) -> [T] {
        let workers = Swift.max(1, Swift.min(threads, count))
        let results = ResultSlots<T>(count: count)
        let items = self
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = results.next() {
                results.store(transform(items[index]), at: index)
            }
        }
        return results.values
    }
}

/// The slots of a concurrent map, each written once under the lock, and the next index to take.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]
    private var taken = 0

    init(count: Int) { slots = [T?](repeating: nil, count: count) }

    /// The next index no worker has taken, nil when all are taken.
    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard taken < slots.count else { return nil }
        defer { taken += 1 }
        return taken
    }

    func store(_ value: T, at index: Int) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = value
    }

    var values: [T] { slots.compactMap { $0 } }
}

/// A thread-safe count of finished work items (for progress reports from `concurrentMap` workers).
public final class FinishedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    public init() {}

    /// Counts one more finished item and returns the count so far.
    public func increment() -> Int {
        lock.lock(); defer { lock.unlock() }
        value += 1
        return value
    }
}
