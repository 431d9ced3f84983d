/// A zlib stream (RFC 1950) of deflate data (RFC 1951), for PNG image data and PDF content streams.
///
/// Compression: LZ77 over a 32 KiB window, greedy matching through hash chains of 3-byte prefixes
/// (at most `maxChainLength` candidates per position, matches of 3...258 bytes), coded as one
/// fixed-Huffman block. When that block would be larger than the input, stored blocks are written
/// instead, so the stream never exceeds the input by more than 5 bytes per 65535 plus 6.
/// Deterministic: the same input gives the same bytes.
enum Zlib {
    static let windowSize = 32_768
    static let maxChainLength = 48
    static let minMatch = 3
    static let maxMatch = 258

    static func compress(_ data: [UInt8]) -> [UInt8] {
        // CMF 0x78: deflate with a 32 KiB window; FLG 0x01 makes CMF * 256 + FLG a multiple of 31.
        var stream: [UInt8] = [0x78, 0x01]
        let fixed = fixedHuffmanBlock(data)
        stream += fixed.count < data.count + 5 * (data.count / 65_535 + 1) ? fixed : storedBlocks(data)
        let adler = Checksums.adler32(data)
        stream += [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)]
        return stream
    }

    /// Deflate stored blocks of at most 65535 bytes each, the last one marked final.
    static func storedBlocks(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var start = 0
        repeat {
            let end = min(start + 65_535, data.count)
            let length = UInt16(end - start)
            out.append(end == data.count ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            out += data[start..<end]
            start = end
        } while start < data.count
        return out
    }

    /// One final deflate block with the fixed Huffman codes (RFC 1951 section 3.2.6).
    static func fixedHuffmanBlock(_ data: [UInt8]) -> [UInt8] {
        var writer = DeflateBitWriter()
        writer.write(0b011, bits: 3)  // BFINAL = 1, BTYPE = 01 (fixed Huffman), least significant bit first
        let hashSize = 1 << 15
        var head = [Int32](repeating: -1, count: hashSize)
        var previous = [Int32](repeating: -1, count: windowSize)
        data.withUnsafeBufferPointer { bytes in
            let count = bytes.count
            func hash(_ position: Int) -> Int {
                (Int(bytes[position]) << 10 ^ Int(bytes[position + 1]) << 5 ^ Int(bytes[position + 2])) & (hashSize - 1)
            }
            func insert(_ position: Int) {
                guard position + minMatch <= count else { return }
                let key = hash(position)
                previous[position & (windowSize - 1)] = head[key]
                head[key] = Int32(position)
            }
            var position = 0
            while position < count {
                var bestLength = 0, bestDistance = 0
                if position + minMatch <= count {
                    var candidate = Int(head[hash(position)])
                    var chain = maxChainLength
                    let limit = min(maxMatch, count - position)
                    while candidate >= 0, position - candidate <= windowSize, chain > 0 {
                        if bytes[candidate + bestLength] == bytes[position + bestLength] || bestLength == 0 {
                            var length = 0
                            while length < limit, bytes[candidate + length] == bytes[position + length] { length += 1 }
                            if length > bestLength {
                                bestLength = length
                                bestDistance = position - candidate
                                if length == limit { break }
                            }
                        }
                        let next = Int(previous[candidate & (windowSize - 1)])
                        guard next < candidate else { break }
                        candidate = next
                        chain -= 1
                    }
                }
                if bestLength >= minMatch {
                    writer.writeLength(bestLength)
                    writer.writeDistance(bestDistance)
                    for covered in position..<(position + bestLength) { insert(covered) }
                    position += bestLength
                } else {
                    writer.writeSymbol(Int(bytes[position]))
                    insert(position)
                    position += 1
                }
            }
        }
        writer.writeSymbol(256)
        return writer.finished()
    }
}

/// Writes deflate bits: values least significant bit first, Huffman codes most significant bit first.
struct DeflateBitWriter {
    private(set) var bytes: [UInt8] = []
    private var buffer: UInt64 = 0
    private var bufferedBits = 0

    mutating func write(_ value: UInt32, bits: Int) {
        buffer |= UInt64(value) << UInt64(bufferedBits)
        bufferedBits += bits
        while bufferedBits >= 8 {
            bytes.append(UInt8(buffer & 0xFF))
            buffer >>= 8
            bufferedBits -= 8
        }
    }

    /// A literal/length symbol (0...287) with its fixed Huffman code.
    mutating func writeSymbol(_ symbol: Int) {
        let (code, length) = DeflateBitWriter.fixedCodes[symbol]
        write(code, bits: length)
    }

    /// A match length 3...258: its length symbol and extra bits.
    mutating func writeLength(_ length: Int) {
        let index = DeflateBitWriter.lengthIndex[length]
        writeSymbol(257 + index)
        let extra = DeflateBitWriter.lengthExtraBits[index]
        if extra > 0 { write(UInt32(length - DeflateBitWriter.lengthBases[index]), bits: extra) }
    }

    /// A distance 1...32768: its 5-bit fixed code and extra bits.
    mutating func writeDistance(_ distance: Int) {
        var index = DeflateBitWriter.distanceBases.count - 1
        while DeflateBitWriter.distanceBases[index] > distance { index -= 1 }
        write(DeflateBitWriter.reversed(UInt32(index), bits: 5), bits: 5)
        let extra = DeflateBitWriter.distanceExtraBits[index]
        if extra > 0 { write(UInt32(distance - DeflateBitWriter.distanceBases[index]), bits: extra) }
    }

    /// The bytes written, the last one padded with zero bits.
    func finished() -> [UInt8] {
        bufferedBits > 0 ? bytes + [UInt8(buffer & 0xFF)] : bytes
    }

    static let lengthBases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtraBits = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBases = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                                2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtraBits = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// Index into `lengthBases` for every length 0...258 (entries below 3 are unused).
    private static let lengthIndex: [Int] = (0...258).map { length in
        (lengthBases.lastIndex { $0 <= length }) ?? 0
    }

    /// The fixed literal/length codes, bit-reversed for least-significant-first output, and their lengths.
    private static let fixedCodes: [(UInt32, Int)] = (0..<288).map { symbol in
        switch symbol {
        case 0...143: return (reversed(UInt32(0x30 + symbol), bits: 8), 8)
        case 144...255: return (reversed(UInt32(0x190 + symbol - 144), bits: 9), 9)
        case 256...279: return (reversed(UInt32(symbol - 256), bits: 7), 7)
        default: return (reversed(UInt32(0xC0 + symbol - 280), bits: 8), 8)
        }
    }

    static func reversed(_ code: UInt32, bits: Int) -> UInt32 {
        var result: UInt32 = 0
        for bit in 0..<bits where code & (1 << UInt32(bit)) != 0 {
            result |= 1 << UInt32(bits - 1 - bit)
        }
        return result
    }
}
