import Experiments
import Foundation

// Entry point: dispatch the subcommand; exit status 0 success, 1 a run failed, 2 bad input.
exit(ProgramEntry.run(Command.run))
