import Foundation

/// Progress on stderr for runs longer than about a second, only when stderr is a terminal (so logs,
/// pipes and tests see nothing) unless forced (`--progress`). Each phase shows its percentage and an
/// estimate of its remaining time (elapsed / done x remaining). Called from worker threads; updates at
/// most ten times a second (a forced, non-terminal stderr gets one line per 10% instead).
public final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let enabled: Bool
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private var drawn = false
    private var label = ""
    private var whenDone = ""
    private var phaseStart = DispatchTime.now().uptimeNanoseconds
    private var lastDecile = -1
    private let terminal = isatty(2) == 1

    public init(enabled: Bool = isatty(2) == 1) { self.enabled = enabled }

    /// Starts a new phase, e.g. "w2sd (3/4)"; `whenDone` is shown once all its units are done.
    public func begin(_ label: String, whenDone: String = "sampled; computing statistics and W1") {
        lock.lock(); defer { lock.unlock() }
        self.label = label
        self.whenDone = whenDone
        phaseStart = DispatchTime.now().uptimeNanoseconds
        lastDecile = -1
    }

    /// `done` of `total` units of the current phase.
    public func update(_ done: Int, _ total: Int) {
        draw(done, total, quietFirstSecond: true) { percent, elapsed in
            let now = DispatchTime.now().uptimeNanoseconds
            let phase = Double(now - self.phaseStart) / 1e9
            let remaining = done > 0 && done < total ? ", about \(RunTimeEstimate.describe(phase / Double(done) * Double(total - done))) left" : ""
            let state = done == total ? self.whenDone : "\(percent)%\(remaining)"
            return "  \(self.label): \(state)  (\(NumberFormat.fixed(elapsed, 1)) s)"
        }
    }

    /// `done` of `total` steps of the current phase (its label names the job), as `StepProgress` writes it;
    /// the elapsed time is counted from this reporter's creation.
    public func step(_ done: Int, of total: Int) {
        draw(done, total, quietFirstSecond: false) { _, elapsed in StepProgress.text(self.label, done: done, of: total, elapsed: elapsed) }
    }

    /// Draws the line `text(percent, elapsed seconds)` for `done` of `total` units: on a terminal redrawn
    /// in place at most ten times a second (not in the first second when `quietFirstSecond`), elsewhere
    /// one line per 10%. The one throttle of every progress display.
    func draw(_ done: Int, _ total: Int, quietFirstSecond: Bool, _ text: (Int, Double) -> String) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = DispatchTime.now().uptimeNanoseconds
        let percent = total > 0 ? 100 * done / total : 100
        if terminal {
            guard !quietFirstSecond || now - start > 1_000_000_000, now - lastDraw > 100_000_000 || done == total else { return }
        } else {
            guard percent / 10 > lastDecile else { return }
            lastDecile = percent / 10
        }
        lastDraw = now
        drawn = true
        let line = text(percent, Double(now - start) / 1e9)
        FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    /// Clears the progress line.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        if drawn && terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}
