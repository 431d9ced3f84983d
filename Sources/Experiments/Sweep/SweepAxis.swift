import Foundation

/// One axis of a sweep, `NAME=VALUES`: the setting it varies and the values, as text, each applied
/// through the setting's own declaration (`ExperimentSetting.apply`), so an axis accepts exactly what
/// the option accepts.
///
/// NAME is a setting's option name (`gamma`, `lambda`, `solver`, `reflect-sigma`, ...; not `methods`,
/// `seed` or `repeats`, which shape the study itself) or a derived axis:
/// - `reflect-sigma-lo` / `reflect-sigma-hi`: one end of the reflection window; the other end is the
///   base window's (`--reflect-sigma`), else 0 (lower end) or sigma-max (upper end);
/// - `weak-weight-K` / `strong-weight-K` (K a mode index or name): mode K's weight w in [0, 1], the
///   other modes sharing 1 - w in their present proportions (equally when they all weigh 0);
/// - `strong-cfg` / `weak-cfg`: the model's classifier-free guidance weight (an experiment with a class);
/// - `strong-kappa` / `weak-kappa`: the model's saturation cap kappa (its length as set, else 0.8).
///
/// VALUES is a comma list, or `A:B:N` for N >= 2 evenly spaced values A + (B - A) i / (N - 1), written
/// with 12 significant digits (a trailing `T` on both ends keeps lambda a fraction of T: `0.2T:1T:9`).
public struct SweepAxis: Sendable, Equatable, Codable {
    public var name: String
    public var values: [String]

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }

    /// What an axis sets.
    public enum Target: Sendable, Equatable {
        case setting(String)
        case reflectSigmaLow, reflectSigmaHigh
        case weight(ModelRole, mode: Int)
        case cfg(ModelRole)
        case saturationKappa(ModelRole)
    }

    public enum ModelRole: String, Sendable { case weak, strong }

    /// Who reads what this axis sets: the setting's declared readers, the reflecting methods for a
    /// window end, the methods using the model whose weight, guidance or saturation it sets.
    public func readers(modeNames: [String]) -> SettingReaders? {
        switch target(modeNames: modeNames) {
        case nil: return nil
        case let .setting(option)?: return ExperimentSpec.allSettings.first { $0.option.name == option }?.option.readers
        case .reflectSigmaLow?, .reflectSigmaHigh?: return .reflecting
        case let .cfg(role)?: return (role == .weak ? FieldOptions.weakGuidance : FieldOptions.strongGuidance).readers
        case let .weight(role, _)?, let .saturationKappa(role)?: return .using(role == .weak ? .weak : .strong)
        }
    }

    /// Settings that cannot be axes: they define the study (methods per cell, the paired seeds, repeats).
    static let excludedSettings: Set<String> = ["methods", "seed", "repeats"]

    /// Every axis name accepted for an experiment with these mode names.
    public static func names(modeNames: [String]) -> [String] {
        ExperimentSpec.allSettings.map(\.option.name).filter { !excludedSettings.contains($0) }
            + ["reflect-sigma-lo", "reflect-sigma-hi"]
            + ["weak", "strong"].flatMap { role in modeNames.map { "\(role)-weight-\($0)" } }
            + ["strong-cfg", "weak-cfg", "strong-kappa", "weak-kappa"]
    }

    /// The target of an axis name, or nil when it names none.
    public static func target(of name: String, modeNames: [String]) -> Target? {
        if name == "reflect-sigma-lo" { return .reflectSigmaLow }
        if name == "reflect-sigma-hi" { return .reflectSigmaHigh }
        for role in [ModelRole.weak, .strong] {
            if name == "\(role.rawValue)-cfg" { return .cfg(role) }
            if name == "\(role.rawValue)-kappa" { return .saturationKappa(role) }
        }
        for role in [ModelRole.weak, .strong] where name.hasPrefix("\(role.rawValue)-weight-") {
            let mode = String(name.dropFirst("\(role.rawValue)-weight-".count))
            if let k = Int(mode), modeNames.indices.contains(k) { return .weight(role, mode: k) }
            if let k = modeNames.firstIndex(of: mode) { return .weight(role, mode: k) }
            return nil
        }
        guard !excludedSettings.contains(name), ExperimentSpec.allSettings.contains(where: { $0.option.name == name }) else { return nil }
        return .setting(name)
    }

    /// Parses `NAME=VALUES` and checks every value on a copy of `base` (errors are `UsageError`s naming
    /// the axis, the value and what is accepted).
    public static func parse(_ text: String, base: ExperimentSpec) throws -> SweepAxis {
        guard let equals = text.firstIndex(of: "=") else {
            throw UsageError(message: "--sweep '\(text)' has no '='; accepted: NAME=VALUES, e.g. gamma=0,0.5,1 or gamma=0:2:5")
        }
        let name = text[..<equals].trimmingCharacters(in: .whitespaces)
        let list = String(text[text.index(after: equals)...])
        let modeNames = base.modeNames
        guard target(of: name, modeNames: modeNames) != nil else {
            let names = Self.names(modeNames: modeNames)
            let why = excludedSettings.contains(name) ? " (\(name) shapes the study itself: every cell uses the same seeds, repeats and methods)" : ""
            throw UsageError(message: "--sweep: unknown axis '\(name)'\(why)\(why.isEmpty ? " (did you mean \(nearestName(to: name, among: names) ?? "gamma")?)" : ""); accepted: \(names.joined(separator: ", "))")
        }
        let axis = SweepAxis(name: name, values: try values(list, axis: name))
        for index in axis.values.indices {
            var copy = base
            try axis.apply(index, to: &copy)
        }
        return axis
    }

    /// The value texts of a comma list or an `A:B:N` range.
    static func values(_ list: String, axis: String) throws -> [String] {
        guard !list.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UsageError(message: "--sweep \(axis)= has no values; accepted: a comma list, or A:B:N with N >= 2")
        }
        let parts = list.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if !list.contains(","), parts.count == 3, let n = Int(parts[2]) {
            let fraction = parts[0].hasSuffix("T") && parts[1].hasSuffix("T")
            let ends = fraction ? parts[0...1].map { String($0.dropLast()) } : Array(parts[0...1])
            guard let a = Double(ends[0]), let b = Double(ends[1]), a.isFinite, b.isFinite else {
                throw UsageError(message: "--sweep \(axis)=\(list): the range ends are not numbers; accepted: A:B:N with finite numbers A, B (both with a T suffix for fractions of T) and N >= 2")
            }
            guard (2...10_000).contains(n) else {
                throw UsageError(message: "--sweep \(axis)=\(list): N = \(n); accepted: A:B:N with 2 <= N <= 10000")
            }
            return (0..<n).map { i in
                let v = i == n - 1 ? b : a + (b - a) * Double(i) / Double(n - 1)
                return shortText(v) + (fraction ? "T" : "")
            }
        }
        let items = list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var seen: [String] = []
        for item in items {
            guard !item.isEmpty else { throw UsageError(message: "--sweep \(axis)=\(list) has an empty value; accepted: a comma list of values") }
            guard !seen.contains(item) else { throw UsageError(message: "--sweep \(axis)=\(list) lists '\(item)' twice; accepted: distinct values") }
            seen.append(item)
        }
        return items
    }

    /// A number with 12 significant digits and no trailing zeros ("0.3", "10", "1e-05").
    static func shortText(_ v: Double) -> String {
        let text = String(format: "%.12g", v)
        return text == "-0" ? "0" : text
    }

    /// The target of this axis in an experiment with these mode names.
    public func target(modeNames: [String]) -> Target? { Self.target(of: name, modeNames: modeNames) }

    /// Sets value `index` of this axis in `spec` through the setting's declaration; throws a
    /// `UsageError` naming the axis, the value and what is accepted.
    public func apply(_ index: Int, to spec: inout ExperimentSpec) throws {
        let text = values[index]
        func reject(_ accepted: String, _ detail: String? = nil) -> UsageError {
            UsageError(message: "--sweep \(name): value '\(text)' is not valid\(detail.map { " (\($0))" } ?? ""); accepted: \(accepted)")
        }
        switch target(modeNames: spec.modeNames) {
        case nil:
            throw UsageError(message: "--sweep: unknown axis '\(name)'")
        case let .setting(option)?:
            guard let setting = ExperimentSpec.allSettings.first(where: { $0.option.name == option }) else {
                throw UsageError(message: "--sweep: unknown axis '\(name)'")
            }
            do { try setting.apply(&spec, text) } catch let error as InvalidValue { throw reject(setting.option.accepted, error.detail) }
        case .reflectSigmaLow?, .reflectSigmaHigh?:
            guard let v = Double(text), v.isFinite, v >= 0 else { throw reject("a finite number >= 0") }
            let low = name == "reflect-sigma-lo"
            let window = spec.reflectSigma
            let lo = low ? v : window?.lowerBound ?? 0
            let hi = low ? window?.upperBound ?? spec.sigmaMax : v
            guard lo <= hi else {
                throw reject("a window end with LO <= HI", "the window would be \(Self.shortText(lo)):\(Self.shortText(hi))")
            }
            spec.reflectSigma = lo...hi
        case let .weight(role, mode)?:
            guard let w = Double(text), w.isFinite, (0...1).contains(w) else { throw reject("a weight from 0 to 1") }
            var mixture = role == .weak ? spec.weak : spec.strong
            // Mode K is ideal component modeComponents[K] (all components, or those of the experiment's class).
            let component = spec.modeComponents[mode]
            guard mixture.model == nil, component < mixture.components.count else {
                throw reject("a \(role.rawValue) model declared by components, one per ideal component (it has \(mixture.model == nil ? "\(mixture.components.count)" : "none: a learned model"))")
            }
            mixture.setWeight(w, ofComponent: component)
            if role == .weak { spec.weak = mixture } else { spec.strong = mixture }
        case let .cfg(role)?:
            guard let w = Double(text), w.isFinite, w >= 0 else { throw reject("a finite guidance weight >= 0") }
            guard spec.condition != nil, (role == .weak ? spec.weak : spec.strong).model == nil else {
                throw reject("an experiment with a class (--class C or a guidance --case) and a \(role.rawValue) mixture model")
            }
            if role == .weak { spec.weak.cfg = w } else { spec.strong.cfg = w }
        case let .saturationKappa(role)?:
            guard let kappa = Double(text), kappa.isFinite, kappa > 0 else { throw reject("a finite number > 0") }
            let length = (role == .weak ? spec.weak : spec.strong).saturation?.length ?? FieldOptions.defaultSaturation.length
            let saturation = SaturationSpec(kappa: kappa, length: length)
            if role == .weak { spec.weak.saturation = saturation } else { spec.strong.saturation = saturation }
        }
    }

    /// The values as plot coordinates: numbers (fractions of T without the T), nil when any value is not a number.
    public var coordinates: [Double]? {
        let numbers = values.map { Double($0.hasSuffix("T") ? String($0.dropLast()) : $0) }
        guard numbers.allSatisfy({ $0?.isFinite == true }) else { return nil }
        return numbers.compactMap { $0 }
    }

    /// The axis label of a figure: "lambda (fraction of T)" for fractions.
    public var label: String {
        values.allSatisfy({ $0.hasSuffix("T") }) ? "\(name) (fraction of T)" : name
    }
}

extension MixtureSpec {
    /// Gives component `k` the weight w (of a total 1) and the others 1 - w shared in their present
    /// proportions, or equally when they all weigh 0 (as `DeltaStudy`'s weak family does).
    public mutating func setWeight(_ w: Double, ofComponent k: Int) {
        for (j, weight) in Self.reweighted(components.map(\.weight), component: k, to: w).enumerated() { components[j].weight = weight }
    }

    /// The rule of `setWeight` on plain weights: component k gets w, the others share 1 - w in their
    /// present proportions (equally when they all weigh 0).
    public static func reweighted(_ weights: [Double], component k: Int, to w: Double) -> [Double] {
        let others = weights.indices.filter { $0 != k }
        let rest = others.reduce(0) { $0 + weights[$1] }
        var result = weights
        for j in others { result[j] = rest > 0 ? (1 - w) * weights[j] / rest : (1 - w) / Double(others.count) }
        result[k] = w
        return result
    }
}
