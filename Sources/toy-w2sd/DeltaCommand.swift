import Experiments
import Foundation
import Plot
import Toy

/// `toy-w2sd delta 1d | 2d | --config FILE`: how well Delta1 = s_strong - s_weak stands in for
/// Delta2 = s_ideal - s_strong, per noise level and aggregated, optionally across a weak family.
enum DeltaCommand {
    static let header = """
    toy-w2sd delta: measure Delta1 ~ Delta2 as expectations under the ideal model p*(x; sigma).

    Usage: toy-w2sd delta 1d | 2d [options], or toy-w2sd delta --config FILE.json [options]

    Examples:
      toy-w2sd delta 1d --missing-left               per-sigma table and proxy analysis, 1D preset
      toy-w2sd delta 2d --sigmas 0.1,0.5,2           chosen noise levels, 2D preset
      toy-w2sd delta 1d --weak-family 0:0.3:7        weak left weight 0 ... 0.3: proxy vs W2SD outcome
      toy-w2sd delta 1d --json -                     the numbers as JSON
      toy-w2sd delta --case guidance-and-weights-1d  a case of 'toy-w2sd cases' (guided fields)
      toy-w2sd delta 1d --strong-model s.model --weak-model w.model   Delta1 of two learned models

    Integration: 1D adaptive Simpson (1e-9 relative to the largest integrated quantity); 2D trapezoid grid
    (error = coarse/fine difference); d > 2 Monte Carlo (standard error). The error column states it.
    The options of '2d' differ in the model group: --missing MODE instead of --missing-left.
    """

    static var subcommand: Subcommand { Subcommand(name: "delta", summary: "how well Delta1 = s_strong - s_weak approximates Delta2 = s_ideal - s_strong",
                                       header: header, groups: DeltaOptions.groups(dimension: 1), run: run) }

    static func run(_ arguments: [String]) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        var rest = arguments
        let dimensions: ExperimentRequest.Dimensions
        if let first = rest.first, first == "1d" || first == "2d" {
            dimensions = first == "1d" ? .one : .two
            rest.removeFirst()
        } else if rest.contains(where: { ["--config", "--case"].contains($0) || $0.hasPrefix("--config=") || $0.hasPrefix("--case=") }) {
            dimensions = .any
        } else {
            throw UsageError(message: "delta needs the experiment first: 1d, 2d (the presets, with their model options), --config FILE.json or --case NAME; e.g. 'toy-w2sd delta 1d --missing-left'")
        }
        let dimension: Int? = dimensions == .one ? 1 : dimensions == .two ? 2 : nil
        let args = try ParsedArguments(rest, options: DeltaOptions.groups(dimension: dimension).flatMap(\.options))
        let configPath = try args.value(ExperimentRequest.config)
        let spec = try ExperimentRequest.experiment(args, dimensions: dimensions, configPath: configPath)
        try DeltaOptions.refuseUnread(args, spec: spec)
        let models = try ExperimentRequest.checkedModels(spec, source: configPath)
        let source = try configPath ?? args.value(ExperimentRequest.caseOption).map { "case " + $0 }
        let jsonPath = try OutputOptions.jsonPath(args), plotPath = try args.value(OutputOptions.plot), ppmPath = try args.value(OutputOptions.ppm)
        if let plotPath { try OutputPaths.check(plotPath, option: "plot", extensions: OutputOptions.plotExtensions) }
        if let ppmPath { try OutputPaths.check(ppmPath, option: "ppm", extensions: [".ppm"]) }
        let reportPath = try OutputOptions.reportPath(args)
        try OutputPaths.checkDistinct([("json", jsonPath), ("plot", plotPath), ("ppm", ppmPath), ("report", reportPath)].compactMap { o, p in p.map { (o, $0) } })
        let figureOptions = try OutputOptions.figureOptions(args, paths: [plotPath, ppmPath, reportPath].compactMap { $0 })
        var study = DeltaStudy(spec: spec, models: models, sigmas: try args.value(DeltaOptions.sigmas),
                               proxySigmas: try args.value(DeltaOptions.proxySigmas) ?? ProxyAnalysis.defaultSigmas,
                               family: try args.value(DeltaOptions.weakFamily), threads: try RunOptions.threads(args))
        study.gridPoints = try args.value(DeltaOptions.grid) ?? study.gridPoints
        if study.family != nil { _ = try study.familyTarget() }

        let progress = ProgressReporter()
        let result = try study.run(progress: progress)
        progress.finish()
        let command = "delta" + (dimension.map { " \($0)d" } ?? "")
        let json = jsonPath == nil ? nil : try DeltaReport.json(command: command, study, result)
        var plot: [UInt8]?, ppm: [UInt8]?, report: [UInt8]?
        if plotPath != nil || ppmPath != nil {
            let figure = DeltaFigure(title: DeltaFigure.title(spec: spec, source: source), result).figure()
            do {
                if let plotPath { plot = try figureOptions.bytes(figure, path: plotPath) }
                if let ppmPath { ppm = try figureOptions.bytes(figure, path: ppmPath) }
            } catch {
                throw RunError(message: "the figure could not be rendered: \(error)")
            }
        }
        if reportPath != nil {
            let context = HTMLReport.Context(commandLine: CommandLine.arguments, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
                                             threads: study.threads)
            do { report = try HTMLReport.delta(study, result, command: command, source: source, figureOptions: figureOptions, context: context).bytes() } catch {
                throw RunError(message: "the report could not be rendered: \(error)")
            }
        }
        if jsonPath == "-", let json { FileHandle.standardOutput.write(json) } else { print(DeltaReport.text(study, result)) }
        do {
            if let path = jsonPath, path != "-", let json { try writeAtomically(Array(json), to: path) }
            if let path = plotPath, let plot { try writeAtomically(plot, to: path) }
            if let path = ppmPath, let ppm { try writeAtomically(ppm, to: path) }
            if let path = reportPath, let report { try writeAtomically(report, to: path) }
        } catch {
            throw RunError(message: "\(error)")
        }
    }
}
