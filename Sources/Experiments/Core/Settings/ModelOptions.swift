import Foundation
import Toy

/// The command-line options that reshape a preset's models (not combinable with `--config`, which
/// declares the models itself). Each is declared once; `ModelEdits` combines the given ones.
public enum ModelOptions {
    public static let missingLeft = SwitchOption("missing-left", readers: .using(.weak), help: "1D: the weak model's left (first) mode is absent (weight 0)")
    public static let missing = ValueOption("missing", readers: .methods(MethodReaders("the methods using the strong or the weak model", MethodName.using(.strong).union(MethodName.using(.weak)))), value: "MODE",
                                            help: "2D: the mode missing in weak (weight 0) and under-weighted in strong (0.1, others 0.3)",
                                            default: "bottom-left", accepted: "a mode index from 0 or a mode name (top-left, top-right, bottom-left, bottom-right)",
                                            parse: Parse.text)
    public static func weights(_ model: String, readers: SettingReaders, example: String) -> ValueOption<[Double]> {
        ValueOption("\(model)-weights", readers: readers, value: "LIST", help: "\(model) mode weights (normalised)", default: "preset",
                    accepted: "a comma list of finite weights >= 0, one per mode, not all zero (e.g. \(example))", parse: Parse.numbers)
    }
    public static let idealWeights = weights("ideal", readers: .everyMethod, example: "0.5,0.5")
    public static let strongWeights = weights("strong", readers: .using(.strong), example: "0.3,0.7")
    public static let weakWeights = weights("weak", readers: .using(.weak), example: "0.1,0.9")
    public static let means = ValueOption("means", readers: .everyMethod, value: "LIST",
                                          help: "mode means, d numbers per mode; a new mode count needs all three weight lists",
                                          default: "-4,4 (1D); -4,4,4,4,-4,-4,4,-4 (2D)",
                                          accepted: "a comma list of finite numbers, d per mode", parse: Parse.numbers)
    public static let std = ValueOption("std", readers: .everyMethod, value: "S", help: "standard deviation of every mode", default: "0.8",
                                        accepted: "a finite number > 0", parse: Parse.number(where: { $0 > 0 }))

    /// The model options of the `1d` (dimension 1) or `2d` commands.
    public static func all(dimension: Int) -> [any CommandOption] {
        [dimension == 1 ? missingLeft : missing, idealWeights, strongWeights, weakWeights, means, std]
    }

    /// The preset of `dimension`, reshaped by the given model options. Conflicting options are errors:
    /// `--missing-left` or `--missing` with explicit weights of the model they set.
    public static func apply(_ args: ParsedArguments, dimension d: Int) throws -> ExperimentSpec {
        let preset = ExperimentSpec.preset(dimension: d)
        var means = ExperimentSpec.presetMeans(dimension: d)
        var names = ExperimentSpec.presetModeNames(dimension: d)
        let example = d == 1 ? "-4,4" : "-4,4,4,4"
        if let flat = try args.value(Self.means) {
            guard flat.count % d == 0 else {
                throw UsageError(message: "--means has \(flat.count) numbers; accepted: \(d) numbers per mode (a multiple of \(d)), e.g. \(example)")
            }
            means = stride(from: 0, to: flat.count, by: d).map { Array(flat[$0..<($0 + d)]) }
            names = means.map(ExperimentSpec.label(mean:))
        }
        let k = means.count
        let std = try args.value(Self.std) ?? ExperimentSpec.presetStd
        let presetWeights = ExperimentSpec.presetWeights(dimension: d)

        func weights(_ option: ValueOption<[Double]>, _ fallback: [Double]) throws -> [Double] {
            guard let w = try args.value(option) else {
                guard fallback.count == k else {
                    throw UsageError(message: "--means gives \(k) modes but the preset has \(fallback.count); give --\(option.name) with \(k) weights")
                }
                return fallback
            }
            guard w.count == k else {
                throw UsageError(message: "--\(option.name) has \(w.count) values; accepted: \(k) weights, one per mode (\(names.joined(separator: ", ")))")
            }
            if let bad = w.firstIndex(where: { $0 < 0 }) {
                throw UsageError(message: "--\(option.name) value \(bad + 1) is \(w[bad]); accepted: weights >= 0")
            }
            guard w.contains(where: { $0 > 0 }) else {
                throw UsageError(message: "--\(option.name) are all zero; accepted: weights >= 0 with at least one > 0")
            }
            return w
        }

        // The missing mode, and whether the 2D preset pattern (strong 0.1 / weak 0 there) moves with it.
        var missingMode: Int?
        if args.has(missingLeft) { missingMode = 0 }
        if let text = args.text(Self.missing) {
            if let index = Int(text) {
                guard (0..<k).contains(index) else {
                    throw UsageError(message: "--missing \(index) is not a mode; accepted: an index from 0 to \(k - 1) or \(names.joined(separator: ", "))")
                }
                missingMode = index
            } else if let index = names.firstIndex(of: text) {
                missingMode = index
            } else {
                throw UsageError(message: "--missing '\(text)' is not a mode; accepted: an index from 0 to \(k - 1) or \(names.joined(separator: ", "))")
            }
        }
        let movesPattern = missingMode != nil && args.has(Self.missing) && k == 4 && !args.has(Self.means)
        let setter = args.has(missingLeft) ? "--missing-left" : "--missing"
        if missingMode != nil, args.has(weakWeights) {
            throw UsageError(message: "\(setter) sets the weak weights, and --weak-weights gives them too; accepted: one of them (a 0 in --weak-weights marks a missing mode)")
        }
        if movesPattern, args.has(strongWeights) {
            throw UsageError(message: "--missing sets the strong weights of the 2D preset (0.1 on the missing mode, 0.3 elsewhere), and --strong-weights gives them too; accepted: one of them")
        }
        var strongDefault = presetWeights[1], weakDefault = presetWeights[2]
        if let m = missingMode, movesPattern {
            strongDefault = (0..<k).map { $0 == m ? 0.1 : 0.3 }
            weakDefault = (0..<k).map { $0 == m ? 0 : 1.0 / 3 }
        }
        let ideal = try weights(idealWeights, presetWeights[0])
        let strong = try weights(strongWeights, strongDefault)
        var weak = try weights(weakWeights, weakDefault)
        if let m = missingMode {
            weak[m] = 0
            guard weak.contains(where: { $0 > 0 }) else {
                throw UsageError(message: "\(setter) removes the only weak mode with positive weight; accepted: a weak model keeping at least one mode")
            }
        }
        var spec = ExperimentSpec.isotropic(means: means, std: std, names: names, ideal: ideal, strong: strong, weak: weak)
        spec.methods = preset.methods
        return spec
    }
}
