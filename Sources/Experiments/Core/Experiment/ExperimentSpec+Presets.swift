import Toy

extension ExperimentSpec {
    /// The pinned weights as written in W2SD-NOTES section 6 (ideal, strong, weak), not re-read from a
    /// normalised mixture, so that the presets build bit-identical mixtures to `Presets`.
    static func presetWeights(dimension: Int) -> [[Double]] {
        dimension == 1 ? [[0.5, 0.5], [0.3, 0.7], [0.1, 0.9]]
            : [[0.25, 0.25, 0.25, 0.25], [0.3, 0.3, 0.1, 0.3], [1.0 / 3, 1.0 / 3, 0, 1.0 / 3]]
    }

    static func presetMeans(dimension: Int) -> [[Double]] {
        dimension == 1 ? [[-4], [4]] : [[-4, 4], [4, 4], [-4, -4], [4, -4]]
    }

    static func presetModeNames(dimension: Int) -> [String] {
        dimension == 1 ? ["left", "right"] : ["top-left", "top-right", "bottom-left", "bottom-right"]
    }

    /// The standard deviation of every preset mode.
    static let presetStd = 0.8

    /// The pinned 1D (`dimension` 1) or 2D preset with its default sampler settings.
    public static func preset(dimension: Int) -> ExperimentSpec {
        let weights = presetWeights(dimension: dimension)
        return isotropic(means: presetMeans(dimension: dimension), std: presetStd, names: presetModeNames(dimension: dimension),
                         ideal: weights[0], strong: weights[1], weak: weights[2])
    }

    /// Three isotropic mixtures sharing means and standard deviation, differing in weights; `names`
    /// label the ideal modes.
    public static func isotropic(means: [[Double]], std: Double, names: [String]?, ideal: [Double], strong: [Double],
                                 weak: [Double]) -> ExperimentSpec {
        func mixture(_ weights: [Double], named: Bool) -> MixtureSpec {
            MixtureSpec(components: zip(weights, means).enumerated().map { k, wm in
                ComponentSpec(name: named ? names?[k] : nil, weight: wm.0, mean: wm.1, std: std)
            })
        }
        return ExperimentSpec(ideal: mixture(ideal, named: true), strong: mixture(strong, named: false), weak: mixture(weak, named: false))
    }
}
