import Foundation

/// The entry point shared by the command-line programs: restore the interrupt signals, run, and map
/// errors to exit statuses (0 success, 1 a run failed, 2 bad input with `Error: ...` and a hint). It
/// returns the status; only the executables' entry points call `exit` with it.
public enum ProgramEntry {
    /// A parent (e.g. a test runner) may have started us with SIGINT / SIGTERM blocked; make Ctrl-C and
    /// `kill` end a run as usual. Outputs are written atomically at the very end, so an interrupted run
    /// leaves no partial file.
    public static func run(_ body: ([String]) throws -> Void) -> Int32 {
        var interruptSignals = sigset_t()
        sigemptyset(&interruptSignals)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&interruptSignals, signal) }
        sigprocmask(SIG_UNBLOCK, &interruptSignals, nil)
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        do {
            try body(Array(CommandLine.arguments.dropFirst()))
            return 0
        } catch let error as UsageError {
            FileHandle.standardError.write(Data("Error: \(error.message)\n\(error.hint)\n".utf8))
            return 2
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            return 1
        }
    }
}
