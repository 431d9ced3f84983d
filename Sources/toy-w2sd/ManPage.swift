import Experiments

/// `toy-w2sd help --man`: the man page `toy-w2sd.1` in roff (man macros), from the same subcommand
/// declarations as `--help` and `help --markdown`: per subcommand its summary, its help's opening
/// (what it does, worked examples) as preformatted text, its option groups (`HelpRenderer.roff`) and
/// its closing notes. No date, so the same declarations give the same bytes.
enum ManPage {
    static func render(_ subcommands: [Subcommand]) -> String {
        var lines = [
            ".TH TOY\\-W2SD 1 \"\" \"toy\\-w2sd \(ToolVersion.current)\" \"User Commands\"",
            ".SH NAME",
            "toy\\-w2sd \\- " + HelpRenderer.roffEscaped(HelpText.tagline),
            ".SH SYNOPSIS",
            ".B toy\\-w2sd",
            ".I subcommand",
            ".RI [ options ]",
            ".br",
            ".B toy\\-w2sd help",
            ".RI [ subcommand \" | \\-\\-markdown | \\-\\-man\" ]",
            ".br",
            ".B toy\\-w2sd \\-\\-version",
            ".SH DESCRIPTION",
            HelpRenderer.roffText("toy-w2sd measures the claim of \"Weak-to-Strong Diffusion with Reflection\" (W2SD) on Gaussian-mixture "
                                  + "toys whose ideal, strong and weak scores are known exactly. Each subcommand prints its results as a "
                                  + "table on standard output (diagnostics and timings on standard error) and writes JSON, figures "
                                  + "(SVG, PDF, PNG) and data files on request; bad input is refused before any work."),
            ".SH EXAMPLES",
        ]
        lines += preformatted(HelpText.examples)
        lines.append(".SH SUBCOMMANDS")
        for subcommand in subcommands {
            lines += [".SS \"toy\\-w2sd " + HelpRenderer.roffEscaped(subcommand.name) + "\"", HelpRenderer.roffText(subcommand.summary)]
            lines += preformatted(subcommand.header)
            let options = HelpRenderer.roff(subcommand.groups)
            if !options.isEmpty { lines.append(options) }
            if !subcommand.footer.isEmpty { lines += preformatted(subcommand.footer) }
        }
        lines += [".SS \"toy\\-w2sd help\"",
                  HelpRenderer.roffText("toy-w2sd help: the main help; toy-w2sd help SUBCOMMAND (or toy-w2sd SUBCOMMAND --help): its help; "
                                        + "toy-w2sd help --markdown: the option reference as Markdown (Documentation/reference/options.md); "
                                        + "toy-w2sd help --man: this page (Documentation/toy-w2sd.1)."),
                  ".SH EXIT STATUS", HelpRenderer.roffText(HelpText.exitStatus.replacingOccurrences(of: "\n", with: " ")),
                  ".SH SEE ALSO",
                  HelpRenderer.roffText("The manual in the source tree: Documentation/README.md (tutorial, one page per command, the experiment "
                                        + "file and JSON schemas, the metrics, the studies)."),
                  ]
        return lines.joined(separator: "\n")
    }

    /// Text whose line breaks and alignment matter (help openings with examples), in no-fill mode.
    static func preformatted(_ text: String) -> [String] {
        [".PP", ".nf"] + text.split(separator: "\n", omittingEmptySubsequences: false).map { HelpRenderer.roffText(String($0)) } + [".fi"]
    }
}
