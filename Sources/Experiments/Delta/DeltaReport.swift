import Foundation
import Toy

/// The text and JSON reports of a `DeltaStudy`.
public enum DeltaReport {
    public static let schemaName = "toy-w2sd.delta/3"

    /// One cell of a level, judged once for the table and the JSON alike: a number, "unresolved" where
    /// the integration error reaches the quantity's own size, "undefined" where it has no value (a
    /// cosine or ratio of a field that is zero), or only a bound ("< B").
    enum Cell: Equatable {
        case number(Double)
        case unresolved, undefined
        case below(Double)

        /// The table's text: `digits` significant digits, or fixed decimals.
        func text(digits: Int = 4, fixed: Bool = false) -> String {
            switch self {
            case let .number(v): return fixed ? NumberFormat.fixed(v, digits) : v == 0 ? "0" : NumberFormat.significant(v, digits)
            case .unresolved: return "unresolved"
            case .undefined: return "undefined"
            case let .below(bound): return "< " + NumberFormat.significant(bound, 2)
            }
        }

        /// The JSON's number: null unless resolved.
        var value: Double? {
            if case let .number(v) = self { return v }
            return nil
        }
    }

    /// A level's number judged against the integration error of what it is made of (`scale`).
    static func resolved(_ value: Double, scale: Double, error: Double) -> Cell {
        guard value.isFinite, scale > 0 else { return .undefined }
        return error >= scale ? .unresolved : .number(value)
    }

    /// A mean norm: exactly 0 for a field that is zero everywhere (weak = strong), else as `resolved`.
    static func norm(_ value: Double, error: Double) -> Cell {
        value == 0 ? .number(0) : resolved(value, scale: value, error: error)
    }

    /// The judged cells of one level: each checked against the integration error of what it is made of
    /// (E|D|: itself; the cosines: the smaller of E|D1|^2 and E|D2|^2; the relative error: E|D2|^2).
    static func cells(_ a: DeltaAlignment) -> (delta1: Cell, delta2: Cell, meanCosine: Cell, fieldCosine: Cell, relativeError: Cell) {
        let e = a.integrationError, both = min(a.delta1Squared, a.delta2Squared)
        return (norm(a.meanNormDelta1, error: e), norm(a.meanNormDelta2, error: e),
                resolved(a.meanCosine, scale: both, error: e), resolved(a.fieldCosine, scale: both, error: e), relativeError(a))
    }

    static func levelRow(_ a: DeltaAlignment) -> [String] {
        let c = cells(a)
        return [NumberFormat.significant(a.sigma, 4), c.delta1.text(), c.delta2.text(), c.meanCosine.text(fixed: true),
                c.fieldCosine.text(fixed: true), c.relativeError.text(), NumberFormat.significant(a.integrationError, 3)]
    }

    /// sqrt(E|D1 - D2|^2 / E|D2|^2): 0 when the gap is exactly zero, "< B" when E|D1 - D2|^2 itself is
    /// below the integration error e (then only the bound B = sqrt(e / E|D2|^2) is known), else as `resolved`.
    static func relativeError(_ a: DeltaAlignment) -> Cell {
        let e = a.integrationError
        guard a.relativeError.isFinite, a.delta2Squared > 0 else { return .undefined }
        if a.relativeError == 0 { return .number(0) }
        if a.relativeError * a.relativeError * a.delta2Squared < e { return .below((e / a.delta2Squared).squareRoot()) }
        return resolved(a.relativeError, scale: a.delta2Squared, error: e)
    }

    /// The per-sigma table, the proxy line and, with a family, its table and Spearman sentences.
    public static func text(_ study: DeltaStudy, _ result: DeltaStudy.Result) -> String { blocks(study, result).text }

    /// The text of `text` as blocks (shared with the HTML report).
    public static func blocks(_ study: DeltaStudy, _ result: DeltaStudy.Result) -> [ReportBlock] {
        let g = { (v: Double) in NumberFormat.significant(v, 4) }
        var output: [ReportBlock] = [.line("Delta1 = s_strong - s_weak, Delta2 = s_ideal - s_strong; expectations under p*(x; sigma)"),
                                     .line("(unresolved: the integration error reaches the quantity; undefined: a cosine or ratio of a zero field)")]
        if study.models.hasPlainDifferences {
            output.append(.line("(saturated or learned models: a difference involving one is a plain difference of scores, so where it is at their rounding level its direction is noise; E cos can be off by ~1e-3, the second moments are not)"))
        }
        output.append(.line(""))
        output.append(.table(TextTable(
            headers: ["sigma", "E|Delta1|", "E|Delta2|", "E cos", "field cos", "rel. error", "integration error"],
            rows: result.levels.map(levelRow)), trimmed: true))
        output += [.line("")] + reflectionTable(result)
        let p = study.proxySigmas
        output += [.line(""), .line("Proxy score s_strong + alpha Delta1 over \(p.count) sigmas (\(g(p.first ?? 0)) ... \(g(p.last ?? 0))):"),
                   .line(proxyLine(result.proxy))]
        if !result.family.isEmpty {
            output += [.line(""), .line("Weak family (\(study.spec.dimension == 1 ? "weak left weight" : "weight of the missing mode")): proxy vs W2SD outcome"),
                       .table(TextTable(headers: ["weight", "field cos", "alpha*", "E(1)/E(0)", "W2SD W1", "W2SD masses"],
                                        rows: result.family.map { [g($0.weight)] + proxyCells($0.proxy)
                                            + [NumberFormat.fixed($0.w2sdWasserstein, 4), $0.w2sdModeMasses.map { NumberFormat.fixed($0, 4) }.joined(separator: ",")] }),
                              trimmed: true)]
            output += [.line("")] + correlationSentences(result.family).split(separator: "\n", omittingEmptySubsequences: false).map { .line(String($0)) }
        }
        if !result.learnedModels.isEmpty { output += [.line("")] + result.learnedModels.map { .line($0.note) } }
        return output
    }

    /// The reflection's parts per reflecting step of the schedule, and which of the first two is larger.
    static func reflectionTable(_ result: DeltaStudy.Result) -> [ReportBlock] {
        let rows = zip(result.levels, result.reflection).compactMap { a, r -> [String]? in
            guard let r else { return nil }
            let g = { (v: Double) in NumberFormat.significant(v, 3) }
            return [NumberFormat.significant(a.sigma, 4), r.displacementResolved ? g(r.displacementExact) : "unresolved",
                    g(r.inversionBias), g(r.idealCorrection), g(r.exactFloor), r.larger.rawValue]
        }
        let head = "Reflection at step sigma_i -> sigma_{i+1}, expectations over draws of p*(x; sigma_i): E|R_exact - x| (the Delta1 part), "
            + "E|R_paper - R_exact| (the paper inversion's bias), h E|Delta2| (the ideal correction); floor: the exact inversion's own E|R - x| "
            + "when the strong model reflects itself (the control; the Delta1 part is unresolved below \(NumberFormat.significant(ReflectionDecomposition.resolutionFactor, 2)) x floor); "
            + "larger: the paired difference of the first two beyond two standard errors"
        if rows.isEmpty { return [.line(head), .line("  " + (result.reflectionNote ?? "no level of the table is a reflecting step of the run's schedule"))] }
        let n = result.reflection.compactMap { $0 }.first?.samples ?? 0
        return [.line(head + " (\(n) draws per level)"),
                .table(TextTable(headers: ["sigma", "E|R_exact - x|", "E|R_paper - R_exact|", "h E|Delta2|", "floor", "larger"], rows: rows), trimmed: true)]
    }

    /// Field cosine, alpha* and E(1)/E(0) with four significant digits; "undefined" when Delta1 is zero
    /// everywhere (weak = strong: no direction, no best step).
    static func proxyCells(_ p: ProxyAnalysis) -> [String] {
        guard p.delta1Squared > 0 else { return ["undefined", "undefined", "1"] }
        let g = { (v: Double) in NumberFormat.significant(v, 4) }
        return [g(p.fieldCosine), g(p.bestAlpha), g(p.errorRatio(alpha: 1))]
    }

    /// One sentence per proxy number: does it rank the weak models as W2SD's outcome (W1 to ideal) does?
    /// Only a two-sided permutation p below 0.05 supports an association: then |rho| >= 0.8 "predicts",
    /// below "weakly predicts"; otherwise "no association shown" at this n, whatever rho is.
    public static func correlationSentences(_ family: [DeltaStudy.Member]) -> String {
        let w1 = family.map(\.w2sdWasserstein)
        let proxies: [(String, [Double])] = [
            ("E(1)/E(0)", family.map { $0.proxy.errorRatio(alpha: 1) }),
            ("field cosine", family.map(\.proxy.fieldCosine)),
            ("alpha*", family.map(\.proxy.bestAlpha)),
        ]
        return proxies.map { name, values in
            let test = SpearmanTest(values, w1, alternative: .twoSided)
            let rho = test.rho
            let shown = !rho.isNaN && test.pValue < 0.05
            let verdict = rho.isNaN ? "cannot rank (a constant list)" : !shown ? "shows no association with" : abs(rho) >= 0.8 ? "predicts" : "weakly predicts"
            let sign = rho.isNaN ? "" : rho > 0 ? "; a larger \(name) goes with a larger W1" : "; a larger \(name) goes with a smaller W1"
            let evidence = rho.isNaN ? "" : " (n = \(test.count), two-sided permutation p = \(NumberFormat.significant(test.pValue, 2)), \(test.method.description))"
            let claim = shown || rho.isNaN ? sign : " (p >= 0.05: no association shown at n = \(test.count))"
            return "Spearman(\(name), W2SD W1) = \(NumberFormat.fixed(rho, 4))\(evidence): the \(name) \(verdict) W2SD's distance to the ideal distribution across this family\(claim)."
        }.joined(separator: "\n")
    }

    static func proxyLine(_ p: ProxyAnalysis) -> String {
        let g = { (v: Double) in NumberFormat.significant(v, 4) }
        guard p.delta1Squared > 0 else {
            return "  Delta1 is zero at every level (weak = strong): field cosine undefined, alpha* undefined, E(1)/E(0) = 1"
        }
        let interval = p.safeInterval
        return "  field cosine \(g(p.fieldCosine)), best alpha* \(g(p.bestAlpha)), E(1)/E(0) \(g(p.errorRatio(alpha: 1))), "
            + "E(alpha*)/E(0) \(g(p.errorRatio(alpha: p.bestAlpha))), safe interval of alpha (\(g(interval.lowerBound)), \(g(interval.upperBound)))"
    }

    /// A level as the table judges it: a quantity the table prints as "unresolved" or "undefined" is null,
    /// and named in `unresolved` / `undefined`; a relative error known only as a bound is null with
    /// `relativeErrorBelow` the bound.
    struct Level: Codable {
        var sigma: Double
        var meanNormDelta1, meanNormDelta2, meanCosine, fieldCosine, relativeError: Double?
        var relativeErrorBelow: Double?
        var unresolved: [String], undefined: [String]
        var integrationError: Double
        var method: String
        /// The reflection's parts (`ReflectionDecomposition`); null where the level is not a reflecting step.
        var displacementExact, inversionBias, idealCorrection, exactFloor, displacementMinusBias, displacementMinusBiasError: Double?
        var larger: String?
        var reflectionSamples: Int?

        init(_ a: DeltaAlignment, reflection r: ReflectionDecomposition?) {
            // An unresolved displacement (at the exact inversion's floor) is null, as its table cell says.
            displacementExact = r.flatMap { $0.displacementResolved ? $0.displacementExact : nil }
            (inversionBias, idealCorrection, exactFloor) = (r?.inversionBias, r?.idealCorrection, r?.exactFloor)
            (displacementMinusBias, displacementMinusBiasError) = (r?.displacementMinusBias, r?.displacementMinusBiasError)
            larger = r?.larger.rawValue
            reflectionSamples = r?.samples
            let c = DeltaReport.cells(a)
            sigma = a.sigma
            (meanNormDelta1, meanNormDelta2, meanCosine, fieldCosine, relativeError) =
                (c.delta1.value, c.delta2.value, c.meanCosine.value, c.fieldCosine.value, c.relativeError.value)
            if case let .below(bound) = c.relativeError { relativeErrorBelow = bound }
            let named: [(String, Cell)] = [("meanNormDelta1", c.delta1), ("meanNormDelta2", c.delta2), ("meanCosine", c.meanCosine),
                                           ("fieldCosine", c.fieldCosine), ("relativeError", c.relativeError)]
            unresolved = named.filter { $0.1 == .unresolved }.map(\.0)
            undefined = named.filter { $0.1 == .undefined }.map(\.0)
            integrationError = a.integrationError
            method = a.method
        }

        enum CodingKeys: String, CodingKey {
            case sigma, meanNormDelta1, meanNormDelta2, meanCosine, fieldCosine, relativeError, relativeErrorBelow, unresolved, undefined,
                 integrationError, method, displacementExact, inversionBias, idealCorrection, exactFloor, displacementMinusBias,
                 displacementMinusBiasError, larger, reflectionSamples
        }

        /// Writes an absent quantity as null (the bound only when there is one).
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(sigma, forKey: .sigma)
            try c.encode(meanNormDelta1, forKey: .meanNormDelta1)
            try c.encode(meanNormDelta2, forKey: .meanNormDelta2)
            try c.encode(meanCosine, forKey: .meanCosine)
            try c.encode(fieldCosine, forKey: .fieldCosine)
            try c.encode(relativeError, forKey: .relativeError)
            try c.encodeIfPresent(relativeErrorBelow, forKey: .relativeErrorBelow)
            try c.encode(unresolved, forKey: .unresolved)
            try c.encode(undefined, forKey: .undefined)
            try c.encode(integrationError, forKey: .integrationError)
            try c.encode(method, forKey: .method)
            try c.encode(displacementExact, forKey: .displacementExact)
            try c.encode(inversionBias, forKey: .inversionBias)
            try c.encode(idealCorrection, forKey: .idealCorrection)
            try c.encode(exactFloor, forKey: .exactFloor)
            try c.encode(displacementMinusBias, forKey: .displacementMinusBias)
            try c.encode(displacementMinusBiasError, forKey: .displacementMinusBiasError)
            try c.encode(larger, forKey: .larger)
            try c.encode(reflectionSamples, forKey: .reflectionSamples)
        }
    }
    struct Proxy: Codable { var sigmas: [Double]; var fieldCosine, bestAlpha, errorRatioAtOne, safeLower, safeUpper: Double }
    struct Member: Codable { var weight: Double; var proxy: Proxy; var w2sdWasserstein: Double; var w2sdModeMasses: [Double] }
    struct Document: Codable {
        var schema = DeltaReport.schemaName, version = ToolVersion.current, toolkit = Toolkit.current, command: String
        var experiment: ExperimentSpec
        var levels: [Level]; var proxy: Proxy; var family: [Member]
        /// Absent without learned models.
        var learnedModels: [TrainedRangeUse]?
    }

    /// The JSON document (`toy-w2sd.delta/3`: levels judged as the table judges them).
    public static func json(command: String, _ study: DeltaStudy, _ result: DeltaStudy.Result) throws -> Data {
        func encode(_ p: ProxyAnalysis) -> Proxy {
            Proxy(sigmas: p.sigmas, fieldCosine: p.fieldCosine, bestAlpha: p.bestAlpha, errorRatioAtOne: p.errorRatio(alpha: 1),
                  safeLower: p.safeInterval.lowerBound, safeUpper: p.safeInterval.upperBound)
        }
        let document = Document(
            command: command, experiment: study.spec,
            levels: zip(result.levels, result.reflection).map { Level($0, reflection: $1) },
            proxy: encode(result.proxy),
            family: result.family.map { Member(weight: $0.weight, proxy: encode($0.proxy), w2sdWasserstein: $0.w2sdWasserstein,
                                               w2sdModeMasses: $0.w2sdModeMasses) },
            learnedModels: result.learnedModels.isEmpty ? nil : result.learnedModels)
        return try ReportEncoding.encode(document)
    }
}
