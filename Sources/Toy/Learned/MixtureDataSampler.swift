/// Exact samples of a mixture at sigma = 0 without allocating per sample: the draw of
/// `NoisyMixture.sample(into:using:)` (a component by weight from one uniform, then d normals z,
/// x = mu_k + Q_k diag(sqrt(L_k)) z), with the same random numbers in the same order, so both give equal bits.
struct MixtureDataSampler: Sendable {
    let dimension: Int
    private let mixture: NoisyMixture
    private let scales: [Double]

    init(_ mixture: GaussianMixture) {
        self.mixture = mixture.noisy(at: 0)
        dimension = mixture.dimension
        scales = self.mixture.variances.map { $0.squareRoot() }
    }

    /// Writes one sample to out[0 ..< d]; `scratch` holds d values.
    func draw(into out: UnsafeMutablePointer<Double>, scratch z: UnsafeMutablePointer<Double>, using rng: inout Xoshiro256StarStar) {
        let d = dimension, m = mixture
        let u = rng.nextOpenUnit() * (m.cumulativeWeights.last ?? 1)
        var c = 0
        while c < m.count - 1 && m.cumulativeWeights[c] < u { c += 1 }
        for j in 0..<d { z[j] = rng.nextNormal() * scales[c * d + j] }
        for r in 0..<d {
            var v = m.means[c * d + r]
            for j in 0..<d { v += m.eigenvectors[c * d * d + r * d + j] * z[j] }
            out[r] = v
        }
    }
}
