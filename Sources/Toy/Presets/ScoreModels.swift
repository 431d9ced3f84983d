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
        if let mixtures { return DeltaAlignment.deltas(mixtures, at: x, sigma: sigma) }
        let (d1, d2, _) = differences(sigma: sigma)(x)
        return (d1, d2)
    }

    /// (Delta1, Delta2, Delta1 - Delta2) as a function of x at one noise level, for models with a score
    /// field: a difference of two mixtures (Delta2 when the strong model is a mixture, Delta1 when the
    /// weak one is too) is formed without cancellation by `ScoreDifference`; a difference involving a
    /// field is the plain difference of the two scores, whose absolute error is about 1e-16 x the larger
    /// score (so a difference far below the scores keeps few digits). The gap is Delta1 - Delta2 of
    /// those. A randomly perturbed field draws its noise from stream 0 of seed 0 at every point.
    public func differences(sigma: Double) -> @Sendable ([Double]) -> (delta1: [Double], delta2: [Double], gap: [Double]) {
        let (ideal, strong, weak) = (self.ideal, self.strong, self.weak)
        /// a - b: without cancellation when both are mixtures (the union formed once for this sigma).
        func pair(_ a: any ScoreField, _ b: any ScoreField) -> @Sendable ([Double]) -> [Double] {
            if let a = a as? GaussianMixture, let b = b as? GaussianMixture, let union = try? ScoreDifference([a, b], sigma: sigma) {
                return { x in union.difference(0, minus: 1, at: x) }
            }
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
}
