/// The three models of an experiment when the strong and weak models are score fields rather than
/// mixtures (a classifier-free guided field, a saturated learned-like score): the ideal distribution
/// stays a `GaussianMixture`, because everything measured against it needs its density, its exact
/// samples and its modes; the strong and weak models only need a score, which is all `Sampler` uses.
///
/// `ModelTriple` (three mixtures) converts losslessly with `init(_:)`, so code written against
/// `ScoreModels` serves both.
public struct ScoreModels: Sendable {
    public var ideal: GaussianMixture
    public var strong: any ScoreField
    public var weak: any ScoreField

    public init(ideal: GaussianMixture, strong: any ScoreField, weak: any ScoreField) throws {
        guard ideal.dimension == strong.dimension, strong.dimension == weak.dimension else {
            throw ToyError.invalid(input: "models", accepted: "ideal, strong and weak of one dimension (got \(ideal.dimension), \(strong.dimension), \(weak.dimension))")
        }
        self.ideal = ideal
        self.strong = strong
        self.weak = weak
    }

    /// The mixtures of a `ModelTriple` as fields.
    public init(_ models: ModelTriple) {
        ideal = models.ideal
        strong = models.strong
        weak = models.weak
    }

    public var dimension: Int { ideal.dimension }

    /// The three mixtures when the strong and weak models are plain mixtures (then every computation
    /// that needs their densities, exact samples or cancellation-free differences applies), else nil.
    public var mixtures: ModelTriple? {
        guard let strong = strong as? GaussianMixture, let weak = weak as? GaussianMixture else { return nil }
        return try? ModelTriple(ideal: ideal, strong: strong, weak: weak)
    }

    /// Delta1 = s_strong - s_weak and Delta2 = s_ideal - s_strong at x. For three mixtures they are
    /// formed without cancellation (`DeltaAlignment.deltas`); otherwise see `differences(sigma:)`.
    public func deltas(at x: [Double], sigma: Double) -> (delta1: [Double], delta2: [Double]) {
        deltas(sigma: sigma)(x)
    }

    /// `deltas(at:sigma:)` prepared once for one noise level (the same numbers), for many points.
    public func deltas(sigma: Double) -> @Sendable ([Double]) -> (delta1: [Double], delta2: [Double]) {
        if let mixtures {
            let atLevel = DeltaAlignment.deltas(mixtures, sigma: sigma)
            return { x in
                let (d1, d2) = atLevel(x)
                return (d1, d2)
            }
        }
        let differences = differences(sigma: sigma)
        return { x in
            let (d1, d2, _) = differences(x)
            return (d1, d2)
        }
    }

    /// (Delta1, Delta2, Delta1 - Delta2) as a function of x at one noise level, for models with a score
    /// field. A difference of two fields that are combinations of mixture scores (`MixtureTerms`: mixtures,
    /// classifier-free guided fields) with equal coefficient sums, sum_i c_i s_i - sum_j e_j s_j =
    /// sum_k (c_k - e_k)(s_k - s_0) over the union of their mixtures, is formed from differences of mixture
    /// scores without cancellation (`ScoreDifference`), so it keeps its relative accuracy where the scores
    /// agree to many digits. A difference involving any other field (saturated, learned) is the plain
    /// difference of the two scores, whose absolute error is about 1e-16 x the larger score (so a
    /// difference far below the scores keeps few digits; `hasPlainDifferences` says whether any is).
    /// The gap is Delta1 - Delta2 of those. A randomly perturbed field draws its noise from stream 0 of
    /// seed 0 at every point.
    public func differences(sigma: Double) -> @Sendable ([Double]) -> (delta1: [Double], delta2: [Double], gap: [Double]) {
        let (ideal, strong, weak) = (self.ideal, self.strong, self.weak)
        /// a - b: from mixture-score differences when both are combinations of mixtures, else plain.
        func pair(_ a: any ScoreField, _ b: any ScoreField) -> @Sendable ([Double]) -> [Double] {
            if let plan = Self.combinationDifference(a, b, sigma: sigma) { return plan }
            return { x in
                var streams = ParticleStreams(seed: 0, first: 0, count: 1)
                let sa = a.score(at: x, sigma: sigma, streams: &streams)
                var again = ParticleStreams(seed: 0, first: 0, count: 1)
                let sb = b.score(at: x, sigma: sigma, streams: &again)
                return zip(sa, sb).map { $0 - $1 }
            }
        }
        let delta1 = pair(strong, weak), delta2 = pair(ideal, strong)
        return { x in
            let d1 = delta1(x), d2 = delta2(x)
            return (d1, d2, zip(d1, d2).map { $0 - $1 })
        }
    }

    /// Whether some difference of the models is a plain difference of scores (a field that is not a
    /// combination of mixture scores).
    public var hasPlainDifferences: Bool {
        MixtureTerms(strong) == nil || MixtureTerms(weak) == nil
    }

    /// a - b as sum_k (c_k - e_k)(s_k - s_0) over the union of their mixtures (see `differences`), the
    /// mixture-score differences of each point formed once; nil unless both are combinations of mixture
    /// scores with equal coefficient sums (to 1e-12).
    static func combinationDifference(_ a: any ScoreField, _ b: any ScoreField, sigma: Double) -> (@Sendable ([Double]) -> [Double])? {
        guard let ta = MixtureTerms(a), let tb = MixtureTerms(b), abs(ta.total - tb.total) <= 1e-12 * max(1, abs(ta.total)) else { return nil }
        var mixtures: [GaussianMixture] = []
        var coefficients: [Double] = []
        for (sign, terms) in [(1.0, ta.terms), (-1.0, tb.terms)] {
            for (c, mixture) in terms {
                if let k = mixtures.firstIndex(of: mixture) {
                    coefficients[k] += sign * c
                } else {
                    mixtures.append(mixture)
                    coefficients.append(sign * c)
                }
            }
        }
        let dimension = a.dimension
        guard mixtures.count > 1, let union = try? ScoreDifference(mixtures, sigma: sigma) else {
            return { _ in [Double](repeating: 0, count: dimension) }
        }
        // The coefficients sum to 0, so the reference mixture 0's own term drops out.
        let plans = (1..<mixtures.count).filter { coefficients[$0] != 0 }.map { (coefficients[$0], union.differencePlan($0, minus: 0)) }
        return { x in
            let point = ScoreDifference.Point(union, x)
            var out = [Double](repeating: 0, count: dimension)
            for (c, plan) in plans {
                for (j, v) in plan.evaluate(point).enumerated() { out[j] += c * v }
            }
            return out
        }
    }
}
