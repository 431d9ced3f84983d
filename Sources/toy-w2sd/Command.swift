import Experiments

/// A subcommand: its name, one-line summary, help (examples, then the generated option groups) and run.
struct Subcommand {
    var name: String
    var summary: String
    /// The opening of `--help`: what it does and worked examples.
    var header: String
    var groups: [OptionGroup]
    /// Text after the options (e.g. exit statuses).
    var footer: String = ""
    var run: ([String]) throws -> Void

    var help: String {
        [header, HelpRenderer.text(groups), footer].filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    var hint: String { "Run 'toy-w2sd \(name) --help' for its options and examples." }
}

/// Dispatch: `toy-w2sd <subcommand> [options]`, `help [SUBCOMMAND] [--markdown]`, `--version`.
enum Command {
    static var subcommands: [Subcommand] {
        [
        ExperimentCommand.subcommand(.one), ExperimentCommand.subcommand(.two), ExperimentCommand.subcommand(.any),
        DeltaCommand.subcommand, VerifyCommand.subcommand, BenchCommand.subcommand, CasesCommand.subcommand, TrainCommand.subcommand,
        SweepCommand.subcommand, FrontierCommand.subcommand, MergeCommand.subcommand,
        ]
    }

    static func run(_ arguments: [String]) throws {
        guard let name = arguments.first else {
            print(HelpText.main(subcommands))
            return
        }
        let rest = Array(arguments.dropFirst())
        switch name {
        case "--version", "version":
            print("toy-w2sd \(ToolVersion.current)")
        case "help", "--help", "-h":
            try help(rest)
        default:
            guard let subcommand = subcommands.first(where: { $0.name == name }) else {
                let names = subcommands.map(\.name) + ["help"]
                throw UsageError(message: "unknown subcommand '\(name)' (did you mean \(nearestName(to: name, among: names) ?? "help")?); accepted: \(names.joined(separator: ", "))")
            }
            if rest.contains("--help") || rest.contains("-h") {
                print(subcommand.help)
                return
            }
            do {
                try subcommand.run(rest)
            } catch var error as UsageError {
                error.hint = subcommand.hint
                throw error
            }
        }
    }

    /// `help`: the main help; `help SUBCOMMAND`: its help; `help --markdown`: every subcommand's option
    /// table in Markdown (the README's tables are this output, checked by a test).
    static func help(_ arguments: [String]) throws {
        if arguments == ["--markdown"] {
            print(subcommands.map { "#### `toy-w2sd \($0.name)`\n\n" + HelpRenderer.markdown($0.groups) }.joined(separator: "\n\n"))
        } else if let name = arguments.first, let subcommand = subcommands.first(where: { $0.name == name }), arguments.count == 1 {
            print(subcommand.help)
        } else {
            // `help` followed by anything else (including `--help` itself) is the main help.
            print(HelpText.main(subcommands))
        }
    }
}
