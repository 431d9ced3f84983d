import Foundation
import Toy

/// A small property-testing harness: each case gets its own generator, seeded from (base seed,
/// case index), so a failing case is reproduced by its printed seed alone.
///
/// Two forms:
/// - `check(name, cases:seed:) { rng in ... }`: the body draws its own inputs and returns nil or a
///   description of the violation (no shrinking).
/// - `check(name, cases:seed:generate:shrink:) { value in ... }`: a case value is generated from the
///   rng, the property runs on the value, and a failing value is shrunk greedily: `shrink(value)`
///   lists simpler variants (fewer components, lower dimension, rounder numbers), the first that
///   still fails replaces the value, until none fails (at most 200 property runs). The report gives
///   the seed, the original violation and the simplest failing value with its violation.
public enum Property {
    /// Cases per property: the environment variable TOY_PROPERTY_CASES, or `fallback` (CI default 200).
    public static func caseCount(fallback: Int = 200) -> Int {
        ProcessInfo.processInfo.environment["TOY_PROPERTY_CASES"].flatMap(Int.init).map { max(1, $0) } ?? fallback
    }

    /// `caseCount()` scaled by `fraction` (at least `minimum`): for the few properties whose single
    /// case is a whole sampling run, so the suite keeps its time budget at any TOY_PROPERTY_CASES.
    public static func caseCount(fraction: Double, minimum: Int = 20) -> Int {
        max(minimum, Int((Double(caseCount()) * fraction).rounded(.up)))
    }

    /// Runs `body` on `cases` generators. `body` returns nil when the property holds, or a description
    /// of the violation. Returns the failures, each prefixed with the name and seed that reproduce it.
    public static func check(_ name: String, cases: Int = caseCount(), seed: UInt64 = 0x5EED,
                             _ body: (inout Xoshiro256StarStar) throws -> String?) rethrows -> [String] {
        var failures: [String] = []
        for index in 0..<cases {
            let caseSeed = SplitMix64.mix(seed &+ UInt64(index))
            var rng = Xoshiro256StarStar(seed: caseSeed)
            if let problem = try body(&rng) {
                failures.append("\(name): case \(index), seed \(caseSeed): \(problem)")
                if failures.count >= 5 { break }
            }
        }
        return failures
    }

    /// Generates a value per case, checks `property` on it, and shrinks failing values (see the type
    /// comment). A thrown error counts as a violation (described by the error), so a property may
    /// simply `try` and a crash-free but throwing path is reported with its seed and shrunk input.
    public static func check<Case>(_ name: String, cases: Int = caseCount(), seed: UInt64 = 0x5EED,
                                   generate: (inout Xoshiro256StarStar) -> Case,
                                   shrink: (Case) -> [Case] = { _ in [] },
                                   _ property: (Case) throws -> String?) -> [String] {
        func run(_ value: Case) -> String? {
            do { return try property(value) } catch { return "threw \(error)" }
        }
        var failures: [String] = []
        for index in 0..<cases {
            let caseSeed = SplitMix64.mix(seed &+ UInt64(index))
            var rng = Xoshiro256StarStar(seed: caseSeed)
            let value = generate(&rng)
            guard let problem = run(value) else { continue }
            var simplest = value, simplestProblem = problem, steps = 0, budget = 200
            shrinking: while budget > 0 {
                for candidate in shrink(simplest) {
                    budget -= 1
                    if let p = run(candidate) {
                        simplest = candidate; simplestProblem = p; steps += 1
                        continue shrinking
                    }
                    if budget <= 0 { break shrinking }
                }
                break
            }
            var report = "\(name): case \(index), seed \(caseSeed): \(problem)\n    input: \(value)"
            if steps > 0 { report += "\n    shrunk (\(steps) steps) to: \(simplest)\n    which fails with: \(simplestProblem)" }
            failures.append(report)
            if failures.count >= 3 { break }
        }
        return failures
    }
}

/// Seeded generators of the toolkit's inputs.
public enum Draw {
    /// Uniform in [a, b).
    public static func uniform(_ a: Double, _ b: Double, _ rng: inout Xoshiro256StarStar) -> Double {
        a + (b - a) * (1 - rng.nextOpenUnit())
    }

    /// Log-uniform in [a, b] (a, b > 0).
    public static func logUniform(_ a: Double, _ b: Double, _ rng: inout Xoshiro256StarStar) -> Double {
        exp(uniform(log(a), log(b), &rng))
    }

    public static func integer(_ range: ClosedRange<Int>, _ rng: inout Xoshiro256StarStar) -> Int {
        range.lowerBound + Int(rng.next() % UInt64(range.count))
    }

    public static func bool(_ rng: inout Xoshiro256StarStar, probability: Double = 0.5) -> Bool {
        rng.nextOpenUnit() <= probability
    }

    public static func element<T>(_ values: [T], _ rng: inout Xoshiro256StarStar) -> T {
        values[integer(0...(values.count - 1), &rng)]
    }

    /// A symmetric positive-definite d x d matrix Q diag(L) Q^T with a random rotation Q (Gram-Schmidt
    /// of a Gaussian matrix) and log-uniform eigenvalues spanning at most `maxCondition`.
    public static func covariance(dimension d: Int, scale: Double = 1, maxCondition: Double = 1e6,
                                  _ rng: inout Xoshiro256StarStar) -> [Double] {
        var q = [[Double]]()
        while q.count < d {
            var v = (0..<d).map { _ in rng.nextNormal() }
            for u in q { let dot = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }; v = zip(v, u).map { $0 - dot * $1 } }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 1e-6 { q.append(v.map { $0 / norm }) }
        }
        let logSpan = log(maxCondition) * (1 - rng.nextOpenUnit())
        let eigenvalues = (0..<d).map { j in scale * exp(-logSpan * (d == 1 ? 0 : Double(j) / Double(d - 1))) }
        var s = [Double](repeating: 0, count: d * d)
        for r in 0..<d { for c in 0..<d { for j in 0..<d { s[r * d + c] += q[j][r] * eigenvalues[j] * q[j][c] } } }
        for r in 0..<d { for c in 0..<r { s[r * d + c] = s[c * d + r] } }
        return s
    }

    /// A mixture of 1 ... maxComponents components in dimension d, means in [-5, 5]^d, random
    /// covariances; weights may include exact zeros (never all) and values down to `smallestWeight`.
    public static func mixture(dimension d: Int, maxComponents: Int = 4, maxCondition: Double = 100,
                               smallestWeight: Double = 1e-3, _ rng: inout Xoshiro256StarStar) -> GaussianMixture {
        let k = integer(1...maxComponents, &rng)
        var components = (0..<k).map { _ -> GaussianComponent in
            let weight: Double
            switch integer(0...5, &rng) {
            case 0: weight = 0
            case 1: weight = smallestWeight
            default: weight = uniform(0.1, 1, &rng)
            }
            return GaussianComponent(weight: weight, mean: (0..<d).map { _ in uniform(-5, 5, &rng) },
                                     covariance: covariance(dimension: d, scale: uniform(0.2, 2, &rng), maxCondition: maxCondition, &rng))
        }
        if components.allSatisfy({ $0.weight == 0 }) { components[0].weight = 1 }
        // Valid by construction: finite weights >= 0 with one positive, finite means, SPD covariances.
        return try! GaussianMixture(components)
    }

    /// A point near the mixture's active means (within a few units).
    public static func point(near mixture: GaussianMixture, _ rng: inout Xoshiro256StarStar) -> [Double] {
        let d = mixture.dimension
        let k = integer(0...(mixture.activeCount - 1), &rng)
        return (0..<d).map { mixture.flatMeans[k * d + $0] + 2 * rng.nextNormal() }
    }

    /// A shrinkable mixture case: dimension in `dimensions`, 1 ... maxComponents components, means in
    /// [-meanRange, meanRange]^d, covariance scales log-uniform in `scales` with condition numbers up to
    /// `maxCondition`, weights mixing exact zeros (never all), tiny values (1e-300 ... smallestWeight)
    /// and ordinary ones.
    public static func mixtureCase(dimensions: ClosedRange<Int> = 1...3, maxComponents: Int = 8,
                                   maxCondition: Double = 1e6, smallestWeight: Double = 1e-300,
                                   meanRange: Double = 5, scales: ClosedRange<Double> = 0.1...4,
                                   zeroWeights: Bool = true, _ rng: inout Xoshiro256StarStar) -> MixtureCase {
        let d = integer(dimensions, &rng)
        let k = integer(1...maxComponents, &rng)
        var weights = (0..<k).map { _ -> Double in
            switch integer(0...7, &rng) {
            case 0 where zeroWeights: return 0
            case 1: return smallestWeight >= 1e-3 ? smallestWeight : logUniform(smallestWeight, 1e-3, &rng)
            default: return uniform(0.05, 1, &rng)
            }
        }
        if weights.allSatisfy({ $0 == 0 }) { weights[0] = 1 }
        return MixtureCase(
            dimension: d, weights: weights,
            means: (0..<k).map { _ in (0..<d).map { _ in uniform(-meanRange, meanRange, &rng) } },
            covariances: (0..<k).map { _ in
                covariance(dimension: d, scale: logUniform(scales.lowerBound, scales.upperBound, &rng), maxCondition: maxCondition, &rng)
            })
    }

    /// A noise level: 0, tiny (1e-300 ... 1e-6), ordinary (1e-3 ... 10) or large (10 ... 1e4).
    public static func noiseLevel(_ rng: inout Xoshiro256StarStar) -> Double {
        switch integer(0...5, &rng) {
        case 0: return 0
        case 1: return logUniform(1e-300, 1e-6, &rng)
        case 2: return logUniform(10, 1e4, &rng)
        default: return logUniform(1e-3, 10, &rng)
        }
    }

    /// A point near one of the case's active means, or (one case in three) far away: a random
    /// direction at distance log-uniform in [10, 1e6].
    public static func point(near m: MixtureCase, far: Bool = true, _ rng: inout Xoshiro256StarStar) -> [Double] {
        let d = m.dimension
        if far && integer(0...2, &rng) == 0 {
            let r = logUniform(10, 1e6, &rng)
            let v = (0..<d).map { _ in rng.nextNormal() }
            let norm = max(v.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
            return v.map { r * $0 / norm }
        }
        let active = m.weights.indices.filter { m.weights[$0] > 0 }
        let k = element(active, &rng)
        return (0..<d).map { m.means[k][$0] + 2 * rng.nextNormal() }
    }

    /// Random sampler settings with few steps (cheap): a Karras, geometric or linear schedule with
    /// sigma_max in [1, 80], T in `steps`, Euler or Heun, the given inversions, any lambda, gamma in
    /// [-0.5, 2] (sometimes exactly 1).
    public static func settings(steps: ClosedRange<Int> = 2...8, inversions: [Inversion] = [.paper, .ddim],
                                _ rng: inout Xoshiro256StarStar) -> SamplerSettings {
        let sigmaMax = logUniform(1, 80, &rng), sigmaMin = sigmaMax * logUniform(1e-4, 0.1, &rng)
        let schedule: NoiseSchedule
        switch integer(0...2, &rng) {
        case 0: schedule = .geometric(sigmaMax: sigmaMax, sigmaMin: sigmaMin)
        case 1: schedule = .linear(sigmaMax: sigmaMax, sigmaMin: sigmaMin)
        default: schedule = .karras(sigmaMax: sigmaMax, sigmaMin: sigmaMin, rho: uniform(1, 9, &rng))
        }
        let t = integer(steps, &rng)
        return SamplerSettings(schedule: schedule, steps: t, solver: bool(&rng) ? .euler : .heun,
                               inversion: element(inversions, &rng), reflectionSteps: integer(0...(t - 1), &rng),
                               gamma: bool(&rng) ? 1 : uniform(-0.5, 2, &rng))
    }
}

/// A Gaussian mixture as plain numbers, so a failing case can be shrunk and printed.
public struct MixtureCase: Sendable, Equatable, CustomStringConvertible {
    public var dimension: Int
    public var weights: [Double]
    public var means: [[Double]]
    /// Row-major d x d, one per component.
    public var covariances: [[Double]]

    public init(dimension: Int, weights: [Double], means: [[Double]], covariances: [[Double]]) {
        self.dimension = dimension
        self.weights = weights
        self.means = means
        self.covariances = covariances
    }

    public var components: [GaussianComponent] {
        weights.indices.map { GaussianComponent(weight: weights[$0], mean: means[$0], covariance: covariances[$0]) }
    }

    public func mixture() throws -> GaussianMixture { try GaussianMixture(components) }

    public var activeIndices: [Int] { weights.indices.filter { weights[$0] > 0 } }

    /// Simpler variants, simplest first: one component fewer, one dimension fewer (leading
    /// coordinates and leading principal submatrix: still positive definite), isotropic covariances
    /// (trace / d), integer means, equal weights. Every variant keeps a positive weight.
    public var shrinks: [MixtureCase] {
        var out: [MixtureCase] = []
        if weights.count > 1 {
            for k in weights.indices {
                var c = self
                c.weights.remove(at: k); c.means.remove(at: k); c.covariances.remove(at: k)
                if c.weights.contains(where: { $0 > 0 }) { out.append(c) }
            }
        }
        if dimension > 1 { out.append(lowered(to: dimension - 1)) }
        let d = dimension
        for k in weights.indices {
            let trace = (0..<d).reduce(0.0) { $0 + covariances[k][$1 * d + $1] } / Double(d)
            let rounded = trace >= 1 ? trace.rounded() : trace
            var iso = [Double](repeating: 0, count: d * d)
            for j in 0..<d { iso[j * d + j] = rounded }
            if iso != covariances[k] { var c = self; c.covariances[k] = iso; out.append(c) }
        }
        let roundedMeans = means.map { $0.map { $0.rounded() } }
        if roundedMeans != means { var c = self; c.means = roundedMeans; out.append(c) }
        let equal = weights.map { $0 > 0 ? 1.0 : 0 }
        if equal != weights { var c = self; c.weights = equal; out.append(c) }
        return out
    }

    /// The marginal of the first `e` coordinates.
    public func lowered(to e: Int) -> MixtureCase {
        let d = dimension
        return MixtureCase(dimension: e, weights: weights, means: means.map { Array($0.prefix(e)) },
                           covariances: covariances.map { s in (0..<(e * e)).map { s[($0 / e) * d + $0 % e] } })
    }

    public var description: String {
        func f(_ v: Double) -> String { String(format: "%.6g", v) }
        let parts = weights.indices.map { k in
            "(w \(f(weights[k])), mu [\(means[k].map(f).joined(separator: ", "))], S [\(covariances[k].map(f).joined(separator: ", "))])"
        }
        return "d = \(dimension), \(weights.count) components: " + parts.joined(separator: " ")
    }
}

/// A mixture case with a point and a noise level (the input of most pointwise properties).
public struct PointCase: Sendable, Equatable, CustomStringConvertible {
    public var mixture: MixtureCase
    public var x: [Double]
    public var sigma: Double

    public init(mixture: MixtureCase, x: [Double], sigma: Double) {
        self.mixture = mixture
        self.x = x
        self.sigma = sigma
    }

    /// Mixture shrinks (x truncated to the new dimension), then x rounded, then sigma = 0 or rounded.
    public var shrinks: [PointCase] {
        var out = mixture.shrinks.map { PointCase(mixture: $0, x: Array(x.prefix($0.dimension)), sigma: sigma) }
        let roundedX = x.map { $0.rounded() }
        if roundedX != x { out.append(PointCase(mixture: mixture, x: roundedX, sigma: sigma)) }
        if sigma != 0 { out.append(PointCase(mixture: mixture, x: x, sigma: 0)) }
        if sigma.rounded() != sigma, sigma > 1 { out.append(PointCase(mixture: mixture, x: x, sigma: sigma.rounded())) }
        return out
    }

    public var description: String { "x = \(x), sigma = \(sigma), mixture \(mixture)" }
}

extension Draw {
    /// A point case: a mixture case, a point (near or far), a noise level.
    public static func pointCase(dimensions: ClosedRange<Int> = 1...3, maxCondition: Double = 1e6, far: Bool = true,
                                 _ rng: inout Xoshiro256StarStar) -> PointCase {
        let m = mixtureCase(dimensions: dimensions, maxCondition: maxCondition, &rng)
        let x = point(near: m, far: far, &rng)
        return PointCase(mixture: m, x: x, sigma: noiseLevel(&rng))
    }
}

/// The generator every property case draws from (the toolkit's xoshiro256**), under a name test
/// targets that do not import Toy (PlotTests, CLITests) can spell.
public typealias PropertyGenerator = Xoshiro256StarStar

extension Draw {
    /// A uniform random 64-bit word (for seeds).
    public static func word(_ rng: inout PropertyGenerator) -> UInt64 { rng.next() }
}
