/// A small parser for `--flag value` and `--switch` options.
///
/// Every option must be declared; an unknown one is an error that suggests the nearest declared
/// name (by edit distance). Values are parsed by the typed accessors, which name the option and what
/// it accepts when a value is malformed.
struct ParsedArguments {
    struct Option {
        var name: String
        var takesValue: Bool
        /// What the value may be, for "needs a value" errors (e.g. "an integer >= 1").
        var accepted: String = ""
    }

    private var values: [String: String] = [:]
    private var switches: Set<String> = []
    private(set) var positionals: [String] = []

    init(_ arguments: [String], options: [Option], allowPositionals: Int = 0) throws {
        let byName = Dictionary(options.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var seen: Set<String> = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            guard argument.hasPrefix("--") else {
                if argument.hasPrefix("-"), argument.count > 1, Double(argument) == nil {
                    let bare = String(argument.drop(while: { $0 == "-" }))
                    throw UsageError(message: "unknown option '\(argument)'; options start with '--'\(Self.suggestion(for: bare, among: options))")
                }
                guard positionals.count < allowPositionals else {
                    throw UsageError(message: "unexpected argument '\(argument)'; every option starts with '--' and takes at most one value")
                }
                positionals.append(argument)
                i += 1
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = byName[name] else {
                throw UsageError(message: "unknown option '--\(name)'\(Self.suggestion(for: name, among: options))")
            }
            if option.takesValue {
                let accepted = option.accepted.isEmpty ? "" : "; accepted: \(option.accepted)"
                if let inlineValue {
                    values[name] = inlineValue
                } else {
                    guard i + 1 < arguments.count, !arguments[i + 1].hasPrefix("--") else {
                        throw UsageError(message: "--\(name) needs a value\(accepted)")
                    }
                    values[name] = arguments[i + 1]
                    i += 1
                }
                if values[name]?.isEmpty == true { throw UsageError(message: "--\(name) needs a non-empty value\(accepted)") }
                if seen.contains(name) { throw UsageError(message: "--\(name) is given more than once; give each option once") }
                seen.insert(name)
            } else {
                guard inlineValue == nil else { throw UsageError(message: "--\(name) takes no value") }
                switches.insert(name)
            }
            i += 1
        }
    }

    /// " (did you mean --x?)" for the nearest declared option, or the list of options when none is close.
    static func suggestion(for name: String, among options: [Option]) -> String {
        let names = options.map(\.name)
        guard let nearest = names.min(by: { editDistance($0, name) < editDistance($1, name) }) else { return "" }
        if editDistance(nearest, name) <= max(2, name.count / 2) || nearest.hasPrefix(name) { return " (did you mean --\(nearest)?)" }
        return "; accepted: " + names.map { "--" + $0 }.joined(separator: ", ")
    }

    func has(_ name: String) -> Bool { switches.contains(name) || values[name] != nil }

    func string(_ name: String) -> String? { values[name] }

    /// A finite number satisfying `accept`, described by `accepted` in the error.
    func double(_ name: String, accepted: String = "a finite number", where accept: (Double) -> Bool = { _ in true }) throws -> Double? {
        guard let text = values[name] else { return nil }
        guard let v = Double(text), v.isFinite, accept(v) else {
            throw UsageError(message: "--\(name) '\(text)' is not valid; accepted: \(accepted)")
        }
        return v
    }

    func integer(_ name: String, accepted: String, where accept: (Int) -> Bool = { _ in true }) throws -> Int? {
        guard let text = values[name] else { return nil }
        guard let v = Int(text), accept(v) else {
            throw UsageError(message: "--\(name) '\(text)' is not valid; accepted: \(accepted)")
        }
        return v
    }

    /// A comma-separated list of finite numbers.
    func doubles(_ name: String, accepted: String) throws -> [Double]? {
        guard let text = values[name] else { return nil }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0?.isFinite == true }) else {
            throw UsageError(message: "--\(name) '\(text)' is not valid; accepted: \(accepted)")
        }
        return parts.compactMap { $0 }
    }

    func choice<T>(_ name: String, _ table: [(String, T)]) throws -> T? {
        guard let text = values[name] else { return nil }
        guard let match = table.first(where: { $0.0 == text }) else {
            throw UsageError(message: "--\(name) '\(text)' is not valid; accepted: \(table.map(\.0).joined(separator: ", "))")
        }
        return match.1
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(1, a.count) where !a.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in 1...max(1, b.count) where !b.isEmpty {
            let saved = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = saved
        }
    }
    return row[b.count]
}

import Foundation
