import Foundation
import Toy

/// A sweep: a base experiment and one or two axes; its cells are the Cartesian product of the axis
/// values in axis order, row-major (first axis outermost): cell j of axes with n0 x n1 values has
/// indices (j / n1, j mod n1).
///
/// A cell's experiment is the base with the setting axes applied in axis order, then the derived axes
/// (`reflect-sigma-lo/hi`, `weak/strong-weight-K`, so a window end defaults to the cell's sigma-max),
/// then the rules between settings (`ExperimentSpec.validate`).
public struct Sweep: Sendable, Equatable {
    /// The base experiment: its methods run in every cell, with its seed and repeats.
    public var base: ExperimentSpec
    public var axes: [SweepAxis]

    /// Checks the axes (one or two, distinct, not setting one thing twice) and every cell.
    public init(base: ExperimentSpec, axes: [SweepAxis]) throws {
        self.base = base
        self.axes = axes
        guard (1...2).contains(axes.count) else {
            throw UsageError(message: axes.isEmpty ? "sweep needs an axis: --sweep NAME=VALUES, e.g. --sweep gamma=0:2:5"
                : "\(axes.count) --sweep axes given; accepted: one or two (a grid of more axes is a set of two-axis sweeps)")
        }
        if axes.count == 2 {
            let (a, b) = (axes[0].name, axes[1].name)
            let targets = axes.map { $0.target(modeNames: base.modeNames) }
            if a == b || targets[0] == targets[1] { throw UsageError(message: "--sweep \(a) is given twice; accepted: two different axes") }
            let window: Set<String> = ["reflect-sigma", "reflect-sigma-lo", "reflect-sigma-hi"]
            if window.contains(a), window.contains(b), a == "reflect-sigma" || b == "reflect-sigma" {
                throw UsageError(message: "--sweep \(a) and --sweep \(b) both set the reflection window; accepted: reflect-sigma alone, or reflect-sigma-lo with reflect-sigma-hi")
            }
            if case let .weight(r0, _)? = targets[0], case let .weight(r1, _)? = targets[1], r0 == r1 {
                throw UsageError(message: "--sweep \(a) and --sweep \(b) both set the \(r0.rawValue) weights; accepted: one weight axis per model")
            }
        }
        for j in 0..<cellCount { _ = try spec(ofCell: j) }
    }

    public var cellCount: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// The value index on each axis of cell `j`.
    public func indices(ofCell j: Int) -> [Int] { Self.indices(ofCell: j, axes: axes) }

    static func indices(ofCell j: Int, axes: [SweepAxis]) -> [Int] {
        var rest = j
        var result = [Int](repeating: 0, count: axes.count)
        for a in axes.indices.reversed() {
            result[a] = rest % axes[a].values.count
            rest /= axes[a].values.count
        }
        return result
    }

    /// "gamma=0.5, lambda=0.2T".
    public func label(ofCell j: Int) -> String { Self.label(values: values(ofCell: j), axes: axes) }

    static func label(values: [String], axes: [SweepAxis]) -> String {
        zip(axes, values).map { "\($0.name)=\($1)" }.joined(separator: ", ")
    }

    /// The axis values of cell `j`, as text.
    public func values(ofCell j: Int) -> [String] { zip(axes, indices(ofCell: j)).map { $0.values[$1] } }

    /// The experiment of cell `j`, validated; errors name the cell.
    public func spec(ofCell j: Int) throws -> ExperimentSpec {
        var spec = base
        let derived = axes.map { axis -> Int in
            if case .setting? = axis.target(modeNames: base.modeNames) { return 0 } else { return 1 }
        }
        let order = axes.indices.sorted { (derived[$0], $0) < (derived[$1], $1) }
        let where_ = "cell \(j) (\(label(ofCell: j)))"
        do {
            for a in order { try axes[a].apply(indices(ofCell: j)[a], to: &spec) }
            try spec.validate()
            let runner = try ExperimentRunner(spec: spec, threads: 1)
            try runner.validateMethods()
        } catch let error as UsageError {
            throw UsageError(message: "\(where_): \(error.message)")
        } catch let error as ExperimentSpec.Conflict {
            throw UsageError(message: "\(where_): \(error.message)")
        } catch {
            throw UsageError(message: "\(where_): \(error)")
        }
        return spec
    }

    /// Runs the cells (all, or those of `shard`) and returns the JSON document of their results.
    public func run(command: String, metrics: [String], shard: StudyShard? = nil, executor: StudyExecutor,
                    progress: ProgressReporter? = nil) throws -> SweepDocument {
        let cells = shard?.cells(of: cellCount) ?? Array(0..<cellCount)
        let specs = try cells.map { try spec(ofCell: $0) }
        progress?.begin("\(cells.count) cells", whenDone: "done")
        let runs = try executor.run(specs) { done, total in progress?.update(done, total) }
        let results = zip(cells, runs).map { j, r in
            SweepDocument.Cell(index: j, values: values(ofCell: j), methods: MethodMetrics.from(r),
                               learnedModels: r.learnedModels.isEmpty ? nil : r.learnedModels)
        }
        return SweepDocument(command: command, sweep: self, metrics: metrics, cells: results,
                             shard: shard.map { ShardInfo(index: $0.index, count: $0.count, cells: cells) })
    }
}

/// Which cells a partial document holds: shard K of N and its cell indices.
public struct ShardInfo: Codable, Sendable, Equatable {
    public var index: Int
    public var count: Int
    public var cells: [Int]
}
