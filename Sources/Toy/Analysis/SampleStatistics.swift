/// The statistics of a set of samples against the ideal model: per-mode summaries, W1 to the ideal
/// distribution (exact in 1D, sliced over `Wasserstein.directions` for d >= 2) and mean NLL.
public struct SampleStatistics: Sendable {
    public var count: Int
    public var modes: [ModeSummary]
    public var wasserstein: Double
    /// Upper bound on the error of `wasserstein` from its method: 0 when computed from the kept
    /// samples, half a histogram bin when streamed.
    public var wassersteinError: Double
    public var meanNegativeLogLikelihood: Double

    init(moments: ChunkMoments, wasserstein: Double, wassersteinError: Double) {
        count = moments.total
        modes = moments.modes
        self.wasserstein = wasserstein
        self.wassersteinError = wassersteinError
        meanNegativeLogLikelihood = moments.negativeLogLikelihood / Double(max(1, moments.total))
    }

    /// Statistics of kept samples (flat, d = ideal.dimension), with exact W1.
    public init(samples: [Double], ideal: GaussianMixture) {
        let moments = samples.withUnsafeBufferPointer { ChunkMoments(samples: $0, ideal: ideal, noisyIdeal: ideal.noisy(at: 0)) }
        let w1 = Wasserstein.sliced(samples: samples, dimension: ideal.dimension, mixture: ideal,
                                    directions: Wasserstein.directions(dimension: ideal.dimension))
        self.init(moments: moments, wasserstein: w1, wassersteinError: 0)
    }
}
