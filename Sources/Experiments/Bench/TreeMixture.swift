import Foundation
import Toy

/// A many-component anisotropic 2D mixture for the bench, in the spirit of EDM2's "tree" toy: a binary
/// tree of 2^depth - 1 branches (trunk from (0, -6) to (0, -2), each branch splitting into two children
/// turned by -+0.5 rad and 0.7 times as long), one Gaussian per branch centred on its midpoint, elongated
/// along it (sd length / 4 along, 0.05 + length / 40 across), weight proportional to its length.
/// depth 10 gives 1023 components. Strong and weak scale the weights of the left-hand subtree (every
/// branch whose first turn was to the left) by 0.6 and 0.3: an under-weighted region, as in the presets.
public enum TreeMixture {
    public static func models(depth: Int = 10) throws -> ModelTriple {
        var branches: [(mean: [Double], covariance: [Double], length: Double, left: Bool)] = []
        func grow(from start: (Double, Double), angle: Double, length: Double, level: Int, left: Bool) {
            let end = (start.0 + length * cos(angle), start.1 + length * sin(angle))
            let along = length / 4, across = 0.05 + length / 40
            let (c, s) = (cos(angle), sin(angle))
            // R diag(along^2, across^2) R^T with R the rotation by angle.
            let a = along * along, b = across * across
            branches.append((mean: [(start.0 + end.0) / 2, (start.1 + end.1) / 2],
                             covariance: [a * c * c + b * s * s, (a - b) * c * s, (a - b) * c * s, a * s * s + b * c * c],
                             length: length, left: left))
            guard level + 1 < depth else { return }
            grow(from: end, angle: angle + 0.5, length: 0.7 * length, level: level + 1, left: level == 0 ? true : left)
            grow(from: end, angle: angle - 0.5, length: 0.7 * length, level: level + 1, left: level == 0 ? false : left)
        }
        grow(from: (0, -6), angle: Double.pi / 2, length: 4, level: 0, left: false)
        func mixture(leftScale: Double) throws -> GaussianMixture {
            try GaussianMixture(branches.map {
                GaussianComponent(weight: $0.length * ($0.left ? leftScale : 1), mean: $0.mean, covariance: $0.covariance)
            })
        }
        return try ModelTriple(ideal: mixture(leftScale: 1), strong: mixture(leftScale: 0.6), weak: mixture(leftScale: 0.3))
    }
}
