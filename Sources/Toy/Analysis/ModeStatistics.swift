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

/// The samples on one ideal mode (W2SD-NOTES section 8): those within Mahalanobis distance 3 of the
/// ideal component k under its own covariance S_k (no noise), (x - mu_k)^T S_k^-1 (x - mu_k) <= 9
/// (in 1D |x - mu_k| <= 3 sd_k). A sample may lie on several overlapping modes; one on none is spurious.
public struct OnModeSummary: Sendable, Equatable {
    /// Index of the ideal component (declaration order).
    public var component: Int
    /// The fraction of all samples on this mode, and their number.
    public var mass: Double
    public var count: Int
    /// Mean and per-coordinate standard deviation of the samples on this mode.
    public var mean: [Double]
    public var std: [Double]
    /// std_j / sqrt(S_k,jj): the spread relative to the ideal component's (0 for a mode collapsed to a
    /// point). Exact samples of a well-separated mode give `exactStdRatio(dimension:)`, not 1, because
    /// the 3-sd window cuts the tails.
    public var stdRatio: [Double]

    /// The per-coordinate std ratio of exact samples of N(mu, S) restricted to the window
    /// (x - mu)^T S^-1 (x - mu) <= 9: E[z z^T | |z|^2 <= 9] = c I for z ~ N(0, I_d), with
    /// c = P(chi^2_{d+2} <= 9) / P(chi^2_d <= 9), so the ratio is sqrt(c) in every coordinate
    /// (0.98664 in 1D, 0.97440 in 2D).
    public static func exactStdRatio(dimension d: Int) -> Double {
        (SpecialFunctions.regularizedLowerGamma(Double(d + 2) / 2, 4.5)
            / SpecialFunctions.regularizedLowerGamma(Double(d) / 2, 4.5)).squareRoot()
    }
}

/// What the per-chunk statistics need of the ideal model, formed once per run: the model, its
/// components at sigma = 0 (precisions S_k^-1 for the Mahalanobis window) and the MMD kernel terms.
public struct StatisticsReference: Sendable {
    public let ideal: GaussianMixture
    let noisy: NoisyMixture
    public let kernel: GaussianKernelMMD

    public init(ideal: GaussianMixture) {
        self.ideal = ideal
        noisy = ideal.noisy(at: 0)
        kernel = GaussianKernelMMD(ideal: ideal)
    }

    /// q_a = (x - mu_a)^T S_a^-1 (x - mu_a) for every active component a, into `out` (count `noisy.count`):
    /// the squared Mahalanobis distances of the on-mode windows; c_a - q_a / 2 are the log-terms of p*(x).
    func squaredMahalanobis(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let d = noisy.dimension
        noisy.means.withUnsafeBufferPointer { means in
            noisy.precisions.withUnsafeBufferPointer { precisions in
                for a in 0..<noisy.count {
                    var q = 0.0
                    for r in 0..<d {
                        var row = 0.0
                        for c in 0..<d { row += precisions[a * d * d + r * d + c] * (x[c] - means[a * d + c]) }
                        q += (x[r] - means[a * d + r]) * row
                    }
                    out[a] = q
                }
            }
        }
    }
}

/// log(sum_a exp(v_a)) of `count` values whose maximum is `top` (finite): top + log(sum_a exp(v_a - top)),
/// the exponentials eight at a time with `expNonPositiveUnchecked` (relative error 2.2e-16; a padded lane
/// is -infinity, exp 0), summed per lane and then across lanes in a fixed order, so the result depends
/// only on the values. Relative error of the sum about 1e-15, of the result 1e-15 / |result| absolute.
@inline(__always)
func logSumExp(_ v: UnsafeMutablePointer<Double>, count: Int, top: Double) -> Double {
    let width = Lanes.scalarCount, shift = Lanes(repeating: top)
    var sums = Lanes(repeating: 0)
    var a = 0
    while a + width <= count {
        sums += expNonPositiveUnchecked(UnsafeRawPointer(v + a).loadUnaligned(as: Lanes.self) - shift)
        a += width
    }
    if a < count {
        var rest = Lanes(repeating: -.infinity)
        for j in 0..<(count - a) { rest[j] = v[a + j] }
        sums += expNonPositiveUnchecked(rest - shift)
    }
    return top + Foundation.log(sums.sum())
}

/// Running count, mean and squared deviations per ideal component (Welford), merged by Chan et al.
struct GroupMoments: Sendable {
    var counts: [Int]
    var means: [Double]
    var squaredDeviations: [Double]
    let dimension: Int

    init(components: Int, dimension d: Int) {
        counts = [Int](repeating: 0, count: components)
        means = [Double](repeating: 0, count: components * d)
        squaredDeviations = means
        dimension = d
    }

    mutating func add(_ x: UnsafePointer<Double>, to k: Int) {
        let d = dimension
        counts[k] += 1
        let c = Double(counts[k])
        for j in 0..<d {
            let delta = x[j] - means[k * d + j]
            means[k * d + j] += delta / c
            squaredDeviations[k * d + j] += delta * (x[j] - means[k * d + j])
        }
    }

    mutating func merge(_ other: GroupMoments) {
        let d = dimension
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

    func mean(_ k: Int) -> [Double] { Array(means[(k * dimension)..<((k + 1) * dimension)]) }

    /// The sample standard deviations of group k (0 with fewer than two members).
    func std(_ k: Int) -> [Double] {
        (0..<dimension).map { counts[k] > 1 ? (squaredDeviations[k * dimension + $0] / Double(counts[k] - 1)).squareRoot() : 0 }
    }
}

/// Per-chunk moments: for each ideal component, the count, mean and sum of squared deviations of the
/// samples assigned to it (Welford) and of the samples on it (the Mahalanobis window), the spurious
/// count, the sum of -log p*(x), and the MMD pair terms. Chunks merge in index order (Chan et al.), so
/// the result does not depend on how chunks were spread over threads.
public struct ChunkMoments: Sendable {
    var assigned: GroupMoments
    var onMode: GroupMoments
    var spurious = 0
    var negativeLogLikelihood = 0.0
    var pairs = PairTerms()
    let kernel: GaussianKernelMMD

    /// Assigns each sample to the ideal component of highest responsibility at sigma = 0, finds the modes
    /// it lies on, and forms the MMD pair terms; `firstIndex` is the global index of the first sample
    /// (pairs are (2i, 2i + 1) globally).
    init(samples x: UnsafeBufferPointer<Double>, firstIndex: Int, reference: StatisticsReference) {
        let ideal = reference.ideal, d = ideal.dimension
        assigned = GroupMoments(components: ideal.components.count, dimension: d)
        onMode = assigned
        kernel = reference.kernel
        let n = x.count / d, k = reference.noisy.count
        guard let base = x.baseAddress, k > 0 else { return }
        // Scratch for the per-component terms, reused by every sample (no allocation per sample).
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 2 * k)
        defer { scratch.deallocate() }
        let squared = scratch, terms = scratch + k
        var previousCross = 0.0
        reference.noisy.logCoefficients.withUnsafeBufferPointer { logCoefficients in
            for i in 0..<n {
                let point = base + i * d
                reference.squaredMahalanobis(point, into: squared)
                var best = 0
                for a in 0..<k {
                    terms[a] = logCoefficients[a] - 0.5 * squared[a]
                    if terms[a] > terms[best] { best = a }
                }
                negativeLogLikelihood -= terms[best].isFinite ? logSumExp(terms, count: k, top: terms[best]) : terms[best]
                assigned.add(point, to: ideal.activeIndices[best])
                var onAny = false
                for a in 0..<k where squared[a] <= 9 {
                    onMode.add(point, to: ideal.activeIndices[a])
                    onAny = true
                }
                if !onAny { spurious += 1 }
                // MMD pairs (2i, 2i + 1) of the global order.
                let cross = kernel.idealCrossTerm(point, scratch: terms)
                if (firstIndex + i) % 2 == 1 {
                    if i == 0 {
                        pairs.leading = (Array(UnsafeBufferPointer(start: point, count: d)), cross)
                    } else {
                        pairs.add(kernel.kernel(point - d, point) - previousCross - cross + kernel.idealTerm)
                    }
                } else if i == n - 1 {
                    pairs.trailing = (Array(UnsafeBufferPointer(start: point, count: d)), cross)
                }
                previousCross = cross
            }
        }
    }

    /// Appends the moments of the chunk that follows this one in particle order.
    mutating func merge(_ other: ChunkMoments) {
        negativeLogLikelihood += other.negativeLogLikelihood
        assigned.merge(other.assigned)
        onMode.merge(other.onMode)
        spurious += other.spurious
        pairs.merge(other.pairs, kernel: kernel)
    }

    var total: Int { assigned.counts.reduce(0, +) }

    /// One summary per ideal component (mass 0 and NaN-free zeros for a component no sample reached).
    var modes: [ModeSummary] {
        let n = Double(max(total, 1))
        return assigned.counts.indices.map { k in
            ModeSummary(component: k, mass: Double(assigned.counts[k]) / n, count: assigned.counts[k],
                        mean: assigned.mean(k), std: assigned.std(k))
        }
    }

    /// One on-mode summary per ideal component (absent components: count 0).
    func onModes(ideal: GaussianMixture) -> [OnModeSummary] {
        let d = ideal.dimension, n = Double(max(total, 1))
        return onMode.counts.indices.map { k in
            let std = onMode.std(k)
            let covariance = ideal.components[k].covariance
            return OnModeSummary(component: k, mass: Double(onMode.counts[k]) / n, count: onMode.counts[k],
                                 mean: onMode.mean(k), std: std,
                                 stdRatio: (0..<d).map { std[$0] / covariance[$0 * d + $0].squareRoot() })
        }
    }
}
