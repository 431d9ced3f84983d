/// A Gaussian mixture with its noisy mixtures at a run's noise levels formed once
/// (`ScoreField.prepared(for:)`): forming one costs several array allocations, a logarithm per
/// eigenvalue and an exponential per component, which a sampler would otherwise repeat for every batch at
/// every step. At a listed level the scores and Hessians come from the stored `NoisyMixture`, at any other
/// level from one formed as the mixture forms it: the scores and Hessians of the mixture, bit for bit.
/// A class: a sampler hands it on as `any ScoreField` at every step of every chunk
/// (`field(forStepFrom:)`), which for a reference is one reference count instead of a heap box holding
/// the mixture's arrays (allocated, counted and freed each time).
final class MixtureAtNoiseLevels: ScoreField {
    let mixture: GaussianMixture
    /// The distinct levels, increasing, and the noisy mixture at each.
    let levels: [Double]
    let noisy: [NoisyMixture]

    init(_ mixture: GaussianMixture, sigmas: [Double]) {
        self.mixture = mixture
        levels = Array(Set(sigmas)).sorted()
        noisy = levels.map { mixture.noisy(at: $0) }
    }

    private init(mixture: GaussianMixture, levels: [Double], noisy: [NoisyMixture]) {
        (self.mixture, self.levels, self.noisy) = (mixture, levels, noisy)
    }

    /// The same field listing only `sigmas`, the noisy mixtures it already holds taken as they are (the
    /// others formed): for a caller that evaluates at a few of the run's levels very many times (an exact
    /// inversion's two), whose look-ups then search two levels instead of T.
    func prepared(for sigmas: [Double]) -> any ScoreField {
        let listed = Array(Set(sigmas)).sorted()
        return MixtureAtNoiseLevels(mixture: mixture, levels: listed,
                                    noisy: listed.map { sigma in index(of: sigma).map { noisy[$0] } ?? mixture.noisy(at: sigma) })
    }

    var dimension: Int { mixture.dimension }
    var evaluationCost: Int { 1 }

    func scores(_ x: UnsafePointer<Double>, count: Int, sigma: Double,
                into out: UnsafeMutablePointer<Double>, streams: inout ParticleStreams) {
        if let index = index(of: sigma) {
            noisy[index].scores(x, count: count, into: out)
        } else {
            mixture.scores(x, count: count, sigma: sigma, into: out, streams: &streams)
        }
    }

    func logDensityHessian(at x: [Double], sigma: Double) -> [Double]? {
        if let index = index(of: sigma) { return noisy[index].hessian(at: x) }
        return mixture.logDensityHessian(at: x, sigma: sigma)
    }

    /// The position of `sigma` among the levels (binary search for an equal value), or nil.
    private func index(of sigma: Double) -> Int? {
        var low = 0, high = levels.count
        while low < high {
            let middle = (low + high) / 2
            if levels[middle] < sigma { low = middle + 1 } else { high = middle }
        }
        return low < levels.count && levels[low] == sigma ? low : nil
    }
}
