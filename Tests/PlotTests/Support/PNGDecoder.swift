import TestSupport

/// Decodes the PNGs Plot writes (8-bit RGB, not interlaced) for tests: checks the signature and
/// every chunk's CRC-32 (computed here bit by bit, independently of Plot), inflates the IDAT data
/// and undoes the five row filters.
enum PNGDecoder {
    struct Image {
        var width: Int
        var height: Int
        var rgb: [UInt8]
        var chunkTypes: [String]
        var filterTypes: [UInt8]
        /// The tEXt chunks as (keyword, text), text read as Latin-1.
        var texts: [(keyword: String, text: String)] = []
        /// The concatenated IDAT data (the compressed image).
        var imageData: [UInt8] = []
    }

    /// Bitwise CRC-32 (reflected polynomial 0xEDB88320).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func decode(_ png: [UInt8]) throws -> Image {
        func fail(_ text: String) -> Inflater.Failure { Inflater.Failure(description: text) }
        func bigEndian(_ offset: Int) -> Int { png[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
        guard png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { throw fail("signature") }
        var offset = 8, width = 0, height = 0, data: [UInt8] = [], types: [String] = [], texts: [(keyword: String, text: String)] = []
        while offset + 12 <= png.count {
            let length = bigEndian(offset)
            guard offset + 12 + length <= png.count else { throw fail("chunk overruns the file") }
            let typeAndData = Array(png[(offset + 4)..<(offset + 8 + length)])
            let type = String(decoding: typeAndData.prefix(4), as: UTF8.self)
            guard UInt32(bigEndian(offset + 8 + length)) == crc32(typeAndData) else { throw fail("CRC of \(type)") }
            types.append(type)
            let body = Array(typeAndData.dropFirst(4))
            if type == "IHDR" {
                width = bigEndian(offset + 8)
                height = bigEndian(offset + 12)
                guard Array(body.suffix(5)) == [8, 2, 0, 0, 0] else { throw fail("not 8-bit RGB: \(body.suffix(5))") }
            }
            if type == "IDAT" { data += body }
            if type == "tEXt" {
                let separator = try body.firstIndex(of: 0) ?? { throw fail("tEXt without a NUL separator") }()
                let latin1 = { (bytes: ArraySlice<UInt8>) in String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })) }
                texts.append((latin1(body[..<separator]), latin1(body[(separator + 1)...])))
            }
            offset += 12 + length
        }
        guard offset == png.count, types.first == "IHDR", types.last == "IEND" else { throw fail("chunk layout \(types)") }
        let raw = try Inflater.zlibDecompress(data)
        let stride = width * 3
        guard raw.count == (stride + 1) * height else { throw fail("\(raw.count) bytes for \(width) x \(height)") }
        var rgb = [UInt8](repeating: 0, count: stride * height), filters: [UInt8] = []
        for row in 0..<height {
            let filter = raw[row * (stride + 1)]
            filters.append(filter)
            for index in 0..<stride {
                let value = raw[row * (stride + 1) + 1 + index]
                let left = index >= 3 ? Int(rgb[row * stride + index - 3]) : 0
                let up = row > 0 ? Int(rgb[(row - 1) * stride + index]) : 0
                let upLeft = row > 0 && index >= 3 ? Int(rgb[(row - 1) * stride + index - 3]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = left
                case 2: predictor = up
                case 3: predictor = (left + up) / 2
                case 4:
                    let estimate = left + up - upLeft
                    let (a, b, c) = (abs(estimate - left), abs(estimate - up), abs(estimate - upLeft))
                    predictor = a <= b && a <= c ? left : b <= c ? up : upLeft
                default: throw fail("filter type \(filter)")
                }
                rgb[row * stride + index] = UInt8((Int(value) + predictor) & 0xFF)
            }
        }
        return Image(width: width, height: height, rgb: rgb, chunkTypes: types, filterTypes: filters, texts: texts, imageData: data)
    }
}
