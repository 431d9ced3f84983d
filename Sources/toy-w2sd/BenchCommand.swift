import Experiments
import Foundation
import Plot

/// `toy-w2sd bench`: speed and memory of the sampling engine (meaningful on a release build).
enum BenchCommand {
    static let samples = ValueOption("samples", readers: .command, value: "N", help: "particles of the speed cases", default: "1000000",
                                     accepted: "an integer >= 1", parse: Parse.integer(in: 1...Int.max))
    static let memorySamples = ValueOption("memory-samples", readers: .command, value: "N", help: "particles of the statistics-only memory case",
                                           default: "10000000", accepted: "an integer >= 1", parse: Parse.integer(in: 1...Int.max))
    static let treeSamples = ValueOption("tree-samples", readers: .command, value: "N", help: "particles of the two 1023-component tree cases (W2SD; Heun from exact p(x; 5))",
                                         default: "20000", accepted: "an integer >= 1", parse: Parse.integer(in: 1...Int.max))
    static let rounds = ValueOption("rounds", readers: .command, value: "N", help: "interleaved rounds of each engine-alone / whole-run pair (medians reported)",
                                    default: "3", accepted: "an integer from 1 to 100", parse: Parse.integer(in: 1...100))

    static var subcommand: Subcommand { Subcommand(
        name: "bench", summary: "speed and memory of the sampling engine (release build)",
        header: """
        toy-w2sd bench: speed and memory of the sampling engine (use a release build; never a timed test).

        Examples:
          swift build -c release && .build/release/toy-w2sd bench
          .build/release/toy-w2sd bench --json bench.json
        """,
        groups: [OptionGroup("Bench", [samples, memorySamples, treeSamples, rounds]), OptionGroup("Run", [RunOptions.threads]), OptionGroup("Output", [OutputOptions.json])],
        run: run) }

    static func run(_ arguments: [String]) throws {
        let args = try ParsedArguments(arguments, options: subcommand.groups.flatMap(\.options))
        let jsonPath = try OutputOptions.jsonPath(args)
        let report = try Benchmark(samples: try args.value(samples) ?? 1_000_000, memorySamples: try args.value(memorySamples) ?? 10_000_000,
                                   treeSamples: try args.value(treeSamples) ?? 20_000,
                                   threads: try RunOptions.threads(args), rounds: try args.value(rounds) ?? 3).run()
        if jsonPath == "-" {
            FileHandle.standardOutput.write(try ReportEncoding.encode(report))
        } else {
            print(Benchmark.text(report))
            if let jsonPath { try writeAtomically(Array(try ReportEncoding.encode(report)), to: jsonPath) }
        }
    }
}
