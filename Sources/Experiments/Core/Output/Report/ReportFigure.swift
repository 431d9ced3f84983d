import Plot

/// A figure of an HTML report: the SVG that `Plot` renders, inline (its XML declaration dropped), with
/// transparent clickable targets laid over it, one per region that stands for a study cell (a heatmap
/// cell, a column of a line plot, a frontier point). A target carries `data-cell` (the cell's index in
/// `StudySelection`) and a `<title>` (its label, shown on hover).
public struct ReportFigure: Sendable {
    public struct Target: Sendable, Equatable {
        public enum Shape: Sendable, Equatable {
            case rectangle(FigureRegion)
            case circle(x: Double, y: Double, radius: Double)
        }

        public var cell: Int
        public var label: String
        public var shape: Shape
    }

    public var figure: Figure
    public var targets: [Target]

    public init(figure: Figure, targets: [Target] = []) {
        self.figure = figure
        self.targets = targets
    }

    /// The inline SVG element with the targets as its last group (drawn on top).
    func svg() throws -> String {
        var svg = try figure.svg()
        if svg.hasPrefix("<?xml"), let end = svg.firstIndex(of: "\n") { svg = String(svg[svg.index(after: end)...]) }
        guard !targets.isEmpty, let close = svg.range(of: "</svg>", options: .backwards) else { return svg }
        let c = { (v: Double) in NumberFormat.fixed(v, 2) }
        var overlay = "<g class=\"targets\">\n"
        for target in targets {
            let attributes = " class=\"target\" data-cell=\"\(target.cell)\""
            let title = "<title>\(HTMLWriter.escaped(target.label))</title>"
            switch target.shape {
            case let .rectangle(r):
                overlay += "<rect\(attributes) x=\"\(c(r.x))\" y=\"\(c(r.y))\" width=\"\(c(r.width))\" height=\"\(c(r.height))\">\(title)</rect>\n"
            case let .circle(x, y, radius):
                overlay += "<circle\(attributes) cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"\(c(radius))\">\(title)</circle>\n"
            }
        }
        overlay += "</g>\n"
        svg.replaceSubrange(close.lowerBound..<close.lowerBound, with: overlay)
        return svg
    }

    /// The extent of each of `centres` (pixel positions of the values along one axis, in value order)
    /// up to the midpoints with its neighbours (in position order); an end value reaches as far out as
    /// in; a single value spans `fallback` either side. Returned as (low, high) per value.
    static func extents(_ centres: [Double], fallback: Double) -> [(low: Double, high: Double)] {
        let order = centres.indices.sorted { centres[$0] < centres[$1] }
        var result = [(low: Double, high: Double)](repeating: (0, 0), count: centres.count)
        for (rank, i) in order.enumerated() {
            let previous = rank > 0 ? centres[order[rank - 1]] : nil, next = rank + 1 < order.count ? centres[order[rank + 1]] : nil
            let before = previous.map { (centres[i] - $0) / 2 } ?? next.map { ($0 - centres[i]) / 2 } ?? fallback
            let after = next.map { ($0 - centres[i]) / 2 } ?? before
            result[i] = (centres[i] - before, centres[i] + after)
        }
        return result
    }
}
