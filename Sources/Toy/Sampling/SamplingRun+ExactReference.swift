import Foundation

extension SamplingRun {
    /// The exact reference (W2SD-NOTES section 8): i.i.d. samples of `model` at sigma = 0 (a component by
    /// weight, then its Gaussian), drawn by the engine itself: the run's prior is `.exact(model)` at
    /// sigma_0 = 0 and its sampler takes no steps. So particle i uses stream i of `seed` exactly as every
    /// sampler run does (the samples equal `model.samples(count:sigma: 0, seed:)` bit for bit), chunks,
    /// threads, memory checks, trajectories and statistics (kept or streamed) are those of any run, and
    /// the score-evaluation count is 0. Every metric of this run is the finite-sample floor of that
    /// metric at this particle count.
    public static func exactReference(of model: GaussianMixture, particles: Int, seed: UInt64 = 0,
                                      threads: Int = ProcessInfo.processInfo.activeProcessorCount, chunkSize: Int = 2048,
                                      trajectories: Int = 0, keepSamples: Bool = true, ideal: GaussianMixture? = nil) -> SamplingRun {
        SamplingRun(sampler: .exactReference(model), prior: .exact(model), particles: particles, seed: seed, threads: threads,
                    chunkSize: chunkSize, trajectories: trajectories, keepSamples: keepSamples, ideal: ideal)
    }
}
