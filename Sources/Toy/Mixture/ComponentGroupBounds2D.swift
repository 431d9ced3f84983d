import Foundation

/// Upper bounds on the d = 2 log-terms of groups of consecutive components, for the pruned score kernel
/// (`NoisyMixture+PrunedScore`): group g holds components 8 g ..< min(8 g + 8, K), in the mixture's order.
///
/// For a component k with precision P_k (eigenvalues 1 / v_kj, v_kj = L_kj + sigma^2) and any point x,
///
///     a_k(x) = c_k - (mu_k - x)^T P_k (mu_k - x) / 2 <= c_k - lambda_k |mu_k - x|^2 / 2,   lambda_k = 1 / max_j v_kj,
///
/// and |mu_k - x| >= dist(x, B_g), the distance from x to the bounding box B_g of the group's means. So
///
///     a_k(x) <= C_g - H_g dist(x, B_g)^2   for every k in g,  C_g = max_k c_k,  H_g = min_k lambda_k / 2.
///
/// Rounding: the kernel forms q = dx (pa dx + pb dy) + dy (pb dx + pc dy) with an error below
/// 8 eps lambda_max |d|^2, the stored P_k's eigenvalues differ from 1 / v_kj by a few eps lambda_max, and
/// the box distance and the bound are formed with relative errors of a few eps. The stored bound covers all
/// of them with room to spare: H_g uses lambda_k - 2^-40 / min_j v_kj (at least 2^6 times those
/// errors), shrunk by the factor 1 - 2^-20, and C_g = max c_k + 1 + 2^-40 |max c_k|. Hence a term the
/// kernel computes never exceeds the bound computed here (for finite points; a NaN bound compares false,
/// so such a group is never skipped). A component whose precision is too ill-conditioned for the margin
/// (lambda_k <= 2^-40 lambda_max) gives H_g = 0: its group is bounded by C_g alone.
///
/// The bounds are tight only when the group's means lie close together: components listed in a spatially
/// coherent order (a tree walked depth first, as `TreeMixture`; clusters one after another) prune well,
/// components in random order hardly at all (the kernel then forms every term, as before).
struct ComponentGroupBounds2D {
    /// Components per group.
    static let size = Lanes.scalarCount
    let componentCount: Int
    let count: Int
    /// Per group g at 6 g: the bounding box of the means (low x, high x, low y, high y), C_g and H_g.
    let parameters: [Double]

    init(_ mixture: NoisyMixture) {
        precondition(mixture.dimension == 2, "ComponentGroupBounds2D needs a 2D mixture")
        let k = mixture.count, groups = (k + Self.size - 1) / Self.size
        componentCount = k
        count = groups
        var parameters = [Double](repeating: 0, count: 6 * groups)
        for g in 0..<groups {
            var low = (Double.infinity, Double.infinity), high = (-Double.infinity, -Double.infinity)
            var top = -Double.infinity, curvature = Double.infinity
            for c in (g * Self.size)..<min(g * Self.size + Self.size, k) {
                let x = mixture.means[2 * c], y = mixture.means[2 * c + 1]
                low = (min(low.0, x), min(low.1, y))
                high = (max(high.0, x), max(high.1, y))
                top = max(top, mixture.logCoefficients[c])
                let largest = max(mixture.variances[2 * c], mixture.variances[2 * c + 1])
                let smallest = min(mixture.variances[2 * c], mixture.variances[2 * c + 1])
                curvature = min(curvature, max(0, 1 / largest - 0x1p-40 / smallest))
            }
            parameters.replaceSubrange((6 * g)..<(6 * g + 6), with: [low.0, high.0, low.1, high.1,
                                                                     top + 1 + 0x1p-40 * abs(top), 0.5 * curvature * (1 - 0x1p-20)])
        }
        self.parameters = parameters
    }

    /// The components of group g.
    @inline(__always)
    func components(_ g: Int) -> Range<Int> { (g * Self.size)..<min(g * Self.size + Self.size, componentCount) }

    /// C_g - H_g dist(x, B_g)^2 for the eight points (x lanes `xs`, y lanes `ys`), group g's parameters at
    /// `p` (= parameters + 6 g): at least every log-term of the group the kernel computes at each point.
    @inline(__always)
    static func bound(_ p: UnsafePointer<Double>, _ xs: Lanes, _ ys: Lanes) -> Lanes {
        // The distance to [low, high] along one axis: low - x below it, x - high above it, else 0 (at most
        // one of the two differences is non-negative; a NaN lane gives some value, and the kernel's ordered
        // comparison with its NaN or -infinity maximum never skips on it).
        let zero = Lanes(repeating: 0)
        let belowX = p[0] - xs, aboveX = xs - p[1], belowY = p[2] - ys, aboveY = ys - p[3]
        let dx = select(signMask(aboveX), select(signMask(belowX), zero, belowX), aboveX)
        let dy = select(signMask(aboveY), select(signMask(belowY), zero, belowY), aboveY)
        return p[4] - p[5] * (dx * dx + dy * dy)
    }
}
