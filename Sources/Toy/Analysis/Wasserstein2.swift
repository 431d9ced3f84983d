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
    /// formed from the remaining masses, so the right tail keeps its precision: `ListedLevels`, or for
    /// equally weighted samples (j + 1) / n and (n - 1 - j) / n, `EqualMassLevels`; G1 from Gaussian
    /// pdf/cdf with erfc; the differences x_{j+1} - x_j from the uncentred positions), in segments of `segmentLength` levels (fewer, at least 256, when that leaves lanes idle), eight segments side by side in the lanes of one
    /// evaluation, the groups of eight on `threads` workers, added in segment order (the result does not
    /// depend on `threads`).
    /// The only cancellation is in the final three-term sum, of size Var Y + mean x^2 (centred): the
    /// absolute error of W2^2 is about 1e-15 (Var Y + sum m_j x_j^2), far below the finite-sample size
    /// of W2^2 (~ Var Y / n) at any n below 10^12. The result is clamped at 0.
    public static func exactSquaredW2(sortedPositions positions: [Double], masses: [Double], reference: MixtureCDF1D,
                                      threads: Int = 1) -> Double {
        exactSquaredW2(sortedPositions: positions, masses: masses, reference: reference, threads: threads,
                       segmentLength: defaultSegmentLength(positions.count))
    }

    /// `exactSquaredW2` for equally weighted sorted samples (levels (j + 1) / n, `EqualMassLevels`): the
    /// second moment sum_j x_j^2 / n over fixed blocks on `threads` workers, added in block order.
    public static func exactSquaredW2(sortedSamples positions: [Double], reference: MixtureCDF1D, threads: Int = 1) -> Double {
        exactSquaredW2(sortedSamples: positions, reference: reference, threads: threads, segmentLength: defaultSegmentLength(positions.count))
    }

    /// At least 256 levels per segment, and up to eight segments (all lanes busy) when there are fewer
    /// than 8 x `segmentLength` levels.
    private static func defaultSegmentLength(_ atoms: Int) -> Int {
        min(segmentLength, max(256, (atoms + Lanes.scalarCount - 1) / Lanes.scalarCount))
    }

    /// `exactSquaredW2` with the levels cut into segments of `segmentLength` (each walked from its own
    /// solve; the result moves only at rounding level with the segment length).
    static func exactSquaredW2(sortedPositions positions: [Double], masses: [Double], reference: MixtureCDF1D,
                               threads: Int, segmentLength: Int) -> Double {
        // Drop empty atoms (a histogram's outside atoms may be empty).
        let kept = masses.indices.filter { masses[$0] > 0 }
        guard !kept.isEmpty else { return 0 }
        let center = reference.mean
        let x = kept.map { positions[$0] }, m = kept.map { masses[$0] }
        var second = 0.0
        for j in m.indices { second += m[j] * (x[j] - center) * (x[j] - center) }
        return squaredW2(sortedPositions: x, levels: ListedLevels(masses: m), second: second, reference: reference,
                         threads: threads, segmentLength: segmentLength)
    }

    /// `exactSquaredW2(sortedSamples:...)` with segments of `segmentLength` levels.
    static func exactSquaredW2(sortedSamples positions: [Double], reference: MixtureCDF1D, threads: Int, segmentLength: Int) -> Double {
        guard !positions.isEmpty else { return 0 }
        let center = reference.mean
        let blocks = Array(stride(from: 0, to: positions.count, by: segmentLength))
        let second = blocks.concurrentMap(threads: threads) { start in
            var sum = 0.0
            for j in start..<min(start + segmentLength, positions.count) { sum += (positions[j] - center) * (positions[j] - center) }
            return sum
        }.reduce(0, +) / Double(positions.count)
        return squaredW2(sortedPositions: positions, levels: EqualMassLevels(atoms: positions.count), second: second,
                         reference: reference, threads: threads, segmentLength: segmentLength)
    }

    /// W2^2 = second + Var Y - 2 sum_{j<J} (-G1(q_j)) (x_{j+1} - x_j) (see `exactSquaredW2`), with
    /// second = sum_j m_j (x_j - mean)^2 given, G1 of the mixture centred at its mean.
    private static func squaredW2<Levels: AtomLevels>(sortedPositions x: [Double], levels: Levels, second: Double,
                                                      reference: MixtureCDF1D, threads: Int, segmentLength: Int) -> Double {
        let centred = reference.shifted(by: reference.mean)
        // Segments of `segmentLength` levels, walked `Lanes.scalarCount` at a time in the lanes of one
        // evaluation; the groups spread over the workers, the per-segment sums added in segment order.
        let segments = stride(from: 0, to: levels.count, by: segmentLength).map { $0..<min($0 + segmentLength, levels.count) }
        let groups = stride(from: 0, to: segments.count, by: Lanes.scalarCount).map { Array(segments[$0..<min($0 + Lanes.scalarCount, segments.count)]) }
        let parts = groups.concurrentMap(threads: threads) { group -> [Double] in
            x.withUnsafeBufferPointer { x in
                var coupling = CouplingSums(x: x)
                centred.walkQuantiles(levels: levels, ranges: group, visitor: &coupling)
                return (0..<group.count).map { coupling.sums[$0] }
            }
        }.flatMap { $0 }
        let coupling = parts.reduce(0, +)
        return max(0, second + centred.variance - 2 * coupling)
    }

    /// Exact W2^2 of equally weighted samples (any order) to `reference`, on `threads` workers.
    public static func exactSquaredW2(samples: [Double], reference: MixtureCDF1D, threads: Int = 1) -> Double {
        exactSquaredW2(sortedSamples: samples.radixSorted(threads: threads), reference: reference, threads: threads)
    }

    /// Sliced W1 and W2 of samples (flat, dimension d) to `mixture` over `directions` (each projected
    /// mixture is a 1D mixture): W1 = mean_u W1_u (as `sliced` computes it up to rounding: not bit for bit), and the sliced
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

/// The coupling sums of `Wasserstein.squaredW2`: per range (segment) r, in lane r, the sum over its levels
/// j in increasing order of -G1(q_j) (x_{j+1} - x_j).
private struct CouplingSums: QuantileVisitor {
    let x: UnsafeBufferPointer<Double>
    var sums = Lanes(repeating: 0)

    mutating func visit(_ r: Int, _ j: Int, _ q: Double, _ g1: Double) {
        sums[r] += -g1 * (x[j + 1] - x[j])
    }

    /// The same operations as `visit`, for all live lanes at once (the others keep their sums).
    mutating func visitLanes(_ live: SIMDMask<SIMD8<Int64>>, _ j: SIMD8<Int64>, _ q: Lanes, _ g1: Lanes) {
        var gap = Lanes(repeating: 0)
        for l in 0..<Lanes.scalarCount where live[l] { let i = Int(j[l]); gap[l] = x[i + 1] - x[i] }
        sums.replace(with: sums + -g1 * gap, where: live)
    }
}
