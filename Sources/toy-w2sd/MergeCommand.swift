import Experiments
import Foundation

/// `toy-w2sd merge`: the shards of a sweep or frontier into what one unsharded run writes.
enum MergeCommand {
    static let header = """
    toy-w2sd merge: combine the partial JSON files of 'sweep' or 'frontier' run with --shard K/N.

    Usage: toy-w2sd merge FILE... [--json OUT] [--csv OUT] [--plot OUT] [--metric LIST]

    Examples:
      toy-w2sd merge part-1.json part-2.json part-3.json --json sweep.json --csv sweep.csv --plot sweep.svg
      toy-w2sd merge part-*.json --metric W1,W2 --plot sweep.png
      toy-w2sd merge sweep.json --metric on-mode:left --plot left.svg     redraw a whole study

    The files must be the N shards of one study, each exactly once; the outputs are byte for byte
    those of one unsharded run (the JSON, the CSV and the figure). One whole study alone is passed
    through, to redraw it or show other metrics.
    """

    static let groups = [OptionGroup("Output", [OutputOptions.json, OutputOptions.csv, OutputOptions.plot, StudyOptions.metric]),
                         OptionGroup("Figure", OutputOptions.figureOptions)]

    static var subcommand: Subcommand {
        Subcommand(name: "merge", summary: "combine the shards of a sweep or frontier (--shard K/N) into one result",
                   header: header, groups: groups, run: run)
    }

    static func run(_ arguments: [String]) throws {
        let args = try ParsedArguments(arguments, options: groups.flatMap(\.options), allowPositionals: Int.max)
        let outputs = try StudyOutputs.check(json: try args.value(OutputOptions.json), csv: try args.value(OutputOptions.csv),
                                             plot: try args.value(OutputOptions.plot))
        let figure = try OutputOptions.figureOptions(args, paths: [outputs.plot].compactMap { $0 })
        var document = try StudyMerge.merge(paths: args.positionals)
        if let metrics = try args.value(StudyOptions.metric) {
            try RunMetrics.checkChoice(metrics, modeNames: document.modeNames)
            document = document.showing(metrics)
        }
        try StudyRun.write(document, json: outputs.json, csv: outputs.csv, plot: outputs.plot, figure: figure)
    }
}
