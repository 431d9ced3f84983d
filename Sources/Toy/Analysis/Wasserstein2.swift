import Foundation

extension Wasserstein {
    /// Exact W2^2 between the atoms (sorted `positions` with `masses` summing to 1) and the mixture
    /// `reference`, by the quantile coupling:
    ///
    ///     W2^2 = sum_j integral_{c_{j-1}}^{c_j} (x_j - Q(u))^2 du,   c_j = m_1 + ... + m_j,
    ///
    /// with Q the mixture's quantile function. Substituting u = F(y), the integral over atom j is
    /// m_j x_j^2 - 2 x_j (G1(q_j) - G1(q_{j-1})) + (second moment between q_{j-1} and q_j), q_j = Q(c_j),
    /// G1 the partial mean. The second moments telescope to E[Y^2], and summation by parts turns the
    /// middle sum into a sum of non-negative terms, so after centring everything at the mixture mean
    /// (G1 <= 0 everywhere, G1(+infinity) = 0):
    ///
    ///     W2^2 = sum_j m_j x_j^2 + Var Y - 2 sum_{j<J} (-G1(q_j)) (x_{j+1} - x_j).
    ///
    /// The quantiles q_j and G1(q_j) come from `MixtureCDF1D.walkQuantiles` (levels c_j with the complements
    /// formed from the remaining masses, so the right tail keeps its precision; G1 from Gaussian pdf/cdf with
    /// erfc), in segments of `segmentLength` levels (fewer, at least 256, when that leaves lanes idle), eight segments side by side in the lanes of one
    /// evaluation, the groups of eight on `threads` workers, added in segment order (the result does not
    /// depend on `threads`).
    /// The only cancellation is in the final three-term sum, of size Var Y + mean x^2 (centred): the
    /// absolute error of W2^2 is about 1e-15 (Var Y + sum m_j x_j^2), far below the finite-sample size
    /// of W2^2 (~ Var Y / n) at any n below 10^12. The result is clamped at 0.
    public static func exactSquaredW2(sortedPositions positions: [Double], masses: [Double], reference: MixtureCDF1D,
                                      threads: Int = 1) -> Double {
        // At least 256 levels per segment, and up to eight segments (all lanes busy) when there are fewer
        // than 8 x `segmentLength` levels.
        let length = min(segmentLength, max(256, (positions.count + Lanes.scalarCount - 1) / Lanes.scalarCount))
        return exactSquaredW2(sortedPositions: positions, masses: masses, reference: reference, threads: threads, segmentLength: length)
    }

    /// `exactSquaredW2` with the levels cut into segments of `segmentLength` (each walked from its own
    /// solve; the result moves only at rounding level with the segment length).
    static func exactSquaredW2(sortedPositions positions: [Double], masses: [Double], reference: MixtureCDF1D,
                               threads: Int, segmentLength: Int) -> Double {
        // Drop empty atoms (a histogram's outside atoms may be empty).
        let kept = masses.indices.filter { masses[$0] > 0 }
        guard !kept.isEmpty else { return 0 }
        let center = reference.mean
        let centred = reference.shifted(by: center)
        let x = kept.map { positions[$0] - center }, m = kept.map { masses[$0] }
        // Levels c_j as prefix sums, their complements as suffix sums (precise in the right tail, unlike 1 - c_j).
        var levels = [Double](repeating: 0, count: m.count - 1), complements = levels
        var below = 0.0, above = 0.0
        for j in 0..<(m.count - 1) {
            below += m[j]; levels[j] = below
            above += m[m.count - 1 - j]; complements[m.count - 2 - j] = above
        }
        var second = 0.0
        for j in m.indices { second += m[j] * x[j] * x[j] }
        // Segments of `segmentLength` levels, walked `Lanes.scalarCount` at a time in the lanes of one
        // evaluation; the groups spread over the workers, the per-segment sums added in segment order.
        let (levelsFixed, complementsFixed) = (levels, complements)
        let segments = stride(from: 0, to: levels.count, by: segmentLength).map { $0..<min($0 + segmentLength, levels.count) }
        let groups = stride(from: 0, to: segments.count, by: Lanes.scalarCount).map { Array(segments[$0..<min($0 + Lanes.scalarCount, segments.count)]) }
        let parts = groups.concurrentMap(threads: threads) { group -> [Double] in
            var coupling = [Double](repeating: 0, count: group.count)
            centred.walkQuantiles(levels: levelsFixed, complements: complementsFixed, ranges: group) { segment, j, _, g1 in
                coupling[segment] += -g1 * (x[j + 1] - x[j])
            }
            return coupling
        }.flatMap { $0 }
        let coupling = parts.reduce(0, +)
        return max(0, second + centred.variance - 2 * coupling)
    }

    /// Exact W2^2 of equally weighted samples (any order) to `reference`, on `threads` workers.
    public static func exactSquaredW2(samples: [Double], reference: MixtureCDF1D, threads: Int = 1) -> Double {
        let sorted = samples.radixSorted(threads: threads)
        return exactSquaredW2(sortedPositions: sorted, masses: [Double](repeating: 1 / Double(sorted.count), count: sorted.count),
                              reference: reference, threads: threads)
    }

    /// Sliced W1 and W2 of samples (flat, dimension d) to `mixture` over `directions` (each projected
    /// mixture is a 1D mixture): W1 = mean_u W1_u as `sliced` computes it (bit-identical), and the sliced
    /// W2 = sqrt(mean_u W2_u^2). Directions run on `threads` workers and are summed in direction order.
    public static func slicedW1AndW2(samples: [Double], dimension d: Int, mixture: GaussianMixture,
                                     directions: [[Double]], threads: Int = 1) -> (w1: Double, w2: Double) {
        let n = samples.count / d
        let distances = directions.concurrentMap(threads: threads) { u -> (Double, Double) in
            let projected = (0..<n).map { i in (0..<d).reduce(0.0) { $0 + samples[i * d + $1] * u[$1] } }
            let reference = MixtureCDF1D(projecting: mixture, onto: u)
            let sorted = projected.radixSorted(threads: 1)
            let masses = [Double](repeating: 1 / Double(n), count: n)
            return (exact(sortedPositions: sorted, masses: masses, reference: reference),
                    exactSquaredW2(sortedPositions: sorted, masses: masses, reference: reference))
        }
        let count = Double(directions.count)
        return (distances.reduce(0) { $0 + $1.0 } / count, (distances.reduce(0) { $0 + $1.1 } / count).squareRoot())
    }
}
