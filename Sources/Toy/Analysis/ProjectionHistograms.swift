/// Streaming Wasserstein-1: for each slicing direction u, a histogram of u . x on a fixed range
/// [lo, hi] (the projected ideal mixture's means -+ 12 standard deviations, so the ideal mass outside
/// is below 1e-32), plus the exact sums of the distances by which samples fall outside it.
///
/// Counts are integers, so merging is exact and order-free. W1 is then computed exactly for the
/// binned samples (each at its bin centre; samples outside at the range ends) plus the outside sums;
/// binning moves each sample by at most half a bin width, so the error is at most (hi - lo) / (2 bins).
public struct ProjectionHistograms: Sendable {
    public let directions: [[Double]]
    public let references: [MixtureCDF1D]
    public let lower: [Double]
    public let upper: [Double]
    public let bins: Int
    var counts: [Int]
    var below: [Int]
    var above: [Int]

    public init(ideal: GaussianMixture, bins: Int = 4096) {
        directions = Wasserstein.directions(dimension: ideal.dimension)
        references = directions.map { MixtureCDF1D(projecting: ideal, onto: $0) }
        lower = references.map { r in r.means.indices.map { r.means[$0] - 12 * r.stds[$0] }.min() ?? 0 }
        upper = references.map { r in r.means.indices.map { r.means[$0] + 12 * r.stds[$0] }.max() ?? 0 }
        self.bins = bins
        counts = [Int](repeating: 0, count: directions.count * bins)
        below = [Int](repeating: 0, count: directions.count)
        above = below
    }

    /// The largest error of `wasserstein()` from binning: half the widest bin.
    public var binningError: Double {
        zip(lower, upper).map { ($1 - $0) / Double(2 * bins) }.max() ?? 0
    }

    /// Counts the samples and returns, per direction, the summed distances of the samples that fall
    /// below and above the range (floating-point sums: the caller keeps them per chunk, in order).
    mutating func add(_ x: UnsafeBufferPointer<Double>, dimension d: Int) -> (below: [Double], above: [Double]) {
        let n = x.count / d
        var belowDistance = [Double](repeating: 0, count: directions.count)
        var aboveDistance = belowDistance
        for (u, direction) in directions.enumerated() {
            let lo = lower[u], width = (upper[u] - lower[u]) / Double(bins)
            for i in 0..<n {
                var v = 0.0
                for j in 0..<d { v += x[i * d + j] * direction[j] }
                if v < lo {
                    below[u] += 1; belowDistance[u] += lo - v
                } else if v >= upper[u] {
                    above[u] += 1; aboveDistance[u] += v - upper[u]
                } else {
                    counts[u * bins + min(bins - 1, Int((v - lo) / width))] += 1
                }
            }
        }
        return (belowDistance, aboveDistance)
    }

    mutating func merge(_ other: ProjectionHistograms) {
        for i in counts.indices { counts[i] += other.counts[i] }
        for u in directions.indices {
            below[u] += other.below[u]; above[u] += other.above[u]
        }
    }

    /// The mean over directions of W1 between the histogram and the projected ideal mixture, given the
    /// outside-distance sums of all chunks (added in chunk order by the caller).
    func wasserstein(belowDistance: [Double], aboveDistance: [Double]) -> Double {
        var sum = 0.0
        for u in directions.indices {
            let total = Double(below[u] + above[u] + counts[(u * bins)..<((u + 1) * bins)].reduce(0, +))
            guard total > 0 else { continue }
            let width = (upper[u] - lower[u]) / Double(bins)
            var positions = [lower[u]], masses = [Double(below[u]) / total]
            for b in 0..<bins where counts[u * bins + b] > 0 {
                positions.append(lower[u] + (Double(b) + 0.5) * width)
                masses.append(Double(counts[u * bins + b]) / total)
            }
            positions.append(upper[u]); masses.append(Double(above[u]) / total)
            sum += Wasserstein.exact(sortedPositions: positions, masses: masses, reference: references[u])
                + (belowDistance[u] + aboveDistance[u]) / total
        }
        return sum / Double(directions.count)
    }
}
