import Foundation
import Toy

extension DifferenceCase {
    /// The text of `Examples/cases/<name>.json`: its `experiment` with one component per line, in the
    /// key order of the examples in Documentation/experiment-file.md (name, class, weight, mean, std or covariance), a model's
    /// cfg and saturation after its components, numbers in their shortest round-trip form, so that
    /// decoding the text gives bit-identical models. The sampler block is written by `JSONEncoder` with
    /// sorted keys (every sampler setting, resolved), then the methods.
    public func exampleFileText() throws -> String {
        let file = experiment
        func number(_ v: Double) -> String {
            v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
        }
        func list(_ values: [Double]) -> String { "[" + values.map(number).joined(separator: ", ") + "]" }
        func component(_ c: ComponentSpec) -> String {
            var fields: [String] = []
            if let name = c.name { fields.append("\"name\": \"\(name)\"") }
            if let label = c.classLabel { fields.append("\"class\": \"\(label)\"") }
            fields.append("\"weight\": \(number(c.weight))")
            fields.append("\"mean\": \(list(c.mean))")
            if let std = c.std { fields.append("\"std\": \(number(std))") }
            if let rows = c.covariance { fields.append("\"covariance\": [" + rows.map(list).joined(separator: ", ") + "]") }
            return "{ " + fields.joined(separator: ", ") + " }"
        }
        func mixture(_ key: String, _ spec: MixtureSpec) -> String {
            var entries = ["    \"components\": [\n" + spec.components.map { "      " + component($0) }.joined(separator: ",\n") + "\n    ]"]
            if let w = spec.cfg { entries.append("    \"cfg\": \(number(w))") }
            if let s = spec.saturation {
                entries.append("    \"saturation\": { \"kappa\": \(number(s.kappa)), \"length\": \(number(s.length)) }")
            }
            return "  \"\(key)\": {\n" + entries.joined(separator: ",\n") + "\n  }"
        }
        var parts = file.condition.map { ["  \"class\": \"\($0)\""] } ?? []
        parts += [mixture("ideal", file.ideal), mixture("strong", file.strong), mixture("weak", file.weak)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        parts.append("  \"sampler\": " + String(decoding: try encoder.encode(file.samplerDocument), as: UTF8.self))
        parts.append("  \"methods\": " + String(decoding: try encoder.encode(file.methods.map(\.rawValue)), as: UTF8.self))
        return "{\n" + parts.joined(separator: ",\n") + "\n}\n"
    }
}
