import Foundation
import Testing
@testable import Plot
import TestSupport

@Suite struct PDFTests {
    /// The structure of a PDF file as far as the tests need it.
    struct ParsedPDF {
        var bytes: [UInt8]
        var text: String
        /// Object number -> byte offset, from the xref table.
        var offsets: [Int: Int]
        var trailer: String

        init(_ bytes: [UInt8]) throws {
            self.bytes = bytes
            text = String(decoding: bytes, as: UTF8.self)
            let startxref = try #require(text.range(of: "startxref\n", options: .backwards))
            let xrefOffset = try #require(Int(text[startxref.upperBound...].prefix { $0.isNumber }))
            let xref = String(decoding: bytes[xrefOffset...], as: UTF8.self)
            let lines = xref.split(separator: "\n", omittingEmptySubsequences: false)
            try #require(lines[0] == "xref")
            let header = lines[1].split(separator: " ")
            let count = try #require(Int(header[1]))
            offsets = [:]
            for number in 1..<count {
                let entry = lines[1 + 1 + number]
                offsets[number] = try #require(Int(entry.prefix(10)))
            }
            let trailerStart = try #require(xref.range(of: "trailer")).lowerBound
            trailer = String(xref[trailerStart...])
        }

        /// The body of object `number` (between "N 0 obj\n" and "endobj").
        func object(_ number: Int) -> [UInt8] {
            guard let offset = offsets[number] else { return [] }
            let marker = Array("endobj".utf8)
            var end = offset
            while end + marker.count <= bytes.count, !bytes[end..<(end + marker.count)].elementsEqual(marker) { end += 1 }
            return Array(bytes[offset..<end])
        }

        /// The inflated data of a stream object.
        func streamData(_ number: Int) throws -> [UInt8] {
            // Not `object(_:)`: compressed data may contain the bytes "endobj".
            let body = Array(bytes[(offsets[number] ?? 0)...].prefix(200))
            let text = String(decoding: body, as: UTF8.self)
            let lengthText = try #require(text.range(of: "/Length ")).upperBound
            let length = try #require(Int(text[lengthText...].prefix { $0.isNumber }))
            let start = try #require(text.range(of: "stream\n")).upperBound
            let offset = (offsets[number] ?? 0) + text.utf8.distance(from: text.startIndex, to: start)
            let raw = Array(bytes[offset..<(offset + length)])
            #expect(String(decoding: bytes[(offset + length)...].prefix(10), as: UTF8.self) == "\nendstream")
            return try Inflater.zlibDecompress(raw)
        }
    }

    /// "N 0 R" references in an object body.
    static func references(in body: String) -> [Int] {
        let parts = body.split(whereSeparator: { " \n[]<>/".contains($0) })
        return parts.indices.dropLast(2).compactMap { index in
            parts[index + 1] == "0" && parts[index + 2] == "R" ? Int(parts[index]) : nil
        }
    }

    /// Decodes the literal strings of a content stream's `Tj` operators, per `BT ... ET` block,
    /// with the text matrix of the block.
    static func textBlocks(_ content: String) -> [(matrix: [Double], codes: [UInt8])] {
        var blocks: [(matrix: [Double], codes: [UInt8])] = []
        for line in content.split(separator: "\n") where line.hasPrefix("BT ") {
            let matrix = line.dropFirst(3).split(separator: " ").prefix(6).compactMap { Double($0) }
            var codes: [UInt8] = []
            var characters = Array(line.utf8)[...]
            while let open = characters.firstIndex(of: UInt8(ascii: "(")) {
                var index = open + 1
                while index < characters.endIndex, characters[index] != UInt8(ascii: ")") {
                    if characters[index] == UInt8(ascii: "\\") {
                        let next = characters[index + 1]
                        if (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(next) {
                            codes.append(UInt8(String(decoding: characters[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) ?? 0)
                            index += 4
                        } else {
                            codes.append(next)
                            index += 2
                        }
                    } else {
                        codes.append(characters[index])
                        index += 1
                    }
                }
                characters = characters[min(index + 1, characters.endIndex)...]
            }
            blocks.append((matrix, codes))
        }
        return blocks
    }

    static func sceneTexts(_ scene: Scene) -> [SceneText] {
        scene.groups.flatMap(\.items).compactMap { item in
            if case let .text(text) = item, !TextShaping.glyphs(text.text, bold: text.bold, size: text.size).isEmpty { return text }
            return nil
        }
    }

    @Test func structureIsValidAndEveryObjectReachable() throws {
        for figure in [GalleryTests.galleryFigure(), RendererTests.randomFigure(seed: 3), Figure(width: 40, height: 30)] {
            let bytes = try figure.pdf()
            let pdf = try ParsedPDF(bytes)
            #expect(pdf.text.hasPrefix("%PDF-1.4\n%"))
            #expect(pdf.text.hasSuffix("%%EOF\n"))
            for (number, offset) in pdf.offsets {
                #expect(String(decoding: bytes[offset...].prefix(20), as: UTF8.self).hasPrefix("\(number) 0 obj\n"), "object \(number) offset \(offset)")
            }
            #expect(pdf.trailer.contains("/Size \(pdf.offsets.count + 1) "))
            let root = try #require(Self.references(in: pdf.trailer).first)
            var reached: Set<Int> = [], queue = Self.references(in: pdf.trailer)
            while let next = queue.popLast() {
                guard reached.insert(next).inserted else { continue }
                #expect(pdf.offsets[next] != nil, "reference to missing object \(next)")
                queue += Self.references(in: String(decoding: pdf.object(next), as: UTF8.self))
            }
            #expect(reached == Set(pdf.offsets.keys), "unreachable objects \(Set(pdf.offsets.keys).subtracting(reached))")
            #expect(String(decoding: pdf.object(root), as: UTF8.self).contains("/Type /Catalog"))
            let page = String(decoding: pdf.object(3), as: UTF8.self)
            #expect(page.contains("/MediaBox [0 0 \(NumberFormatting.coordinate(Double(figure.width) * 0.75)) \(NumberFormatting.coordinate(Double(figure.height) * 0.75))]"))
            #expect(pdf.text.contains("/BaseFont /Helvetica /Encoding /WinAnsiEncoding") && pdf.text.contains("/BaseFont /Symbol"))
        }
    }

    /// Every label of the scene is drawn by one BT ... ET block, in scene order, with the glyph
    /// codes of `TextShaping`, at a text-matrix origin that anchors it like SVG (AFM widths).
    @Test func everyLabelIsDrawnAnchoredAndEncoded() throws {
        for figure in [GalleryTests.galleryFigure(), RendererTests.randomFigure(seed: 5)] {
            let scene = try figure.scene()
            let pdf = try ParsedPDF(try figure.pdf())
            let content = String(decoding: try pdf.streamData(5), as: UTF8.self)
            let blocks = Self.textBlocks(content)
            let texts = Self.sceneTexts(scene)
            try #require(blocks.count == texts.count, "\(blocks.count) text blocks for \(texts.count) labels")
            for (block, text) in zip(blocks, texts) {
                let glyphs = TextShaping.glyphs(text.text, bold: text.bold, size: text.size)
                #expect(block.codes == glyphs.map(\.code), "\(text.text)")
                let width = glyphs.reduce(0) { $0 + $1.advance } * text.size
                let fraction = text.anchor == .start ? 0 : text.anchor == .middle ? 0.5 : 1
                let (cosine, sine) = (cos(text.rotation * .pi / 180), sin(text.rotation * .pi / 180))
                #expect(abs(block.matrix[4] + fraction * width * cosine - text.position.x) < 0.011, "\(text.text) x")
                #expect(abs(block.matrix[5] + fraction * width * sine - text.position.y) < 0.011, "\(text.text) y")
                #expect(abs(block.matrix[0] - cosine) < 1e-9 && abs(block.matrix[3] + cosine) < 1e-9, "\(text.text) rotation")
            }
            #expect(!content.contains("NaN") && !content.contains("inf"))
        }
    }

    @Test func greekAndMinusSwitchToSymbolMidString() throws {
        let figure = Figure(title: "σ−λ γ Δα x₁", width: 200, height: 100)
        let content = String(decoding: try ParsedPDF(try figure.pdf()).streamData(5), as: UTF8.self)
        let title = try #require(content.split(separator: "\n").first { $0.hasPrefix("BT ") })
        // Helvetica-Bold for the Latin letters, Symbol (F3) for each Greek run and the minus, a lowered 0.7-size digit.
        #expect(title.contains("/F3 17 Tf (s-l) Tj /F2 17 Tf ( ) Tj /F3 17 Tf (g) Tj /F2 17 Tf ( ) Tj /F3 17 Tf (Da) Tj /F2 17 Tf ( x) Tj /F2 11.9 Tf -2.55 Ts (1) Tj"), "\(title)")
        #expect(TextShaping.glyphs("\u{1F3B2}", bold: false, size: 11) == [ShapedGlyph(font: .helvetica, code: UInt8(ascii: "?"), advance: 0.556)])
    }

    @Test func helveticaWidthsFollowTheAFM() {
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 }
        #expect(close(TextMetrics.width("Hello", size: 10), Double(722 + 556 + 222 + 222 + 556) / 100))
        #expect(close(TextMetrics.width("0123456789", size: 1), 5.56))
        #expect(close(TextMetrics.width("W", size: 1, bold: true), 0.944) && close(TextMetrics.width("i", size: 1, bold: true), 0.278))
        #expect(close(TextMetrics.width("\u{2212}σ", size: 1), 0.549 + 0.603))
        #expect(close(TextMetrics.width("—é", size: 1), 1.0 + 0.556))
    }

    /// Translucent fills and strokes use ExtGState dictionaries; opaque drawing does not need one.
    @Test func opacityUsesExtGState() throws {
        let band = Band(x: [0, 1, 2], lower: [0, 0, 0], upper: [1, 2, 1], color: .blue, opacity: 0.25)
        let translucent = Figure(width: 300, height: 200, panels: [Panel(marks: [.band(band)])])
        let pdf = try ParsedPDF(try translucent.pdf())
        let resources = String(decoding: pdf.object(4), as: UTF8.self)
        #expect(resources.contains("<< /Type /ExtGState /CA 1 /ca 0.25 >>"))
        let content = String(decoding: try pdf.streamData(5), as: UTF8.self)
        let state = try #require(resources.range(of: " << /Type /ExtGState /CA 1 /ca 0.25")).lowerBound
        let name = resources[..<state].split(separator: "/").last.map(String.init) ?? ""
        #expect(content.contains("/\(name) gs"))
        let opaque = try ParsedPDF(try Figure(width: 300, height: 200, panels: [Panel(showsGrid: false, marks: [.lines(Lines(x: [0, 1], y: [0, 1], style: LineStyle(color: .blue)))])]).pdf())
        #expect(!String(decoding: try opaque.streamData(5), as: UTF8.self).contains(" gs"))
    }

    @Test func pageSizeFollowsTheRequestedWidthAndIsValidated() throws {
        let figure = Figure(width: 600, height: 300)
        let page = String(decoding: try ParsedPDF(try figure.pdf(width: 252)).object(3), as: UTF8.self)
        #expect(page.contains("/MediaBox [0 0 252 126]"))
        #expect(throws: PlotError.self) { try figure.pdf(width: 0) }
        #expect(throws: PlotError.self) { try figure.pdf(width: .nan) }
        #expect(try figure.pdf() == figure.pdf())
    }
}
