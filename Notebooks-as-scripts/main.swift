import Experiments
import Foundation

// A parent (e.g. a test runner) may have started us with SIGINT / SIGTERM blocked; make Ctrl-C and
// `kill` end a run as usual. Files are written only after a notebook has finished, each atomically.
var interruptSignals = sigset_t()
sigemptyset(&interruptSignals)
for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&interruptSignals, signal) }
sigprocmask(SIG_UNBLOCK, &interruptSignals, nil)
signal(SIGINT, SIG_DFL)
signal(SIGTERM, SIG_DFL)

// Entry point: `notebooks NAME | all | list [--out DIR] [--quick] [--threads N]`; exit status
// 0 success, 1 a notebook failed (named on stderr), 2 bad input.
do {
    try NotebookCommand.run(Array(CommandLine.arguments.dropFirst()))
    exit(0)
} catch let error as UsageError {
    FileHandle.standardError.write(Data("Error: \(error.message)\n\(error.hint)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
    exit(1)
}
