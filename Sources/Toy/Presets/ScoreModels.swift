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

    /// Delta1 = s_strong - s_weak and Delta2 = s_ideal - s_strong at x, as plain differences of the
    /// three scores. A randomly perturbed field draws its noise from stream 0 of seed 0.
    public func deltas(at x: [Double], sigma: Double) -> (delta1: [Double], delta2: [Double]) {
        var streams = ParticleStreams(seed: 0, first: 0, count: 1)
        let ss = strong.score(at: x, sigma: sigma, streams: &streams)
        let sw = weak.score(at: x, sigma: sigma, streams: &streams)
        let si = ideal.score(at: x, sigma: sigma)
        return (zip(ss, sw).map { $0 - $1 }, zip(si, ss).map { $0 - $1 })
    }
}
