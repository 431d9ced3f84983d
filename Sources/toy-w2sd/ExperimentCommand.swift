import Foundation
import Toy

/// `toy-w2sd 1d` and `toy-w2sd 2d`: run the methods on a preset and print the summary table.
struct ExperimentCommand {
    let dimension: Int
    let arguments: [String]

    static let options: [ParsedArguments.Option] = [
        .init(name: "missing-left", takesValue: false),
        .init(name: "samples", takesValue: true),
        .init(name: "steps", takesValue: true),
        .init(name: "seed", takesValue: true),
        .init(name: "threads", takesValue: true),
        .init(name: "help", takesValue: false),
    ]

    func run() throws {
        let args = try ParsedArguments(arguments, options: Self.options)
        if args.has("help") { print(HelpText.main); return }
        if dimension == 2 && args.has("missing-left") {
            throw UsageError(message: "--missing-left applies to 1d only")
        }
        let models = dimension == 1 ? Presets.oneDimensional(missingLeft: args.has("missing-left")) : Presets.twoDimensional()
        let steps = try args.integer("steps", accepted: "an integer >= 2", where: { $0 >= 2 }) ?? 50
        let runner = ExperimentRunner(
            models: models,
            settings: SamplerSettings(steps: steps),
            particles: try args.integer("samples", accepted: "an integer >= 1", where: { $0 >= 1 }) ?? (dimension == 1 ? 100_000 : 50_000),
            seed: UInt64(try args.integer("seed", accepted: "an integer >= 0", where: { $0 >= 0 }) ?? 0),
            threads: try args.integer("threads", accepted: "an integer from 1 to 256", where: { (1...256).contains($0) })
                ?? ProcessInfo.processInfo.activeProcessorCount,
            trajectories: 0, guidance: 2)
        let results = try [MethodName.ideal, .strong, .weak, .w2sd].map { try runner.run($0) }
        let names = dimension == 1 ? ["left", "right"] : ["top-left", "top-right", "bottom-left", "bottom-right"]
        print(SummaryTable.render(results, modeNames: names))
    }
}
