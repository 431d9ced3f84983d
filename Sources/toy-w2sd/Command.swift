import Foundation
import Toy

/// The subcommands.
enum Command {
    /// The subcommands that have their own help.
    static let subcommands = ["1d", "2d", "delta", "verify", "bench"]

    static func run(_ arguments: [String]) throws {
        guard let name = arguments.first else {
            print(HelpText.main)
            return
        }
        let rest = Array(arguments.dropFirst())
        switch name {
        case "1d": try ExperimentCommand(dimension: 1, arguments: rest).run()
        case "2d": try ExperimentCommand(dimension: 2, arguments: rest).run()
        case "bench": try BenchCommand(arguments: rest).run()
        case "verify": try VerifyCommand(arguments: rest).run()
        case "delta": try DeltaCommand(arguments: rest).run()
        case "help", "--help", "-h":
            // `toy-w2sd help SUBCOMMAND` is `toy-w2sd SUBCOMMAND --help`; anything else gets the main help.
            if let subcommand = rest.first, subcommands.contains(subcommand) {
                try run([subcommand, "--help"])
            } else {
                print(HelpText.main)
            }
        default:
            throw UsageError(message: "unknown subcommand '\(name)'; accepted: 1d, 2d, delta, verify, bench, help")
        }
    }
}
