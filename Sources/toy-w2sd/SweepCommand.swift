import Experiments
import Foundation
import Plot

/// `toy-w2sd sweep`: one or two settings over a grid of cells, every cell running the methods for the
/// same seeds; or `--benchmark`.
enum SweepCommand {
    static let header = """
    toy-w2sd sweep: run the methods over a grid of one or two settings, every cell with the same seeds.

    Usage: toy-w2sd sweep [1d|2d] [options] --sweep NAME=VALUES [--sweep NAME2=VALUES2]

    Examples:
      toy-w2sd sweep 1d --missing-left --sweep gamma=0:2:9 --repeats 3 --plot gamma.svg
                                           W1 of strong and W2SD against gamma, with 95% intervals
      toy-w2sd sweep 1d --missing-left --sweep lambda=0.2T:1T:9 --sweep gamma=0:2:9 --repeats 3 --plot grid.png
                                           a 9 x 9 heatmap per method; the best cell against strong
      toy-w2sd sweep 2d --sweep reflect-sigma-hi=0.5,1,2,5,10,80 --metric W1,on-mode:bottom-left --csv window.csv
      toy-w2sd sweep 1d --sweep solver=euler,heun --sweep steps=10,20,50 --methods strong,w2sd,s2wd
      toy-w2sd sweep 1d --sweep weak-weight-left=0:0.3:7 --json family.json
      toy-w2sd sweep --case guidance-over-1d --sweep strong-cfg=0:3:7
      toy-w2sd sweep 1d --sweep gamma=0:2:9 --shard 2/4 --json part-2.json     one of 4 shards; then toy-w2sd merge
      toy-w2sd sweep --benchmark                 time the 10 x 10 x 3 x 20000 benchmark (release build)

    Each cell runs the methods (default strong,w2sd) with seeds seed ... seed + repeats - 1, so cells
    and methods share their prior draws. The table shows each cell's metrics (--metric, default W1) as
    mean +- half-width of the 95% Student-t interval, then each method's best cell with the paired
    difference to strong there. The JSON (schema toy-w2sd.sweep/1) and CSV hold every metric.
    Everything is validated before any run: a value a setting refuses, a cell breaking a rule (e.g.
    lambda above steps - 1) or a run estimated beyond --time-limit ends with status 2 and writes nothing.
    """

    static var subcommand: Subcommand {
        Subcommand(name: "sweep", summary: "metrics over a grid of one or two settings, paired by seed (sharding: --shard K/N, then merge)",
                   header: header, groups: StudyRequest.sweepGroups(dimension: 1),
                   footer: "The options of '2d' differ in the model group: --missing MODE instead of --missing-left.", run: run)
    }

    static func run(_ arguments: [String]) throws {
        if arguments.contains("--benchmark") { return try benchmark(arguments) }
        try StudyRun.perform(try StudyRequest.parseSweep(arguments))
    }

    /// `--benchmark [--threads N]`: both ways of using the cores, timed; their documents must agree.
    static func benchmark(_ arguments: [String]) throws {
        let args = try ParsedArguments(arguments, options: [StudyOptions.benchmark, RunOptions.threads])
        let threads = try RunOptions.threads(args)
        var documents: [SweepDocument] = []
        for parallelism in StudyExecutor.Parallelism.allCases {
            let (seconds, document) = try SweepBenchmark.run(threads: threads, parallelism: parallelism)
            print("sweep benchmark, \(parallelism == .cells ? "cells in parallel (1 thread each)" : "one cell at a time (all threads per run)"): \(NumberFormat.fixed(seconds, 2)) s")
            documents.append(document)
        }
        let sweep = try SweepBenchmark.sweep()
        print("(\(sweep.cellCount) cells x 3 repeats x \(SweepBenchmark.particles) particles, 1D W2SD, T = 50, \(threads) threads; target < 30 s; results identical: \(documents.dropFirst().allSatisfy { $0 == documents[0] } ? "yes" : "NO"))")
    }
}

/// The run of a study request shared by `sweep` and `frontier`: estimate, run, render in memory, then
/// print and write each file atomically.
enum StudyRun {
    static func perform(_ request: StudyRequest) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let specs = try request.cellSpecs()
        if let note = try request.checkTime(specs) { FileHandle.standardError.write(Data((note + "\n").utf8)) }
        let progress = ProgressReporter(enabled: request.forceProgress || isatty(2) == 1)
        let document = try request.run(specs, progress: progress)
        progress.finish()
        var report: (path: String, bytes: [UInt8])?
        if let path = request.reportPath {
            let context = HTMLReport.Context(commandLine: CommandLine.arguments, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
                                             threads: request.threads)
            do { report = (path, try HTMLReport.study(document, figureOptions: request.figureOptions, context: context).bytes()) } catch {
                throw RunError(message: "the report could not be rendered: \(error)")
            }
        }
        try write(document, json: request.jsonPath, csv: request.csvPath, plot: request.plotPath, figure: request.figureOptions, report: report)
    }

    /// Prints the table (or the JSON) and writes each file atomically, after all are rendered; `report`
    /// is the HTML report, rendered already.
    static func write(_ document: StudyOutputs.Document, json: String?, csv: String?, plot: String?, figure: FigureOptions,
                      report: (path: String, bytes: [UInt8])? = nil) throws {
        var (stdout, files) = try StudyOutputs.render(document, json: json, csv: csv, plot: plot, figure: figure)
        if let report { files.append(report) }
        FileHandle.standardOutput.write(stdout)
        do {
            for file in files { try writeAtomically(file.bytes, to: file.path) }
        } catch {
            throw RunError(message: "\(error)")
        }
    }
}
