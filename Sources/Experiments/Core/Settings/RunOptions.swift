import Foundation

/// Options of how a run is carried out (not of what it computes): they never change a number.
public enum RunOptions {
    public static let maxThreads = 256
    public static let threads = ValueOption("threads", readers: .noResult, value: "N", help: "worker threads; results do not depend on it",
                                            default: "all cores", accepted: "an integer from 1 to \(maxThreads)",
                                            parse: Parse.integer(in: 1...maxThreads))

    public static let timeLimit = ValueOption("time-limit", readers: .noResult, value: "MIN", help: "refuse runs estimated to take longer (from the score-evaluation count)",
                                              default: "60", accepted: "a number of minutes > 0", parse: Parse.number(where: { $0 > 0 }))
    public static let allowLong = SwitchOption("allow-long", readers: .noResult, help: "run even when the estimate exceeds --time-limit")
    public static let progress = SwitchOption("progress", readers: .noResult, help: "show progress with the remaining time on stderr even when it is not a terminal")

    /// The reporter the options ask for.
    public static func progressReporter(_ args: ParsedArguments) -> ProgressReporter {
        ProgressReporter(enabled: args.has(progress) || isatty(2) == 1)
    }

    /// `--threads`, or every core (at most `maxThreads`).
    public static func threads(_ args: ParsedArguments) throws -> Int {
        try args.value(threads) ?? min(maxThreads, ProcessInfo.processInfo.activeProcessorCount)
    }
}
