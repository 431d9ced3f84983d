import Foundation

/// Progress on stderr for runs longer than about a second, only when stderr is a terminal (so logs,
/// pipes and tests see nothing). Called from worker threads; updates at most ten times a second.
public final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let enabled: Bool
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private var drawn = false
    private var label = ""
    private var whenDone = ""

    public init(enabled: Bool = isatty(2) == 1) { self.enabled = enabled }

    /// Starts a new phase, e.g. "w2sd (3/4)"; `whenDone` is shown once all its units are done.
    public func begin(_ label: String, whenDone: String = "sampled; computing statistics and W1") {
        lock.lock(); defer { lock.unlock() }
        self.label = label
        self.whenDone = whenDone
    }

    /// `done` of `total` units of the current phase.
    public func update(_ done: Int, _ total: Int) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - start > 1_000_000_000, now - lastDraw > 100_000_000 || done == total else { return }
        lastDraw = now
        drawn = true
        let percent = total > 0 ? 100 * done / total : 100
        let elapsed = Double(now - start) / 1e9
        let state = done == total ? whenDone : "\(percent)%"
        FileHandle.standardError.write(Data("\r\u{1B}[K  \(label): \(state)  (\(String(format: "%.1f", elapsed)) s)".utf8))
    }

    /// Clears the progress line.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}
