import Experiments
import Foundation

// A parent (e.g. a test runner) may have started us with SIGINT / SIGTERM blocked; make Ctrl-C and
// `kill` end a run as usual. Outputs are written atomically at the very end, so an interrupted run
// leaves no partial file.
var interruptSignals = sigset_t()
sigemptyset(&interruptSignals)
for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&interruptSignals, signal) }
sigprocmask(SIG_UNBLOCK, &interruptSignals, nil)
signal(SIGINT, SIG_DFL)
signal(SIGTERM, SIG_DFL)

// Entry point: dispatch the subcommand, map errors to exit statuses (1 = run failed, 2 = usage).
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    try Command.run(arguments)
    exit(0)
} catch let error as UsageError {
    FileHandle.standardError.write(Data("Error: \(error.message)\n\(error.hint)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
    exit(1)
}
