import Foundation

extension DifferenceCase {
    /// The text of `Examples/cases/<name>.json` for a mixture case (nil for a field case): its
    /// `experimentFile()` with one component per line, in the key order of the README's examples
    /// (name, weight, mean, std or covariance), numbers in their shortest round-trip form, so that
    /// decoding the text gives bit-identical models. The sampler block is written by `JSONEncoder` with
    /// sorted keys, so it holds every key `SamplerSpec` has.
    public func exampleFileText() throws -> String? {
        guard let file = experimentFile() else { return nil }
        func number(_ v: Double) -> String {
            v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
        }
        func list(_ values: [Double]) -> String { "[" + values.map(number).joined(separator: ", ") + "]" }
        func component(_ c: ExperimentFile.ComponentSpec) -> String {
            var fields: [String] = []
            if let name = c.name { fields.append("\"name\": \"\(name)\"") }
            fields.append("\"weight\": \(number(c.weight))")
            fields.append("\"mean\": \(list(c.mean))")
            if let std = c.std { fields.append("\"std\": \(number(std))") }
            if let rows = c.covariance { fields.append("\"covariance\": [" + rows.map(list).joined(separator: ", ") + "]") }
            return "{ " + fields.joined(separator: ", ") + " }"
        }
        func mixture(_ key: String, _ spec: ExperimentFile.MixtureSpec) -> String {
            "  \"\(key)\": {\n    \"components\": [\n"
                + spec.components.map { "      " + component($0) }.joined(separator: ",\n")
                + "\n    ]\n  }"
        }
        var parts = [mixture("ideal", file.ideal), mixture("strong", file.strong), mixture("weak", file.weak)]
        if let sampler = file.sampler {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let text = String(decoding: try encoder.encode(sampler), as: UTF8.self)
            parts.append("  \"sampler\": " + text)
        }
        return "{\n" + parts.joined(separator: ",\n") + "\n}\n"
    }
}
