import Foundation

/// A fixed held-out set of denoising triples (x0_i, sigma_i, n_i), i < N, on which the losses of models
/// trained by different recipes can be compared: drawn once from a declared seed, independent of every
/// training seed and recipe.
///
///     x0_i      exact sample of `source` (stream i of `seed`, `GaussianMixture.samples`)
///     ln sigma_i ~ N(noise.mean, noise.std^2), n_i ~ N(0, I)   (stream i of SplitMix64.mix(seed ^ 0x5E7), in that order)
///     loss(D)  = (1 / N) sum_i lambda(sigma_i) |D(x0_i + sigma_i n_i; sigma_i) - x0_i|^2,
///                lambda(sigma) = (sigma^2 + sd^2) / (sigma sd)^2 with the set's sd (`weighting`)
///
/// With a model's own sigma_data equal to the set's this is its training loss on unseen data; the set's
/// weighting is fixed, so a model preconditioned with another sigma_data is still measured by the same
/// yardstick. The residual is formed without cancellation: D - x0 = c_out F - (sigma^2 / (sigma^2 + sd_m^2)) x0
/// + c_skip sigma n (sd_m the model's sigma_data). Evaluated serially in index order: the same bits on every run.
public struct HeldOutSet: Sendable {
    public let dimension: Int
    public let count: Int
    public let seed: UInt64
    public let noise: LogNormalNoise
    /// The sigma_data of the loss weight lambda.
    public let weighting: EDMPreconditioning
    let cleanPoints: [Double]
    let sigmas: [Double]
    let normals: [Double]

    public static let countRange = 1...10_000_000

    public init(source: GaussianMixture, noise: LogNormalNoise, sigmaData: Double, count: Int, seed: UInt64) throws {
        guard Self.countRange.contains(count) else {
            throw ToyError.invalid(input: "held-out set size", accepted: "an integer from 1 to \(Self.countRange.upperBound) (got \(count))")
        }
        weighting = try EDMPreconditioning(sigmaData: sigmaData)
        let d = source.dimension
        dimension = d
        self.count = count
        self.seed = seed
        self.noise = noise
        cleanPoints = source.samples(count: count, sigma: 0, seed: seed)
        var sigmas = [Double](repeating: 0, count: count), normals = [Double](repeating: 0, count: count * d)
        let noiseSeed = SplitMix64.mix(seed ^ 0x5E7)
        for i in 0..<count {
            var rng = Xoshiro256StarStar(seed: noiseSeed, stream: UInt64(i))
            sigmas[i] = exp(noise.mean + noise.std * rng.nextNormal())
            for j in 0..<d { normals[i * d + j] = rng.nextNormal() }
        }
        self.sigmas = sigmas
        self.normals = normals
    }

    /// The mean weighted loss of `model` on the set; throws when the model's dimension differs.
    public func loss(of model: LearnedDenoiser) throws -> Double {
        guard model.dimension == dimension else {
            throw ToyError.invalid(input: "model", accepted: "a model of dimension \(dimension), the held-out set's (got \(model.dimension))")
        }
        let d = dimension
        let workspace = NetworkWorkspace(architecture: model.architecture, capacity: min(LearnedDenoiser.blockRows, count))
        var noisy = [Double](repeating: 0, count: workspace.capacity * d)
        var total = 0.0
        var first = 0
        while first < count {
            let rows = min(workspace.capacity, count - first)
            for b in 0..<rows {
                let i = first + b
                workspace.sigmas[b] = sigmas[i]
                for j in 0..<d { noisy[b * d + j] = cleanPoints[i * d + j] + sigmas[i] * normals[i * d + j] }
            }
            noisy.withUnsafeBufferPointer { x in if let base = x.baseAddress { model.prepareInput(base, rows: rows, workspace) } }
            model.network.forward(workspace, rows: rows)
            for b in 0..<rows {
                let i = first + b, sigma = sigmas[i]
                let c = model.preconditioning.coefficients(sigma: sigma)
                var squared = 0.0
                for j in 0..<d {
                    let k = i * d + j
                    let residual = c.out * workspace.output[b * d + j] - sigma * sigma * c.scoreSkipScale * cleanPoints[k]
                        + c.skip * sigma * normals[k]
                    squared += residual * residual
                }
                total += weighting.lossWeight(sigma: sigma) * squared
            }
            first += rows
        }
        return total / Double(count)
    }
}
