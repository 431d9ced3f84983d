import Foundation
import Toy

/// The text and JSON reports of a `DeltaStudy`.
public enum DeltaReport {
    public static let schemaName = "toy-w2sd.delta/2"

    /// A level's number, or "unresolved" where the integration error reaches the quantity's own size,
    /// or "undefined" where the quantity has no value (a cosine or ratio of a field that is zero).
    static func resolved(_ value: Double, scale: Double, error: Double, digits: Int = 4, fixed: Bool = false) -> String {
        guard value.isFinite, scale > 0 else { return "undefined" }
        if error >= scale { return "unresolved" }
        return fixed ? NumberFormat.fixed(value, digits) : NumberFormat.significant(value, digits)
    }

    /// A mean norm: exactly 0 for a field that is zero everywhere (weak = strong), else as `resolved`.
    static func norm(_ value: Double, error: Double) -> String {
        value == 0 ? "0" : resolved(value, scale: value, error: error)
    }

    /// The cells of one level: each column checked against the integration error of what it is made of
    /// (E|D|: itself; the cosines: the smaller of E|D1|^2 and E|D2|^2; the relative error: E|D2|^2).
    static func levelRow(_ a: DeltaAlignment) -> [String] {
        let e = a.integrationError, both = min(a.delta1Squared, a.delta2Squared)
        return [NumberFormat.significant(a.sigma, 4),
                norm(a.meanNormDelta1, error: e), norm(a.meanNormDelta2, error: e),
                resolved(a.meanCosine, scale: both, error: e, fixed: true),
                resolved(a.fieldCosine, scale: both, error: e, fixed: true),
                relativeError(a),
                NumberFormat.significant(a.integrationError, 3)]
    }

    /// sqrt(E|D1 - D2|^2 / E|D2|^2): "0" when the gap is exactly zero, "< B" when E|D1 - D2|^2 itself is
    /// below the integration error e (then only the bound B = sqrt(e / E|D2|^2) is known), else as `resolved`.
    static func relativeError(_ a: DeltaAlignment) -> String {
        let e = a.integrationError
        guard a.relativeError.isFinite, a.delta2Squared > 0 else { return "undefined" }
        if a.relativeError == 0 { return "0" }
        if a.relativeError * a.relativeError * a.delta2Squared < e {
            return "< " + NumberFormat.significant((e / a.delta2Squared).squareRoot(), 2)
        }
        return resolved(a.relativeError, scale: a.delta2Squared, error: e)
    }

    /// The per-sigma table, the proxy line and, with a family, its table and Spearman sentences.
    public static func text(_ study: DeltaStudy, _ result: DeltaStudy.Result) -> String {
        let g = { (v: Double) in NumberFormat.significant(v, 4) }
        var output = ["Delta1 = s_strong - s_weak, Delta2 = s_ideal - s_strong; expectations under p*(x; sigma)",
                      "(unresolved: the integration error reaches the quantity; undefined: a cosine or ratio of a zero field)"]
        if study.models.hasPlainDifferences {
            output.append("(saturated or learned models: a difference involving one is a plain difference of scores, so where it is at their rounding level its direction is noise; E cos can be off by ~1e-3, the second moments are not)")
        }
        output.append("")
        output.append(TextTable(
            headers: ["sigma", "E|Delta1|", "E|Delta2|", "E cos", "field cos", "rel. error", "integration error"],
            rows: result.levels.map(levelRow)).text(trimmingTrailingSpace: true))
        let p = study.proxySigmas
        output += ["", "Proxy score s_strong + alpha Delta1 over \(p.count) sigmas (\(g(p.first ?? 0)) ... \(g(p.last ?? 0))):",
                   proxyLine(result.proxy)]
        if !result.family.isEmpty {
            output += ["", "Weak family (\(study.spec.dimension == 1 ? "weak left weight" : "weight of the missing mode")): proxy vs W2SD outcome",
                       TextTable(headers: ["weight", "field cos", "alpha*", "E(1)/E(0)", "W2SD W1", "W2SD masses"],
                                 rows: result.family.map { [g($0.weight)] + proxyCells($0.proxy)
                                     + [NumberFormat.fixed($0.w2sdWasserstein, 4), $0.w2sdModeMasses.map { NumberFormat.fixed($0, 4) }.joined(separator: ",")] })
                           .text(trimmingTrailingSpace: true)]
            output += ["", correlationSentences(result.family)]
        }
        return output.joined(separator: "\n")
    }

    /// Field cosine, alpha* and E(1)/E(0) with four significant digits; "undefined" when Delta1 is zero
    /// everywhere (weak = strong: no direction, no best step).
    static func proxyCells(_ p: ProxyAnalysis) -> [String] {
        guard p.delta1Squared > 0 else { return ["undefined", "undefined", "1"] }
        let g = { (v: Double) in NumberFormat.significant(v, 4) }
        return [g(p.fieldCosine), g(p.bestAlpha), g(p.errorRatio(alpha: 1))]
    }

    /// One sentence per proxy number: does it rank the weak models as W2SD's outcome (W1 to ideal) does?
    /// |rho| >= 0.8 "predicts", >= 0.5 "weakly predicts", below "does not predict".
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
            let verdict = rho.isNaN ? "cannot rank (a constant list)" : abs(rho) >= 0.8 ? "predicts" : abs(rho) >= 0.5 ? "weakly predicts" : "does not predict"
            let sign = rho.isNaN ? "" : rho > 0 ? "; a larger \(name) goes with a larger W1" : "; a larger \(name) goes with a smaller W1"
            let evidence = rho.isNaN ? "" : " (n = \(test.count), two-sided permutation p = \(NumberFormat.significant(test.pValue, 2)), \(test.method.description))"
            return "Spearman(\(name), W2SD W1) = \(NumberFormat.fixed(rho, 4))\(evidence): the \(name) \(verdict) W2SD's distance to the ideal distribution across this family\(sign)."
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

    struct Level: Codable { var sigma, meanNormDelta1, meanNormDelta2, meanCosine, fieldCosine, relativeError, integrationError: Double; var method: String }
    struct Proxy: Codable { var sigmas: [Double]; var fieldCosine, bestAlpha, errorRatioAtOne, safeLower, safeUpper: Double }
    struct Member: Codable { var weight: Double; var proxy: Proxy; var w2sdWasserstein: Double; var w2sdModeMasses: [Double] }
    struct Document: Codable {
        var schema = DeltaReport.schemaName, version = ToolVersion.current, command: String
        var experiment: ExperimentSpec
        var levels: [Level]; var proxy: Proxy; var family: [Member]
    }

    /// The JSON document (`toy-w2sd.delta/2`).
    public static func json(command: String, _ study: DeltaStudy, _ result: DeltaStudy.Result) throws -> Data {
        func encode(_ p: ProxyAnalysis) -> Proxy {
            Proxy(sigmas: p.sigmas, fieldCosine: p.fieldCosine, bestAlpha: p.bestAlpha, errorRatioAtOne: p.errorRatio(alpha: 1),
                  safeLower: p.safeInterval.lowerBound, safeUpper: p.safeInterval.upperBound)
        }
        let document = Document(
            command: command, experiment: study.spec,
            levels: result.levels.map { Level(sigma: $0.sigma, meanNormDelta1: $0.meanNormDelta1, meanNormDelta2: $0.meanNormDelta2,
                                              meanCosine: $0.meanCosine, fieldCosine: $0.fieldCosine, relativeError: $0.relativeError,
                                              integrationError: $0.integrationError, method: $0.method) },
            proxy: encode(result.proxy),
            family: result.family.map { Member(weight: $0.weight, proxy: encode($0.proxy), w2sdWasserstein: $0.w2sdWasserstein,
                                               w2sdModeMasses: $0.w2sdModeMasses) })
        return try ReportEncoding.encode(document)
    }
}
