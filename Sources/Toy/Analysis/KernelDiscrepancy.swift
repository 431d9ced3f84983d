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
    /// the squared distances' middle order statistics (`orderStatistics`), then the mean of the square
    /// roots of the two middle ones (the middle one for an odd count).
    static func medianDistance(_ points: [Double], dimension d: Int) -> Double {
        let m = points.count / d, count = m * (m - 1) / 2
        guard count > 0 else { return .nan }
        let squared = [Double](unsafeUninitializedCapacity: count) { buffer, initialised in
            points.withUnsafeBufferPointer { p in
                var k = 0
                for i in 0..<m {
                    for j in (i + 1)..<m {
                        var s = 0.0
                        for r in 0..<d { let t = p[i * d + r] - p[j * d + r]; s += t * t }
                        buffer[k] = s
                        k += 1
                    }
                }
            }
            initialised = count
        }
        let middle = squared.orderStatistics(ranks: (count - 1) / 2...count / 2)
        return 0.5 * (middle[0].squareRoot() + middle[middle.count - 1].squareRoot())
    }
}
