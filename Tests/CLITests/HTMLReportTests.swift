import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `--report PATH.html` through the binary: every report kind is written, is well-formed (it is XML
/// as well as HTML, so an XML parser proves its tags balanced and its text escaped) and loads nothing
/// from outside; a bad path is refused before any work; and the cell explorer of a sweep report works
/// in a real browser (headless Chromium) where one is installed.
@Suite struct HTMLReportTests {
    static let quick = ["--samples", "200", "--steps", "6", "--repeats", "2"]

    /// What an XML parse of a report found: its elements with their attributes, and its text.
    final class Scan: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append((name, attributes))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    /// Parses `html` as XML; nil when it is not well-formed.
    static func scan(_ html: String) -> Scan? {
        let parser = XMLParser(data: Data(html.utf8))
        let scan = Scan()
        parser.delegate = scan
        return parser.parse() ? scan : nil
    }

    /// Problems that would load something from outside the file: a `src` attribute, an `href` that is
    /// not a fragment, an element that embeds or links a resource, a CSS `url(` or `@import` not
    /// pointing into the document.
    static func externalResources(_ html: String, _ scan: Scan) -> [String] {
        var problems: [String] = []
        for (name, attributes) in scan.elements {
            if ["link", "img", "iframe", "object", "embed", "image", "use", "audio", "video", "source"].contains(name) { problems.append("<\(name)>") }
            for (key, value) in attributes {
                if key == "src" || key.hasSuffix(":href") && !value.hasPrefix("#") { problems.append("\(key)=\(value)") }
                if key == "href" && !value.hasPrefix("#") { problems.append("href=\(value)") }
            }
        }
        var rest = html[...]
        while let range = rest.range(of: "url(") {
            if !rest[range.upperBound...].hasPrefix("#") { problems.append("url(" + rest[range.upperBound...].prefix(20)) }
            rest = rest[range.upperBound...]
        }
        if html.contains("@import") { problems.append("@import") }
        return problems
    }

    @Test func everyKindIsWrittenWellFormedAndSelfContained() throws {
        // A folder name with every character HTML escapes: it is in the command line the report shows.
        let directory = try CLI.temporaryDirectory().appendingPathComponent("a<&>\"'b")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let runs: [(String, [String])] = [
            ("run", ["1d", "--missing-left", "--samples", "300", "--steps", "6", "--repeats", "2"]),
            ("sweep", ["sweep", "1d", "--sweep", "gamma=0,1", "--sweep", "lambda=1,3"] + Self.quick),
            ("frontier", ["frontier", "1d", "--budgets", "4,12", "--samples", "200", "--repeats", "2"]),
            ("tuned", ["frontier", "1d", "--tune", "--budgets", "12", "--samples", "200", "--tune-configurations", "2",
                       "--tuning-seeds", "0,1", "--held-out-seeds", "5,6"]),
            ("delta", ["delta", "1d", "--missing-left", "--sigmas", "0.5,2"]),
        ]
        for (kind, arguments) in runs {
            let outcome = try CLI.run(arguments + ["--report", path(kind + ".html")])
            #expect(outcome.status == 0, "\(kind): \(outcome.stderr)")
            let html = try String(contentsOfFile: path(kind + ".html"), encoding: .utf8)
            guard let scan = Self.scan(html) else {
                Issue.record("\(kind): the report is not well-formed")
                continue
            }
            #expect(Self.externalResources(html, scan).isEmpty, "\(kind): \(Self.externalResources(html, scan))")
            let names = scan.elements.map(\.name)
            #expect(names.contains("svg") && names.contains("table"), "\(kind): no figure or no table")
            // The text as written: the escaped folder name comes back unchanged, and so do the toolkit
            // version and the configuration.
            #expect(scan.text.contains("a<&>\"'b/\(kind).html"), "\(kind)")
            #expect(scan.text.contains("toy-w2sd 0.") && scan.text.contains("\"particles\""), "\(kind)")
            #expect(names.contains("script") == (kind == "sweep" || kind == "frontier" || kind == "tuned"), "\(kind)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
                == ["delta.html", "frontier.html", "run.html", "sweep.html", "tuned.html"])
    }

    @Test func theReportShowsTheTableNumbersAndNotes() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("d.html").path
        let outcome = try CLI.run(["delta", "1d", "--sigmas", "0.01,2", "--report", report])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let html = try String(contentsOfFile: report, encoding: .utf8)
        let text = try #require(Self.scan(html)).text
        // Each line the terminal printed (tables: each cell) is in the report's text.
        for line in outcome.stdoutText.split(separator: "\n") {
            for cell in line.split(separator: "  ").map({ $0.trimmingCharacters(in: .whitespaces) }) where !cell.isEmpty && !cell.allSatisfy({ $0 == "-" }) {
                #expect(text.contains(cell), "missing from the report: \(cell)")
            }
        }
        #expect(text.contains("unresolved: the integration error reaches the quantity"))
    }

    @Test(arguments: [["1d"], ["sweep", "1d", "--sweep", "gamma=0,1"], ["frontier", "1d", "--budgets", "4"], ["delta", "1d"]])
    func aBadPathIsRefusedBeforeAnyWork(_ command: [String]) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (path, complaint) in [(directory.appendingPathComponent("missing/r.html").path, "does not exist"),
                                  (directory.appendingPathComponent("r.htm").path, "does not end in .html")] {
            let outcome = try CLI.run(command + ["--samples", "200", "--report", path, "--json", directory.appendingPathComponent("r.json").path])
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("--report") && outcome.stderr.contains(complaint), "\(outcome.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }

    // MARK: in a browser

    /// Debian's `chromium` (or `chromium-browser`), if installed.
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The DOM of `file` opened at `fragment` in headless Chromium, after its scripts ran.
    static func dumpDOM(_ file: String, fragment: String) throws -> String {
        let url = URL(fileURLWithPath: file).absoluteString + fragment
        let outcome = try CLI.run(executable: chromium ?? "/usr/bin/chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", url], timeout: 120)
        #expect(outcome.status == 0, "chromium: \(outcome.stderr)")
        return outcome.stdoutText
    }

    /// The content of the `id="selected"` element in a dumped DOM (it is followed by the cell links).
    static func selected(_ dom: String) -> String {
        guard let start = dom.range(of: "id=\"selected\""), let end = dom.range(of: "<nav id=\"cells\"", range: start.upperBound..<dom.endIndex) else { return "" }
        return String(dom[start.upperBound..<end.lowerBound])
    }

    /// W2SD's W1 mean of each cell of a sweep's JSON, as the report writes a mean (6 significant
    /// digits), keyed by the cell's axis values.
    static func w2sdW1(_ jsonPath: String) throws -> [[String]: String] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonPath))) as? [String: Any]
        var result: [[String]: String] = [:]
        for cell in object?["cells"] as? [[String: Any]] ?? [] {
            let methods = cell["methods"] as? [[String: Any]] ?? []
            let w2sd = methods.first { $0["method"] as? String == "w2sd" }
            let w1 = (w2sd?["metrics"] as? [String: Any])?["W1"] as? [String: Any]
            if let values = cell["values"] as? [String], let mean = w1?["mean"] as? Double { result[values] = String(format: "%.6g", mean) }
        }
        return result
    }

    // Skipped where Chromium is not installed (Debian: apt-get install chromium); CI installs it when it can.
    @Test(.enabled(if: chromium != nil, "headless Chromium is not installed (apt-get install -y chromium); the browser check is skipped"))
    func theSelectedCellShowsItsNumbersInABrowser() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let one = try CLI.run(["sweep", "1d", "--missing-left", "--sweep", "gamma=0,1,2", "--json", path("s.json"), "--report", path("r.html")] + Self.quick)
        #expect(one.status == 0, "\(one.stderr)")
        let w1 = try Self.w2sdW1(path("s.json"))
        #expect(Set(w1.values).count == 3, "the cells' W2SD W1 must differ to tell them apart: \(w1)")
        for gamma in ["1", "2"] {
            let shown = Self.selected(try Self.dumpDOM(path("r.html"), fragment: "#gamma=\(gamma)"))
            #expect(shown.contains("Selected cell: gamma=\(gamma)"), "\(shown)")
            for (values, text) in w1 {
                #expect(shown.contains(">\(text)<") == (values == [gamma]), "gamma=\(values[0]): W2SD W1 \(text) in the cell of gamma=\(gamma): \(shown)")
            }
        }
        let none = Self.selected(try Self.dumpDOM(path("r.html"), fragment: ""))
        #expect(none.contains("Click a column") && !w1.values.contains { none.contains(">\($0)<") })
        let unknown = Self.selected(try Self.dumpDOM(path("r.html"), fragment: "#gamma=7"))
        #expect(unknown.contains("No cell matches #gamma=7") && !w1.values.contains { unknown.contains(">\($0)<") })

        let two = try CLI.run(["sweep", "1d", "--missing-left", "--sweep", "gamma=0,1", "--sweep", "lambda=1,3", "--json", path("t.json"),
                               "--report", path("t.html")] + Self.quick)
        #expect(two.status == 0, "\(two.stderr)")
        let grid = try Self.w2sdW1(path("t.json"))
        #expect(Set(grid.values).count == 4, "\(grid)")
        // The fragment's order does not matter.
        for fragment in ["#gamma=1&lambda=3", "#lambda=3&gamma=1"] {
            let shown = Self.selected(try Self.dumpDOM(path("t.html"), fragment: fragment))
            #expect(shown.contains("Selected cell: gamma=1, lambda=3"), "\(shown)")
            for (values, text) in grid {
                #expect(shown.contains(">\(text)<") == (values == ["1", "3"]), "\(values): \(text) in \(fragment): \(shown)")
            }
        }
    }
}
