import Experiments
import Foundation

/// `toy-w2sd cases`: the difference zoo, one line per case.
enum CasesCommand {
    static var subcommand: Subcommand {
        Subcommand(name: "cases", summary: "list the difference zoo: toys where Delta1 and Delta2 disagree",
                   header: """
                   toy-w2sd cases: the named toys of the difference zoo (each also Examples/cases/<name>.json).

                   Examples:
                     toy-w2sd cases
                     toy-w2sd 2d --case wrong-mode-2d --methods strong,w2sd,w2sd-corrected --repeats 3
                     toy-w2sd delta --case shifted-2d
                     toy-w2sd 1d --case guidance-over-1d --cfg-strong 3 --plot guided.svg
                     toy-w2sd run --case subspace-16 --methods exact,strong,w2sd,self-reflection
                   """,
                   groups: [], run: run)
    }

    static func run(_ arguments: [String]) throws {
        _ = try ParsedArguments(arguments, options: [])
        let rows = DifferenceCase.all.map { c in
            [c.name, "\(c.dimension)", c.experiment.modelKinds ?? "mixtures", c.summary]
        }
        print(TextTable(headers: ["case", "d", "strong / weak", "what differs"], rows: rows).text(trimmingTrailingSpace: true))
    }
}
