/// The checksums of the PNG and zlib formats.
enum Checksums {
    /// CRC-32 (ISO 3309 / ITU-T V.42, reflected polynomial 0xEDB88320, initial and final XOR
    /// 0xFFFFFFFF), as PNG chunks use it. CRC-32 of "123456789" is 0xCBF43926.
    static func crc32<Bytes: Sequence>(_ bytes: Bytes, continuing previous: UInt32 = 0) -> UInt32 where Bytes.Element == UInt8 {
        var crc = ~previous
        for byte in bytes {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return ~crc
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }

    /// Adler-32 (RFC 1950): `(b << 16) | a` with `a = 1 + Σ bytes`, `b = Σ a` modulo 65521, as the
    /// zlib trailer uses it. Sums are reduced every 5552 bytes, the most that cannot overflow 32 bits.
    /// Adler-32 of "Wikipedia" is 0x11E60398.
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        let modulus: UInt32 = 65521
        var a: UInt32 = 1, b: UInt32 = 0
        var start = 0
        while start < bytes.count {
            let end = min(start + 5552, bytes.count)
            for index in start..<end {
                a &+= UInt32(bytes[index])
                b &+= a
            }
            a %= modulus
            b %= modulus
            start = end
        }
        return (b << 16) | a
    }
}
