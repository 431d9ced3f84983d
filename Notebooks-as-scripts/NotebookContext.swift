import Experiments
import Foundation
import Plot
import Toy

/// How the notebooks run: full size (the paper's settings: 100,000 particles in 1D, 50,000 in 2D,
/// T = 50) or `--quick` (a few thousand particles, T = 10, coarse integration grids), which only
/// shows that every notebook works; and the worker threads (results do not depend on them).
struct NotebookSettings: Sendable {
    var quick: Bool
    var threads: Int
    /// Progress lines on stderr (a terminal, or `--progress`).
    var showsProgress = false
    /// Method runs shared by every notebook of the process (`RunCache`): a run another notebook or cell
    /// already made with the same request is not made again, and its result is the same bit for bit.
    var cache = RunCache()
    /// The committed trained models (`<out>/learned-models/models`, `LearnedModelStore`): read where their
    /// stored recipe matches, trained otherwise; nil: every model is trained.
    var modelFolder: URL? = nil
    /// Train every model even where a matching file is stored (`--retrain`).
    var retrain = false

    /// Particles per method: nil keeps the pinned default of the dimension.
    func samples(dimension: Int) -> Int? { quick ? (dimension == 1 ? 1000 : 500) : nil }
    var steps: Int { quick ? 10 : 50 }
    /// Recorded trajectories per method (drawn in the 1D and 2D figures).
    var trajectories: Int { quick ? 16 : 64 }
    /// Points per axis of the 2D trapezoid grid of the Delta integrals (the library's default is 161).
    var gridPoints: Int { quick ? 11 : 161 }
    /// Levels of the proxy inner product: the pinned 20 geometric levels from 0.01 to 10, or 5 of them.
    var proxySigmas: [Double] {
        quick ? (0..<5).map { 0.01 * pow(1000, Double($0) / 4) } : ProxyAnalysis.defaultSigmas
    }
    /// PNG previews beside the SVGs (the index shows them); a quick run skips the rasteriser.
    var writesPreviews: Bool { !quick }

    /// `spec` at this run's size (steps; lambda back to its default, steps - 1; particles).
    func scaled(_ spec: ExperimentSpec) -> ExperimentSpec {
        var scaled = spec
        scaled.steps = steps
        scaled.lambda = nil
        scaled.samples = samples(dimension: spec.dimension)
        return scaled
    }
}

/// What a notebook body works with: the settings, and the files it produces, collected in memory
/// (file name inside the notebook's folder -> bytes) and written by `NotebookRunner` once the body
/// has finished.
struct NotebookContext {
    let notebook: String
    let settings: NotebookSettings
    /// Step n of m and the time left; the body plans its steps and marks each finished one.
    let progress: NotebookProgress
    /// The files in the order they were added.
    private(set) var files: [(name: String, bytes: [UInt8])] = []

    init(notebook: String, settings: NotebookSettings) {
        self.notebook = notebook
        self.settings = settings
        progress = NotebookProgress(notebook: notebook, enabled: settings.showsProgress)
    }

    /// Adds a file; a name given twice is a programming error of the notebook, reported as a failure.
    mutating func add(_ name: String, _ bytes: [UInt8]) throws {
        guard !files.contains(where: { $0.name == name }) else {
            throw RunError(message: "notebook \(notebook) produces the file \(name) twice")
        }
        files.append((name, bytes))
    }

    mutating func add(_ name: String, text: String) throws {
        try add(name, Array((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// A JSON document in the project's one JSON convention (`ReportEncoding`).
    mutating func add<T: Encodable>(_ name: String, json value: T) throws {
        try add(name, Array(try ReportEncoding.encode(value)))
    }

    /// How the notebooks' figures are sized: a paper's text width (`--size page`, 6.75 in), so every text
    /// prints at >= 7 pt when the SVG goes into a paper unchanged; the PNG previews at 150 dpi.
    static let figureOptions = FigureOptions(size: .page, dpi: 150)

    /// `base`.svg and, when previews are written, `base`.png; returns the file names.
    mutating func add(figure: Figure, base: String) throws -> FigureFiles {
        do {
            try add(base + ".svg", try Self.figureOptions.bytes(figure, path: base + ".svg"))
            guard settings.writesPreviews else { return FigureFiles(svg: base + ".svg", png: nil) }
            try add(base + ".png", try Self.figureOptions.bytes(figure, path: base + ".png"))
            return FigureFiles(svg: base + ".svg", png: base + ".png")
        } catch let error as PlotError {
            throw RunError(message: "figure \(base) of notebook \(notebook) could not be rendered: \(error)")
        }
    }

    /// Runs every method of `spec` (already scaled) from the same prior draws.
    func run(_ spec: ExperimentSpec, trajectories: Int = 0) throws -> ExperimentRun {
        let runner = try ExperimentRunner(spec: spec, threads: settings.threads, trajectories: min(trajectories, spec.particles),
                                          cache: settings.cache)
        return ExperimentRun(spec: spec, models: runner.models, results: try runner.runAll(), trajectories: runner.trajectories)
    }

    /// The JSON report of a run (schema `toy-w2sd.experiment/3`): `toy-w2sd run --config FILE` reruns it.
    func report(_ run: ExperimentRun) -> ExperimentReport {
        let repeated = RepeatedRuns(seeds: [run.spec.seed], methods: run.results.map(\.method),
                                    metrics: run.results.map { [RunMetrics($0, modeNames: run.spec.modeNames)] })
        return ExperimentReport(command: "notebooks \(notebook)", spec: run.spec, threads: settings.threads, trajectories: run.trajectories,
                                results: run.results, repeated: repeated, samplesKept: true, timings: false)
    }
}

/// The files of one figure.
struct FigureFiles: Sendable {
    var svg: String
    var png: String?
    /// What a README shows: the PNG preview when there is one, else the SVG.
    var shown: String { png ?? svg }
}
