import Foundation

/// A two-dimensional little-endian float64 array in the NumPy `.npy` format, version 1.0
/// (numpy.lib.format): the magic string "\x93NUMPY", version bytes 1 0, a 2-byte little-endian header
/// length, an ASCII header dict `{'descr': '<f8', 'fortran_order': False, 'shape': (rows, columns), }`
/// padded with spaces and ended by "\n" so that the data start at a multiple of 64 bytes, then the
/// values in row-major (C) order. `numpy.load` reads it as an array of that shape.
public struct NumPyArray: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    /// Row-major, rows x columns.
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "NumPyArray: \(values.count) values for \(rows) x \(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The header dict, padded so that magic + version + length + header is a multiple of 64 bytes.
    var header: [UInt8] {
        var text = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        let unpadded = Self.magic.count + 2 + 2 + text.utf8.count + 1
        text += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        return Array(text.utf8)
    }

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        let header = self.header
        var bytes = Self.magic + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + header
        bytes.reserveCapacity(bytes.count + 8 * values.count)
        for v in values {
            let bits = v.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// Parses a file written by `encoded()` (or by NumPy for a 2-D '<f8' C-order array).
    public init(decoding bytes: [UInt8]) throws {
        struct Malformed: Error, CustomStringConvertible { var description: String }
        guard bytes.count >= 10, Array(bytes[0..<6]) == Self.magic, bytes[6] == 1 else { throw Malformed(description: "not an .npy 1.x file") }
        let length = Int(bytes[8]) | Int(bytes[9]) << 8
        guard bytes.count >= 10 + length, let header = String(bytes: bytes[10..<(10 + length)], encoding: .ascii) else {
            throw Malformed(description: "truncated header")
        }
        guard header.contains("'descr': '<f8'"), header.contains("'fortran_order': False"),
              let open = header.range(of: "'shape': ("), let close = header.range(of: ")", range: open.upperBound..<header.endIndex) else {
            throw Malformed(description: "unsupported header \(header)")
        }
        let shape = header[open.upperBound..<close.lowerBound].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard shape.count == 2 else { throw Malformed(description: "not two-dimensional: \(header)") }
        let start = 10 + length, count = shape[0] * shape[1]
        guard bytes.count == start + 8 * count else { throw Malformed(description: "data size \(bytes.count - start), expected \(8 * count)") }
        var values = [Double](repeating: 0, count: count)
        for i in 0..<count {
            var bits: UInt64 = 0
            for b in 0..<8 { bits |= UInt64(bytes[start + 8 * i + b]) << (8 * b) }
            values[i] = Double(bitPattern: UInt64(littleEndian: bits))
        }
        self.init(rows: shape[0], columns: shape[1], values: values)
    }
}
