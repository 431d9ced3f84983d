import Foundation

/// EDM preconditioning (Karras et al. 2022, Table 1) of a denoiser network F:
///
///     D(x; sigma) = c_skip(sigma) x + c_out(sigma) F(c_in(sigma) x, c_noise(sigma))
///     c_skip = sd^2 / (sigma^2 + sd^2),  c_out = sigma sd / sqrt(sigma^2 + sd^2),
///     c_in = 1 / sqrt(sigma^2 + sd^2),   c_noise = log(sigma) / 4
///
/// with sd = sigma_data, the standard deviation of the data (per coordinate). The training weight
/// lambda(sigma) = (sigma^2 + sd^2) / (sigma sd)^2 equals 1 / c_out^2, so lambda |D - x0|^2 = |F - F*|^2 with
/// the effective target F* = (x0 - c_skip x) / c_out: the loss is a plain squared error on F, of size ~1 at
/// every noise level.
///
/// The score of the denoiser is s(x; sigma) = (D(x; sigma) - x) / sigma^2 (Tweedie), written without the
/// cancellation of D - x: D - x = c_out F - (1 - c_skip) x and 1 - c_skip = sigma^2 / (sigma^2 + sd^2), so
///
///     s = (sd / (sigma sqrt(sigma^2 + sd^2))) F - x / (sigma^2 + sd^2).
///
/// This is finite for every sigma > 0. At sigma = 0 the score of a denoiser is not defined (D(x; 0) = x
/// carries no information): `coefficients(sigma:)` requires sigma > 0, which every sampler satisfies
/// (they evaluate at sigma_0 ... sigma_{T-1} > 0; the last Euler step from sigma_{T-1} > 0 lands at 0
/// without evaluating there). A `LearnedDenoiser` asked for sigma <= 0 uses the smallest positive
/// noise level (`minimumSigma`), stated in its documentation.
public struct EDMPreconditioning: Sendable, Equatable, Codable {
    /// sd: the data standard deviation per coordinate (> 0).
    public var sigmaData: Double

    public init(sigmaData: Double) throws {
        guard sigmaData > 0, sigmaData.isFinite else {
            throw ToyError.invalid(input: "sigma data", accepted: "a finite number > 0 (got \(sigmaData))")
        }
        self.sigmaData = sigmaData
    }

    /// The smallest noise level a learned field evaluates at: sigma <= 0 (or below this) is clamped up to it.
    public static let minimumSigma = 1e-6

    /// The four coefficients at noise level sigma > 0, and the two of the score form
    /// s = scoreNetworkScale F - x scoreSkipScale.
    public struct Coefficients: Sendable, Equatable {
        public var skip, out, input, noise: Double
        /// sd / (sigma sqrt(sigma^2 + sd^2)) = c_out / sigma^2.
        public var scoreNetworkScale: Double
        /// 1 / (sigma^2 + sd^2) = (1 - c_skip) / sigma^2.
        public var scoreSkipScale: Double
    }

    /// The coefficients at `sigma` (clamped below at `minimumSigma`).
    public func coefficients(sigma: Double) -> Coefficients {
        let s = max(sigma, Self.minimumSigma), sd = sigmaData
        let total = s * s + sd * sd, root = total.squareRoot()
        return Coefficients(skip: sd * sd / total, out: s * sd / root, input: 1 / root, noise: log(s) / 4,
                            scoreNetworkScale: sd / (s * root), scoreSkipScale: 1 / total)
    }

    /// lambda(sigma) = (sigma^2 + sd^2) / (sigma sd)^2 = 1 / c_out^2.
    public func lossWeight(sigma: Double) -> Double {
        let sd = sigmaData
        return (sigma * sigma + sd * sd) / (sigma * sd * sigma * sd)
    }

    /// The per-coordinate standard deviation of a mixture, sqrt(tr Cov / d), with
    /// Cov = sum_k pi_k (S_k + mu_k mu_k^T) - m m^T, m = sum_k pi_k mu_k (computed with centred means, no cancellation).
    public static func dataStandardDeviation(of mixture: GaussianMixture) -> Double {
        let d = mixture.dimension
        let weights = mixture.components.map(\.weight)
        let total = weights.reduce(0, +)
        var mean = [Double](repeating: 0, count: d)
        for (k, c) in mixture.components.enumerated() { for j in 0..<d { mean[j] += weights[k] / total * c.mean[j] } }
        var trace = 0.0
        for (k, c) in mixture.components.enumerated() {
            let w = weights[k] / total
            for j in 0..<d { trace += w * (c.covariance[j * d + j] + (c.mean[j] - mean[j]) * (c.mean[j] - mean[j])) }
        }
        return (trace / Double(d)).squareRoot()
    }
}
