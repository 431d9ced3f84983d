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

/// The samples on one ideal mode: a sample is on mode k when its squared Mahalanobis distance to the ideal
/// component k under that component's own covariance S_k (sigma = 0), q_k = (x - mu_k)^T S_k^-1 (x - mu_k),
/// is below the chi-square quantile t_d = chi2_d(q) at q = `StatisticsReference.onModeQuantile` = 0.999
/// (10.83 in 1D, i.e. |x - mu_k| < 3.29 sd_k; 13.82 in 2D; 104.7 in 64 dimensions). Since q_k of an exact
/// sample of component k is chi-square with d degrees of freedom, exact samples of a mixture with
/// separated modes lie on a mode with probability q = 0.999 in every dimension (a fixed radius would
/// miss almost every sample once d is large: a Gaussian sample lies at radius about sqrt(d)). A sample
/// inside the windows of several (overlapping) modes is on the one with the smallest q_k (the first on
/// a tie), so it counts once; a sample on no mode is spurious. The on-mode masses and the spurious
/// fraction add up to 1.
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
    /// point). Exact samples of a well-separated mode give `exactStdRatio(dimension:)`, slightly below 1,
    /// because the window cuts the tails.
    public var stdRatio: [Double]

    /// The per-coordinate std ratio of exact samples of N(mu, S) restricted to the window
    /// (x - mu)^T S^-1 (x - mu) < t, t = chi2_d(0.999): E[z z^T | |z|^2 < t] = c I for z ~ N(0, I_d), with
    /// c = P(chi^2_{d+2} < t) / P(chi^2_d < t) = P(d/2 + 1, t/2) / 0.999, so the ratio is sqrt(c) in every
    /// coordinate (0.99413 in 1D, 0.99654 in 2D, 0.99965 in 64 dimensions).
    public static func exactStdRatio(dimension d: Int) -> Double {
        let t = StatisticsReference.onModeThreshold(dimension: d)
        return (SpecialFunctions.regularizedLowerGamma(Double(d + 2) / 2, t / 2)
            / SpecialFunctions.regularizedLowerGamma(Double(d) / 2, t / 2)).squareRoot()
    }
}

/// What the per-chunk statistics need of the ideal model, formed once per run: the model, its
/// components at sigma = 0 (precisions S_k^-1 for the on-mode windows) and the window's threshold.
public struct StatisticsReference: Sendable {
    public let ideal: GaussianMixture
    let noisy: NoisyMixture
    /// t_d = chi2_d(`onModeQuantile`): a sample is on mode k when q_k < t_d (`OnModeSummary`).
    public let onModeThreshold: Double

    /// q = 0.999: the probability that an exact sample of a component lies in that component's window,
    /// so that exact samples of separated modes are spurious with probability 1 - q = 0.001 in any
    /// dimension.
    public static let onModeQuantile = 0.999

    /// The chi-square quantile chi2_d(`onModeQuantile`) (`SpecialFunctions.chiSquareQuantile`, ~1e-14
    /// relative): 10.827566 for d = 1, 13.815511 for d = 2, 104.716325 for d = 64.
    public static func onModeThreshold(dimension d: Int) -> Double {
        SpecialFunctions.chiSquareQuantile(onModeQuantile, degreesOfFreedom: Double(d))
    }

    public init(ideal: GaussianMixture) {
        self.ideal = ideal
        noisy = ideal.noisy(at: 0)
        onModeThreshold = Self.onModeThreshold(dimension: ideal.dimension)
    }

    /// q_a = (x - mu_a)^T S_a^-1 (x - mu_a) for every active component a and a block of samples (lane j of
    /// `xs[r]`: coordinate r of the block's sample j), into `out` (the lanes of component a at
    /// a * `Lanes.scalarCount`): the squared Mahalanobis distances of the on-mode windows (q_a < t_d); c_a - q_a / 2 are
    /// the log-terms of p*(x). Each lane does the operations of one sample in the order of a scalar loop.
    @inline(__always)
    func squaredMahalanobis(_ xs: UnsafePointer<Lanes>, into out: UnsafeMutablePointer<Double>) {
        let d = noisy.dimension
        noisy.means.withUnsafeBufferPointer { means in
            noisy.precisions.withUnsafeBufferPointer { precisions in
                for a in 0..<noisy.count {
                    let q = laneQuadraticForm(xs, means: means, precisions: precisions, component: a, dimension: d)
                    UnsafeMutableRawPointer(out + a * Lanes.scalarCount).storeBytes(of: q, as: Lanes.self)
                }
            }
        }
    }
}

/// Lanes where a > b (false where both are -infinity; neither is ever NaN or +infinity here): b - a < 0,
/// except that -infinity - (-infinity) is NaN, so the lanes where a is -infinity are cleared.
@inline(__always)
func greaterMask(_ a: Lanes, _ b: Lanes) -> LaneBits {
    signMask(b - a) & ~signMask(a + Double.greatestFiniteMagnitude)
}

/// Count, mean and sum of squared deviations per ideal component, merged by Chan et al.
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

    /// The moments of the groups summed in `sums`.
    init(_ sums: ShiftedLaneSums) {
        self.init(components: sums.groups, dimension: sums.dimension)
        for k in 0..<sums.groups {
            counts[k] = sums.count(k)
            for r in 0..<dimension { (means[k * dimension + r], squaredDeviations[k * dimension + r]) = sums.moments(k, coordinate: r) }
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
/// samples assigned to it and of the samples on it (inside its chi-square window and nearest among
/// the windows they are in, `OnModeSummary`), the spurious
/// count, the sum of -log p*(x), and the samples of global index below `GaussianKernelMMD.sampleCap`
/// (the MMD statistic's). Chunks merge in index order (Chan et al.), so the result does not depend on
/// how chunks were spread over threads.
public struct ChunkMoments: Sendable {
    var assigned: GroupMoments
    var onMode: GroupMoments
    var spurious = 0
    var negativeLogLikelihood = 0.0
    /// The samples of global index below `GaussianKernelMMD.sampleCap` (flat), in index order.
    var head: [Double] = []

    /// Assigns each sample to the ideal component of highest responsibility at sigma = 0 (the first one on a
    /// tie), finds the mode it lies on (if any), and keeps the samples the MMD statistic uses; `firstIndex`
    /// is the global index of the first sample.
    ///
    /// Blocks of `Lanes.scalarCount` samples share one pass over the components: the squared distances,
    /// the best log-term t* and sum_a exp(t_a - t*) (`expNonPositiveUnchecked`, relative error 2.2e-16) for
    /// -log p*(x) = -(t* + log sum) (`logPositiveNormal`, within 2 ulp), the nearest on-mode window, and
    /// the group moments (`ShiftedLaneSums`, from lane masks: assigned, on a mode) are lane arithmetic; the
    /// NLL is summed in particle order. Runs longer than `partLength` are cut into parts, merged in order.
    init(samples x: UnsafeBufferPointer<Double>, firstIndex: Int, reference: StatisticsReference) {
        let ideal = reference.ideal, d = ideal.dimension
        if x.count / d > Self.partLength {
            let n = x.count / d
            var parts = stride(from: 0, to: n, by: Self.partLength).map { start in
                ChunkMoments(samples: UnsafeBufferPointer(rebasing: x[(start * d)..<(min(start + Self.partLength, n) * d)]),
                             firstIndex: firstIndex + start, reference: reference)
            }
            var merged = parts.removeFirst()
            for part in parts { merged.merge(part) }
            self = merged
            return
        }
        assigned = GroupMoments(components: ideal.components.count, dimension: d)
        onMode = assigned
        let n = x.count / d, k = reference.noisy.count, width = Lanes.scalarCount
        guard let base = x.baseAddress, n > 0, k > 0 else { return }
        let kept = max(0, min(n, GaussianKernelMMD.sampleCap - firstIndex))
        if kept > 0 { head = Array(UnsafeBufferPointer(start: base, count: kept * d)) }
        // Scratch reused by every block (no allocation per sample): the block's coordinates (d lanes) and
        // the squared distances (k lanes).
        let xs = UnsafeMutablePointer<Lanes>.allocate(capacity: d)
        let squared = UnsafeMutablePointer<Double>.allocate(capacity: k * width)
        defer { xs.deallocate(); squared.deallocate() }
        let components = ideal.components.count
        var assignedSums = ShiftedLaneSums(groups: components, dimension: d), onModeSums = assignedSums
        let laneIndex = Lanes(0, 1, 2, 3, 4, 5, 6, 7)
        ideal.activeIndices.withUnsafeBufferPointer { active in
            reference.noisy.logCoefficients.withUnsafeBufferPointer { logCoefficients in
                for start in stride(from: 0, to: n, by: width) {
                    let count = min(width, n - start)
                    // Lane j: sample start + j (the block's last sample repeated past the end of the chunk).
                    // Full blocks in 1D and 2D: contiguous loads (2D split into x and y lanes).
                    if count == width && d <= 2 {
                        let raw = UnsafeRawPointer(base + start * d)
                        if d == 1 {
                            xs[0] = raw.loadUnaligned(as: Lanes.self)
                        } else {
                            (xs[0], xs[1]) = Self.coordinateLanes(raw)
                        }
                    } else {
                        for r in 0..<d {
                            var v = Lanes(repeating: 0)
                            for j in 0..<width { v[j] = base[(start + min(j, count - 1)) * d + r] }
                            xs[r] = v
                        }
                    }
                    let valid = signMask(laneIndex - Double(count))
                    reference.squaredMahalanobis(xs, into: squared)
                    func distance(_ a: Int) -> Lanes { UnsafeRawPointer(squared + a * width).loadUnaligned(as: Lanes.self) }
                    func term(_ a: Int) -> Lanes { logCoefficients[a] - 0.5 * distance(a) }
                    var top = term(0), best = Lanes(repeating: 0)
                    for a in 1..<k {
                        let t = term(a), greater = greaterMask(t, top)
                        top = select(greater, t, top)
                        best = select(greater, Lanes(repeating: Double(a)), best)
                    }
                    var sum = Lanes(repeating: 0)
                    for a in 0..<k { sum += expNonPositiveUnchecked(term(a) - top) }
                    // sum >= 1 (the top term is exp(0)) where top is finite; other lanes are not used.
                    let logSum = logPositiveNormal(sum)
                    for j in 0..<count { negativeLogLikelihood -= top[j].isFinite ? top[j] + logSum[j] : top[j] }
                    // On a mode: the nearest window the sample is inside, q_a < t (strictly below: the first
                    // component on a tie); `onIndex` stays -1 on no mode (spurious).
                    var nearest = Lanes(repeating: reference.onModeThreshold), onIndex = Lanes(repeating: -1)
                    for a in 0..<k {
                        let q = distance(a), closer = signMask(q - nearest)
                        nearest = select(closer, q, nearest)
                        onIndex = select(closer, Lanes(repeating: Double(a)), onIndex)
                    }
                    // Groups: assigned to a (best = a exactly: |best - a| < 1/2), on mode a (onIndex = a).
                    for a in 0..<k {
                        let isBest = ~signMask(negativeMagnitude(best - Double(a)) + 0.5)
                        assignedSums.add(valid & isBest, to: active[a], xs)
                        let isOn = ~signMask(negativeMagnitude(onIndex - Double(a)) + 0.5)
                        onModeSums.add(valid & isOn, to: active[a], xs)
                    }
                    for j in 0..<count where onIndex[j] < 0 { spurious += 1 }
                }
            }
        }
        assigned = GroupMoments(assignedSums)
        onMode = GroupMoments(onModeSums)
    }

    /// The x and y lanes of eight 2D points stored as (x0, y0, x1, y1, ...) at `points`.
    @inline(__always)
    private static func coordinateLanes(_ points: UnsafeRawPointer) -> (Lanes, Lanes) {
        let lo = points.loadUnaligned(as: Lanes.self), hi = (points + MemoryLayout<Lanes>.stride).loadUnaligned(as: Lanes.self)
        return (Lanes(lowHalf: lo.evenHalf, highHalf: hi.evenHalf), Lanes(lowHalf: lo.oddHalf, highHalf: hi.oddHalf))
    }

    /// Samples per `ChunkMoments` pass: longer runs are cut into parts of this many, merged in order (the
    /// group members of a part stay small, and their indices fit in 32 bits).
    static let partLength = 1 << 16

    /// Appends the moments of the chunk that follows this one in particle order.
    mutating func merge(_ other: ChunkMoments) {
        negativeLogLikelihood += other.negativeLogLikelihood
        assigned.merge(other.assigned)
        onMode.merge(other.onMode)
        spurious += other.spurious
        head += other.head
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
