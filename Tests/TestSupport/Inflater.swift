/// A small zlib / deflate decoder for tests: stored and fixed-Huffman blocks (the only kinds Plot
/// writes); dynamic-Huffman blocks are reported as an error. Checks the zlib header and Adler-32.
public struct Inflater {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    private let bytes: [UInt8]
    private var bitPosition = 0

    private init(_ bytes: [UInt8], startingAt offset: Int) {
        self.bytes = bytes
        bitPosition = offset * 8
    }

    /// Inflates a zlib stream and checks its header and Adler-32 trailer (computed here, independently of Plot).
    public static func zlibDecompress(_ stream: [UInt8]) throws -> [UInt8] {
        guard stream.count >= 6 else { throw Failure(description: "zlib stream of \(stream.count) bytes") }
        guard stream[0] & 0x0F == 8, (Int(stream[0]) * 256 + Int(stream[1])) % 31 == 0, stream[1] & 0x20 == 0 else {
            throw Failure(description: "bad zlib header \(stream[0]) \(stream[1])")
        }
        var inflater = Inflater(stream, startingAt: 2)
        let output = try inflater.inflate()
        let trailerStart = (inflater.bitPosition + 7) / 8
        guard trailerStart + 4 <= stream.count else { throw Failure(description: "missing Adler-32") }
        let stored = stream[trailerStart..<(trailerStart + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard stored == adler32(output) else { throw Failure(description: "Adler-32 mismatch") }
        return output
    }

    /// RFC 1950 Adler-32, written out directly (no chunking) as an independent reference.
    public static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    private mutating func bit() throws -> UInt32 {
        guard bitPosition / 8 < bytes.count else { throw Failure(description: "stream ends early") }
        let value = UInt32(bytes[bitPosition / 8] >> UInt8(bitPosition % 8)) & 1
        bitPosition += 1
        return value
    }

    /// `count` bits, least significant first.
    private mutating func bits(_ count: Int) throws -> Int {
        var value = 0
        for index in 0..<count { value |= Int(try bit()) << index }
        return value
    }

    /// A fixed literal/length symbol: Huffman codes are read most significant bit first.
    private mutating func fixedSymbol() throws -> Int {
        var code = 0
        for length in 1...9 {
            code = code << 1 | Int(try bit())
            switch (length, code) {
            case (7, 0...0b0010111): return 256 + code
            case (8, 0b0011_0000...0b1011_1111): return code - 0b0011_0000
            case (8, 0b1100_0000...0b1100_0111): return 280 + code - 0b1100_0000
            case (9, 0b1_1001_0000...0b1_1111_1111): return 144 + code - 0b1_1001_0000
            default: continue
            }
        }
        throw Failure(description: "invalid fixed code")
    }

    private static let lengthBases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBases = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                                        2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    private mutating func inflate() throws -> [UInt8] {
        var output: [UInt8] = []
        var final = false
        while !final {
            final = try bit() == 1
            switch try bits(2) {
            case 0:
                bitPosition = (bitPosition + 7) / 8 * 8
                let length = try bits(16), complement = try bits(16)
                guard length == ~complement & 0xFFFF else { throw Failure(description: "stored block length check") }
                let start = bitPosition / 8
                guard start + length <= bytes.count else { throw Failure(description: "stored block overruns") }
                output += bytes[start..<(start + length)]
                bitPosition += length * 8
            case 1:
                while true {
                    let symbol = try fixedSymbol()
                    if symbol < 256 {
                        output.append(UInt8(symbol))
                        continue
                    }
                    if symbol == 256 { break }
                    let index = symbol - 257
                    guard index < 29 else { throw Failure(description: "length symbol \(symbol)") }
                    let length = Self.lengthBases[index] + (try bits(Self.lengthExtra[index]))
                    var distanceCode = 0
                    for _ in 0..<5 { distanceCode = distanceCode << 1 | Int(try bit()) }
                    guard distanceCode < 30 else { throw Failure(description: "distance code \(distanceCode)") }
                    let distance = Self.distanceBases[distanceCode] + (try bits(Self.distanceExtra[distanceCode]))
                    guard distance <= output.count else { throw Failure(description: "distance \(distance) before the start") }
                    for _ in 0..<length { output.append(output[output.count - distance]) }
                }
            default:
                throw Failure(description: "unsupported block type")
            }
        }
        return output
    }
}
