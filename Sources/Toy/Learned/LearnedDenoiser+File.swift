import Foundation

/// The model file (format version 2): three parts, byte for byte
///
///     toy-w2sd learned denoiser\n                      the magic line (26 bytes + newline)
///     {"architecture":{...},"format":2,...}\n          a one-line JSON header (UTF-8, sorted keys)
///     P x 8 bytes                                      the P parameters, IEEE 754 binary64, little-endian,
///                                                      in the order of `DenoiserArchitecture`
///
/// Header keys: `format` (2), `architecture` (dimension, width, depth, frequencies), `sigmaDataBits` (the
/// bit pattern of sigma_data as 16 hex digits, so it is read back exactly) and `sigmaData` (the same as a
/// number, for readers), `parameterCount` (P), `parameterChecksum` (FNV-1a 64 of the parameter bytes, 16
/// hex digits), and `training` (the `TrainingProvenance`: preset, resolved recipe with its seed, noise-level
/// distribution, data changes and stop step, source mixture, loss course) when the model was trained.
/// Parameters are read back bit for bit.
///
/// Version 2 (checkpoints, seeds, trained ranges) added the recipe's `stopStep` and `meanShift`. Files of
/// version 1 still load, with their training provenance dropped (`provenance` nil: "recipe unknown", and
/// no trained range to check against): version 1 did not declare which noise levels a checkpoint had seen.
///
/// Reading refuses, with an error naming what is wrong: a missing magic line, a header that is not
/// valid JSON or lacks a key, another format version, an invalid architecture, a parameter count that does
/// not match the architecture, a parameter section of the wrong length (truncated or with extra bytes),
/// a checksum mismatch (corruption), and non-finite parameters or sigma_data.
extension LearnedDenoiser {
    public static let fileMagic = "toy-w2sd learned denoiser"
    public static let fileFormat = 2
    /// Older versions this build still reads (without their provenance).
    public static let readableOlderFormats: Set<Int> = [1]

    struct FileHeader: Codable {
        var format: Int
        var architecture: DenoiserArchitecture
        var sigmaData: Double
        var sigmaDataBits: String
        var parameterCount: Int
        var parameterChecksum: String
        var training: TrainingProvenance?

        init(format: Int, architecture: DenoiserArchitecture, sigmaData: Double, sigmaDataBits: String, parameterCount: Int,
             parameterChecksum: String, training: TrainingProvenance?) {
            (self.format, self.architecture, self.sigmaData, self.sigmaDataBits) = (format, architecture, sigmaData, sigmaDataBits)
            (self.parameterCount, self.parameterChecksum, self.training) = (parameterCount, parameterChecksum, training)
        }

        /// The provenance is read in the current format only (an older one's is not decoded at all).
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            format = try c.decode(Int.self, forKey: .format)
            architecture = try c.decode(DenoiserArchitecture.self, forKey: .architecture)
            sigmaData = try c.decode(Double.self, forKey: .sigmaData)
            sigmaDataBits = try c.decode(String.self, forKey: .sigmaDataBits)
            parameterCount = try c.decode(Int.self, forKey: .parameterCount)
            parameterChecksum = try c.decode(String.self, forKey: .parameterChecksum)
            training = format == LearnedDenoiser.fileFormat ? try c.decodeIfPresent(TrainingProvenance.self, forKey: .training) : nil
        }
    }

    /// The bytes of the model file.
    public func fileBytes() throws -> [UInt8] {
        var parameterBytes: [UInt8] = []
        parameterBytes.reserveCapacity(8 * network.parameters.count)
        for p in network.parameters { withUnsafeBytes(of: p.bitPattern.littleEndian) { parameterBytes.append(contentsOf: $0) } }
        let header = FileHeader(format: Self.fileFormat, architecture: architecture, sigmaData: preconditioning.sigmaData,
                                sigmaDataBits: Self.hex(preconditioning.sigmaData.bitPattern),
                                parameterCount: network.parameters.count,
                                parameterChecksum: Self.hex(Self.fnv1a(parameterBytes)), training: provenance)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = try encoder.encode(header)
        return Array((Self.fileMagic + "\n").utf8) + Array(json) + [10] + parameterBytes
    }

    /// Reads a model file's bytes; `source` names the file in errors.
    public init(fileBytes bytes: [UInt8], source: String = "model file") throws {
        func refuse(_ problem: String) -> ToyError {
            ToyError.invalid(input: source, accepted: "a toy-w2sd model file (format \(Self.fileFormat) or older \(Self.readableOlderFormats.sorted().map(String.init).joined(separator: ", "))) written by 'toy-w2sd train'; \(problem)")
        }
        let magic = Array((Self.fileMagic + "\n").utf8)
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw refuse("it does not start with the line '\(Self.fileMagic)'")
        }
        guard let headerEnd = bytes[magic.count...].firstIndex(of: 10) else { throw refuse("its header line is not terminated") }
        let header: FileHeader
        do {
            header = try JSONDecoder().decode(FileHeader.self, from: Data(bytes[magic.count..<headerEnd]))
        } catch {
            throw refuse("its header is not the expected JSON (\(Self.describe(error)))")
        }
        guard header.format == Self.fileFormat || Self.readableOlderFormats.contains(header.format) else {
            throw refuse("its format version is \(header.format), this build reads version \(Self.fileFormat) and older \(Self.readableOlderFormats.sorted().map(String.init).joined(separator: ", "))")
        }
        let architecture: DenoiserArchitecture
        do { architecture = try header.architecture.validated() } catch { throw refuse("its architecture is invalid (\(error))") }
        guard header.parameterCount == architecture.parameterCount else {
            throw refuse("it declares \(header.parameterCount) parameters but its architecture has \(architecture.parameterCount)")
        }
        let body = bytes[(headerEnd + 1)...]
        guard body.count == 8 * header.parameterCount else {
            throw refuse("its parameter section has \(body.count) bytes, \(8 * header.parameterCount) expected (truncated or extended)")
        }
        guard Self.hex(Self.fnv1a(body)) == header.parameterChecksum.lowercased() else {
            throw refuse("its parameter checksum does not match (the file is corrupted)")
        }
        guard let bits = UInt64(header.sigmaDataBits, radix: 16), header.sigmaDataBits.count == 16 else {
            throw refuse("its sigmaDataBits is not 16 hex digits")
        }
        var parameters = [Double](repeating: 0, count: header.parameterCount)
        var offset = body.startIndex
        for k in 0..<header.parameterCount {
            var word: UInt64 = 0
            for byte in 0..<8 { word |= UInt64(bytes[offset + byte]) << (8 * UInt64(byte)) }
            parameters[k] = Double(bitPattern: word)
            offset += 8
        }
        do {
            let network = try DenoiserNetwork(architecture: architecture, parameters: parameters)
            let preconditioning = try EDMPreconditioning(sigmaData: Double(bitPattern: bits))
            self.init(network: network, preconditioning: preconditioning, provenance: header.training)
        } catch {
            throw refuse("\(error)")
        }
    }

    /// Writes the model file atomically (a temporary file in the same folder, renamed over `path`).
    public func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UUID().uuidString).tmp")
        do {
            try Data(try fileBytes()).write(to: temporary)
        } catch {
            throw ToyError.invalid(input: "model path '\(path)'", accepted: "a path in a writable folder (\(error.localizedDescription))")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ToyError.invalid(input: "model path '\(path)'", accepted: "a writable file path (\(reason))")
        }
    }

    /// Reads the model file at `path`.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ToyError.invalid(input: "model file '\(path)'", accepted: "an existing, readable model file written by 'toy-w2sd train'")
        }
        try self.init(fileBytes: Array(data), source: "model file '\(path)'")
    }

    /// FNV-1a 64 of `bytes` (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): return "missing key '\(key.stringValue)'"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            return "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted: return "not valid JSON"
        default: return "\(error)"
        }
    }
}
