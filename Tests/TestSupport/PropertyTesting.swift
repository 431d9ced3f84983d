import Foundation
import Toy

/// A small property-testing harness: each case gets its own generator, seeded from (base seed,
/// case index), so a failing case is reproduced by its printed seed alone.
public enum Property {
    /// Cases per property: the environment variable TOY_PROPERTY_CASES, or `fallback` (CI default 200).
    public static func caseCount(fallback: Int = 200) -> Int {
        ProcessInfo.processInfo.environment["TOY_PROPERTY_CASES"].flatMap(Int.init).map { max(1, $0) } ?? fallback
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
}

/// Seeded generators of the toolkit's inputs.
public enum Draw {
    /// Uniform in [a, b).
    public static func uniform(_ a: Double, _ b: Double, _ rng: inout Xoshiro256StarStar) -> Double {
        a + (b - a) * (1 - rng.nextOpenUnit())
    }

    public static func integer(_ range: ClosedRange<Int>, _ rng: inout Xoshiro256StarStar) -> Int {
        range.lowerBound + Int(rng.next() % UInt64(range.count))
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
}
