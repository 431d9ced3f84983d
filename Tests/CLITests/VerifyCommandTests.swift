import Foundation
import Testing

/// `toy-w2sd verify --quick` as a user runs it (once: text on stdout, JSON and report into files): every
/// check passes, the JSON carries the typed tables, the Markdown report renders each of them with one
/// row per value and no negative zero, and the text names each verdict.
@Suite struct VerifyCommandTests {
    @Test func quickVerifyReportsTypedTablesInJSONAndMarkdown() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = directory.appendingPathComponent("verify.json")
        let outcome = try CLI.run(["verify", "--quick", "--json", json.path, "--report", directory.appendingPathComponent("report").path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let text = outcome.stdoutText
        #expect(text.components(separatedBy: "[PASS] ").count - 1 == 4 && text.contains("[MEASURED] Global claim"))
        #expect(text.contains("4 of 4 checks PASS; 1 measurement reported"))
        #expect(text.contains("rho = ") && text.contains("n = 4"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        let checks = try #require(document["checks"] as? [[String: Any]])
        #expect(checks.count == 5)
        #expect(checks.allSatisfy { $0["passed"] as? Bool == true })
        #expect(checks.map { $0["kind"] as? String } == ["check", "check", "check", "check", "measurement"])
        let report = try String(contentsOfFile: directory.appendingPathComponent("report/report.md").path, encoding: .utf8)
        for heading in ["## 1. Theorem 1", "## 2. Identity", "## 3. Oracle", "## 4. Small-step", "## 5. Global claim"] {
            #expect(report.contains(heading), "\(heading)")
        }
        let reportLines = report.components(separatedBy: "\n")
        var tableCount = 0
        for check in checks {
            let expected = check["kind"] as? String == "measurement" ? "MEASURED" : "PASS"
            #expect((check["verdict"] as? String)?.hasPrefix(expected) == true, "\(check["name"] ?? "")")
            let tables = try #require(check["tables"] as? [[String: Any]])
            for table in tables {
                tableCount += 1
                let columns = try #require(table["columns"] as? [[String: Any]])
                let lengths = Set(columns.map { ($0["values"] as? [Any])?.count ?? -1 })
                #expect(lengths.count == 1 && (lengths.first ?? 0) > 0, "columns of unequal length in \(table["title"] ?? "")")
                // The Markdown header of this table, then the rule, then exactly one line per row.
                let names = columns.compactMap { $0["name"] as? String }
                let header = "| " + names.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
                let title = table["title"] as? String ?? ""
                let start = try #require(reportLines.indices.first { index in
                    reportLines[index] == header && (title.isEmpty || (index >= 2 && reportLines[index - 2] == "*\(title)*"))
                }, "table \(title) not in the report")
                let body = reportLines[(start + 2)...].prefix { $0.hasPrefix("|") }
                #expect(body.count == lengths.first, "\(title): \(body.count) Markdown rows")
                #expect(body.allSatisfy { $0.components(separatedBy: " | ").count == names.count }, "\(title): cells per row")
            }
        }
        #expect(tableCount >= 10)
        // The formatter never writes a negative zero.
        let cells = reportLines.filter { $0.hasPrefix("|") }.flatMap { $0.components(separatedBy: " | ") }
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "| ")) }
        #expect(!cells.contains { $0.hasPrefix("-0") && Double($0) == 0 }, "a negative zero in the report")
        let figure = try String(contentsOfFile: directory.appendingPathComponent("report/convergence.svg").path, encoding: .utf8)
        #expect(CLI.isWellFormedXML(figure))
        for title in ["Identity bias", "Oracle weak field", "W2SD vs autoguidance"] { #expect(figure.contains(title), "\(title)") }
    }
}
