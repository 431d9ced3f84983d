/// Where the first iterate comes from.
public enum Prior: Sendable {
    /// N(0, sigma_0^2 I), the pinned default.
    case gaussian
    /// Exact samples of p(x; sigma_0) of the given model (removes the prior mismatch from a check).
    case exact(GaussianMixture)

    /// Writes one draw for each particle of the batch, each from its own stream.
    func draw(into x: UnsafeMutablePointer<Double>, count: Int, dimension d: Int, sigma: Double,
              streams: inout ParticleStreams) {
        switch self {
        case .gaussian:
            for p in 0..<count { for j in 0..<d { x[p * d + j] = sigma * streams.generators[p].nextNormal() } }
        case let .exact(model):
            let noisy = model.noisy(at: sigma)
            for p in 0..<count { noisy.sample(into: x + p * d, using: &streams.generators[p]) }
        }
    }
}
