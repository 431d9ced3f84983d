/// The raw options of one command line, checked against the declared options: an unknown option is an
/// error that suggests the nearest declared name (by edit distance); a missing value, an empty value and
/// an option given twice are errors. Values are turned into typed values by their declarations
/// (`value(_:)`), which name the option and what it accepts when a value is malformed.
public struct ParsedArguments {
    private var values: [String: String] = [:]
    private var switches: Set<String> = []
    public private(set) var positionals: [String] = []
    /// The names given, in command-line order.
    public private(set) var given: [String] = []

    public init(_ arguments: [String], options: [any CommandOption], allowPositionals: Int = 0) throws {
        let byName = Dictionary(options.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
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
            if given.contains(name) { throw UsageError(message: "--\(name) is given more than once; give each option once") }
            given.append(name)
            if option.valueName != nil {
                let accepted = "; accepted: \(option.accepted)"
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
            } else {
                guard inlineValue == nil else { throw UsageError(message: "--\(name) takes no value") }
                switches.insert(name)
            }
            i += 1
        }
    }

    /// " (did you mean --x?)" for the nearest declared option, or the list of options when none is close.
    static func suggestion(for name: String, among options: [any CommandOption]) -> String {
        let names = options.map(\.name)
        if names.contains(name) { return " (did you mean --\(name)?)" }  // typed with one dash
        guard let nearest = nearestName(to: name, among: names) else { return "" }
        if nearest.hasPrefix(name) || editDistance(nearest, name) <= max(2, name.count / 2) { return " (did you mean --\(nearest)?)" }
        return "; accepted: " + names.map { "--" + $0 }.joined(separator: ", ")
    }

    public func has(_ option: any CommandOption) -> Bool { has(option.name) }
    public func has(_ name: String) -> Bool { switches.contains(name) || values[name] != nil }

    /// The raw text of an option's value.
    public func text(_ option: any CommandOption) -> String? { values[option.name] }

    /// The typed value of an option, or nil when it was not given.
    public func value<Value>(_ option: ValueOption<Value>) throws -> Value? {
        guard let text = values[option.name] else { return nil }
        do {
            return try option.parse(text)
        } catch let error as InvalidValue {
            throw UsageError(message: option.rejection(text, source: "--\(option.name)", error))
        }
    }
}

/// The name in `names` closest to what was typed: the shortest one that starts with it (an
/// abbreviation), else the nearest by edit distance (first on ties); never `name` itself, which was
/// rejected.
public func nearestName(to name: String, among names: [String]) -> String? {
    let names = names.filter { $0 != name }
    if !name.isEmpty, let completion = names.filter({ $0.hasPrefix(name) }).min(by: { $0.count < $1.count }) { return completion }
    return names.min { editDistance($0, name) < editDistance($1, name) }
}

/// Levenshtein distance, for "did you mean" suggestions.
public func editDistance(_ a: String, _ b: String) -> Int {
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
