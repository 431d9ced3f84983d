import Foundation
import Testing

/// `train --evaluate`: the W1 ratio of the learned field to the exact ideal score, printed with both W1
/// values and written to the JSON.
@Suite struct TrainEvaluateTests {
    @Test func evaluationReportsBothW1ValuesAndTheirRatio() throws {
        let base = ["train", "--toy", "2d", "--width", "8", "--depth", "1", "--steps", "20", "--batch", "64", "--evaluate", "--samples", "400"]
        let json = try CLI.run(base + ["--json", "-"])
        #expect(json.status == 0, "\(json.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        let evaluation = try #require(root["evaluation"] as? [String: Any])
        let rows = try #require(evaluation["rows"] as? [[String: Any]])
        let w1 = try #require(evaluation["wasserstein"] as? [String: Double])
        let idealScore = try #require(rows[1]["wasserstein"] as? Double), learned = try #require(rows[2]["wasserstein"] as? Double)
        // JSON text and JSONSerialization round the last bit: the ratio is checked to 1e-12 relative.
        let ratio = try #require(w1["ratio"])
        #expect(w1["learned"] == learned && w1["idealScore"] == idealScore && abs(ratio - learned / idealScore) <= 1e-12 * ratio, "\(w1)")
        #expect(evaluation["particles"] as? Int == 400 && evaluation["seed"] as? Int == 0)
        let text = try CLI.run(base)
        #expect(text.status == 0, "\(text.stderr)")
        let line = try #require(text.stdoutText.split(separator: "\n").first { $0.hasPrefix("W1 ratio learned / ideal score") })
        #expect(line.contains("400 particles") && line.contains("<= 1.2") && line.contains(" / ") && line.contains(" = "), "\(line)")
    }
}
