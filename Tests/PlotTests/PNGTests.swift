import Foundation
import Testing
@testable import Plot
import TestSupport

@Suite struct PNGTests {
    @Test func checksumsMatchPublishedCheckValues() {
        #expect(Checksums.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Checksums.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(Checksums.crc32([UInt8]()) == 0 && Checksums.adler32([]) == 1)
        // Continuing a CRC over a split input equals the CRC of the whole.
        let text = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(Checksums.crc32(text) == 0x414F_A339)
        #expect(Checksums.crc32(text.suffix(from: 10), continuing: Checksums.crc32(text.prefix(10))) == 0x414F_A339)
    }

    /// Plot's table-driven checksums agree with the bitwise / unchunked references of the test support,
    /// including inputs longer than the 5552-byte Adler-32 reduction block, full of 0xFF bytes.
    @Test func checksumsAgreeWithReferenceImplementations() {
        for seed in UInt64(1)...20 {
            var generator = SplitMix64(seed: seed)
            let count = Int(generator.next() % 20_000)
            let bytes = (0..<count).map { _ in generator.next() % 4 == 0 ? 0xFF : UInt8(truncatingIfNeeded: generator.next()) }
            #expect(Checksums.crc32(bytes) == PNGDecoder.crc32(bytes), "seed \(seed)")
            #expect(Checksums.adler32(bytes) == Inflater.adler32(bytes), "seed \(seed)")
        }
    }

    /// Random, repetitive and run-length data (matches up to 258 bytes, distances up to 32 KiB)
    /// inflate back to the input; incompressible data falls back to stored blocks.
    @Test func zlibRoundTripsAndCompressesRepetitiveData() throws {
        var generator = SplitMix64(seed: 9)
        let random = (0..<70_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let phrase = Array("sigma lambda gamma Delta alpha ".utf8)
        let repetitive = (0..<3000).flatMap { index in index % 7 == 0 ? [UInt8(index % 251)] : phrase }
        let runs = [UInt8](repeating: 7, count: 1000) + random.prefix(20_000) + random.prefix(20_000)
        for (name, data) in [("empty", []), ("one byte", [42]), ("random", random), ("repetitive", repetitive), ("runs", runs)] as [(String, [UInt8])] {
            let stream = Zlib.compress(data)
            #expect(try Inflater.zlibDecompress(stream) == data, "\(name)")
            #expect(stream.count <= data.count + 5 * (data.count / 65_535 + 1) + 6, "\(name): \(stream.count) bytes")
        }
        #expect(Zlib.compress(repetitive).count < repetitive.count / 20)
        // The run and the second copy of 20 000 random bytes (20 000 back, inside the 32 KiB window) become matches.
        #expect(Zlib.compress(runs).count < 25_000)
        #expect(Zlib.compress(random)[2] & 0b110 == 0, "random data is written as stored blocks")
    }

    @Test func pngOfAFigureDecodesToTheRasterPixels() throws {
        for seed in UInt64(1)...4 {
            let figure = RendererTests.randomFigure(seed: seed)
            let raster = try figure.raster(width: 170, height: 110)
            let image = try PNGDecoder.decode(raster.pngBytes())
            #expect(image.width == 170 && image.height == 110, "seed \(seed)")
            #expect(image.chunkTypes == ["IHDR", "IDAT", "IEND"], "seed \(seed)")
            #expect(image.rgb == raster.rgbBytes, "seed \(seed): decoded pixels differ")
        }
        #expect(try Figure(width: 50, height: 40).png() == Figure(width: 50, height: 40).png())
    }

    /// Rows are filtered individually: the first row of a ramp gets Sub, the rows of a plane
    /// (linear in x and y) Paeth, rows that repeat the row above with an offset Up, black rows None
    /// (every filter gives zeros; None is the first).
    @Test func filterIsChosenPerRow() throws {
        let width = 64
        var rgb: [UInt8] = []
        for row in 0..<30 {
            for column in 0..<width {
                let value = row < 10 ? (column * 3 + row * 17) % 256 : row < 20 ? row * 4 + (column % 2) * 90 : 0
                rgb += [UInt8(value), UInt8(value), UInt8(value)]
            }
        }
        let image = try PNGDecoder.decode(PNGEncoder.encode(width: width, height: 30, rgb: rgb))
        #expect(image.rgb == rgb)
        #expect(image.filterTypes[0] == 1 && image.filterTypes[5] == 4 && image.filterTypes[15] == 2 && image.filterTypes[25] == 0, "\(image.filterTypes)")
    }

    @Test func pngSizeIsValidated() {
        let figure = Figure(width: 50, height: 40)
        #expect(throws: PlotError.self) { try figure.png(width: 0) }
        #expect(throws: PlotError.self) { try figure.png(height: 20_001) }
    }
}
