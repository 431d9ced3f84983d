import Foundation
import Toy

/// Samples and trajectories of a run, in long format, for NumPy and pandas.
///
/// - Samples: one row per (method, repeat, particle): `method, repeat, particle, x1 ... xd`.
/// - Trajectories: one row per recorded point: `method, repeat, particle, level, sigma, phase, x1 ... xd`.
///
/// `.csv` writes names (method, phase) as text under a header row; `.npy` writes a float64 array of the
/// same columns with the method and phase as indices, and a JSON sidecar `<file>.json` naming the
/// columns and the indices (schema `toy-w2sd.export/1`).
public enum SampleExport {
    public enum Format: String, Sendable { case csv, npy }

    /// The format of a path (by its extension), or nil.
    public static func format(of path: String) -> Format? {
        let lower = path.lowercased()
        return lower.hasSuffix(".csv") ? .csv : lower.hasSuffix(".npy") ? .npy : nil
    }

    /// The phases in index order (the `.npy` files' phase column).
    public static let phases: [TrajectoryPhase] = [.start, .reflectionDown, .reflectionUp, .reflected, .step, .churned, .restartNoise, .restartStep]

    /// A table to export: column names, rows of numbers, and which columns hold names by index.
    public struct Table: Sendable {
        public var columns: [String]
        public var rows: [[Double]]
        /// Column name -> the names its indices stand for.
        public var categories: [String: [String]]
    }

    /// The samples of every method and every held repeat (`ExperimentRun.heldRepeats`; the `repeat`
    /// column counts from 0, repeat r having the seed seed + r).
    public static func samples(_ run: ExperimentRun) -> Table {
        let d = run.spec.dimension
        let methods = run.results.map(\.method.rawValue)
        var rows: [[Double]] = []
        for (index, results) in run.heldRepeats.enumerated() {
            for (m, result) in results.enumerated() {
                let n = result.samples.count / max(d, 1)
                for p in 0..<n { rows.append([Double(m), Double(index), Double(p)] + Array(result.samples[(p * d)..<((p + 1) * d)])) }
            }
        }
        return Table(columns: ["method", "repeat", "particle"] + (1...d).map { "x\($0)" }, rows: rows, categories: ["method": methods])
    }

    /// Every recorded trajectory point of every method and every held repeat.
    public static func trajectories(_ run: ExperimentRun) -> Table {
        let d = run.spec.dimension
        var rows: [[Double]] = []
        for (index, results) in run.heldRepeats.enumerated() {
            for (m, result) in results.enumerated() {
                for t in result.trajectories {
                    for point in t.points {
                        let phase = phases.firstIndex(of: point.phase) ?? -1
                        rows.append([Double(m), Double(index), Double(t.particle), Double(point.level), point.sigma, Double(phase)] + point.position)
                    }
                }
            }
        }
        return Table(columns: ["method", "repeat", "particle", "level", "sigma", "phase"] + (1...d).map { "x\($0)" }, rows: rows,
                     categories: ["method": run.results.map(\.method.rawValue), "phase": phases.map(\.rawValue)])
    }

    /// The files of a table for `path`: (path, bytes) pairs, the `.npy` with its sidecar.
    public static func files(_ table: Table, path: String) throws -> [(String, [UInt8])] {
        switch format(of: path) {
        case .csv: return [(path, Array(csv(table).utf8))]
        case .npy:
            let array = NumPyArray(rows: table.rows.count, columns: table.columns.count, values: table.rows.flatMap { $0 })
            struct Sidecar: Codable { var schema = "toy-w2sd.export/1"; var version = ToolVersion.current; var toolkit = Toolkit.current; var file: String; var columns: [String]; var categories: [String: [String]]; var shape: [Int] }
            let sidecar = Sidecar(file: (path as NSString).lastPathComponent, columns: table.columns, categories: table.categories,
                                  shape: [table.rows.count, table.columns.count])
            return [(path, array.encoded()), (path + ".json", Array(try ReportEncoding.encode(sidecar)))]
        case nil:
            throw UsageError(message: "'\(path)' does not end in .csv or .npy; accepted: a path ending in .csv or .npy")
        }
    }

    /// CSV with a header row; category columns as names, numbers in their shortest round-trip form.
    public static func csv(_ table: Table) -> String {
        var lines = [table.columns.joined(separator: ",")]
        lines.reserveCapacity(table.rows.count + 1)
        for row in table.rows {
            lines.append(zip(table.columns, row).map { column, value in
                if let names = table.categories[column], let i = Int(exactly: value), names.indices.contains(i) { return names[i] }
                if let i = Int(exactly: value), column != "sigma", !column.hasPrefix("x") { return String(i) }
                return "\(value)"
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
