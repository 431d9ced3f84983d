import Foundation
import Testing

/// `--inversion-error K` (the paper's Table 13) perturbs only W2SD's inversion.
@Suite struct InversionErrorTests {
    static let quick = ["--samples", "400", "--steps", "8"]

    func rows(_ text: String, method: String) -> [String] {
        var current = ""
        return text.split(separator: "\n").map(String.init).filter { line in
            if let first = line.split(separator: " ").first, !line.hasPrefix(" ") { current = String(first) }
            return current == method
        }
    }

    @Test func zeroIsTheDefaultAndOnlyW2SDChanges() throws {
        let plain = try CLI.run(["1d"] + Self.quick)
        let zero = try CLI.run(["1d", "--inversion-error", "0"] + Self.quick)
        let perturbed = try CLI.run(["1d", "--inversion-error", "0.1"] + Self.quick)
        #expect(plain.status == 0 && zero.status == 0 && perturbed.status == 0, "\(perturbed.stderr)")
        #expect(plain.stdout == zero.stdout)
        for method in ["ideal", "strong", "weak"] {
            #expect(rows(plain.stdoutText, method: method) == rows(perturbed.stdoutText, method: method), "\(method)")
        }
        #expect(rows(plain.stdoutText, method: "w2sd") != rows(perturbed.stdoutText, method: "w2sd"))
    }

    @Test func refusedWithExactInversionAndWhenNegative() throws {
        for arguments in [["--inversion-error", "0.5", "--inversion", "exact"], ["--inversion-error", "-1"],
                          ["--inversion-error", "nan"]] {
            let outcome = try CLI.run(["1d"] + arguments + Self.quick)
            #expect(outcome.status == 2 && outcome.stderr.hasPrefix("Error: ") && outcome.stderr.contains("inversion-error"),
                    "\(arguments): \(outcome.stderr)")
        }
    }

    @Test func configKeyIsValidated() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let preset = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Examples/preset-1d.json"), encoding: .utf8)
        let broken = preset.replacingOccurrences(of: "\"guidance\"", with: "\"inversionError\": -2, \"guidance\"")
        #expect(broken != preset, "the example must carry a guidance key to edit")
        let path = directory.appendingPathComponent("bad.json").path
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = try CLI.run(["1d", "--config", path] + Self.quick)
        #expect(outcome.status == 2 && outcome.stderr.contains("inversionError"), "\(outcome.stderr)")
    }
}
