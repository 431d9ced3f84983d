/// The statistics of a set of samples against the ideal model: per-mode summaries, W1 to the ideal
/// distribution (exact in 1D, sliced over `Wasserstein.directions` for d >= 2) and mean NLL, plus the
/// metrics that do not reward collapse (README, "Metrics"): on-mode masses with their spread, the
/// spurious fraction, W2 (exact in 1D, sliced beyond) and MMD^2 to the exact ideal distribution.
public struct SampleStatistics: Sendable {
    public var count: Int
    public var modes: [ModeSummary]
    public var wasserstein: Double
    /// Upper bound on the error of `wasserstein` from its method: 0 when computed from the kept
    /// samples, half a histogram bin when streamed.
    public var wassersteinError: Double
    public var meanNegativeLogLikelihood: Double
    /// Per ideal component: the samples on it, i.e. with squared Mahalanobis distance below the
    /// chi-square quantile chi2_d(0.999) and nearest among the windows they are in (`OnModeSummary`).
    public var onMode: [OnModeSummary]
    /// The fraction (and number) of samples on no ideal mode (outside every chi2_d(0.999) window):
    /// about 1 - 0.999 = 0.001 for exact samples of separated modes, in any dimension.
    public var spuriousFraction: Double
    public var spuriousCount: Int
    /// W2 to the ideal distribution: exact in 1D, sqrt(mean over directions of W2^2) for d >= 2.
    public var wasserstein2: Double
    /// Upper bound on the error of `wasserstein2` from its method: 0 (up to rounding, see
    /// `Wasserstein.exactSquaredW2`) from kept samples; from the histograms of a streamed run, the RMS over
    /// directions of sqrt((bin / 2)^2 + mean squared distance of the samples outside the histogram range).
    public var wasserstein2Error: Double
    /// MMD^2 to the exact ideal distribution: the unbiased U-statistic of the first
    /// min(n, `GaussianKernelMMD.sampleCap`) samples against as many exact ideal samples of a fixed seed,
    /// with its standard error and z (`GaussianKernelMMD.estimate`); nil with fewer than two samples.
    public var mmd: MMDEstimate?

    /// The costly distances to the ideal distribution, each of which a run may leave out when its caller
    /// reads none of it (a tuning stage that selects on W1 alone): every other statistic comes from the
    /// chunk moments and is always there. A distance left out is NaN (`wasserstein`, `wasserstein2` and
    /// their errors) or nil (`mmd`): undefined, as the metrics treat every NaN. Those computed are the
    /// same, bit for bit, whatever else is computed beside them.
    public struct Distances: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// W1 (`wasserstein`).
        public static let wasserstein = Distances(rawValue: 1)
        /// W2 (`wasserstein2`).
        public static let wasserstein2 = Distances(rawValue: 2)
        /// MMD^2 (`mmd`).
        public static let mmd = Distances(rawValue: 4)
        public static let all: Distances = [.wasserstein, .wasserstein2, .mmd]
    }

    /// The statistics from merged histograms and outside sums (a streamed run, or kept samples of
    /// d >= 2 beyond `exactSliceLimit`): W1 and W2 of the binned samples, the directions on `threads` workers.
    init(moments: ChunkMoments, ideal: GaussianMixture, histograms: ProjectionHistograms, outside: ProjectionHistograms.OutsideSums,
         threads: Int = 1, distances: Distances = .all) {
        let w2 = distances.contains(.wasserstein2) ? histograms.wasserstein2(outside: outside, threads: threads) : (value: .nan, error: .nan)
        let w1 = distances.contains(.wasserstein) ? histograms.wasserstein(outside: outside, threads: threads) : .nan
        self.init(moments: moments, ideal: ideal, wasserstein: w1, wassersteinError: distances.contains(.wasserstein) ? histograms.binningError : .nan,
                  wasserstein2: w2.value, wasserstein2Error: w2.error, threads: threads, distances: distances)
    }

    /// Kept samples of d >= 2 use the exact sliced W1 and W2 up to this many samples and the projection
    /// histograms beyond (with their stated error): the exact slices cost 64 sorts and 64 n quantile
    /// solves, the histograms 64 passes over the samples plus work proportional to the bins (4096), so
    /// beyond as many samples as bins the histograms are the cheaper (and their error bound is small
    /// against the sampling noise of n samples). In 1D W1 and W2 stay exact for any n (one sort, one
    /// pass over the samples, on all threads).
    public static let exactSliceLimit = 4096

    /// The statistics of kept samples (flat, d = ideal.dimension) with their merged chunk moments: exact
    /// W1 and W2 (1D: sorted and integrated on `threads` workers; d >= 2: the directions on `threads` workers).
    init(moments: ChunkMoments, ideal: GaussianMixture, samples: [Double], threads: Int, distances: Distances = .all) {
        let d = ideal.dimension
        let (one, two) = (distances.contains(.wasserstein), distances.contains(.wasserstein2))
        var w1 = Double.nan, w2 = Double.nan
        if d == 1 && (one || two) {
            let sorted = samples.radixSorted(threads: threads)
            let reference = MixtureCDF1D(projecting: ideal, onto: [1])
            if one { w1 = Wasserstein.exact(sortedSamples: sorted, reference: reference, threads: threads) }
            if two { w2 = Wasserstein.exactSquaredW2(sortedSamples: sorted, reference: reference, threads: threads).squareRoot() }
        } else if d >= 2 && (one || two) {
            // Both together even when one is asked for: `Wasserstein.sliced` sums W1 in another order.
            (w1, w2) = Wasserstein.slicedW1AndW2(samples: samples, dimension: d, mixture: ideal,
                                                 directions: Wasserstein.directions(dimension: d), threads: threads)
            if !one { w1 = .nan }
            if !two { w2 = .nan }
        }
        self.init(moments: moments, ideal: ideal, wasserstein: w1, wassersteinError: one ? 0 : .nan, wasserstein2: w2, wasserstein2Error: two ? 0 : .nan,
                  threads: threads, distances: distances)
    }

    private init(moments: ChunkMoments, ideal: GaussianMixture, wasserstein: Double, wassersteinError: Double,
                 wasserstein2: Double, wasserstein2Error: Double, threads: Int, distances: Distances) {
        count = moments.total
        modes = moments.modes
        self.wasserstein = wasserstein
        self.wassersteinError = wassersteinError
        meanNegativeLogLikelihood = moments.negativeLogLikelihood / Double(max(1, moments.total))
        onMode = moments.onModes(ideal: ideal)
        spuriousCount = moments.spurious
        spuriousFraction = Double(moments.spurious) / Double(max(1, moments.total))
        self.wasserstein2 = wasserstein2
        self.wasserstein2Error = wasserstein2Error
        mmd = distances.contains(.mmd) ? moments.head.withUnsafeBufferPointer { GaussianKernelMMD.shared(ideal: ideal).estimate(samples: $0, threads: threads) } : nil
    }

    /// Statistics of kept samples (flat, d = ideal.dimension): exact W1 and W2 in 1D and for d >= 2 up to
    /// `exactSliceLimit` samples, the projection histograms beyond (as a run of these samples would give);
    /// only the chosen `distances`.
    public init(samples: [Double], ideal: GaussianMixture, threads: Int = 1, distances: Distances = .all) {
        let reference = StatisticsReference(ideal: ideal)
        let moments = samples.withUnsafeBufferPointer { ChunkMoments(samples: $0, firstIndex: 0, reference: reference) }
        let d = ideal.dimension
        if d >= 2 && samples.count / d > Self.exactSliceLimit {
            var histograms = ProjectionHistograms(ideal: ideal)
            let outside = samples.withUnsafeBufferPointer { histograms.add($0, dimension: d) }
            self.init(moments: moments, ideal: ideal, histograms: histograms, outside: outside, threads: threads, distances: distances)
        } else {
            self.init(moments: moments, ideal: ideal, samples: samples, threads: threads, distances: distances)
        }
    }
}
