extension NoisyMixture {
    /// Writes one exact sample of p(x; sigma) to `out[0 ..< d]`: a component k drawn with
    /// probability pi_k, then mu_k + Q_k diag(sqrt(L_k + sigma^2)) z with z ~ N(0, I).
    public func sample(into out: UnsafeMutablePointer<Double>, using rng: inout Xoshiro256StarStar) {
        let d = dimension
        let u = rng.nextOpenUnit() * (cumulativeWeights.last ?? 1)
        var c = 0
        while c < count - 1 && cumulativeWeights[c] < u { c += 1 }
        var z = [Double](repeating: 0, count: d)
        for j in 0..<d { z[j] = rng.nextNormal() * variances[c * d + j].squareRoot() }
        for r in 0..<d {
            var v = means[c * d + r]
            for j in 0..<d { v += eigenvectors[c * d * d + r * d + j] * z[j] }
            out[r] = v
        }
    }
}

extension GaussianMixture {
    /// `count` exact samples of p(x; sigma), flat [i * d + j]; sample i uses stream i of `seed`.
    public func samples(count: Int, sigma: Double = 0, seed: UInt64) -> [Double] {
        let noisy = self.noisy(at: sigma)
        let d = dimension
        var out = [Double](repeating: 0, count: count * d)
        out.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<count {
                var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(i))
                noisy.sample(into: buffer.baseAddress! + i * d, using: &rng)
            }
        }
        return out
    }
}
