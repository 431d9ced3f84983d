import Experiments
import Foundation

// Entry point: `notebooks NAME | all | list [--out DIR] [--quick] [--threads N]`; exit status
// 0 success, 1 a notebook failed (named on stderr), 2 bad input. Files are written only after a
// notebook has finished, each atomically.
exit(ProgramEntry.run(NotebookCommand.run))
