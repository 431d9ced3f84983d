import Foundation

/// `toy-w2sd merge`: combines the partial documents of `--shard 1/N ... N/N` into the document one
/// unsharded run writes. The shards must belong together: one schema, the same study (every key but
/// `cells` and `shard` equal byte for byte), the same N, every K from 1 to N exactly once, and each
/// holding exactly its cells (j mod N = K - 1). Every violation is a `UsageError` naming the files.
/// A single whole (unsharded) document passes through unchanged, to redraw it or show other metrics.
public enum StudyMerge {
    /// Reads and merges shard files.
    public static func merge(paths: [String]) throws -> StudyOutputs.Document {
        guard !paths.isEmpty else { throw UsageError(message: "merge needs the shard files, e.g. toy-w2sd merge part-*.json --json all.json") }
        var parts: [(path: String, data: Data)] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw UsageError(message: "'\(path)' cannot be read; accepted: JSON files written by 'toy-w2sd sweep/frontier --shard K/N --json PATH'")
            }
            parts.append((path, data))
        }
        let schemas = try parts.map { try schema(of: $0.data, path: $0.path) }
        guard Set(schemas).count == 1 else {
            throw UsageError(message: "the files are of different kinds (\(zip(paths, schemas).map { "\($0): \($1)" }.joined(separator: ", "))); accepted: shards of one study")
        }
        switch schemas[0] {
        case SweepDocument.schemaName:
            let documents = try parts.map { try decode(SweepDocument.self, $0.data, path: $0.path) }
            return .sweep(try combine(documents, paths: paths, cells: \.cells, index: \.index))
        case FrontierDocument.schemaName:
            let documents = try parts.map { try decode(FrontierDocument.self, $0.data, path: $0.path) }
            return .frontier(try combine(documents, paths: paths, cells: \.cells, index: \.index))
        default:
            throw UsageError(message: "'\(paths[0])' has schema '\(schemas[0])'; accepted: \(SweepDocument.schemaName) or \(FrontierDocument.schemaName) shards")
        }
    }

    static func schema(of data: Data, path: String) throws -> String {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let schema = object["schema"] as? String else {
            throw UsageError(message: "'\(path)' is not a toy-w2sd JSON document (no schema); accepted: shards written with --shard K/N --json PATH")
        }
        return schema
    }

    static func decode<D: Decodable>(_ type: D.Type, _ data: Data, path: String) throws -> D {
        do { return try JSONDocument.decode(type, data, source: path) } catch { throw UsageError(message: "\(error)") }
    }

    /// The study of a shard without its cells and shard object, as bytes: equal bytes, same study.
    static func studyKeys<D: Encodable>(_ document: D) throws -> [String: Data] {
        let data = try ReportEncoding.encode(document)
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        object["cells"] = nil
        object["shard"] = nil
        var keys: [String: Data] = [:]
        for (key, value) in object {
            keys[key] = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        }
        return keys
    }

    static func combine<D: Encodable & ShardedDocument, C>(_ documents: [D], paths: [String], cells: WritableKeyPath<D, [C]>,
                                                         index: KeyPath<C, Int>) throws -> D {
        // One whole study alone passes through (to redraw it or show other metrics).
        if documents.count == 1, documents[0].shard == nil { return documents[0] }
        var shards: [ShardInfo] = []
        for (document, path) in zip(documents, paths) {
            guard let shard = document.shard else {
                throw UsageError(message: "'\(path)' is a whole study, not a shard; accepted: the files of --shard 1/N ... N/N (or one whole study alone)")
            }
            shards.append(shard)
        }
        let n = shards[0].count
        if let (path, shard) = zip(paths, shards).first(where: { $0.1.count != n }) {
            throw UsageError(message: "'\(path)' is shard \(shard.index) of \(shard.count), '\(paths[0])' of \(n); accepted: shards of one split")
        }
        let reference = try studyKeys(documents[0])
        for (document, path) in zip(documents, paths).dropFirst() {
            let keys = try studyKeys(document)
            let differing = Set(reference.keys).union(keys.keys).filter { reference[$0] != keys[$0] }.sorted()
            if !differing.isEmpty {
                throw UsageError(message: "'\(path)' belongs to another study than '\(paths[0])' (they differ in \(differing.joined(separator: ", "))); accepted: shards of one study")
            }
        }
        var seen: [Int: String] = [:]
        for (shard, path) in zip(shards, paths) {
            if let other = seen[shard.index] {
                throw UsageError(message: "shard \(shard.index)/\(n) is given twice ('\(other)' and '\(path)'); accepted: every shard exactly once")
            }
            seen[shard.index] = path
        }
        let missing = (1...n).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw UsageError(message: "shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) missing; accepted: all \(n) shards")
        }
        let total = documents[0].cellCount
        var merged = documents[0]
        var all: [C] = []
        for (document, path) in zip(documents, paths) {
            guard let shard = document.shard else { continue }
            let expected = StudyShard(index: shard.index, count: n).cells(of: total)
            let held = document[keyPath: cells].map { $0[keyPath: index] }
            guard shard.cells == expected, held == expected else {
                throw UsageError(message: "'\(path)' does not hold exactly the cells of shard \(shard.index)/\(n); accepted: an unmodified shard file")
            }
            all += document[keyPath: cells]
        }
        merged[keyPath: cells] = all.sorted { $0[keyPath: index] < $1[keyPath: index] }
        merged.shard = nil
        return merged
    }
}

/// A study document that may be one shard of several.
protocol ShardedDocument {
    var shard: ShardInfo? { get set }
    var cellCount: Int { get }
}

extension SweepDocument: ShardedDocument {}
extension FrontierDocument: ShardedDocument {}
