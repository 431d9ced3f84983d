import Foundation

/// The squared maximum mean discrepancy between a method's samples and the exact ideal distribution p*,
/// with the Gaussian kernel k(x, y) = exp(-|x - y|^2 / (2 l^2)):
///
///     MMD^2 = E k(X, X') + E k(Y, Y') - 2 E k(X, Y),   X, X' ~ the method, Y, Y' ~ p*,
///
/// estimated by the unbiased U-statistic against a reference of exact ideal samples (`estimate`).
///
/// - Samples: the first n = min(N, `sampleCap`) = min(N, 2000) of the method's N samples in particle
///   order (particle i draws from its own stream, so the first n are an i.i.d. sample of the method's
///   output, the same for kept and streamed runs and for any thread count or chunk size).
/// - Reference: n exact samples y_i of p* (a component by weight, then its Gaussian), y_i from stream
///   2^63 + i of the fixed seed `referenceSeed`: fixed for a given ideal model and n, independent of the
///   run's seed, and never equal to a run's particles (those use streams below 2^63).
/// - Bandwidth (median heuristic, Gretton et al. 2012): l = the median of the Euclidean distances between
///   the pairs of `bandwidthSampleCount` = 1000 further exact samples of p* (streams 2^63 + 2^62 + i of
///   the same seed; the mean of the two middle distances of the 499,500), a function of the ideal model
///   only. Drawn apart from the reference, so the kernel does not depend on the y_i and the statistic
///   stays exactly unbiased.
///
/// Cost: 4 n (n - 1) / 2 kernel evaluations (`estimate`), about 2.2 ns each on one core in 1D and 2D (a
/// release build, AVX2): at the cap 8e6, about 0.018 s of CPU, whatever N. The cap holds that to a few
/// percent of a run of 10^6 particles (`toy-w2sd bench`: the 1D W2SD run takes about 0.6 s of CPU, its
/// other statistics 0.1 s); 4000 would cost 0.07 s, and every doubling of n doubles the z of a given
/// difference (z grows like n) but quadruples the cost.
public struct GaussianKernelMMD: Sendable {
    /// At most this many of the method's samples (the first ones) enter the statistic, against as many
    /// reference draws.
    public static let sampleCap = 2000
    /// The seed of the reference and bandwidth draws ("MMD2REF1" in ASCII).
    public static let referenceSeed: UInt64 = 0x4D4D_4432_5245_4631
    /// Exact ideal samples behind the bandwidth.
    public static let bandwidthSampleCount = 1000
    /// Stream of reference draw i: 2^63 + i; of bandwidth draw i: 2^63 + 2^62 + i.
    static let referenceStream: UInt64 = 1 << 63
    static let bandwidthStream: UInt64 = 1 << 63 | 1 << 62

    /// l, the kernel's length scale (the median heuristic above).
    public let bandwidth: Double
    let dimension: Int
    let ideal: NoisyMixture
    /// The seed of the reference and bandwidth draws: `referenceSeed` but in the tests of the statistic's
    /// calibration, which average over references too.
    let seed: UInt64

    /// The kernel of `ideal`, its bandwidth from the median heuristic; draws from `seed` (the fixed
    /// `referenceSeed` unless a test varies it).
    public init(ideal: GaussianMixture, seed: UInt64 = Self.referenceSeed) {
        let noisy = ideal.noisy(at: 0)
        self.init(ideal: ideal, bandwidth: Self.medianDistance(Self.draws(of: noisy, count: Self.bandwidthSampleCount, seed: seed,
                                                                             firstStream: Self.bandwidthStream), dimension: ideal.dimension),
                  seed: seed)
    }

    /// A chosen bandwidth l > 0 (the caller checks it).
    init(ideal: GaussianMixture, bandwidth l: Double, seed: UInt64 = Self.referenceSeed) {
        bandwidth = l
        dimension = ideal.dimension
        self.ideal = ideal.noisy(at: 0)
        self.seed = seed
    }

    /// The n reference draws y_0 ... y_{n-1} (flat, d coordinates each).
    public func referenceSamples(count n: Int) -> [Double] {
        Self.draws(of: ideal, count: n, seed: seed, firstStream: Self.referenceStream)
    }

    /// k(x, y) for two points (d coordinates each), as `estimate` computes it.
    public func kernel(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        var squared = 0.0
        for r in 0..<dimension { squared += (x[r] - y[r]) * (x[r] - y[r]) }
        return expNonPositive(-squared / (2 * bandwidth * bandwidth))
    }

    /// Exact samples of `model`, draw i from stream `firstStream` + i of `seed`.
    static func draws(of model: NoisyMixture, count n: Int, seed: UInt64, firstStream: UInt64) -> [Double] {
        let d = model.dimension
        var out = [Double](repeating: 0, count: n * d)
        out.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for i in 0..<n {
                var rng = Xoshiro256StarStar(seed: seed, stream: firstStream &+ UInt64(i))
                model.sample(into: base + i * d, using: &rng)
            }
        }
        return out
    }

    /// The median of the m (m - 1) / 2 pairwise Euclidean distances of m points (flat, d coordinates):
    /// the squared distances' two middle order statistics by selection (`orderStatistics`), then the
    /// mean of their square roots (the middle one for an odd count).
    static func medianDistance(_ points: [Double], dimension d: Int) -> Double {
        let m = points.count / d
        var squared: [Double] = []
        squared.reserveCapacity(m * (m - 1) / 2)
        for i in 0..<m {
            for j in (i + 1)..<max(i + 1, m) {
                var s = 0.0
                for r in 0..<d { s += (points[i * d + r] - points[j * d + r]) * (points[i * d + r] - points[j * d + r]) }
                squared.append(s)
            }
        }
        guard !squared.isEmpty else { return .nan }
        let count = squared.count
        let upper = squared.orderStatistic(count / 2)
        if count % 2 == 1 { return upper.squareRoot() }
        // The lower middle value: the largest of the elements the selection left below position count / 2.
        let lower = squared[0..<(count / 2)].max() ?? upper
        return 0.5 * (lower.squareRoot() + upper.squareRoot())
    }
}

extension Array where Element == Double {
    /// The k-th smallest element (0-based; the array is reordered so that it sits at index k with no larger
    /// element before it and no smaller one after): Hoare selection with a median-of-three pivot, expected
    /// linear time. The elements must not be NaN.
    mutating func orderStatistic(_ k: Int) -> Double {
        var lo = 0, hi = count - 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            // Median of three as the pivot value.
            if self[mid] < self[lo] { swapAt(mid, lo) }
            if self[hi] < self[lo] { swapAt(hi, lo) }
            if self[hi] < self[mid] { swapAt(hi, mid) }
            let pivot = self[mid]
            var i = lo, j = hi
            while i <= j {
                while self[i] < pivot { i += 1 }
                while pivot < self[j] { j -= 1 }
                if i <= j { swapAt(i, j); i += 1; j -= 1 }
            }
            // Now [lo, j] <= pivot <= [i, hi], and elements strictly between j and i equal the pivot.
            if k <= j { hi = j } else if k >= i { lo = i } else { return self[k] }
        }
        return self[k]
    }
}
