/// The progress line of a job made of steps (a notebook's runs and analyses), e.g.
/// `figure-19-cosine: step 4 of 12 (41.2 s so far, about 1.8 min left)`.
///
/// The time left assumes the remaining steps take as long as the finished ones did on average:
/// elapsed / done x (total - done). Before the first step has finished it is not known, and the line
/// says so instead of guessing.
public enum StepProgress {
    /// The line for `done` finished steps of `total` after `elapsed` seconds. `done` is clamped to
    /// 0 ... total; a negative or non-finite `elapsed` counts as 0.
    public static func text(_ label: String, done: Int, of total: Int, elapsed: Double) -> String {
        let seconds = elapsed.isFinite ? max(0, elapsed) : 0
        guard total > 0 else { return "\(label): nothing to do" }
        let finished = min(max(0, done), total)
        if finished == total {
            return "\(label): \(total) of \(total) steps done (\(RunTimeEstimate.describe(seconds)))"
        }
        let left = finished == 0 ? "the time left is known after the first step"
            : "about \(RunTimeEstimate.describe(seconds / Double(finished) * Double(total - finished))) left"
        return "\(label): step \(finished + 1) of \(total) (\(RunTimeEstimate.describe(seconds)) so far, \(left))"
    }
}
