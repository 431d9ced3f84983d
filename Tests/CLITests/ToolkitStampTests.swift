import Foundation
import Testing

/// `--version` states the version and the build; every JSON document carries them as its `toolkit`
/// object, and every figure file (SVG comment, PDF /Info /Creator, PNG tEXt) the same words.
@Suite struct ToolkitStampTests {
    static let quick = ["--samples", "300", "--steps", "6"]
    static let builds: Set<String> = ["release, host CPU", "release, portable", "debug, portable, Toy at -O", "debug, portable"]

    /// (version, build) from `toy-w2sd --version`, which must read "toy-w2sd VERSION (BUILD)".
    static func stamp() throws -> (version: String, build: String, line: String) {
        let outcome = try CLI.run(["--version"])
        #expect(outcome.status == 0)
        let line = outcome.stdoutText.trimmingCharacters(in: .newlines)
        let open = try #require(line.firstIndex(of: "("), "\(line)")
        let version = String(line[..<open].dropFirst("toy-w2sd ".count).dropLast())
        let build = String(line[line.index(after: open)...].dropLast())
        #expect(line.hasPrefix("toy-w2sd ") && line.hasSuffix(")"), "\(line)")
        #expect(version.split(separator: ".").count == 3 && version.split(separator: ".").allSatisfy { Int($0) != nil }, "version \(version)")
        #expect(builds.contains(build), "build '\(build)'")
        return (version, build, line)
    }

    @Test func jsonDocumentsCarryTheToolkit() throws {
        let (version, build, _) = try Self.stamp()
        let directory = try CLI.temporaryDirectory()
        let sweepJSON = directory.appendingPathComponent("sweep.json").path
        let runs: [[String]] = [
            ["1d", "--methods", "strong", "--json", "-"] + Self.quick,
            ["sweep", "1d", "--sweep", "gamma=0,1", "--json", sweepJSON] + Self.quick,
        ]
        for arguments in runs {
            let outcome = try CLI.run(arguments)
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            let data = arguments.contains("-") ? outcome.stdout : try Data(contentsOf: URL(fileURLWithPath: sweepJSON))
            let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let toolkit = try #require(root["toolkit"] as? [String: String], "\(arguments[0]): no toolkit object")
            #expect(toolkit == ["version": version, "build": build], "\(arguments[0])")
            #expect(root["version"] as? String == version)
        }
    }

    @Test func figuresCarryTheVersionOutsideTheDrawing() throws {
        let line = try Self.stamp().line
        let directory = try CLI.temporaryDirectory()
        for format in ["svg", "pdf", "png"] {
            let path = directory.appendingPathComponent("figure.\(format)").path
            let outcome = try CLI.run(["2d", "--methods", "strong", "--trajectories", "4", "--plot", path] + Self.quick)
            #expect(outcome.status == 0, "\(format): \(outcome.stderr)")
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let text = String(decoding: bytes, as: UTF8.self)
            switch format {
            case "svg": #expect(text.contains("?>\n<!-- \(line) -->\n<svg "), "SVG comment")
            case "pdf": #expect(text.contains("/Creator (\(line.replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")))"), "PDF /Creator")
            default:
                // The tEXt chunk: length, type, "Software", NUL, the line; it comes before the image data.
                func offset(of pattern: [UInt8]) -> Int? {
                    (0...(bytes.count - pattern.count)).first { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) }
                }
                let chunk = try #require(offset(of: Array("tEXtSoftware".utf8) + [0] + Array(line.utf8)), "PNG tEXt")
                #expect(chunk < (try #require(offset(of: Array("IDAT".utf8)))))
            }
        }
    }
}
