/// The three models of an experiment: the ideal distribution, the strong and the weak model.
public struct ModelTriple: Sendable, Equatable {
    public var ideal: GaussianMixture
    public var strong: GaussianMixture
    public var weak: GaussianMixture

    public init(ideal: GaussianMixture, strong: GaussianMixture, weak: GaussianMixture) throws {
        guard ideal.dimension == strong.dimension, strong.dimension == weak.dimension else {
            throw ToyError.invalid(input: "models", accepted: "ideal, strong and weak of one dimension (got \(ideal.dimension), \(strong.dimension), \(weak.dimension))")
        }
        self.ideal = ideal
        self.strong = strong
        self.weak = weak
    }

    public var dimension: Int { ideal.dimension }
}

/// The pinned presets of W2SD-NOTES section 6.
public enum Presets {
    /// 1D: components at -4 and +4 with standard deviation 0.8. Ideal weights (0.5, 0.5), strong
    /// (0.3, 0.7), weak (0.1, 0.9), or (0, 1) with the left mode missing.
    public static func oneDimensional(missingLeft: Bool = false) -> ModelTriple {
        // Valid by construction: fixed finite weights, means and a positive standard deviation.
        try! make(means: [[-4], [4]], std: 0.8,
                  ideal: [0.5, 0.5], strong: [0.3, 0.7], weak: missingLeft ? [0, 1] : [0.1, 0.9])
    }

    /// 2D: means (-4, 4), (4, 4), (-4, -4), (4, -4) with covariance 0.64 I. Ideal weights 0.25 each,
    /// strong (0.3, 0.3, 0.1, 0.3), weak (1/3, 1/3, 0, 1/3): bottom-left missing in the weak model.
    public static func twoDimensional() -> ModelTriple {
        try! make(means: [[-4, 4], [4, 4], [-4, -4], [4, -4]], std: 0.8,
                  ideal: [0.25, 0.25, 0.25, 0.25], strong: [0.3, 0.3, 0.1, 0.3], weak: [1.0 / 3, 1.0 / 3, 0, 1.0 / 3])
    }

    /// Three isotropic mixtures sharing means and standard deviation, differing in weights.
    public static func make(means: [[Double]], std: Double, ideal: [Double], strong: [Double], weak: [Double]) throws -> ModelTriple {
        func mixture(_ weights: [Double], _ name: String) throws -> GaussianMixture {
            guard weights.count == means.count else {
                throw ToyError.invalid(input: "\(name) weights", accepted: "\(means.count) values, one per mean (got \(weights.count))")
            }
            return try GaussianMixture(zip(weights, means).map { GaussianComponent(weight: $0, mean: $1, std: std) })
        }
        return try ModelTriple(ideal: mixture(ideal, "ideal"), strong: mixture(strong, "strong"), weak: mixture(weak, "weak"))
    }
}
