import Foundation
import Testing

/// The committed option reference and man page are generated from the option declarations: each must
/// equal what `toy-w2sd help --markdown` / `help --man` prints now, byte for byte.
@Suite struct ReferenceDocumentationTests {
    static let subcommands = ["1d", "2d", "run", "delta", "verify", "bench", "cases", "train", "sweep", "frontier", "merge"]

    static func committed(_ path: String) throws -> String {
        try String(contentsOf: CLI.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func optionReferenceIsTheGeneratedOne() throws {
        let outcome = try CLI.run(["help", "--markdown"])
        #expect(outcome.status == 0)
        let file = try Self.committed("Documentation/reference/options.md")
        #expect(file == outcome.stdoutText, """
            Documentation/reference/options.md differs from `toy-w2sd help --markdown`; regenerate it:
            .build/debug/toy-w2sd help --markdown > Documentation/reference/options.md
            """)
        for name in Self.subcommands { #expect(file.contains("## `toy-w2sd \(name)`\n"), "the reference has \(name)") }
        #expect(file.contains("| Sampler | `--steps T` | an integer from 2 to 1000000 | 50 |"))
    }

    @Test func manPageIsTheGeneratedOne() throws {
        let outcome = try CLI.run(["help", "--man"])
        #expect(outcome.status == 0)
        let file = try Self.committed("Documentation/toy-w2sd.1")
        #expect(file == outcome.stdoutText, """
            Documentation/toy-w2sd.1 differs from `toy-w2sd help --man`; regenerate it:
            .build/debug/toy-w2sd help --man > Documentation/toy-w2sd.1
            """)
    }

    /// The man page is well-formed roff as far as man(7) reads it: every line that starts with a
    /// control character is one of the requests the generator emits (a text line starting with "." or
    /// "'" would be read as an unknown request and vanish), the page opens with .TH, every subcommand
    /// and every option of `--steps`' table appears, and every .nf is closed by .fi.
    @Test func manPageIsWellFormedAndComplete() throws {
        let page = try CLI.run(["help", "--man"]).stdoutText
        let requests: Set<String> = [".TH", ".SH", ".SS", ".PP", ".TP", ".B", ".I", ".RI", ".br", ".nf", ".fi", ".sp"]
        var filled = true
        for line in page.split(separator: "\n", omittingEmptySubsequences: false) where line.hasPrefix(".") || line.hasPrefix("'") {
            let request = String(line.prefix { $0 != " " })
            #expect(requests.contains(request), "unexpected roff request line: \(line)")
            if request == ".nf" { #expect(filled, "nested .nf"); filled = false }
            if request == ".fi" { #expect(!filled, ".fi without .nf"); filled = true }
        }
        #expect(filled, "an .nf block is not closed")
        #expect(page.hasPrefix(".TH TOY\\-W2SD 1 "))
        #expect(!page.contains("\n\n"), "a blank line is a paragraph break in roff; the generator writes .sp")
        for name in Self.subcommands { #expect(page.contains(".SS \"toy\\-w2sd \(name.replacingOccurrences(of: "-", with: "\\-"))\""), "\(name)") }
        #expect(page.contains("\\fB\\-\\-steps\\fR \\fIT\\fR\nKarras noise levels (sampling steps); accepted: an integer from 2 to 1000000; default: 50"))
    }
}
