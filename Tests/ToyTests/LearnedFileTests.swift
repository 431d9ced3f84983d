import Foundation
import Testing
import TestSupport
@testable import Toy

/// The model file: a bit-exact round trip, and every kind of bad file refused with its reason named.
@Suite struct LearnedFileTests {
    static func trainedModel() throws -> LearnedDenoiser {
        let recipe = TrainingRecipe(width: 6, depth: 2, frequencies: 1, steps: 5, batchSize: 40, learningRate: 3e-3,
                                    trainingSet: .fixed(size: 12), removedComponents: [1], seed: 99)
        return try DenoiserTrainer(recipe: recipe, source: Presets.twoDimensional().ideal, threads: 1, preset: "custom").train()
    }

    /// Written and read back: equal parameters bit for bit, equal sigma_data bits and equal provenance
    /// (resolved recipe, source mixture, loss course), for a trained model and for random hand-built ones.
    @Test func roundTripIsBitExact() throws {
        let model = try Self.trainedModel()
        let back = try LearnedDenoiser(fileBytes: try model.fileBytes())
        #expect(back.network.parameters.map(\.bitPattern) == model.network.parameters.map(\.bitPattern))
        #expect(back == model)
        #expect(back.provenance?.recipe.sigmaData != nil && back.provenance?.recipe.noise != nil)
        let failures = try Property.check("model file round trip", cases: Property.caseCount(fraction: 0.1)) { rng in
            let architecture = try DenoiserArchitecture(dimension: Draw.integer(1...3, &rng), width: Draw.integer(1...12, &rng),
                                                        depth: Draw.integer(1...3, &rng), frequencies: Draw.integer(0...4, &rng))
            let parameters = (0..<architecture.parameterCount).map { _ in Double(bitPattern: rng.next() >> 2) * (Draw.bool(&rng) ? 1 : -1) }
            let model = LearnedDenoiser(network: try DenoiserNetwork(architecture: architecture, parameters: parameters),
                                        preconditioning: try EDMPreconditioning(sigmaData: Draw.logUniform(1e-3, 1e3, &rng)))
            let back = try LearnedDenoiser(fileBytes: try model.fileBytes())
            guard back.network.parameters.map(\.bitPattern) == parameters.map(\.bitPattern),
                  back.preconditioning.sigmaData.bitPattern == model.preconditioning.sigmaData.bitPattern else { return "not bit-exact" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// The header and parameter parts of a file.
    static func parts(_ bytes: [UInt8]) -> (magic: [UInt8], header: String, body: [UInt8]) {
        let magicEnd = bytes.firstIndex(of: 10)! + 1
        let headerEnd = bytes[magicEnd...].firstIndex(of: 10)!
        return (Array(bytes[..<magicEnd]), String(decoding: bytes[magicEnd..<headerEnd], as: UTF8.self), Array(bytes[(headerEnd + 1)...]))
    }

    static func assemble(_ magic: [UInt8], _ header: String, _ body: [UInt8]) -> [UInt8] { magic + Array(header.utf8) + [10] + body }

    static func refusal(_ bytes: [UInt8]) -> String? {
        do {
            _ = try LearnedDenoiser(fileBytes: bytes, source: "model file 'x.model'")
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Each damage is refused with an error naming the file and the reason.
    @Test func badFilesAreRefusedWithTheirReason() throws {
        let model = try Self.trainedModel()
        let good = try model.fileBytes()
        let (magic, header, body) = Self.parts(good)
        let checksum = LearnedDenoiser.hex(LearnedDenoiser.fnv1a(body))
        var flipped = body
        flipped[body.count / 2] ^= 0x10
        var infinite = body
        withUnsafeBytes(of: Double.infinity.bitPattern.littleEndian) { for k in 0..<8 { infinite[k] = $0[k] } }
        let infiniteHeader = header.replacingOccurrences(of: checksum, with: LearnedDenoiser.hex(LearnedDenoiser.fnv1a(infinite)))
        let cases: [(String, [UInt8], String)] = [
            ("empty", [], "does not start with"),
            ("other magic", Array("not a model\n".utf8) + good, "does not start with"),
            ("no header end", magic + Array(header.utf8), "not terminated"),
            ("header not JSON", Self.assemble(magic, "{\"format\": 1,", body), "not valid JSON"),
            ("header key missing", Self.assemble(magic, header.replacingOccurrences(of: "\"parameterChecksum\"", with: "\"checksum\""), body), "missing key 'parameterChecksum'"),
            ("future format", Self.assemble(magic, header.replacingOccurrences(of: "\"format\":2", with: "\"format\":3"), body), "format version is 3"),
            ("unknown old format", Self.assemble(magic, header.replacingOccurrences(of: "\"format\":2", with: "\"format\":0"), body), "format version is 0"),
            ("bad architecture", Self.assemble(magic, header.replacingOccurrences(of: "\"width\":6", with: "\"width\":0"), body), "architecture is invalid"),
            ("count mismatch", Self.assemble(magic, header.replacingOccurrences(of: "\"parameterCount\":\(model.network.parameters.count)",
                                                                              with: "\"parameterCount\":\(model.network.parameters.count + 1)"), body), "declares"),
            ("truncated", Array(good.dropLast(8)), "truncated"),
            ("extended", good + [0, 0, 0, 0, 0, 0, 0, 0], "truncated or extended"),
            ("corrupted parameter", Self.assemble(magic, header, flipped), "checksum does not match"),
            ("non-finite parameter", Self.assemble(magic, infiniteHeader, infinite), "finite numbers"),
            ("bad sigma bits", Self.assemble(magic, header.replacingOccurrences(of: "\"sigmaDataBits\":\"", with: "\"sigmaDataBits\":\"zz"), body), "sigmaDataBits"),
        ]
        #expect(header.contains("\"format\":2") && header.contains("\"width\":6") && header.contains(checksum))
        #expect(Self.refusal(good) == nil)
        for (name, bytes, reason) in cases {
            let message = Self.refusal(bytes)
            #expect(message?.contains(reason) == true && message?.contains("x.model") == true, "\(name): \(message ?? "accepted")")
        }
        #expect(throws: ToyError.self) { try LearnedDenoiser(contentsOf: "/nonexistent/strong.model") }
    }

    /// Writing is atomic and readable back from disk.
    @Test func writeAndReadAFile() throws {
        let model = try Self.trainedModel()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("learned-\(getpid()).model").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.write(to: path)
        #expect(try LearnedDenoiser(contentsOf: path) == model)
    }
}
