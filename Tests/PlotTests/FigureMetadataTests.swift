import Foundation
import Testing
@testable import Plot

/// A figure's metadata (the program that wrote it) sits outside the drawing: the SVG elements, the PDF
/// page and content stream and the PNG pixels are the same bytes with and without it.
@Suite struct FigureMetadataTests {
    /// Software strings with what each format must escape: XML's "--" and final "-", PDF's parentheses
    /// and backslash, characters outside Latin-1 and a control character.
    static let softwareNames = ["toy-w2sd 0.4.0 (release, host CPU)", "a--b---c-", "paren ) ( \\ back", "sigma \u{03C3} caf\u{E9}\ttab"]

    @Test func svgGainsOneCommentLineAndNothingElse() throws {
        for seed in UInt64(1)...4 {
            let figure = RendererTests.randomFigure(seed: seed)
            for software in Self.softwareNames {
                let metadata = FigureMetadata(software: software)
                let plain = try figure.svg(), stamped = try figure.svg(metadata: metadata)
                var lines = stamped.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(lines.count == plain.split(separator: "\n", omittingEmptySubsequences: false).count + 1, "seed \(seed), \(software)")
                let comment = String(lines.remove(at: 1))
                #expect(lines.joined(separator: "\n") == plain, "seed \(seed), \(software): the drawing changed")
                #expect(comment.hasPrefix("<!-- ") && comment.hasSuffix(" -->"))
                let inner = comment.dropFirst(5).dropLast(4)
                #expect(!inner.contains("--") && !inner.hasSuffix("-"), "\(software): \(comment) is not a valid XML comment")
                // Removing the inserted spaces gives the name back, less its control characters.
                let restored = String(inner.enumerated().filter { index, character in
                    !(character == " " && inner.dropFirst(index + 1).first == "-" && index > 0 && inner.dropFirst(index - 1).first == "-")
                }.map(\.element)).trimmingCharacters(in: .whitespaces)
                #expect(restored == software.replacingOccurrences(of: "\t", with: ""), "\(software): \(comment)")
                #expect(isWellFormedXML(stamped), "seed \(seed), \(software)")
            }
        }
        #expect(try Figure(width: 60, height: 40).svg(metadata: FigureMetadata(software: "toy-w2sd 0.4.0 (debug, portable)"))
            .contains("<!-- toy-w2sd 0.4.0 (debug, portable) -->\n<svg "))
        #expect(FigureMetadata(software: "a--b---c-").svgComment == "<!-- a- -b- - -c-  -->\n")
    }

    @Test func pdfGainsACreatorInItsInfoAndTheSamePage() throws {
        for seed in UInt64(1)...4 {
            let figure = RendererTests.randomFigure(seed: seed)
            for software in Self.softwareNames {
                let plain = try PDFTests.ParsedPDF(try figure.pdf())
                let stamped = try PDFTests.ParsedPDF(try figure.pdf(metadata: FigureMetadata(software: software)))
                #expect(plain.offsets == stamped.offsets, "seed \(seed): objects moved")
                let info = try #require(stamped.trailer.range(of: "/Info ")).upperBound
                let infoNumber = try #require(Int(stamped.trailer[info...].prefix { $0.isNumber }))
                #expect(infoNumber == stamped.offsets.count, "the info dictionary is the last object")
                for number in 1..<infoNumber {
                    #expect(plain.object(number) == stamped.object(number), "seed \(seed), \(software): object \(number) changed")
                }
                #expect(try plain.streamData(5) == stamped.streamData(5), "the content stream")
                let infoText = String(decoding: stamped.object(infoNumber), as: UTF8.self)
                #expect(infoText.contains("/Producer (toy-w2sd Plot) /Creator ("), "\(infoText)")
                #expect(infoText.contains("/Creator " + PDFDocument.literalString(Array(software.unicodeScalars.map {
                    (0x20...0x7E).contains($0.value) || (0xA0...0xFF).contains($0.value) ? UInt8($0.value) : UInt8(ascii: "?")
                }))))
                #expect(String(decoding: plain.object(infoNumber), as: UTF8.self) == "\(infoNumber) 0 obj\n<< /Producer (toy-w2sd Plot) >>\n")
            }
        }
        let exact = try PDFTests.ParsedPDF(try Figure(width: 60, height: 40).pdf(metadata: FigureMetadata(software: "toy-w2sd 0.4.0 (release, host CPU)")))
        #expect(exact.text.contains("/Creator (toy-w2sd 0.4.0 \\(release, host CPU\\))"))
    }

    @Test func pngGainsATextChunkAndTheSameImageData() throws {
        for seed in UInt64(1)...4 {
            let figure = RendererTests.randomFigure(seed: seed)
            for software in Self.softwareNames {
                let plain = try PNGDecoder.decode(try figure.png(width: 150, height: 100))
                let stamped = try PNGDecoder.decode(try figure.png(width: 150, height: 100, metadata: FigureMetadata(software: software)))
                #expect(stamped.chunkTypes == ["IHDR", "tEXt", "IDAT", "IEND"] && plain.chunkTypes == ["IHDR", "IDAT", "IEND"])
                #expect(stamped.imageData == plain.imageData && stamped.rgb == plain.rgb, "seed \(seed), \(software): the image changed")
                #expect(stamped.texts.count == 1 && stamped.texts[0].keyword == "Software")
                let expected = String(String.UnicodeScalarView(software.unicodeScalars.map {
                    (0x20...0x7E).contains($0.value) || (0xA0...0xFF).contains($0.value) ? $0 : "?"
                }))
                #expect(stamped.texts.first?.text == expected, "\(software)")
            }
        }
    }
}
