import Foundation
import Toy

/// The cells of a study report and what the element `id="selected"` shows for each: per method (or
/// variant, or family) its mean, 95% interval and paired difference to the reference (strong) with
/// its interval (`RepeatSummary.paired`, same seeds), every number formatted here, so the page's script
/// only shows text. A cell is named by a URL fragment of its axis values as written on the command line,
/// `#gamma=1` or `#gamma=1&lambda=20` (a frontier's cells: `#budget=50`).
///
/// Numbers: means with 6 significant digits (`NumberFormat.significant(_, 6)`), interval ends and
/// differences with 4.
public struct StudySelection: Sendable, Encodable {
    public struct Cell: Sendable, Encodable {
        /// The cell's index in `cells`.
        public var index: Int
        /// (axis name, value as written), in axis order.
        public var key: [[String]]
        /// "gamma=1, lambda=20".
        public var label: String
        /// "gamma=1&lambda=20" (each part percent-encoded where a URL needs it).
        public var fragment: String
        /// One row per method: the cells under `headers`.
        public var rows: [[String]]
    }

    /// The fragment's names, in axis order.
    public var keys: [String]
    public var headers: [String]
    public var cells: [Cell]
    /// What `selected` says before a cell is chosen.
    public var hint: String

    static func mean(_ v: Double?) -> String { v.map { NumberFormat.significant($0, 6) } ?? "undefined" }
    static func short(_ v: Double) -> String { NumberFormat.significant(v, 4) }

    /// "[0.1234, 0.2345]", or why there is none.
    static func interval(_ s: MetricSummary?) -> String {
        guard let s else { return "undefined" }
        guard let lower = s.lower, let upper = s.upper else { return s.mean == nil ? "undefined" : "no interval (\(s.n) repeat\(s.n == 1 ? "" : "s"))" }
        return "[\(short(lower)), \(short(upper))]"
    }

    /// "-0.0123 [-0.02, -0.004]": the per-seed difference `value - reference` with its 95% interval.
    static func paired(_ value: MetricSummary?, minus reference: MetricSummary?) -> String {
        guard let a = value?.values, let b = reference?.values, a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite),
              let d = try? RepeatSummary.paired(a, minus: b) else { return "undefined" }
        return difference(d.mean, d.confidenceInterval?.lowerBound, d.confidenceInterval?.upperBound)
    }

    /// "-0.0123 [-0.02, -0.004]", or the mean alone with "(no interval)".
    static func difference(_ mean: Double, _ lower: Double?, _ upper: Double?) -> String {
        guard let lower, let upper else { return short(mean) + " (no interval)" }
        return "\(short(mean)) [\(short(lower)), \(short(upper))]"
    }

    /// The fragment of a key: name=value pairs joined by &, each percent-encoded except for the
    /// characters a value on the command line commonly has (letters, digits, - . _ : ,).
    static func fragment(_ key: [[String]]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._:,")
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return key.map { encode($0[0]) + "=" + encode($0[1]) }.joined(separator: "&")
    }

    static func cell(index: Int, key: [[String]], rows: [[String]]) -> Cell {
        Cell(index: index, key: key, label: key.map { "\($0[0])=\($0[1])" }.joined(separator: ", "), fragment: fragment(key), rows: rows)
    }

    /// The metric columns: mean, interval and difference to `reference` per metric.
    static func metricHeaders(_ metrics: [String], reference: String?) -> [String] {
        metrics.flatMap { m in ["\(m) mean", "\(m) 95% interval"] + (reference.map { ["\(m) minus \($0) [95%]"] } ?? []) }
    }

    /// The JSON for the page's `<script type="application/json">` block: `<`, `>` and `&` written as
    /// \u escapes (inside JSON strings, where alone they can occur), so the block cannot end early and
    /// stays well-formed XML.
    func scriptJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return text.replacingOccurrences(of: "&", with: "\\u0026").replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
    }
}

extension StudySelection {
    /// A sweep: one cell per grid cell; rows per method; the reference is strong when it ran.
    public init(_ document: SweepDocument) {
        let reference = document.methods.contains("strong") ? "strong" : nil
        keys = document.axes.map(\.name)
        headers = ["method"] + Self.metricHeaders(document.metrics, reference: reference)
        cells = document.cells.enumerated().map { position, cell in
            let rows = document.methods.map { method in
                [method] + document.metrics.flatMap { metric -> [String] in
                    let s = document.summary(cell: cell, method: method, metric: metric)
                    let strong = reference.flatMap { document.summary(cell: cell, method: $0, metric: metric) }
                    return [Self.mean(s?.mean), Self.interval(s)]
                        + (reference == nil ? [] : [method == reference ? "(reference)" : Self.paired(s, minus: strong)])
                }
            }
            return Self.cell(index: position, key: zip(document.axes, cell.values).map { [$0.name, $1] }, rows: rows)
        }
        let example = cells.first.map { "#" + $0.fragment } ?? "#NAME=VALUE"
        hint = (document.axes.count == 2 ? "Click a heatmap cell" : "Click a column of the figure")
            + ", pick a cell below, or open this file with a fragment such as \(example) (values as on the command line)."
    }

    /// A frontier: one cell per budget; rows per variant with its T and cost; the reference is the first
    /// variant of the strong method.
    public init(_ document: FrontierDocument) {
        let reference = document.variants.first { (try? FrontierVariant.parse($0))?.method == .strong }
        keys = ["budget"]
        headers = ["variant", "T", "evals/particle"] + Self.metricHeaders(document.metrics, reference: reference)
        cells = document.budgets.enumerated().map { b, budget in
            let here = document.cells.filter { $0.budget == budget }
            let referenceCell = here.first { $0.variant == reference }
            let rows = here.map { cell -> [String] in
                guard cell.available else {
                    return [cell.variant, "unavailable", "-"] + Self.metricHeaders(document.metrics, reference: reference).map { _ in "-" }
                }
                return [cell.variant, cell.steps.map(String.init) ?? "-", cell.evaluationsPerParticle.map(String.init) ?? "-"]
                    + document.metrics.flatMap { metric -> [String] in
                        let s = cell.metrics?[metric]
                        return [Self.mean(s?.mean), Self.interval(s)]
                            + (reference == nil ? [] : [cell.variant == reference ? "(reference)" : Self.paired(s, minus: referenceCell?.metrics?[metric])])
                    }
            }
            return Self.cell(index: b, key: [["budget", String(budget)]], rows: rows)
        }
        hint = "Click a point of the figure, pick a budget below, or open this file with a fragment such as #budget=\(document.budgets.first ?? 0)."
    }

    /// A tuned frontier: one cell per budget; rows per family with its chosen candidate, held-out
    /// metrics and (for the selection metric) the paired difference to strong on the held-out seeds.
    public init(_ document: TunedFrontierDocument) {
        keys = ["budget"]
        headers = ["family", "chosen", "T", "evals/particle"] + document.metrics.flatMap { ["\($0) mean (held out)", "\($0) 95% interval"] }
            + ["\(document.metric) minus strong [95%]"]
        cells = document.budgets.enumerated().map { b, budget in
            let rows = budget.families.map { f -> [String] in
                let head: [String] = [f.family, f.chosen ?? "unavailable", f.steps.map(String.init) ?? "-", f.evaluationsPerParticle.map(String.init) ?? "-"]
                let held: [String] = document.metrics.flatMap { m -> [String] in [Self.mean(f.heldOut?[m]?.mean), Self.interval(f.heldOut?[m])] }
                let paired: String = f.family == "strong" ? "(reference)" : f.pairedToStrong.map { Self.difference($0.mean, $0.lower, $0.upper) } ?? "undefined"
                return head + held + [paired]
            }
            return Self.cell(index: b, key: [["budget", String(budget.budget)]], rows: rows)
        }
        hint = "Pick a budget below, or open this file with a fragment such as #budget=\(document.budgets.first?.budget ?? 0)."
    }
}
