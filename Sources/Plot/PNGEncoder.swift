/// Writes 8-bit RGB images as PNG (ISO/IEC 15948): signature, IHDR, an optional tEXt chunk (the
/// figure's metadata, ahead of the image data), one IDAT holding the zlib stream of the filtered rows,
/// IEND; every chunk with its CRC-32.
///
/// Each row gets the filter (None, Sub, Up, Average or Paeth) whose output has the smallest sum of
/// absolute values read as signed bytes, the usual heuristic for a small deflate stream.
enum PNGEncoder {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// `rgb` holds `width * height` pixels, 3 bytes each, row by row from the top.
    static func encode(width: Int, height: Int, rgb: [UInt8], metadata: FigureMetadata? = nil) -> [UInt8] {
        var header: [UInt8] = []
        header += bigEndian(UInt32(width))
        header += bigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
        return signature + chunk("IHDR", header) + (metadata.map { chunk("tEXt", $0.pngTextChunkData) } ?? []) + chunk("IDAT", Zlib.compress(filteredRows(width: width, height: height, rgb: rgb)))
            + chunk("IEND", [])
    }

    /// The rows, each preceded by its filter type byte.
    static func filteredRows(width: Int, height: Int, rgb: [UInt8]) -> [UInt8] {
        let stride = width * 3
        var out = [UInt8](repeating: 0, count: (stride + 1) * height)
        rgb.withUnsafeBufferPointer { pixels in
            out.withUnsafeMutableBufferPointer { output in
                for row in 0..<height {
                    let start = row * stride
                    /// The byte at `index` of this row after `filter`.
                    func filtered(_ index: Int, _ filter: Int) -> UInt8 {
                        let left = index >= 3 ? pixels[start + index - 3] : 0
                        let up = row > 0 ? pixels[start + index - stride] : 0
                        let predictor: UInt8
                        switch filter {
                        case 1: predictor = left
                        case 2: predictor = up
                        case 3: predictor = UInt8((Int(left) + Int(up)) / 2)
                        case 4: predictor = paethPredictor(left, up, row > 0 && index >= 3 ? pixels[start + index - stride - 3] : 0)
                        default: predictor = 0
                        }
                        return pixels[start + index] &- predictor
                    }
                    var best = 0, bestCost = Int.max
                    for filter in 0..<5 {
                        var cost = 0
                        for index in 0..<stride where cost < bestCost {
                            cost += abs(Int(Int8(bitPattern: filtered(index, filter))))
                        }
                        if cost < bestCost {
                            bestCost = cost
                            best = filter
                        }
                    }
                    let base = row * (stride + 1)
                    output[base] = UInt8(best)
                    for index in 0..<stride { output[base + 1 + index] = filtered(index, best) }
                }
            }
        }
        return out
    }

    /// The neighbour (left, up or upper-left) closest to `left + up - upLeft`, ties in that order.
    static func paethPredictor(_ left: UInt8, _ up: UInt8, _ upLeft: UInt8) -> UInt8 {
        let estimate = Int(left) + Int(up) - Int(upLeft)
        let toLeft = abs(estimate - Int(left)), toUp = abs(estimate - Int(up)), toUpLeft = abs(estimate - Int(upLeft))
        if toLeft <= toUp, toLeft <= toUpLeft { return left }
        return toUp <= toUpLeft ? up : upLeft
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typeAndData + bigEndian(Checksums.crc32(typeAndData))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
