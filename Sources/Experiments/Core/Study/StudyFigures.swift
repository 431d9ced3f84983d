import Foundation
import Plot

/// Where the values of a sweep axis sit on a figure axis. Numbers sit at their values (fractions of T
/// as fractions) when they are distinct and, for a heatmap (`evenly`), evenly spaced; otherwise the
/// values sit at 0, 1, 2, ... and the label lists them. Unevenly spaced positive numbers spanning more
/// than a decade get a log axis on a line plot.
struct AxisPlacement {
    /// The coordinate of each value, in value order.
    var positions: [Double]
    var label: String
    var scale: Scale = .linear
    /// Value indices in increasing coordinate order.
    var order: [Int]

    init(_ axis: SweepAxis, evenly: Bool) {
        let numbers = axis.coordinates.flatMap { Set($0).count == $0.count ? $0 : nil }
        let sorted = numbers?.sorted() ?? []
        let steps = zip(sorted, sorted.dropFirst()).map { $1 - $0 }
        let even = steps.allSatisfy { abs($0 - (steps.first ?? 0)) <= 1e-9 * max(1, abs(steps.first ?? 0)) }
        if let numbers, even || !evenly {
            positions = numbers
            label = axis.label
            if !even, let low = sorted.first, let high = sorted.last, low > 0, high > 10 * low { scale = .log }
        } else {
            positions = axis.values.indices.map(Double.init)
            let names = axis.values.enumerated().map { "\($0) = \($1)" }.joined(separator: ", ")
            label = "\(axis.name) (\(names))"
        }
        let p = positions
        order = p.indices.sorted { p[$0] < p[$1] }
    }

    /// The distance from value `i` to its nearest neighbour on the axis (1 for a single value).
    func spacing(_ i: Int) -> Double {
        positions.indices.filter { $0 != i }.map { abs(positions[$0] - positions[i]) }.min() ?? 1
    }
}

/// The figure of a sweep (`toy-w2sd sweep --plot`), built from its document alone (so a merged
/// document draws the same figure):
/// - one axis: per shown metric a panel of each method's mean against the axis value with its 95%
///   interval as a band; strong dashed (the reference), the best cell of every other method circled;
/// - two axes: per shown metric (rows) and method (columns, strong left out when it is the
///   reference) a heatmap over the two axes, one colour scale per metric shared by its panels
///   (logarithmic for a lower-is-better metric whose positive means span more than a decade), the
///   best cell circled and labelled, each cell's mean written in it (up to 64 cells), strong shown by
///   its value in the title (a range when it varies over the cells), and a cross on every cell where
///   the method beats strong (the paired 95% interval of the difference in badness lies below 0).
public enum SweepFigure {
    public static func figure(_ document: SweepDocument) -> Figure {
        document.axes.count == 1 ? lines(document) : heatmaps(document)
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

    static func lines(_ document: SweepDocument) -> Figure {
        let axis = document.axes[0]
        let place = AxisPlacement(axis, evenly: false)
        let x = place.order.map { place.positions[$0] }
        var panels: [Panel] = []
        for metric in document.metrics {
            let goal = MetricGoal(metric: metric, spec: document.experiment)
            var panel = Panel(title: "\(metric) against \(axis.name): mean and 95% interval over \(document.repeats.count) repeat\(document.repeats.count == 1 ? "" : "s")",
                              xAxis: Axis(label: place.label, scale: place.scale), yAxis: Axis(label: metric + " (" + goal.description + " is best)"),
                              legend: .automatic)
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
        }
        let columns = min(panels.count, 2)
        let rows = (panels.count + columns - 1) / columns
        return Figure(title: title(document), width: 760 * columns, height: 520 * rows, rows: rows, columns: columns, panels: panels)
    }

    static func heatmaps(_ document: SweepDocument) -> Figure {
        let (first, second) = (document.axes[0], document.axes[1])
        let (py, px) = (AxisPlacement(first, evenly: true), AxisPlacement(second, evenly: true))
        let hasStrong = document.methods.contains("strong")
        let shown = document.methods.count > 1 && hasStrong ? document.methods.filter { $0 != "strong" } : document.methods
        let n1 = second.values.count
        // z in the placements' increasing order: row r = first-axis value py.order[r], column c likewise.
        func arranged(_ z: [Double]) -> [Double] { py.order.flatMap { i in px.order.map { k in z[i * n1 + k] } } }
        let x = px.order.map { px.positions[$0] }, y = py.order.map { py.positions[$0] }
        var panels: [Panel] = []
        for metric in document.metrics {
            let means = Dictionary(uniqueKeysWithValues: document.methods.map { ($0, grid(document, method: $0, metric: metric) { $0.mean }) })
            let finite = means.values.flatMap { $0 }.filter(\.isFinite)
            // Positive values of a lower-is-better metric spanning more than a decade are coloured by
            // their logarithm, so the differences among the good cells stay visible.
            let logScale = MetricGoal(metric: metric, spec: document.experiment).target == nil && (finite.min() ?? 0) > 0 && (finite.max() ?? 0) > 10 * (finite.min() ?? 0)
            let colour = { (v: Double) in logScale ? log10(v) : v }
            let range = colour(finite.min() ?? 0)...colour(finite.max() ?? 1)
            let strong = hasStrong ? means["strong"] : nil
            let strongText: String = {
                guard let strong else { return "" }
                let values = strong.filter(\.isFinite)
                guard let lo = values.min(), let hi = values.max() else { return "" }
                return lo == hi ? "; strong \(NumberFormat.significant(lo, 4)); × beats strong"
                    : "; strong \(NumberFormat.significant(lo, 4)) ... \(NumberFormat.significant(hi, 4)); × beats strong"
            }()
            for method in shown {
                let z = means[method] ?? []
                var panel = Panel(title: "\(label(method, document)): \(metric) mean\(method == "strong" ? "" : strongText)",
                                  xAxis: Axis(label: px.label), yAxis: Axis(label: py.label), showsGrid: false, legend: .hidden)
                panel.add(.heatmap(Heatmap(grid: Grid2D(x: x, y: y, z: arranged(z.map(colour))), colormap: .viridis, range: range,
                                           colorbarLabel: (logScale ? "log₁₀ " : "") + "\(metric) (one scale for the row)")))
                if hasStrong, method != "strong" {
                    let better = document.cells.filter { document.beatsStrong(cell: $0, method: method, metric: metric) }
                    let at = better.map { Sweep.indices(ofCell: $0.index, axes: document.axes) }
                    // The cross sits in the upper part of its cell, clear of the value written at the centre.
                    panel.add(.scatter(Scatter(x: at.map { px.positions[$0[1]] }, y: at.map { py.positions[$0[0]] + 0.3 * py.spacing($0[0]) },
                                               shape: .cross, color: .white, size: 9)))
                }
                if document.cellCount <= 64 {
                    let width = range.upperBound - range.lowerBound
                    for (j, value) in z.enumerated() where value.isFinite {
                        let at = Sweep.indices(ofCell: j, axes: document.axes)
                        let bright = width > 0 && (colour(value) - range.lowerBound) / width > 0.6
                        panel.add(.text(TextAnnotation(NumberFormat.significant(value, 3), x: px.positions[at[1]], y: py.positions[at[0]],
                                                       anchor: .middle, size: 10, color: bright ? .nearBlack : .white)))
                    }
                }
                if let (cell, s) = document.best(method: method, metric: metric), let m = s.mean {
                    let at = document.axes.indices.map { document.axes[$0].values.firstIndex(of: cell.values[$0]) ?? 0 }
                    let (bx, by) = (px.positions[at[1]], py.positions[at[0]])
                    panel.add(.scatter(Scatter(x: [bx], y: [by], shape: .circle, color: .vermillion, size: 30)))
                    panel.title = "\(label(method, document)): \(metric) mean, circled best \(NumberFormat.significant(m, 4))"
                        + (method == "strong" ? "" : strongText)
                }
                panels.append(panel)
            }
        }
        let columns = shown.count
        let rows = document.metrics.count
        return Figure(title: title(document), width: max(900, 640 * columns), height: 520 * rows, rows: rows, columns: columns, panels: panels)
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
        return Figure(title: title, width: 820 * columns, height: 560 * rows, rows: rows, columns: columns, panels: panels)
    }
}
