import Foundation

/// Wasserstein-1 distances to a known mixture, W1 = integral |F_n(x) - F(x)| dx.
public enum Wasserstein {
    /// Exact W1 between the atoms (sorted `positions` with `masses` summing to 1) and the mixture `reference`.
    ///
    /// Between consecutive atoms F_n is a constant c, and integral_a^b |c - F| is evaluated in closed form
    /// from the antiderivative G of F, splitting at the crossing F(x) = c when it lies inside (a, b).
    /// The tails use the closed forms of integral F below the first atom and integral (1 - F) above the
    /// last. Accurate to about 1e-12 absolute for samples of size up to 10^7 (rounding in G differences).
    public static func exact(sortedPositions positions: [Double], masses: [Double], reference: MixtureCDF1D) -> Double {
        guard let first = positions.first, let last = positions.last else { return 0 }
        var total = reference.integratedCDF(first) + reference.integratedSurvival(last)
        var level = 0.0
        var a = first
        var fa = reference.cdf(a), ga = reference.integratedCDF(a)
        for j in 0..<(positions.count - 1) {
            level += masses[j]
            let b = positions[j + 1]
            if b == a { continue }
            let fb = reference.cdf(b), gb = reference.integratedCDF(b)
            if fa >= level {
                total += (gb - ga) - level * (b - a)
            } else if fb <= level {
                total += level * (b - a) - (gb - ga)
            } else {
                let c = reference.solve(level: level, in: a, b)
                let gc = reference.integratedCDF(c)
                total += level * (c - a) - (gc - ga) + (gb - gc) - level * (b - c)
            }
            a = b; fa = fb; ga = gb
        }
        return total
    }

    /// Exact W1 of equally weighted samples (any order) to `reference`.
    public static func exact(samples: [Double], reference: MixtureCDF1D) -> Double {
        let sorted = samples.sorted()
        return exact(sortedPositions: sorted, masses: [Double](repeating: 1 / Double(sorted.count), count: sorted.count),
                     reference: reference)
    }

    /// The sliced W1 of samples (flat, dimension d) to `mixture`: the mean over `directions` of the exact
    /// 1D W1 between the projected samples and the projected mixture.
    /// Directions are processed on `threads` workers and summed in direction order, so the result does
    /// not depend on the thread count.
    public static func sliced(samples: [Double], dimension d: Int, mixture: GaussianMixture,
                              directions: [[Double]], threads: Int = 1) -> Double {
        let n = samples.count / d
        let distances = directions.concurrentMap(threads: threads) { u in
            let projected = (0..<n).map { i in (0..<d).reduce(0.0) { $0 + samples[i * d + $1] * u[$1] } }
            return exact(samples: projected, reference: MixtureCDF1D(projecting: mixture, onto: u))
        }
        return distances.reduce(0, +) / Double(directions.count)
    }

    /// The fixed slicing directions: [1] in 1D; 64 angles pi j / 64 in 2D; in d >= 3, 64 Gaussian
    /// directions from the fixed seed 2025, normalised.
    public static func directions(dimension d: Int) -> [[Double]] {
        switch d {
        case 1: return [[1]]
        case 2: return (0..<64).map { j in let t = Double.pi * Double(j) / 64; return [cos(t), sin(t)] }
        default:
            var rng = Xoshiro256StarStar(seed: 2025)
            return (0..<64).map { _ in
                let v = (0..<d).map { _ in rng.nextNormal() }
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                return v.map { $0 / norm }
            }
        }
    }
}
