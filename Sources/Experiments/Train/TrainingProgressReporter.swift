import Foundation
import Toy

/// Training progress on stderr: step, percentage, the moving-average loss and the remaining time
/// (elapsed / steps done x steps left). Shown when stderr is a terminal (one line redrawn at most ten
/// times a second) or when forced (`--progress`; then one line per 10% on a non-terminal), through the
/// throttle of `ProgressReporter`.
public final class TrainingProgressReporter: @unchecked Sendable {
    private let reporter: ProgressReporter
    private let label: String

    public init(label: String, enabled: Bool) {
        self.label = label
        reporter = ProgressReporter(enabled: enabled)
    }

    public func update(_ progress: TrainingProgress) {
        reporter.draw(progress.step, max(1, progress.steps), quietFirstSecond: false) { percent, elapsed in
            let left = Double(progress.steps - progress.step) * elapsed / Double(max(1, progress.step))
            return "  \(self.label): step \(progress.step)/\(progress.steps) (\(percent)%), loss \(NumberFormat.significant(progress.recentLoss, 4)), "
                + "about \(RunTimeEstimate.describe(left)) left  (\(NumberFormat.fixed(elapsed, 1)) s)"
        }
    }

    public func finish() { reporter.finish() }
}
