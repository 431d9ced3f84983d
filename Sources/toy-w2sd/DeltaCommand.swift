import Foundation
import Plot
import Toy

/// `toy-w2sd delta [1d|2d]`: how well Delta1 = s_strong - s_weak stands in for Delta2 = s_ideal - s_strong,
/// per noise level and aggregated (the proxy-score analysis), optionally across a family of weak models.
struct DeltaCommand {
    let arguments: [String]

    static let help = """
    toy-w2sd delta: measure Delta1 ~ Delta2 as expectations under the ideal model p*(x; sigma).

    Examples:
      toy-w2sd delta 1d --missing-left               per-sigma table and proxy analysis, 1D preset
      toy-w2sd delta 2d --sigmas 0.1,0.5,2           chosen noise levels, 2D preset
      toy-w2sd delta 1d --weak-family 0:0.3:7        weak left weight 0 ... 0.3: proxy vs W2SD outcome
      toy-w2sd delta 1d --json -                     the numbers as JSON

    Options (besides the model, sampler and --config options of '1d' / '2d'):
      --sigmas LIST          noise levels of the table, each in (0, 1e6] (default: the run's sigma grid)
      --proxy-sigmas LIST    levels of the proxy inner product (default: 20 geometric from 0.01 to 10)
      --weak-family A:B:N    the weight of the weak model's missing mode (1D: the left mode unless another
                             weak weight is 0; 2D: the --missing mode, default bottom-left) from A to B in
                             N values, the other modes sharing the rest; each runs W2SD with --samples
      --json PATH            write the numbers as JSON (- for stdout)
      --plot PATH.svg        cosine per noise level, sizes, E(alpha)/E(0) with the safe interval, family
      --ppm PATH.ppm         the same figure as a raster
    Integration: 1D adaptive Simpson (1e-9 relative to the largest integrated quantity); 2D trapezoid grid
    (error = coarse/fine difference);
    d > 2 Monte Carlo (standard error). The error column states it.
    """

    func run() throws {
        var rest = arguments
        var dimension = 1
        if let first = rest.first, first == "1d" || first == "2d" { dimension = first == "1d" ? 1 : 2; rest.removeFirst() }
        let extra: [ParsedArguments.Option] = [
            .init(name: "sigmas", takesValue: true, accepted: "a comma list of noise levels > 0"),
            .init(name: "proxy-sigmas", takesValue: true, accepted: "a comma list of noise levels > 0"),
            .init(name: "weak-family", takesValue: true, accepted: "A:B:N with 0 <= A, B <= 1 and N >= 2"),
        ]
        let args = try ParsedArguments(rest, options: ExperimentSpec.options + extra)
        if args.has("help") { print(Self.help); return }
        if let unused = ["methods", "trajectories", "guidance", "inversion-error", "timings"].first(where: args.has) {
            throw UsageError(message: "--\(unused) does not apply to 'delta' (it runs W2SD only, for --weak-family); see 'toy-w2sd delta --help'")
        }
        let spec = try ExperimentSpec.parse(command: "delta", dimension: dimension, args)
        let sigmas = try args.doubles("sigmas", accepted: "a comma list of noise levels > 0").map(Self.positive("sigmas"))
            ?? Array(spec.settings.sigmas.dropLast())
        let proxySigmas = try args.doubles("proxy-sigmas", accepted: "a comma list of noise levels > 0").map(Self.positive("proxy-sigmas"))
            ?? ProxyAnalysis.defaultSigmas
        let family = try args.string("weak-family").map(Self.parseFamily)
        if let path = spec.jsonPath, path != "-" { try VerifyCommand.checkWritable(path) }

        let progress = ProgressReporter()
        let levels = integrate(spec.models, sigmas: sigmas, spec.threads, progress, label: "noise levels")
        let proxy = ProxyAnalysis(levels: integrate(spec.models, sigmas: proxySigmas, spec.threads, progress, label: "proxy levels"))
        var output = ["Delta1 = s_strong - s_weak, Delta2 = s_ideal - s_strong; expectations under p*(x; sigma)", ""]
        output.append(VerifyCommand.table(
            ["sigma", "E|Delta1|", "E|Delta2|", "E cos", "field cos", "rel. error", "integration error"],
            levels.map { [Self.g($0.sigma), Self.g($0.meanNormDelta1), Self.g($0.meanNormDelta2), Self.f($0.meanCosine),
                          Self.f($0.fieldCosine), Self.g($0.relativeError), Self.g($0.integrationError)] }))
        output += ["", "Proxy score s_strong + alpha Delta1 over \(proxySigmas.count) sigmas (\(Self.g(proxySigmas.first ?? 0)) ... \(Self.g(proxySigmas.last ?? 0))):",
                   Self.proxyLine(proxy)]
        var familyRows: [FamilyRow] = []
        if let family {
            familyRows = try runFamily(spec, family, proxySigmas: proxySigmas, progress)
            output += ["", "Weak family (\(dimension == 1 ? "weak left weight" : "weight of the missing mode")): proxy vs W2SD outcome",
                       VerifyCommand.table(["weight", "field cos", "alpha*", "E(1)/E(0)", "W2SD W1", "W2SD masses"],
                                           familyRows.map { [Self.f($0.weight), Self.f($0.proxy.fieldCosine), Self.f($0.proxy.bestAlpha),
                                                             Self.f($0.proxy.errorRatio(alpha: 1)), Self.f($0.w1),
                                                             $0.masses.map(Self.f).joined(separator: ",")] })]
            output += ["", Self.correlationSentences(familyRows)]
        }
        progress.finish()
        if spec.jsonPath != "-" { print(output.joined(separator: "\n")) }
        if spec.wantsFigure {
            let title = "Δ₁ = s_strong − s_weak against Δ₂ = s_ideal − s_strong (\(spec.dimension)D"
                + (spec.configPath.map { ", " + $0 } ?? "") + ")"
            let figure = DeltaFigure(title: title, levels: levels, proxy: proxy, family: familyRows).figure()
            if let path = spec.plotPath { try figure.writeSVG(to: path) }
            if let path = spec.ppmPath { try figure.writePPM(to: path) }
        }
        if let path = spec.jsonPath {
            let data = try Self.json(levels: levels, proxy: proxy, family: familyRows)
            if path == "-" { print(String(decoding: data, as: UTF8.self)) } else { try writeAtomically(Array(data) + [10], to: path) }
        }
    }

    struct FamilyRow {
        var weight: Double
        var proxy: ProxyAnalysis
        var w1: Double
        var masses: [Double]
    }

    /// The alignment rows of `sigmas`, with progress.
    func integrate(_ models: ModelTriple, sigmas: [Double], _ threads: Int, _ progress: ProgressReporter, label: String) -> [DeltaAlignment] {
        progress.begin(label, whenDone: "integrated")
        return DeltaAlignment.compute(models, sigmas: sigmas, threads: threads) { progress.update($0, sigmas.count) }
    }

    func runFamily(_ spec: ExperimentSpec, _ family: (Double, Double, Int), proxySigmas: [Double],
                   _ progress: ProgressReporter) throws -> [FamilyRow] {
        let (a, b, n) = family
        let weak = spec.models.weak
        guard weak.components.count >= 2 else {
            throw UsageError(message: "--weak-family needs a weak model of at least two modes (it has \(weak.components.count))")
        }
        // The varied mode: the weak model's missing one (--missing-left, --missing, the 2D preset's
        // bottom-left), else in 1D the first (left) mode.
        guard let target = weak.components.firstIndex(where: { $0.weight == 0 }) ?? (spec.dimension == 1 ? 0 : nil) else {
            throw UsageError(message: "--weak-family varies the weak model's missing mode, and it has none; accepted: give --missing MODE (or a weak weight of 0) to choose it")
        }
        return try (0..<n).map { i in
            let w = a + (b - a) * Double(i) / Double(n - 1)
            // The chosen component gets weight w; the others share 1 - w in their present proportions
            // (equally when they are all zero).
            let others = weak.components.indices.filter { $0 != target }
            let rest = others.reduce(0) { $0 + weak.components[$1].weight }
            var weights = weak.components.map(\.weight)
            for k in others { weights[k] = rest > 0 ? (1 - w) * weak.components[k].weight / rest : (1 - w) / Double(others.count) }
            weights[target] = w
            var models = spec.models
            do {
                models.weak = try weak.withWeights(weights)
            } catch {
                throw UsageError(message: "--weak-family: weak model with weight \(Self.g(w)) on mode \(target): \(error)")
            }
            let proxy = ProxyAnalysis(levels: integrate(models, sigmas: proxySigmas, spec.threads, progress,
                                                        label: "weak model \(i + 1)/\(n): proxy levels"))
            progress.begin("weak model \(i + 1)/\(n): W2SD")
            let run = SamplingRun(sampler: try .w2sd(strong: models.strong, weak: models.weak, settings: spec.settings),
                                  prior: spec.prior, particles: spec.particles, seed: spec.seed, threads: spec.threads,
                                  keepSamples: false, ideal: models.ideal)
            let stats = try run.run { progress.update($0, $1) }.statistics
            return FamilyRow(weight: w, proxy: proxy, w1: stats?.wasserstein ?? .nan, masses: stats?.modes.map(\.mass) ?? [])
        }
    }

    /// One sentence per proxy number: does it rank the weak models as W2SD's outcome (W1 to ideal) does?
    /// |rho| >= 0.8 "predicts", >= 0.5 "weakly predicts", below "does not predict".
    static func correlationSentences(_ rows: [FamilyRow]) -> String {
        let w1 = rows.map(\.w1)
        let proxies: [(String, [Double])] = [
            ("E(1)/E(0)", rows.map { $0.proxy.errorRatio(alpha: 1) }),
            ("field cosine", rows.map(\.proxy.fieldCosine)),
            ("alpha*", rows.map(\.proxy.bestAlpha)),
        ]
        return proxies.map { name, values in
            let rho = spearmanCorrelation(values, w1)
            let verdict = rho.isNaN ? "cannot rank (a constant list)" : abs(rho) >= 0.8 ? "predicts" : abs(rho) >= 0.5 ? "weakly predicts" : "does not predict"
            let sign = rho.isNaN ? "" : rho > 0 ? "; a larger \(name) goes with a larger W1" : "; a larger \(name) goes with a smaller W1"
            return "Spearman(\(name), W2SD W1) = \(f(rho)): the \(name) \(verdict) W2SD's distance to the ideal distribution across this family\(sign)."
        }.joined(separator: "\n")
    }

    static func proxyLine(_ p: ProxyAnalysis) -> String {
        let interval = p.safeInterval
        return "  field cosine \(f(p.fieldCosine)), best alpha* \(f(p.bestAlpha)), E(1)/E(0) \(f(p.errorRatio(alpha: 1))), "
            + "E(alpha*)/E(0) \(f(p.errorRatio(alpha: p.bestAlpha))), safe interval of alpha (\(f(interval.lowerBound)), \(f(interval.upperBound)))"
    }

    static func json(levels: [DeltaAlignment], proxy: ProxyAnalysis, family: [FamilyRow]) throws -> Data {
        func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
        struct Level: Codable { var sigma, meanNormDelta1, meanNormDelta2, meanCosine, fieldCosine: Double?; var relativeError, integrationError: Double?; var method: String }
        struct Proxy: Codable { var sigmas: [Double]; var fieldCosine, bestAlpha, errorRatioAtOne, safeLower, safeUpper: Double? }
        struct Member: Codable { var weight: Double; var proxy: Proxy; var w2sdWasserstein: Double?; var w2sdModeMasses: [Double] }
        struct Report: Codable { var levels: [Level]; var proxy: Proxy; var family: [Member] }
        func encode(_ p: ProxyAnalysis) -> Proxy {
            Proxy(sigmas: p.sigmas, fieldCosine: finite(p.fieldCosine), bestAlpha: finite(p.bestAlpha),
                  errorRatioAtOne: finite(p.errorRatio(alpha: 1)), safeLower: p.safeInterval.lowerBound, safeUpper: p.safeInterval.upperBound)
        }
        let report = Report(
            levels: levels.map { Level(sigma: $0.sigma, meanNormDelta1: finite($0.meanNormDelta1), meanNormDelta2: finite($0.meanNormDelta2),
                                       meanCosine: finite($0.meanCosine), fieldCosine: finite($0.fieldCosine),
                                       relativeError: finite($0.relativeError), integrationError: finite($0.integrationError), method: $0.method) },
            proxy: encode(proxy),
            family: family.map { Member(weight: $0.weight, proxy: encode($0.proxy), w2sdWasserstein: finite($0.w1), w2sdModeMasses: $0.masses) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(report)
    }

    /// Noise levels in (0, 1e6]: beyond that p*(x; sigma) is a featureless Gaussian of scale sigma and the
    /// differences are below rounding.
    static func positive(_ name: String) -> ([Double]) throws -> [Double] {
        { values in
            guard values.allSatisfy({ $0 > 0 && $0 <= 1e6 }) else {
                throw UsageError(message: "--\(name): every noise level must lie in (0, 1e6]")
            }
            return values
        }
    }

    static func parseFamily(_ text: String) throws -> (Double, Double, Int) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let a = Double(parts[0]), let b = Double(parts[1]), let n = Int(parts[2]),
              (0...1).contains(a), (0...1).contains(b), (2...100).contains(n) else {
            throw UsageError(message: "--weak-family '\(text)' is not valid; accepted: A:B:N with 0 <= A, B <= 1 and 2 <= N <= 100")
        }
        return (a, b, n)
    }

    static func f(_ v: Double) -> String { v.isFinite ? String(format: "%.4f", v) : "\(v)" }
    static func g(_ v: Double) -> String { v.isFinite ? String(format: "%.4g", v) : "\(v)" }
}
