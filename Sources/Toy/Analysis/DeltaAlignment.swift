import Foundation

/// Delta1 = s_strong - s_weak (observable) and Delta2 = s_ideal - s_strong (unobservable), and how well
/// the first stands in for the second at one noise level, as expectations under p*(x; sigma).
///
/// Delta1, Delta2 and Delta1 - Delta2 = 2 s_strong - s_weak - s_ideal are formed by `ScoreDifference`
/// (pairwise responsibility differences, no subtraction of the scores), so they keep their relative
/// accuracy where the scores agree to many digits: on weight-only models at small sigma the naive
/// subtraction is rounding noise (it reported a mean cosine of 0.13 below sigma ~ 1 on the 1D preset,
/// where the exact value is 1).
///
/// This is the package's one estimator of the alignment of Delta1 and Delta2: `delta`, `verify`, the
/// figures, the learned-model study and the notebooks read it, by quadrature (`compute`) or as a sample
/// mean over points the caller draws (`sampleMean`), with one pointwise formula (`cosine`).
public struct DeltaAlignment: Sendable, Equatable {
    public var sigma: Double
    /// E|Delta1|, E|Delta2| (Euclidean norms).
    public var meanNormDelta1: Double
    public var meanNormDelta2: Double
    /// E[cos(Delta1, Delta2)]: the pointwise cosine averaged over all points, those where either
    /// difference vanishes contributing 0 (`cosine`), as in the paper's Figure 19.
    public var meanCosine: Double
    /// E[Delta1 . Delta2] / sqrt(E|Delta1|^2 E|Delta2|^2): the cosine of the two fields at this level.
    public var fieldCosine: Double
    /// sqrt(E|Delta1 - Delta2|^2 / E|Delta2|^2): the relative error of Delta1 as a proxy for Delta2.
    public var relativeError: Double
    /// E|Delta1|^2, E[Delta1 . Delta2], E|Delta2|^2 and E|Delta1 - Delta2|^2 at this level (the proxy
    /// analysis sums these).
    public var delta1Squared: Double
    public var crossProduct: Double
    public var delta2Squared: Double
    public var gapSquared: Double
    /// The integration's error estimate (largest over the integrated quantities) and method.
    public var integrationError: Double
    public var method: String

    /// Integrates the seven quantities at once (see `Expectation` for the rules and their accuracy).
    public static func compute(_ models: ModelTriple, sigma: Double, gridPoints: Int = 161,
                               samples: Int = 20000, seed: UInt64 = 0) -> DeltaAlignment {
        // The union of (ideal, strong, weak) = (0, 1, 2) and its three sums, formed once for every point.
        let union = ScoreDifference(models, sigma: sigma)
        let (delta1, delta2, gapPlan) = (union.differencePlan(1, minus: 2), union.differencePlan(0, minus: 1),
                                         union.gapPlan(center: 1, 2, 0))
        let point = ScoreDifference.Point(union)
        let d = models.ideal.dimension
        // Delta1, Delta2 and the gap at the current point, [3 d] (one buffer for the whole level).
        let differences = UnsafeMutablePointer<Double>.allocate(capacity: 3 * d)
        defer { differences.deallocate() }
        let e = Expectation.compute(under: models.ideal, sigma: sigma, components: 7, gridPoints: gridPoints,
                                    samples: samples, seed: seed) { x, out in
            point.update(x)
            delta1.evaluate(point, into: differences)
            delta2.evaluate(point, into: differences + d)
            gapPlan.evaluate(point, into: differences + 2 * d)
            pointwise(differences, differences + d, differences + 2 * d, dimension: d, into: out)
        }
        return DeltaAlignment(sigma: sigma, expectations: e)
    }

    /// The same for any three models: through `ScoreDifference` when strong and weak are mixtures,
    /// else as `ScoreModels.differences(sigma:)` forms them (plain differences where a field is involved).
    public static func compute(_ models: ScoreModels, sigma: Double, gridPoints: Int = 161,
                               samples: Int = 20000, seed: UInt64 = 0) -> DeltaAlignment {
        if let mixtures = models.mixtures {
            return compute(mixtures, sigma: sigma, gridPoints: gridPoints, samples: samples, seed: seed)
        }
        return integrate(under: models.ideal, sigma: sigma, gridPoints: gridPoints, samples: samples, seed: seed,
                         models.differences(sigma: sigma))
    }

    /// The same seven quantities as means over `count` points (at least 2) with equal weights: the
    /// estimator for points the caller draws and evaluates itself (Monte Carlo draws of p*(x; sigma) whose
    /// scores a learned field gives in one batch). `differences(i)` is (Delta1, Delta2, Delta1 - Delta2)
    /// at point i; the pointwise formula is `compute`'s, and `integrationError` is the largest standard
    /// error of the means.
    public static func sampleMean(sigma: Double, count: Int,
                                  _ differences: (Int) -> (delta1: [Double], delta2: [Double], gap: [Double])) -> DeltaAlignment {
        let e = Expectation.sampleMean(count: count, components: 7, method: "sample mean, \(count) points") { i in
            let (d1, d2, g) = differences(i)
            return pointwise(d1, d2, g)
        }
        return DeltaAlignment(sigma: sigma, expectations: e)
    }

    /// The seven expectations under p*(x; sigma) of (Delta1, Delta2, Delta1 - Delta2) at each point.
    static func integrate(under ideal: GaussianMixture, sigma: Double, gridPoints: Int, samples: Int, seed: UInt64,
                          _ differences: ([Double]) -> (delta1: [Double], delta2: [Double], gap: [Double])) -> DeltaAlignment {
        let e = Expectation.compute(under: ideal, sigma: sigma, components: 7, gridPoints: gridPoints,
                                    samples: samples, seed: seed) { x in
            let (d1, d2, g) = differences(x)
            return pointwise(d1, d2, g)
        }
        return DeltaAlignment(sigma: sigma, expectations: e)
    }

    /// The integrand at one point: |D1|, |D2|, cos(D1, D2), |D1|^2, D1 . D2, |D2|^2, |D1 - D2|^2 (from
    /// the gap as given, not from D1 and D2, so a gap formed without cancellation keeps its accuracy).
    static func pointwise(_ d1: [Double], _ d2: [Double], _ g: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: 7)
        pointwise(d1, d2, g, dimension: min(d1.count, d2.count, g.count), into: &out)
        return out
    }

    /// The same from buffers of `dimension` values, into out[0 ..< 7].
    static func pointwise(_ d1: UnsafePointer<Double>, _ d2: UnsafePointer<Double>, _ g: UnsafePointer<Double>, dimension: Int,
                          into out: UnsafeMutablePointer<Double>) {
        let n1 = dot(d1, d1, dimension).squareRoot(), n2 = dot(d2, d2, dimension).squareRoot()
        let cross = dot(d1, d2, dimension)
        let gap = dot(g, g, dimension)
        (out[0], out[1], out[2], out[3]) = (n1, n2, cosine(dot: cross, norm1: n1, norm2: n2), n1 * n1)
        (out[4], out[5], out[6]) = (cross, n2 * n2, gap)
    }

    /// One row per noise level, the levels integrated concurrently on `threads` workers (each row is
    /// independent and deterministic, so the result does not depend on the thread count).
    /// `progress` is called after each level with the number done so far (from worker threads).
    public static func compute(_ models: ScoreModels, sigmas: [Double], threads: Int, gridPoints: Int = 161,
                               samples: Int = 20000, seed: UInt64 = 0,
                               progress: (@Sendable (Int) -> Void)? = nil) -> [DeltaAlignment] {
        let counter = FinishedCount()
        return sigmas.concurrentMap(threads: threads) {
            let row = compute(models, sigma: $0, gridPoints: gridPoints, samples: samples, seed: seed)
            progress?(counter.increment())
            return row
        }
    }

    /// (Delta1, Delta2) at x, each without cancellation (see `ScoreDifference` for the accuracy).
    public static func deltas(_ models: ModelTriple, at x: [Double], sigma: Double) -> ([Double], [Double]) {
        deltas(models, sigma: sigma)(x)
    }

    /// `deltas(_:at:sigma:)` with the set-up done once for the noise level (the noisy components, their
    /// precisions and weight classes, whose cost grows with d^3 per component): the same numbers at every
    /// point, for many points at one level.
    public static func deltas(_ models: ModelTriple, sigma: Double) -> @Sendable ([Double]) -> ([Double], [Double]) {
        let union = ScoreDifference(models, sigma: sigma)
        return { x in (union.difference(1, minus: 2, at: x), union.difference(0, minus: 1, at: x)) }
    }

    /// Delta1 - Delta2 = 2 s_strong - s_weak - s_ideal at x, without cancellation.
    public static func gap(_ models: ModelTriple, at x: [Double], sigma: Double) -> [Double] {
        ScoreDifference(models, sigma: sigma).gap(center: 1, 2, 0, at: x)
    }

    /// The Euclidean norm |v| = sqrt(sum_j v_j^2), summed in coordinate order.
    public static func norm(_ v: [Double]) -> Double { dot(v, v).squareRoot() }

    /// The pointwise cosine Delta1 . Delta2 / (|Delta1| |Delta2|), and 0 where either difference is zero
    /// (no direction to compare): the convention of `meanCosine`, which therefore averages over all
    /// points, those with a zero difference included.
    public static func cosine(_ delta1: [Double], _ delta2: [Double]) -> Double {
        cosine(dot: dot(delta1, delta2), norm1: norm(delta1), norm2: norm(delta2))
    }

    static func cosine(dot: Double, norm1: Double, norm2: Double) -> Double {
        norm1 > 0 && norm2 > 0 ? dot / (norm1 * norm2) : 0
    }

    /// sum_j a_j b_j in coordinate order (over the shorter of the two).
    static func dot(_ a: [Double], _ b: [Double]) -> Double { dot(a, b, min(a.count, b.count)) }

    /// sum_j a_j b_j for j < count, in coordinate order.
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
        var sum = 0.0
        for j in 0..<count { sum += a[j] * b[j] }
        return sum
    }
}

extension DeltaAlignment {
    /// A row from the expectations of `pointwise`'s seven quantities.
    init(sigma: Double, expectations e: Expectation) {
        let v = e.values
        self.init(
            sigma: sigma, meanNormDelta1: v[0], meanNormDelta2: v[1], meanCosine: v[2],
            fieldCosine: v[3] > 0 && v[5] > 0 ? v[4] / (v[3] * v[5]).squareRoot() : 0,
            relativeError: v[5] > 0 ? (v[6] / v[5]).squareRoot() : (v[6] > 0 ? .infinity : 0),
            delta1Squared: v[3], crossProduct: v[4], delta2Squared: v[5], gapSquared: v[6],
            integrationError: e.error, method: e.method)
    }
}

/// The proxy-score analysis of notes section 5.5 for s_new = s_strong + alpha Delta1, with the inner
/// product <f, g> = sum over a sigma grid of integral p*(x; sigma) f . g dx:
/// field cosine <D1, D2> / (|D1| |D2|), best alpha* = <D1, D2> / |D1|^2, E(alpha) = |D2 - alpha D1|^2
/// = |D2|^2 - 2 alpha <D1, D2> + alpha^2 |D1|^2, and the safe interval between 0 and 2 alpha* where
/// E(alpha) < E(0).
public struct ProxyAnalysis: Sendable, Equatable {
    public var sigmas: [Double]
    public var delta1Squared: Double
    public var crossProduct: Double
    public var delta2Squared: Double
    /// The sum of E|Delta1 - Delta2|^2 = E(1), formed from the gap itself (see `gapRatio`).
    public var gapSquared: Double

    /// The default grid: 20 sigmas geometrically spaced from 0.01 to 10.
    public static let defaultSigmas: [Double] = (0..<20).map { 0.01 * pow(1000, Double($0) / 19) }

    public init(levels: [DeltaAlignment]) {
        sigmas = levels.map(\.sigma)
        delta1Squared = levels.reduce(0) { $0 + $1.delta1Squared }
        crossProduct = levels.reduce(0) { $0 + $1.crossProduct }
        delta2Squared = levels.reduce(0) { $0 + $1.delta2Squared }
        gapSquared = levels.reduce(0) { $0 + $1.gapSquared }
    }

    public var fieldCosine: Double {
        delta1Squared > 0 && delta2Squared > 0 ? crossProduct / (delta1Squared * delta2Squared).squareRoot() : 0
    }

    public var bestAlpha: Double { delta1Squared > 0 ? crossProduct / delta1Squared : 0 }

    /// E(alpha) = |D2 - alpha D1|^2.
    public func error(alpha: Double) -> Double {
        max(0, delta2Squared - 2 * alpha * crossProduct + alpha * alpha * delta1Squared)
    }

    /// E(alpha) / E(0); 1 when E(0) = 0 and E(alpha) = 0.
    public func errorRatio(alpha: Double) -> Double {
        delta2Squared > 0 ? error(alpha: alpha) / delta2Squared : (error(alpha: alpha) > 0 ? .infinity : 1)
    }

    /// E(1)/E(0) = sum E|Delta1 - Delta2|^2 / sum E|Delta2|^2 from the gap itself: equal to
    /// `errorRatio(alpha: 1)` but without the cancellation of the expanded E(alpha) where Delta1 and
    /// Delta2 agree to many digits (then it keeps the digits the gap has); 1 when both sums are 0.
    public var gapRatio: Double {
        delta2Squared > 0 ? gapSquared / delta2Squared : (gapSquared > 0 ? .infinity : 1)
    }

    /// The ends of the open interval of alpha with E(alpha) < E(0): (0, 2 alpha*) or (2 alpha*, 0); the
    /// interval is empty when alpha* = 0 (then both ends are 0).
    public var safeInterval: ClosedRange<Double> {
        let end = 2 * bestAlpha
        return min(0, end)...max(0, end)
    }
}
