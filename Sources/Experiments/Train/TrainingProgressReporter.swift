import Foundation
import Toy

/// Training progress on stderr: step, percentage, the moving-average loss and the remaining time
/// (elapsed / steps done x steps left). Shown when stderr is a terminal (one line redrawn at most ten
/// times a second) or when forced (`--progress`; then one line per 10% on a non-terminal).
public final class TrainingProgressReporter: @unchecked Sendable {
    private let enabled: Bool
    private let terminal = isatty(2) == 1
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private var lastDecile = -1
    private var drawn = false
    private let label: String

    public init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
    }

    public func update(_ progress: TrainingProgress) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let percent = 100 * progress.step / max(1, progress.steps)
        if terminal {
            guard now - lastDraw > 100_000_000 || progress.step == progress.steps else { return }
        } else {
            guard percent / 10 > lastDecile else { return }
            lastDecile = percent / 10
        }
        lastDraw = now
        drawn = true
        let elapsed = Double(now - start) / 1e9
        let left = Double(progress.steps - progress.step) * elapsed / Double(max(1, progress.step))
        let line = "  \(label): step \(progress.step)/\(progress.steps) (\(percent)%), loss \(NumberFormat.significant(progress.recentLoss, 4)), "
            + "about \(RunTimeEstimate.describe(left)) left  (\(NumberFormat.fixed(elapsed, 1)) s)"
        FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    public func finish() {
        if drawn && terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}
