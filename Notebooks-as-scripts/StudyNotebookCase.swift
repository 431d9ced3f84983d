import Experiments
import Foundation
import Toy

/// The toys of the study notebooks (`study-reflection-window`, `study-equal-budget`,
/// `study-convergence-in-t`): the 1D preset, the 1D preset without the weak left mode, the 2D preset,
/// each with the mode the strong model under-weights most.
struct StudyNotebookCase {
    /// A short name for file names: `preset-1d`, `missing-left-1d`, `preset-2d`.
    var file: String
    var label: String
    /// The experiment at the notebook's size (steps, lambda back to T - 1, particles of the notebook).
    var spec: ExperimentSpec

    /// The ideal mode with the largest relative deficit (ideal weight - strong weight) / ideal weight,
    /// by the normalised weights of the two mixtures: `left` in 1D, `bottom-left` in 2D.
    var target: String {
        let names = spec.modeNames
        let ideal = spec.ideal.components.map(\.weight), strong = spec.strong.components.map(\.weight)
        let (ti, ts) = (ideal.reduce(0, +), strong.reduce(0, +))
        let deficits = names.indices.map { k in ideal[k] > 0 && ti > 0 && ts > 0 ? (ideal[k] / ti - strong[k] / ts) / (ideal[k] / ti) : -.infinity }
        return deficits.indices.max { deficits[$0] < deficits[$1] }.map { names[$0] } ?? names.first ?? ""
    }

    /// The target mode's ideal weight (of a total 1).
    var targetWeight: Double {
        let weights = spec.ideal.components.map(\.weight)
        let total = weights.reduce(0, +)
        return spec.modeNames.firstIndex(of: target).map { total > 0 ? weights[$0] / total : 0 } ?? 0
    }

    /// The three toys with `particles(dimension)` particles, T = `settings.steps` and lambda = T - 1;
    /// `dimensions` picks which (1: the two 1D toys, 2: the 2D preset).
    static func cases(_ settings: NotebookSettings, dimensions: Set<Int> = [1, 2], particles: (Int) -> Int) -> [StudyNotebookCase] {
        var preset1 = settings.scaled(.preset(dimension: 1))
        preset1.samples = particles(1)
        var missing = preset1
        missing.weak.components[0].weight = 0
        var preset2 = settings.scaled(.preset(dimension: 2))
        preset2.samples = particles(2)
        let all = [StudyNotebookCase(file: "preset-1d", label: "1D preset (weak left weight 0.1)", spec: preset1),
                   StudyNotebookCase(file: "missing-left-1d", label: "1D, left mode missing from the weak model", spec: missing),
                   StudyNotebookCase(file: "preset-2d", label: "2D preset (bottom-left mode missing from the weak model)", spec: preset2)]
        return all.filter { dimensions.contains($0.spec.dimension) }
    }
}

extension Say {
    /// The per-seed difference a - b of two metric summaries over the same seeds, nil when undefined.
    static func paired(_ a: MetricSummary?, _ b: MetricSummary?) -> RepeatSummary? {
        guard let a, let b, a.values.count == b.values.count else { return nil }
        return try? RepeatSummary.paired(a.values, minus: b.values)
    }

    /// "below 0" / "above 0" / "contains 0" for a 95% interval; "undefined" without one.
    static func sign(_ s: RepeatSummary?) -> String {
        guard let ci = s?.confidenceInterval else { return "undefined" }
        return ci.upperBound < 0 ? "below 0" : ci.lowerBound > 0 ? "above 0" : "contains 0"
    }

    /// A metric summary as "mean +-half-width".
    static func cell(_ s: MetricSummary?) -> String { RepeatTable.cell(s?.summary) }
}
