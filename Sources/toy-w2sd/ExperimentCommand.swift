import Foundation
import Plot
import Toy

/// `toy-w2sd 1d` and `toy-w2sd 2d`: run the methods on a preset (or a `--config` experiment), print
/// the summary table, and write the JSON report and the figure on request.
///
/// Order of work: parse and validate everything (status 2 on bad input, nothing written), estimate
/// memory, run every method (status 1 if a run fails, nothing written), then render all outputs in
/// memory and write each file atomically.
struct ExperimentCommand {
    let dimension: Int
    let arguments: [String]

    var name: String { dimension == 1 ? "1d" : "2d" }

    func run() throws {
        if arguments.contains("--help") || arguments.contains("-h") {
            print(dimension == 1 ? HelpText.oneD : HelpText.twoD)
            return
        }
        let args = try ParsedArguments(arguments, options: ExperimentSpec.options)
        let spec = try ExperimentSpec.parse(command: name, dimension: dimension, args)
        let plan = try MemoryPlan(spec)
        var runner = ExperimentRunner(
            models: spec.models, settings: spec.settings, particles: spec.particles, seed: spec.seed,
            threads: spec.threads, trajectories: spec.trajectories, guidance: spec.guidance)
        runner.prior = spec.prior
        runner.inversionError = spec.inversionError
        runner.keepSamples = plan.keepSamples
        // Build every sampler first: a bad combination is the user's input, not a failed run.
        for method in spec.methods {
            do { _ = try runner.sampler(for: method) } catch let error as ToyError { throw UsageError(message: "\(error)") }
        }

        let progress = ProgressReporter()
        var results: [MethodResult] = []
        for (index, method) in spec.methods.enumerated() {
            progress.begin("\(method.rawValue) (\(index + 1)/\(spec.methods.count))")
            var result = try runner.run(method, progress: { done, total in progress.update(done, total) })
            if !spec.wantsFigure { result.samples = [] }
            results.append(result)
        }
        progress.finish()
        let timing = results.map { "\($0.method.rawValue) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", ")
        FileHandle.standardError.write(Data("timings: \(timing) (\(spec.threads) \(spec.threads == 1 ? "thread" : "threads"))\n".utf8))

        // Render everything before writing anything.
        let table = SummaryTable.render(results, modeNames: spec.modeNames)
        let json = spec.jsonPath == nil ? nil : try ExperimentReport(spec: spec, results: results, samplesKept: plan.keepSamples).encoded()
        var figure: Figure?
        if spec.wantsFigure {
            figure = spec.dimension == 1 ? try FigureOneD(spec: spec, results: results).figure()
                : try FigureTwoD(spec: spec, results: results).figure()
        }
        var svg: String?, ppm: [UInt8]?
        do {
            if spec.plotPath != nil, let figure { svg = try figure.svg() }
            if spec.ppmPath != nil, let figure { ppm = try figure.ppm() }
        } catch {
            throw RunError(message: "the figure could not be rendered: \(error)")
        }

        if spec.jsonPath == "-", let json {
            FileHandle.standardOutput.write(json)
        } else {
            print(table)
        }
        do {
            if let path = spec.jsonPath, path != "-", let json { try writeAtomically(Array(json), to: path) }
            if let path = spec.plotPath, let svg { try writeAtomically(Array(svg.utf8), to: path) }
            if let path = spec.ppmPath, let ppm { try writeAtomically(ppm, to: path) }
        } catch {
            throw RunError(message: "\(error)")
        }
    }
}

/// A failure after the input was accepted (exit status 1).
struct RunError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
