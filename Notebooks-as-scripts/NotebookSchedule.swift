import Dispatch
import Foundation

/// How `notebooks all` shares the cores between notebooks: up to two run at once, each with every
/// worker thread, taken in the order of `Notebook.all` as workers come free. A notebook's results do not
/// depend on the threads it gets (the engine's fixed chunks) nor on what runs beside it (each writes only
/// its own folder; the shared `RunCache` is locked and holds identical results for identical requests),
/// so the outputs are those of one notebook at a time; only the times change. On the 2-core machine the
/// second notebook fills the core the first leaves idle in its serial parts.
enum NotebookSchedule {
    /// Notebooks at once: 2 when there are several and at least two threads, else 1.
    static func atOnce(notebooks: Int, threads: Int) -> Int {
        notebooks > 1 && threads > 1 ? 2 : 1
    }

    /// `body` for every notebook, `atOnce` at a time; the results in the notebooks' order.
    static func run<T: Sendable>(_ notebooks: [Notebook], atOnce: Int,
                                 _ body: @escaping @Sendable (Notebook) -> T) -> [T] {
        let slots = Slots<T>(count: notebooks.count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(atOnce, notebooks.count))) { _ in
            while let i = slots.next() { slots.store(body(notebooks[i]), at: i) }
        }
        return slots.results()
    }

    /// The next notebook to start and the results so far, under a lock.
    private final class Slots<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var nextIndex = 0
        private var stored: [T?]

        init(count: Int) { stored = Array(repeating: nil, count: count) }

        func next() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard nextIndex < stored.count else { return nil }
            nextIndex += 1
            return nextIndex - 1
        }

        func store(_ value: T, at index: Int) {
            lock.lock(); defer { lock.unlock() }
            stored[index] = value
        }

        func results() -> [T] {
            lock.lock(); defer { lock.unlock() }
            return stored.compactMap { $0 }
        }
    }
}
