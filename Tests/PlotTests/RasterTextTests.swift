import Foundation
import Testing
@testable import Plot

@Suite struct RasterTextTests {
    /// Every character of every label of the gallery and of the project's figure vocabulary has a
    /// bitmap glyph; `missingCharacters` lists the ones that do not (so this fails when one is missing).
    @Test func bitmapFontCoversEveryCharacterTheFiguresUse() throws {
        let texts = PDFTests.sceneTexts(try GalleryTests.galleryFigure().scene()).map(\.text)
        let vocabulary = ["σ λ γ Δ α β δ ε θ μ π ρ τ φ ω Σ Ω \u{2212}1.5e\u{2212}7 x₁ x₂ σₛ σ² ≤ ≥ ∈ √ ± · × ° – — → ←"]
        let ascii = String((32...126).map { Character(Unicode.Scalar(UInt8($0))) })
        for text in texts + vocabulary + [ascii] {
            #expect(BitmapFont.missingCharacters(in: text).isEmpty, "no glyph for \(BitmapFont.missingCharacters(in: text)) in \"\(text)\"")
        }
        #expect(BitmapFont.missingCharacters(in: "a漢b\u{1}漢🎲") == ["漢", "🎲"])
    }

    /// Glyph rows are rectangular, at most 9 tall, and only descender glyphs use rows 7 and 8.
    @Test func glyphTableIsWellFormed() {
        var seen: Set<UInt32> = []
        for (scalar, rows) in BitmapFont.table {
            let lines = rows.split(separator: " ")
            #expect(seen.insert(scalar).inserted, "duplicate glyph \(scalar)")
            #expect((7...9).contains(lines.count), "glyph \(scalar): \(lines.count) rows")
            #expect(Set(lines.map(\.count)).count == 1 && lines.allSatisfy { $0.allSatisfy { "#.".contains($0) } }, "glyph \(scalar)")
            let glyph = BitmapGlyph(rows: rows)
            #expect(glyph.width == lines[0].count && glyph.rows.count == lines.count)
        }
        #expect(BitmapFont.magnification(forSize: 11).across == 1 && BitmapFont.magnification(forSize: 17).across == 2
                && BitmapFont.magnification(forSize: 22).across == 2)
        #expect(BitmapFont.magnification(forSize: .nan) == (1.0, 1))
    }

    /// Along the text the glyphs are condensed where their cap height would make text wider than the
    /// layout measures it: at every size from 4 to 120 px a line of words (not the reference the font is
    /// fitted on) is at most 10% wider than Helvetica's (its own mix of letters against the reference's),
    /// where square glyph cells would make it up to 1.4 times as wide (size 24.5: 3 px per unit where
    /// Helvetica's width asks for about 2.2); along never exceeds across.
    @Test func rasterTextStaysWithinTheLayoutsWidth() {
        let line = "Sweep of lambda and gamma on the two dimensional toy with Learned Models"
        for tenth in 40...1200 {
            let size = Double(tenth) / 10
            let m = BitmapFont.magnification(forSize: size)
            #expect(m.along <= Double(m.across), "size \(size): \(m)")
            for bold in [false, true] {
                #expect(BitmapFont.width(line, size: size, bold: bold) <= 1.1 * TextMetrics.width(line, size: size, bold: bold),
                        "size \(size), bold \(bold): bitmap \(BitmapFont.width(line, size: size, bold: bold)) vs \(TextMetrics.width(line, size: size, bold: bold))")
            }
        }
        let square = Double(BitmapFont.units(line, bold: false) * BitmapFont.magnification(forSize: 24.5).across)
        #expect(square > 1.3 * TextMetrics.width(line, size: 24.5), "square cells would overrun: \(square) vs \(TextMetrics.width(line, size: 24.5))")
    }

    /// The ink bounding box of `text` drawn alone on a white canvas.
    static func inkBox(_ text: SceneText, magnification: (along: Double, across: Int) = (1, 1)) -> (minX: Int, maxX: Int, minY: Int, maxY: Int)? {
        var raster = Raster(width: 200, height: 200)
        raster.draw(text, magnification: magnification, clip: nil)
        let bytes = raster.rgbBytes
        var box: (minX: Int, maxX: Int, minY: Int, maxY: Int)?
        for y in 0..<200 {
            for x in 0..<200 where bytes[(y * 200 + x) * 3] < 128 {
                box = (min(box?.minX ?? x, x), max(box?.maxX ?? x, x), min(box?.minY ?? y, y), max(box?.maxY ?? y, y))
            }
        }
        return box
    }

    @Test func textIsAnchoredAndRotatedLikeSVG() throws {
        let position = PixelPoint(x: 100, y: 100)
        let start = try #require(Self.inkBox(SceneText(position: position, text: "EH", size: 11, anchor: .start)))
        let end = try #require(Self.inkBox(SceneText(position: position, text: "EH", size: 11, anchor: .end)))
        let middle = try #require(Self.inkBox(SceneText(position: position, text: "EH", size: 11, anchor: .middle)))
        // "EH": 5 + 1 + 5 units; the baseline is y = 100, capitals 7 px tall.
        #expect(start.minX == 100 && start.maxX == 110 && start.minY == 93 && start.maxY == 99)
        #expect(end.maxX == 99 && end.minX == 89)
        #expect(middle.minX == 95 && middle.maxX == 105)
        // Rotated -90 degrees: reads bottom to top, the text extends upwards from the anchor, ink left of x.
        let rotated = try #require(Self.inkBox(SceneText(position: position, text: "EH", size: 11, anchor: .start, rotation: -90)))
        #expect(rotated.maxY == 99 && rotated.minY == 89 && rotated.minX == 93 && rotated.maxX == 99)
        let large = try #require(Self.inkBox(SceneText(position: position, text: "EH", size: 11, anchor: .start), magnification: (3, 3)))
        #expect(large.maxX - large.minX + 1 == 33 && large.maxY - large.minY + 1 == 21)
        // Condensed: 2 pixels per unit along, 3 across; 1.5 along: 11 units span round(16.5) = 17 pixels.
        let condensed = try #require(Self.inkBox(SceneText(position: position, text: "EH", size: 11, anchor: .start), magnification: (2, 3)))
        #expect(condensed.maxX - condensed.minX + 1 == 22 && condensed.maxY - condensed.minY + 1 == 21)
        let turned = try #require(Self.inkBox(SceneText(position: position, text: "EH", size: 11, anchor: .start, rotation: -90), magnification: (2, 3)))
        #expect(turned.maxY - turned.minY + 1 == 22 && turned.maxX - turned.minX + 1 == 21)
        let fractional = try #require(Self.inkBox(SceneText(position: position, text: "EH", size: 11, anchor: .start), magnification: (1.5, 3)))
        #expect(fractional.maxX - fractional.minX + 1 == 17)
    }

    /// Titles, tick labels, legends and colourbar labels appear in the raster.
    @Test func rasterTextChangesPixelsWhereLabelsAre() throws {
        let grid = Grid2D(x: [0, 1, 2], y: [0, 1], z: [0, 1, 2, 3, 4, 5])
        var panel = Panel(xAxis: Axis(label: "noise level σ"), yAxis: Axis(label: "Δ₁"), marks: [
            .heatmap(Heatmap(grid: grid, colorbarLabel: "density")),
            .lines(Lines(x: [0, 2], y: [0, 1], style: LineStyle(color: .blue), label: "W2SD")),
        ])
        let titled = Figure(title: "Title text", width: 400, height: 300, panels: [panel])
        panel.xAxis.label = ""
        let untitled = Figure(width: 400, height: 300, panels: [panel])
        let withTitle = try titled.raster().rgbBytes
        let titleRows = Int(FigureStyle.outerPadding + 17 * 0.9) + 2
        let darkInTitle = (0..<(titleRows * 400)).filter { withTitle[$0 * 3] < 100 }.count
        #expect(darkInTitle > 60, "\(darkInTitle) dark pixels in the title band")
        let withoutTitle = try Figure(width: 400, height: 300 + 27, panels: [panel]).raster().rgbBytes
        #expect((0..<(titleRows * 400)).filter { withoutTitle[$0 * 3] < 100 }.count < darkInTitle / 4)
        // Every label of the scene leaves ink within a few pixels of its anchor.
        let scene = try untitled.scene()
        let bytes = try untitled.raster().rgbBytes
        for text in PDFTests.sceneTexts(scene) {
            let x = Int(text.position.x), y = Int(text.position.y)
            let nearby = (max(y - 12, 0)..<min(y + 12, 300)).flatMap { row in
                (max(x - 40, 0)..<min(x + 40, 400)).map { row * 400 + $0 }
            }
            #expect(nearby.contains { bytes[$0 * 3] < 90 && bytes[$0 * 3 + 1] < 90 }, "no ink near \"\(text.text)\"")
        }
    }
}
