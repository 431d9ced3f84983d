import Foundation

/// Options of how a run is carried out (not of what it computes): they never change a number.
public enum RunOptions {
    public static let maxThreads = 256
    public static let threads = ValueOption("threads", value: "N", help: "worker threads; results do not depend on it",
                                            default: "all cores", accepted: "an integer from 1 to \(maxThreads)",
                                            parse: Parse.integer(in: 1...maxThreads))

    /// `--threads`, or every core (at most `maxThreads`).
    public static func threads(_ args: ParsedArguments) throws -> Int {
        try args.value(threads) ?? min(maxThreads, ProcessInfo.processInfo.activeProcessorCount)
    }
}
