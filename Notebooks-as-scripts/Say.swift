import Experiments
import Foundation
import Toy

/// Numbers and the sentences that compare them. Every number goes through `NumberFormat`; every
/// comparison is decided by the numbers as printed (two values that print alike are "the same"), so
/// a sentence never claims a direction its own numbers do not show.
enum Say {
    /// Masses, distances: 4 decimals.
    static func f4(_ v: Double) -> String { NumberFormat.fixed(v, 4) }
    /// Positions, standard deviations: 3 decimals.
    static func f3(_ v: Double) -> String { NumberFormat.fixed(v, 3) }
    /// Ratios, parameters: 4 significant digits.
    static func g(_ v: Double) -> String { NumberFormat.significant(v, 4) }

    /// "+0.1234" / "-0.1234": a difference with its sign.
    static func signed(_ v: Double) -> String { (v > 0 ? "+" : "") + f4(v) }

    /// "raises the left mass from 0.2995 to 0.5516", "lowers ...", or "leaves ... at 0.2995".
    static func change(_ quantity: String, from a: Double, to b: Double, format: (Double) -> String = f4) -> String {
        let (x, y) = (format(a), format(b))
        if x == y { return "leaves \(quantity) at \(x)" }
        return "\(b > a ? "raises" : "lowers") \(quantity) from \(x) to \(y)"
    }

    /// Whether `b` is nearer to `target` than `a`: "closer to" / "farther from" / "as close to".
    static func nearer(_ b: Double, than a: Double, to target: Double, format: (Double) -> String = f4) -> String {
        let (da, db) = (format(abs(a - target)), format(abs(b - target)))
        if da == db { return "as close to" }
        return abs(b - target) < abs(a - target) ? "closer to" : "farther from"
    }

    /// "smaller than" / "larger than" / "equal to" as printed.
    static func order(_ a: Double, _ b: Double, format: (Double) -> String = f4) -> String {
        if format(a) == format(b) { return "equal to" }
        return a < b ? "smaller than" : "larger than"
    }

    /// The first crossing of two curves on a common grid: the grid value where `f - g` is zero, or
    /// the linear interpolation between the two grid values where it changes sign; nil if it never does.
    static func crossing(x: [Double], _ f: [Double], _ g: [Double]) -> Double? {
        let d = zip(f, g).map { $0 - $1 }
        for i in d.indices {
            if d[i] == 0 { return x[i] }
            if i + 1 < d.count, (d[i] < 0) != (d[i + 1] < 0), d[i + 1] != 0 {
                return x[i] + (x[i + 1] - x[i]) * d[i] / (d[i] - d[i + 1])
            }
        }
        return nil
    }

    /// Describes how `values` change along the grid: "falls at every step", "rises at every step", or
    /// the steps against the overall direction.
    static func trend(_ values: [Double], grid: [Double], gridFormat: (Double) -> String = g, format: (Double) -> String = f4) -> String {
        guard let first = values.first, let last = values.last, values.count > 1 else { return "has a single value" }
        let rising = last > first
        let against = values.indices.dropLast().filter { i in
            let (a, b) = (format(values[i]), format(values[i + 1]))
            return a != b && ((values[i + 1] > values[i]) != rising)
        }
        let flat = values.indices.dropLast().filter { format(values[$0]) == format(values[$0 + 1]) }
        var text = "\(rising ? "rises" : "falls") from \(format(first)) to \(format(last))"
        if against.isEmpty && flat.isEmpty {
            text += " at every step"
        } else {
            if !against.isEmpty {
                text += ", but \(rising ? "falls" : "rises") between " + against.map { "\(gridFormat(grid[$0])) and \(gridFormat(grid[$0 + 1]))" }.joined(separator: ", ")
            }
            if !flat.isEmpty {
                text += (against.isEmpty ? ", but" : " and") + " stays level between " + flat.map { "\(gridFormat(grid[$0])) and \(gridFormat(grid[$0 + 1]))" }.joined(separator: ", ")
            }
        }
        return text
    }

    /// Grid values where `holds` is true, as ranges of consecutive entries: "0.05 to 0.2, 0.45".
    static func ranges(_ grid: [Double], where holds: [Bool], format: (Double) -> String = g) -> String? {
        var parts: [String] = []
        var i = 0
        while i < grid.count {
            guard holds[i] else { i += 1; continue }
            var j = i
            while j + 1 < grid.count && holds[j + 1] { j += 1 }
            parts.append(i == j ? format(grid[i]) : "\(format(grid[i])) to \(format(grid[j]))")
            i = j + 1
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// "100,000".
    static func count(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// The sampler settings of a run, for the Method section.
    static func settings(_ spec: ExperimentSpec) -> String {
        let s = spec.samplerSettings
        return "\(count(spec.particles)) particles per method, T = \(s.steps) Karras steps (sigma from \(g(spec.sigmaMax)) to \(g(spec.sigmaMin)), rho = \(g(spec.rho))), "
            + "\(spec.solver.rawValue) steps, `\(spec.inversion.rawValue)` inversion, lambda = \(spec.reflectionSteps), gamma = \(g(spec.gamma)), "
            + "prior N(0, \(g(spec.sigmaMax))^2 I), seed \(spec.seed)"
    }
}

extension MethodResult {
    /// The summary of ideal mode `component` (every mode is listed, a mode no sample reached with mass 0).
    func mode(_ component: Int) -> ModeSummary? { statistics.modes.first { $0.component == component } }
    /// The fraction of samples nearest to ideal mode `component`.
    func mass(_ component: Int) -> Double { mode(component)?.mass ?? 0 }
    var w1: Double { statistics.wasserstein }
}

extension ExperimentRun {
    /// The result of `method`; a notebook that asks for a method it did not run fails with its name.
    func result(_ method: MethodName) throws -> MethodResult {
        guard let found = results.first(where: { $0.method == method }) else {
            throw RunError(message: "the run has no \(method.rawValue) result")
        }
        return found
    }
}

extension Say {
    /// The three models of a spec in one sentence: the ideal modes (name, mean, std) and each model's
    /// normalised weights; a weight of 0 is written "absent".
    static func models(_ spec: ExperimentSpec) -> String {
        let names = spec.modeNames
        func std(_ c: ComponentSpec) -> String {
            c.std.map(g) ?? c.covariance.map { rows in "covariance " + rows.map { "[" + $0.map(g).joined(separator: ", ") + "]" }.joined() } ?? "?"
        }
        func weights(_ m: MixtureSpec) -> String {
            let total = m.components.reduce(0) { $0 + $1.weight }
            return zip(names, m.components).map { name, c in "\(name) \(c.weight == 0 ? "absent" : g(c.weight / total))" }.joined(separator: ", ")
        }
        let modes = zip(names, spec.ideal.components).map { name, c in "\(name) at \(ExperimentSpec.label(mean: c.mean)) (std \(std(c)))" }
        return "ideal modes \(modes.joined(separator: ", ")); weights: ideal (\(weights(spec.ideal))), strong (\(weights(spec.strong))), weak (\(weights(spec.weak)))"
    }
}

extension Say {
    /// Delta1 against Delta2 at one noise level, as expectations under p*(x; sigma) (`DeltaAlignment`):
    /// the mean pointwise cosine (direction), their mean sizes and the ratio, and the field cosine; by
    /// Theorem 1 a reflection moves x by h Delta1 where the ideal correction is h Delta2.
    static func deltaSizes(_ models: ScoreModels, sigma: Double, gridPoints: Int) -> (ratio: Double, sentence: String) {
        let a = DeltaAlignment.compute(models, sigma: sigma, gridPoints: gridPoints)
        let ratio = a.meanNormDelta2 > 0 ? a.meanNormDelta1 / a.meanNormDelta2 : .infinity
        let direction = a.meanCosine > 0.9 ? "they point the same way almost everywhere" : a.meanCosine < -0.9 ? "they point opposite ways almost everywhere"
            : "their directions differ over much of the space"
        let size = ratio > 1 ? "Delta1 is \(g(ratio)) times as long as Delta2 on average" : "Delta1 is \(g(ratio)) of the length of Delta2 on average"
        // Cauchy-Schwarz: with parallel fields the field cosine is below 1 exactly when |Delta1| / |Delta2| varies with x.
        let field = a.meanCosine > 0.99 && a.fieldCosine < 0.9
            ? "; the field cosine is only \(f4(a.fieldCosine)) because, parallel as they are, the ratio |Delta1| / |Delta2| varies with x"
            : "; the field cosine is \(f4(a.fieldCosine))"
        return (ratio, "under p*(x; \(g(sigma))) the mean pointwise cosine of Delta1 and Delta2 is \(f4(a.meanCosine)): \(direction); "
                + "E|Delta1| = \(g(a.meanNormDelta1)) and E|Delta2| = \(g(a.meanNormDelta2)), so \(size), and a reflection, which moves x by h Delta1 "
                + "(Theorem 1) where the ideal correction is h Delta2, moves it \(ratio > 1 ? "farther" : "less far") than that correction\(field)")
    }
}

extension Say {
    /// Where the samples of one ideal mode landed, against that mode: the shift of their mean in ideal
    /// standard deviations (`sd`), outward or inward relative to the ideal mixture's mean `centre`, and
    /// whether their spread is narrower or wider. Below half a standard deviation the mass "lands on" the mode.
    static func landing(_ mode: ModeSummary, idealMean mu: [Double], sd: Double, centre: [Double]) -> String {
        func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() }
        let shift = distance(mode.mean, mu), inSD = shift / sd
        let outward = distance(mode.mean, centre) > distance(mu, centre)
        let place = inSD < 0.5
            ? "the mass lands on the ideal mode (its mean \(f3(shift)) away, \(g(inSD)) ideal standard deviations)"
            : "the mass lands \(f3(shift)) \(outward ? "farther out than the ideal mode (away from the mixture's centre)" : "farther in than the ideal mode (toward the mixture's centre)"), \(g(inSD)) ideal standard deviations away"
        let spreads = mode.std.map { order($0, sd, format: f3) }
        let spread = spreads.allSatisfy { $0 == "equal to" } ? "its spread equals the ideal one"
            : spreads.allSatisfy { $0 != "larger than" } ? "it is narrower than the ideal mode"
            : spreads.allSatisfy { $0 != "smaller than" } ? "it is wider than the ideal mode" : "it is narrower along some axes and wider along others"
        return "\(place); \(spread)"
    }

    /// "-4.000" in 1D, "(-4.000, 4.000)" otherwise.
    static func point(_ v: [Double]) -> String { v.count == 1 ? f3(v[0]) : "(" + v.map(f3).joined(separator: ", ") + ")" }
}
