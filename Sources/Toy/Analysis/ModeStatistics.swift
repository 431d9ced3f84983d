import Foundation

/// Mass, mean and per-coordinate standard deviation of the samples assigned to one ideal component.
public struct ModeSummary: Sendable, Equatable {
    /// Index of the ideal component (declaration order).
    public var component: Int
    public var mass: Double
    public var count: Int
    public var mean: [Double]
    public var std: [Double]
}

/// Per-chunk moments: for each ideal component, the count, mean and sum of squared deviations of the
/// samples assigned to it (Welford), and the sum of -log p*(x). Chunks merge in index order (Chan et al.),
/// so the result does not depend on how chunks were spread over threads.
public struct ChunkMoments: Sendable {
    var counts: [Int]
    var means: [Double]
    var squaredDeviations: [Double]
    var negativeLogLikelihood: Double
    let dimension: Int

    init(components: Int, dimension d: Int) {
        counts = [Int](repeating: 0, count: components)
        means = [Double](repeating: 0, count: components * d)
        squaredDeviations = means
        negativeLogLikelihood = 0
        dimension = d
    }

    /// Assigns each sample to the ideal component of highest responsibility at sigma = 0 and accumulates.
    init(samples x: UnsafeBufferPointer<Double>, ideal: GaussianMixture, noisyIdeal: NoisyMixture) {
        let d = ideal.dimension
        self.init(components: ideal.components.count, dimension: d)
        let n = x.count / d
        guard let base = x.baseAddress else { return }
        for i in 0..<n {
            let terms = noisyIdeal.componentLogTerms(base + i * d)
            var best = 0
            for a in terms.indices where terms[a] > terms[best] { best = a }
            negativeLogLikelihood -= logSumExp(terms)
            let k = ideal.activeIndices[best]
            counts[k] += 1
            let c = Double(counts[k])
            for j in 0..<d {
                let delta = base[i * d + j] - means[k * d + j]
                means[k * d + j] += delta / c
                squaredDeviations[k * d + j] += delta * (base[i * d + j] - means[k * d + j])
            }
        }
    }

    mutating func merge(_ other: ChunkMoments) {
        let d = dimension
        negativeLogLikelihood += other.negativeLogLikelihood
        for k in counts.indices where other.counts[k] > 0 {
            let na = Double(counts[k]), nb = Double(other.counts[k]), n = na + nb
            for j in 0..<d {
                let delta = other.means[k * d + j] - means[k * d + j]
                means[k * d + j] += delta * nb / n
                squaredDeviations[k * d + j] += other.squaredDeviations[k * d + j] + delta * delta * na * nb / n
            }
            counts[k] += other.counts[k]
        }
    }

    var total: Int { counts.reduce(0, +) }

    /// One summary per ideal component (mass 0 and NaN-free zeros for a component no sample reached).
    var modes: [ModeSummary] {
        let d = dimension, n = Double(max(total, 1))
        return counts.indices.map { k in
            let c = counts[k]
            return ModeSummary(
                component: k, mass: Double(c) / n, count: c,
                mean: Array(means[(k * d)..<((k + 1) * d)]),
                std: (0..<d).map { c > 1 ? (squaredDeviations[k * d + $0] / Double(c - 1)).squareRoot() : 0 })
        }
    }
}
