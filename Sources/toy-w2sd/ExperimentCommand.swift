import Experiments
import Foundation
import Plot
import Toy

/// `toy-w2sd 1d | 2d | run`: parse and validate everything (status 2 on bad input, nothing written),
/// price the memory, run every method (status 1 if a run fails, nothing written), then render all
/// outputs in memory and write each file atomically.
enum ExperimentCommand {
    static func subcommand(_ dimensions: ExperimentRequest.Dimensions) -> Subcommand {
        let (name, summary, header): (String, String, String) = switch dimensions {
        case .one: ("1d", "run the methods on the 1D preset (or a 1D --config) and report per-mode statistics", HelpText.oneD)
        case .two: ("2d", "the same on the 2D preset (or a 2D --config)", HelpText.twoD)
        case .any: ("run", "the same for an experiment file of any dimension (--config)", HelpText.run)
        }
        return Subcommand(name: name, summary: summary, header: header, groups: ExperimentRequest.groups(dimensions),
                          footer: HelpText.memoryNote) { arguments in
            try run(try ExperimentRequest.parse(command: name, dimensions: dimensions, arguments))
        }
    }

    static func run(_ request: ExperimentRequest) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let plan = try MemoryPlan(request)
        let runner = ExperimentRunner(spec: request.spec, models: request.models, threads: request.threads,
                                      trajectories: request.trajectories, keepSamples: plan.keepSamples)
        let estimate = try RunTimeEstimate(spec: request.spec, models: runner.models, threads: request.threads)
        if let note = try estimate.check(limitMinutes: request.timeLimitMinutes, allowLong: request.allowLong) {
            FileHandle.standardError.write(Data((note + "\n").utf8))
        }

        try checkPanelsBeforeRun(request, models: runner.models)

        let notes = request.settingsNotRead.isEmpty ? [] : ["note: not read by the selected methods: \(request.settingsNotRead.joined(separator: ", "))"]
        for note in notes { FileHandle.standardError.write(Data((note + "\n").utf8)) }
        let progress = ProgressReporter(enabled: request.forceProgress || isatty(2) == 1)
        var laterRepeats: [[MethodResult]] = []
        let results: [MethodResult], repeated: RepeatedRuns
        if request.holdsEveryRepeat {
            let every = try runner.runEveryRepeat(request.spec.repeats, modeNames: request.spec.modeNames, progress: progress)
            (results, laterRepeats, repeated) = (every.results[0], Array(every.results.dropFirst()), every.runs)
        } else {
            (results, repeated) = try runner.runRepeats(request.spec.repeats, modeNames: request.spec.modeNames,
                                                        holdSamples: request.holdsAllSamples, progress: progress)
        }
        progress.finish()
        let timing = results.map { "\($0.method.rawValue) \(NumberFormat.fixed($0.seconds, 2)) s" }.joined(separator: ", ")
        let repeatNote = request.spec.repeats > 1 ? "; first of \(request.spec.repeats) repeats" : ""
        FileHandle.standardError.write(Data("timings: \(timing) (\(request.threads) \(request.threads == 1 ? "thread" : "threads")\(repeatNote))\n".utf8))

        // Render everything before writing anything.
        let run = ExperimentRun(spec: request.spec, models: runner.models, results: results, trajectories: request.trajectories,
                                source: request.source, repeated: repeated, laterRepeats: laterRepeats)
        let table = run.textBlocks().text
        let json = request.jsonPath == nil ? nil
            : try ExperimentReport(command: request.command, spec: request.spec, threads: request.threads, trajectories: request.trajectories,
                                   results: results, repeated: repeated, samplesKept: plan.keepSamples, timings: request.timingsInJSON,
                                   settingsNotRead: request.settingsNotRead).encoded()
        var files: [(String, [UInt8])] = []
        if request.wantsFigure {
            do {
                let figure = try ExperimentFigure.figure(run)
                for path in [request.plotPath, request.ppmPath].compactMap({ $0 }) {
                    files.append((path, try request.figureOptions.bytes(figure, path: path)))
                }
                if let path = request.reportPath {
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                    let context = HTMLReport.Context(commandLine: CommandLine.arguments, seconds: seconds, threads: request.threads, notes: notes)
                    files.append((path, try HTMLReport.run(run, command: request.command, figure: request.figureOptions.apply(to: figure), context: context).bytes()))
                }
            } catch {
                throw RunError(message: "the figure could not be rendered: \(error)")
            }
        }
        if let path = request.samplesOutPath { files += try SampleExport.files(SampleExport.samples(run), path: path) }
        if let path = request.trajectoriesOutPath { files += try SampleExport.files(SampleExport.trajectories(run), path: path) }

        if request.jsonPath == "-", let json {
            FileHandle.standardOutput.write(json)
        } else {
            print(table)
        }
        do {
            if let path = request.jsonPath, path != "-", let json { try writeAtomically(Array(json), to: path) }
            for (path, bytes) in files { try writeAtomically(bytes, to: path) }
        } catch {
            throw RunError(message: "\(error)")
        }
    }

    /// The particles of the dry run that checks `--panels`.
    static let panelCheckParticles = 64

    /// Refuses a `--panels` letter the figure will not have before any work: the letters depend on the
    /// run (the methods drawn, whether trajectories were recorded), so the same request is run once at
    /// `panelCheckParticles` particles and one repeat, its figure built, and the letters checked against it.
    static func checkPanelsBeforeRun(_ request: ExperimentRequest, models: ScoreModels) throws {
        guard request.wantsFigure, request.figureOptions.panels != nil else { return }
        var spec = request.spec
        spec.samples = min(spec.particles, panelCheckParticles)
        spec.repeats = 1
        let trajectories = min(request.trajectories, spec.particles)
        let runner = ExperimentRunner(spec: spec, models: models, threads: request.threads, trajectories: trajectories, keepSamples: true)
        let figure: Figure
        do {
            let run = ExperimentRun(spec: spec, models: runner.models, results: try runner.runAll(), trajectories: trajectories, source: request.source)
            figure = try ExperimentFigure.figure(run)
        } catch {
            throw RunError(message: "the figure could not be prepared: \(error)")
        }
        try request.figureOptions.checkPanels(of: figure)
    }
}
