import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Experiments
import Plot
import TestSupport
import Testing

/// The HTML writer of `--report`: escaping, well-formedness with hostile text, the embedded cell data,
/// and the clickable extents laid over a figure.
@Suite struct HTMLReportBuilderTests {
    /// The text content of an XML document, nil when it is not well-formed.
    final class TextCollector: NSObject, XMLParserDelegate {
        var text = ""
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    static func parsedText(_ xml: String) -> String? {
        let parser = XMLParser(data: Data(xml.utf8))
        let collector = TextCollector()
        parser.delegate = collector
        return parser.parse() ? collector.text : nil
    }

    @Test func escapingCoversTheFiveCharactersAndDropsForbiddenControls() {
        #expect(HTMLWriter.escaped("<&>\"'") == "&lt;&amp;&gt;&quot;&apos;")
        #expect(HTMLWriter.escaped("a\u{0}b\u{1B}c\td\ne") == "abc\td\ne")
        #expect(HTMLWriter.escaped("Δ₁ − σ") == "Δ₁ − σ")
    }

    /// Random text from an alphabet heavy in markup characters, quoted in an attribute and as content,
    /// parses back to itself (controls dropped).
    @Test func anyTextSurvivesAsContentAndAttribute() {
        let alphabet = Array("<&>\"'ab =/;#]]>!-\u{1}\u{9}Δ")
        let failures = Property.check("escaped text parses back") { rng in
            let count = Int(rng.next() % 31)
            let text = String((0..<count).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            var w = HTMLWriter()
            w.element("root", [("title", text)]) { $0.element("p", text: text) }
            let expected = text.replacingOccurrences(of: "\u{1}", with: "")
            let parsed = Self.parsedText(w.html)
            return parsed == expected ? nil : "\(text.debugDescription) parsed as \(parsed.debugDescription)"
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func aReportWithMarkupInEveryFieldIsWellFormedAndShowsTheTextAsGiven() throws {
        let hostile = "<&>\"' </script><!--"
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.methods = [.strong, .w2sd]
        let report = HTMLReport(
            title: "report " + hostile, context: .init(commandLine: ["toy-w2sd", "1d", "--json", "/tmp/\(hostile).json"], seconds: 1.5, threads: 2,
                                                        notes: ["note " + hostile]),
            seeds: "0", timingDetail: hostile,
            blocks: [.line("line " + hostile), .table(TextTable(headers: ["h" + hostile], rows: [["c" + hostile]]), trimmed: false)],
            figure: nil, configuration: try HTMLReport.configurationText(spec), selection: nil)
        let html = try report.html()
        let text = try #require(Self.parsedText(html))
        for piece in ["report " + hostile, "line " + hostile, "h" + hostile, "c" + hostile, "note " + hostile, "'/tmp/<&>\"'\\''"] {
            #expect(text.contains(piece), "\(piece)")
        }
        #expect(!html.contains("</script><!--"))
    }

    @Test func theShellLineQuotesWhatAShellWouldRead() {
        #expect(HTMLReport.shellLine(["toy-w2sd", "sweep", "--sweep", "gamma=0:2:5", "--json", "a b.json", "it's", ""])
                == "toy-w2sd sweep --sweep gamma=0:2:5 --json 'a b.json' 'it'\\''s' ''")
    }

    @Test func theCellDataCannotCloseItsScriptAndDecodesToTheSameText() throws {
        let selection = StudySelection(keys: ["a<b"], headers: ["x&y"], cells: [
            StudySelection.cell(index: 0, key: [["a<b", "</script>&"]], rows: [["1 > 0"]]),
        ], hint: "h")
        let json = selection.scriptJSON()
        #expect(!json.contains("<") && !json.contains(">") && !json.contains("&"))
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let cell = (object?["cells"] as? [[String: Any]])?.first
        #expect((cell?["key"] as? [[String]]) == [["a<b", "</script>&"]])
        #expect((cell?["rows"] as? [[String]]) == [["1 > 0"]])
        #expect(cell?["fragment"] as? String == "a%3Cb=%3C%2Fscript%3E%26")
    }

    @Test func fragmentsKeepCommandLineValuesReadable() {
        #expect(StudySelection.fragment([["gamma", "0.5"], ["lambda", "0.2T"]]) == "gamma=0.5&lambda=0.2T")
        #expect(StudySelection.fragment([["reflect-sigma", "0:2"], ["solver", "euler"]]) == "reflect-sigma=0:2&solver=euler")
    }

    /// Each value's extent holds its centre, the extents of neighbours meet at their midpoint, and a
    /// single value spans the fallback either side, whatever the order of the centres.
    @Test func extentsTileTheAxis() {
        let failures = Property.check("extents tile the axis") { rng in
            let count = 1 + Int(rng.next() % 8)
            var centres: [Double] = []
            while centres.count < count {
                let c = Double(rng.next() % 500_000) / 1000
                if !centres.contains(where: { abs($0 - c) < 1e-6 }) { centres.append(c) }
            }
            let extents = ReportFigure.extents(centres, fallback: 7)
            let order = centres.indices.sorted { centres[$0] < centres[$1] }
            for i in centres.indices where !(extents[i].low < centres[i] && centres[i] < extents[i].high) {
                return "centre \(centres[i]) outside its extent \(extents[i]) (centres \(centres))"
            }
            for (a, b) in zip(order, order.dropFirst()) where abs(extents[a].high - (centres[a] + centres[b]) / 2) > 1e-9 || abs(extents[b].low - extents[a].high) > 1e-9 {
                return "neighbours \(centres[a]), \(centres[b]) do not meet at their midpoint: \(extents[a]), \(extents[b])"
            }
            if count == 1, abs(extents[0].high - extents[0].low - 14) > 1e-9 { return "a single value spans \(extents[0])" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}
