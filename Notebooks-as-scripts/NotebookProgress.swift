import Experiments
import Foundation

/// A notebook's progress on stderr (`StepProgress`: step n of m and the time left, estimated from the
/// steps done), drawn by `ProgressReporter` only when stderr is a terminal or `--progress` asks for it.
/// A body declares its steps (`plan`) as it learns them and marks each finished one (`advance`); both
/// may be called from concurrent cells.
final class NotebookProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let reporter: ProgressReporter
    private var done = 0
    private var total = 0

    init(notebook: String, enabled: Bool) {
        reporter = ProgressReporter(enabled: enabled)
        reporter.begin(notebook)
    }

    /// Adds `steps` to the steps of the notebook.
    func plan(_ steps: Int) {
        lock.lock()
        total += steps
        let (d, t) = (done, total)
        lock.unlock()
        reporter.step(d, of: t)
    }

    /// Marks `steps` steps finished.
    func advance(_ steps: Int = 1) {
        lock.lock()
        done += steps
        let (d, t) = (done, total)
        lock.unlock()
        reporter.step(d, of: t)
    }

    /// Clears the line (the command then prints the notebook's time).
    func finish() { reporter.finish() }
}
