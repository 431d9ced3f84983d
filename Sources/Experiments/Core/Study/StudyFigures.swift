import Foundation
import Plot

/// Where the values of a sweep axis sit on a figure axis. Numbers sit at their values (fractions of T
/// as fractions) when they are distinct and, for a heatmap (`evenly`), evenly spaced; otherwise the
/// values sit at 0, 1, 2, ... Heatmaps and non-numeric values get explicit ticks at the cells, labelled
/// with the values as written on the command line (`euler`, `0.25T`, `20`), so the axis title is just
/// the axis name. Unevenly spaced positive numbers spanning more than a decade get a log axis on a line plot.
struct AxisPlacement {
    /// The coordinate of each value, in value order.
    var positions: [Double]
    var label: String
    var scale: Scale = .linear
    /// Explicit ticks (nil: automatic ticks on the numeric values).
    var ticks: [Tick]?
    /// Value indices in increasing coordinate order.
    var order: [Int]

    init(_ axis: SweepAxis, evenly: Bool) {
        let numbers = axis.coordinates.flatMap { Set($0).count == $0.count ? $0 : nil }
        let sorted = numbers?.sorted() ?? []
        let steps = zip(sorted, sorted.dropFirst()).map { $1 - $0 }
        let even = steps.allSatisfy { abs($0 - (steps.first ?? 0)) <= 1e-9 * max(1, abs(steps.first ?? 0)) }
        if let numbers, even || !evenly {
            positions = numbers
            label = evenly ? axis.name : axis.label
            if !even, let low = sorted.first, let high = sorted.last, low > 0, high > 10 * low { scale = .log }
        } else {
            positions = axis.values.indices.map(Double.init)
            label = axis.name
        }
        if evenly || numbers == nil {
            ticks = zip(positions, axis.values).map { Tick(value: $0, label: $1) }
        }
        let p = positions
        order = p.indices.sorted { p[$0] < p[$1] }
    }

    var axis: Axis { Axis(label: label, scale: scale, ticks: ticks) }
}

/// The figure of a sweep (`toy-w2sd sweep --plot`), built from its document alone (so a merged
/// document draws the same figure). One style for both shapes:
/// - one axis: per shown metric a panel of each method's mean against the axis value with its 95%
///   interval as a band, strong dashed (the reference), the best cell of every other method circled;
/// - two axes: per shown metric a row of heatmaps of each method's mean over the two axes on one
///   sequential scale (viridis; logarithmic for a lower-is-better metric whose positive means span
///   more than a decade), the best cell circled;
/// - and, with strong among several methods, per metric the paired differences to strong: each
///   method minus strong per cell (the mean over the repeats' seeds of the per-seed differences,
///   `SweepDocument.pairedToStrong`) on a diverging scale centred on 0 with symmetric limits, cells
///   whose 95% interval contains 0 (or that have none: one repeat) hatched. One axis: one heatmap
///   with a row per method; two axes: one heatmap per method under its means.
/// Heatmap cells carry their values when they fit; axes carry the values at the cells; each
/// colourbar names its scale ("W1 (lower is better)", "W2SD − strong, W1").
public enum SweepFigure {
    public static func figure(_ document: SweepDocument) -> Figure {
        var figure = document.axes.count == 1 ? lines(document) : heatmaps(document)
        figure.lettersPanels = true
        return figure
    }

    static func color(_ method: String) -> Color { MethodName(rawValue: method).map(MethodStyle.color) ?? .nearBlack }

    static func label(_ method: String, _ document: SweepDocument) -> String {
        MethodName(rawValue: method).map { MethodStyle.label($0, guidance: document.experiment.guidance, interval: document.experiment.guidanceInterval) } ?? method
    }

    /// Values of a metric per cell index (NaN where undefined or absent).
    static func grid(_ document: SweepDocument, method: String, metric: String, _ value: (MetricSummary) -> Double?) -> [Double] {
        var z = [Double](repeating: .nan, count: document.cellCount)
        for cell in document.cells {
            z[cell.index] = document.summary(cell: cell, method: method, metric: metric).flatMap(value) ?? .nan
        }
        return z
    }

    /// The methods compared with strong (all but strong), when strong ran beside at least one other.
    static func compared(_ document: SweepDocument) -> [String] {
        document.methods.contains("strong") ? document.methods.filter { $0 != "strong" } : []
    }

    /// What a metric's scale means: "W1 (lower is better)", "mass:left (closest to 0.5 is best)".
    static func meaning(_ metric: String, _ document: SweepDocument) -> String {
        let goal = MetricGoal(metric: metric, spec: document.experiment)
        return "\(metric) (\(goal.target == nil ? "lower is better" : goal.description + " is best"))"
    }

    /// Per cell index: the paired difference method - strong (mean) and whether its 95% interval
    /// contains 0 or is undefined (one repeat).
    static func differences(_ document: SweepDocument, method: String, metric: String) -> (mean: [Double], undecided: [Bool]) {
        var mean = [Double](repeating: .nan, count: document.cellCount), undecided = [Bool](repeating: true, count: document.cellCount)
        for cell in document.cells {
            guard let paired = document.pairedToStrong(cell: cell, method: method, metric: metric) else { continue }
            mean[cell.index] = paired.mean
            undecided[cell.index] = paired.confidenceInterval.map { $0.contains(0) } ?? true
        }
        return (mean, undecided)
    }

    /// The symmetric diverging scale of differences: -m...m with m the largest finite |difference|.
    static func symmetricRange(_ values: [Double]) -> ClosedRange<Double> {
        let m = values.filter(\.isFinite).map(abs).max() ?? 0
        return m > 0 ? -m...m : -1...1
    }

    /// The differences' colourbar label: "W2SD − strong, W1" (below 0 better for a lower-is-better metric).
    static func differenceLabel(_ method: String, metric: String, _ document: SweepDocument) -> String {
        let lower = MetricGoal(metric: metric, spec: document.experiment).target == nil
        return "\(label(method, document)) − strong, \(metric)" + (lower ? " (< 0: better)" : "")
    }

    /// What the hatching of a difference panel means, for its title.
    static func hatchNote(_ document: SweepDocument) -> String {
        document.repeats.count < 2 ? "hatched: no interval (one repeat)" : "hatched: 95% interval contains 0"
    }

    static func cellText(_ values: [Double], digits: Int) -> [String] {
        values.map { $0.isFinite ? NumberFormat.significant($0, digits) : "" }
    }

    static func lines(_ document: SweepDocument) -> Figure {
        let axis = document.axes[0]
        let place = AxisPlacement(axis, evenly: false)
        let x = place.order.map { place.positions[$0] }
        let others = compared(document)
        var panels: [Panel] = []
        for metric in document.metrics {
            var panel = Panel(title: "\(metric) against \(axis.name): mean and 95% interval over \(document.repeats.count) repeat\(document.repeats.count == 1 ? "" : "s")",
                              xAxis: place.axis, yAxis: Axis(label: meaning(metric, document)), legend: .automatic)
            for method in document.methods {
                let color = color(method)
                let pick = { (f: (MetricSummary) -> Double?) in
                    let z = grid(document, method: method, metric: metric, f)
                    return place.order.map { z[$0] }
                }
                let mean = pick { $0.mean }, lower = pick { $0.lower }, upper = pick { $0.upper }
                let isStrong = method == "strong"
                panel.add(.band(Band(x: x, lower: lower, upper: upper, color: color, opacity: 0.18)))
                panel.add(.lines(Lines(x: x, y: mean, style: isStrong ? .dashed(color, width: 2) : LineStyle(color: color, width: 2),
                                       label: label(method, document) + (isStrong ? " (reference)" : ""))))
                panel.add(.scatter(Scatter(x: x, y: mean, shape: .dot, color: color, size: 5)))
                if !isStrong, let (cell, s) = document.best(method: method, metric: metric), let m = s.mean {
                    let at = place.positions[cell.values.isEmpty ? 0 : axis.values.firstIndex(of: cell.values[0]) ?? 0]
                    panel.add(.scatter(Scatter(x: [at], y: [m], shape: .circle, color: color, size: 14,
                                               label: "best \(label(method, document)): \(NumberFormat.significant(m, 4))")))
                }
            }
            panels.append(panel)
            if !others.isEmpty {
                // Rows: the compared methods (first at the top); columns: the axis values at their cells.
                let cells = AxisPlacement(axis, evenly: true)
                let rows = others.map { differences(document, method: $0, metric: metric) }
                let z = rows.reversed().flatMap { row in cells.order.map { row.mean[$0] } }
                let hatched = rows.reversed().flatMap { row in cells.order.map { row.undecided[$0] } }
                let methodTicks = others.reversed().enumerated().map { Tick(value: Double($0.offset), label: label($0.element, document)) }
                var difference = Panel(title: "paired difference to strong per \(axis.name), mean over the seeds; \(hatchNote(document))",
                                       xAxis: cells.axis, yAxis: Axis(label: "method", ticks: methodTicks), showsGrid: false, legend: .hidden)
                let name = others.count == 1 ? differenceLabel(others[0], metric: metric, document)
                    : "method − strong, \(metric)" + (MetricGoal(metric: metric, spec: document.experiment).target == nil ? " (< 0: better)" : "")
                difference.add(.heatmap(Heatmap(grid: Grid2D(x: cells.order.map { cells.positions[$0] }, y: others.indices.map(Double.init), z: z),
                                                colormap: .diverging, range: symmetricRange(z), colorbarLabel: name,
                                                cellLabels: cellText(z, digits: 2), hatchedCells: hatched)))
                panels.append(difference)
            }
        }
        let columns = min(panels.count, 2)
        let rows = (panels.count + columns - 1) / columns
        return Figure(title: title(document), width: 760 * columns, height: 520 * rows, rows: rows, columns: columns, panels: panels)
    }

    static func heatmaps(_ document: SweepDocument) -> Figure {
        let (first, second) = (document.axes[0], document.axes[1])
        let (py, px) = (AxisPlacement(first, evenly: true), AxisPlacement(second, evenly: true))
        let others = compared(document)
        let n1 = second.values.count
        // z in the placements' increasing order: row r = first-axis value py.order[r], column c likewise.
        func arranged<T>(_ z: [T]) -> [T] { py.order.flatMap { i in px.order.map { k in z[i * n1 + k] } } }
        let x = px.order.map { px.positions[$0] }, y = py.order.map { py.positions[$0] }
        let columns = document.methods.count
        let rowsPerMetric = others.isEmpty ? 1 : 2
        var figure = Figure(title: title(document), width: max(900, 560 * columns), height: 480 * rowsPerMetric * document.metrics.count,
                            rows: rowsPerMetric * document.metrics.count, columns: columns)
        for (m, metric) in document.metrics.enumerated() {
            let means = document.methods.map { grid(document, method: $0, metric: metric) { $0.mean } }
            let finite = means.flatMap { $0 }.filter(\.isFinite)
            // Positive values of a lower-is-better metric spanning more than a decade are coloured by
            // their logarithm, so the differences among the good cells stay visible.
            let logScale = MetricGoal(metric: metric, spec: document.experiment).target == nil && (finite.min() ?? 0) > 0 && (finite.max() ?? 0) > 10 * (finite.min() ?? 0)
            let colour = { (v: Double) in logScale ? log10(v) : v }
            let range = colour(finite.min() ?? 0)...colour(finite.max() ?? 1)
            let row = m * rowsPerMetric
            for (column, method) in document.methods.enumerated() {
                let z = means[column]
                var panel = Panel(title: "\(label(method, document)): \(metric) mean", xAxis: px.axis, yAxis: py.axis, showsGrid: false, legend: .hidden)
                panel.add(.heatmap(Heatmap(grid: Grid2D(x: x, y: y, z: arranged(z.map(colour))), colormap: .viridis, range: range,
                                           colorbarLabel: (logScale ? "log₁₀ " : "") + meaning(metric, document),
                                           cellLabels: arranged(cellText(z, digits: 3)))))
                if let (cell, s) = document.best(method: method, metric: metric), let best = s.mean {
                    let at = document.axes.indices.map { document.axes[$0].values.firstIndex(of: cell.values[$0]) ?? 0 }
                    panel.add(.scatter(Scatter(x: [px.positions[at[1]]], y: [py.positions[at[0]]], shape: .circle, color: .vermillion, size: 30)))
                    panel.title += ", circled best \(NumberFormat.significant(best, 4))"
                }
                figure.place(panel, row: row, column: column)
            }
            let differenceRows = others.map { differences(document, method: $0, metric: metric) }
            let shared = symmetricRange(differenceRows.flatMap(\.mean))
            for (method, difference) in zip(others, differenceRows) {
                var panel = Panel(title: "\(label(method, document)) − strong: \(metric), paired mean; \(hatchNote(document))",
                                  xAxis: px.axis, yAxis: py.axis, showsGrid: false, legend: .hidden)
                panel.add(.heatmap(Heatmap(grid: Grid2D(x: x, y: y, z: arranged(difference.mean)), colormap: .diverging, range: shared,
                                           colorbarLabel: differenceLabel(method, metric: metric, document),
                                           cellLabels: arranged(cellText(difference.mean, digits: 2)), hatchedCells: arranged(difference.undecided))))
                figure.place(panel, row: row + 1, column: document.methods.firstIndex(of: method) ?? 0)
            }
        }
        return figure
    }

    static func title(_ document: SweepDocument) -> String {
        let axes = document.axes.map(\.name).joined(separator: " × ")
        let steps = document.axes.contains { $0.name == "steps" } ? "" : ", T = \(document.experiment.steps)"
        return "Sweep of \(axes): \(document.experiment.dimension)D, \(document.experiment.particles) particles\(steps)"
    }
}

/// The figure of a frontier (`toy-w2sd frontier --plot`): per shown metric a panel of each variant's
/// mean against its exact score evaluations per particle (log axis) with the 95% interval as a band,
/// and the Pareto front of (evaluations, metric) circled. A variant takes its method's colour; further
/// variants of one method are dashed and lighter.
public enum FrontierFigure {
    static func style(variant v: Int, of variants: [String]) -> (Color, LineStyle) {
        let methods = variants.map { (try? FrontierVariant.parse($0))?.method }
        guard let method = methods[v] else { return (Color.categorical(v), LineStyle(color: Color.categorical(v), width: 2)) }
        let earlier = methods[..<v].filter { $0 == method }.count
        let color = earlier == 0 ? MethodStyle.color(method) : MethodStyle.color(method).mixed(with: .white, fraction: min(0.6, 0.3 * Double(earlier)))
        let dashes: [[Double]] = [[], [7, 4], [2, 3], [9, 3, 2, 3]]
        return (color, LineStyle(color: color, width: 2, dash: dashes[earlier % dashes.count]))
    }

    public static func figure(_ document: FrontierDocument) -> Figure {
        var panels: [Panel] = []
        for metric in document.metrics {
            let goal = MetricGoal(metric: metric, spec: document.experiment)
            var panel = Panel(title: "\(metric) at equal cost: mean and 95% interval over \(document.repeats.count) repeat\(document.repeats.count == 1 ? "" : "s")",
                              xAxis: Axis(label: "score evaluations per particle", scale: .log),
                              yAxis: Axis(label: metric + " (" + goal.description + " is best)"), legend: .automatic)
            for (v, variant) in document.variants.enumerated() {
                let cells = document.cells.filter { $0.variant == variant && $0.available }.sorted { ($0.evaluationsPerParticle ?? 0) < ($1.evaluationsPerParticle ?? 0) }
                let x = cells.map { Double($0.evaluationsPerParticle ?? 0) }
                let mean = cells.map { $0.metrics?[metric]?.mean ?? .nan }
                let (color, style) = Self.style(variant: v, of: document.variants)
                panel.add(.band(Band(x: x, lower: cells.map { $0.metrics?[metric]?.lower ?? .nan }, upper: cells.map { $0.metrics?[metric]?.upper ?? .nan },
                                     color: color, opacity: 0.16)))
                panel.add(.lines(Lines(x: x, y: mean, style: style, label: variant)))
                panel.add(.scatter(Scatter(x: x, y: mean, shape: .dot, color: color, size: 6)))
            }
            let front = Set(document.paretoFront(metric: metric))
            let points = document.cells.filter { front.contains($0.index) }
            panel.add(.scatter(Scatter(x: points.map { Double($0.evaluationsPerParticle ?? 0) }, y: points.map { $0.metrics?[metric]?.mean ?? .nan },
                                       shape: .circle, color: .nearBlack, size: 15, label: "Pareto front")))
            panels.append(panel)
        }
        let columns = min(panels.count, 2)
        let rows = (panels.count + columns - 1) / columns
        let title = "Equal-budget frontier: \(document.experiment.dimension)D, \(document.experiment.particles) particles"
        var figure = Figure(title: title, width: 820 * columns, height: 560 * rows, rows: rows, columns: columns, panels: panels)
        figure.lettersPanels = true
        return figure
    }
}
