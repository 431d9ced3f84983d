import Toy

/// The catalogue of difference cases. Unless a case says otherwise, its geometry is a pinned preset's
/// (W2SD-NOTES section 6: 1D modes at -4 and +4 with std 0.8; 2D modes at (-+4, -+4) with std 0.8) and
/// its weights are the preset's (ideal 0.5 / 0.5, strong 0.3 / 0.7, weak 0.1 / 0.9 in 1D; ideal 0.25
/// each, strong 0.3 / 0.3 / 0.1 / 0.3, weak 1 / 1 / 0 / 1 (normalised) in 2D), so that each case
/// changes one thing against the preset. "Small-step limit" below means autoguidance with w = 2,
/// 2 s_s - s_w, which W2SD with gamma = 1 approaches as the steps shrink (W2SD-NOTES section 5).
extension DifferenceCase {
    /// Every case, in a fixed order (1D, 2D, high-dimensional, guidance, saturation).
    public static let all: [DifferenceCase] = [
        shifted1D, shifted2D, blurred1D, sharpened1D, threeMode1D, wrongMode2D, ring8, grid5x5,
        subspace(dimension: 16), subspace(dimension: 64),
        guidanceUnder1D, guidanceOver1D, guidanceAndWeights1D, saturatedWeak1D, saturatedBoth1D,
    ]

    // MARK: - Location and shape

    /// The weak model learnt the rare left mode in the wrong place, at -2 instead of -4 (weight 0.1
    /// as in the preset). Near -4, Delta1 then carries a location signal, "away from -2", that Delta2
    /// (a pure weight difference) does not have. For the isolated left components the small-step
    /// limit is 2 s_s - s_w = -(x + 6) / (0.64 + sigma^2): it extrapolates away from the weak model's
    /// mistake, to -6, so W2SD should move the left mode outward (and more left mass, as in the preset).
    public static let shifted1D = DifferenceCase(
        name: "shifted-1d",
        summary: "1D preset with the weak model's rare left mode learnt at -2 instead of -4: Delta1 adds a location error that Delta2 lacks.",
        experiment: oneD(ideal: [0.5, 0.5], strong: [0.3, 0.7], weak: [0.1, 0.9], weakMeans: [-2, 4]))

    /// The 2D preset with the bottom-left mode present in the weak model (weight 0.04 against strong
    /// 0.1) but learnt at (-4, -2), halfway towards top-left. Delta1 then carries the weak model's
    /// location error (around the bottom-left mode it points away from (-4, -2)) on top of the weight
    /// difference, so the two fields are not parallel (at sigma = 1 they are opposite at some points
    /// where both are large; in the preset they are parallel everywhere), and W2SD should push the
    /// bottom-left mode downward.
    public static let shifted2D = DifferenceCase(
        name: "shifted-2d",
        summary: "2D preset with the weak model's bottom-left mode (weight 0.04) learnt at (-4,-2): Delta1 adds a location error and is no longer parallel to Delta2.",
        experiment: twoD(strong: [0.3, 0.3, 0.1, 0.3], weak: [0.32, 0.32, 0.04, 0.32],
                  weakMeans: [[-4, 4], [4, 4], [-4, -2], [4, -4]]))

    /// An under-trained weak model: the preset's weak weights with every standard deviation inflated
    /// from 0.8 to 1.2. Delta1 = weight part (parallel to Delta2) + a sharpening part that Delta2 has
    /// not got. For an isolated component the small-step limit -(2 / (v_s + sigma^2) - 1 / (v_w + sigma^2)) (x - mu)
    /// is linear, and its flow from a wide prior ends with variance v_s^2 / v_w, i.e. std 0.64 / 1.2 = 0.53:
    /// W2SD should narrow both modes below the ideal 0.8 while moving mass left.
    public static let blurred1D = DifferenceCase(
        name: "blurred-1d",
        summary: "1D preset with the weak model blurred (std 1.2 instead of 0.8): Delta1 adds a sharpening term, so W2SD narrows the modes.",
        experiment: oneD(ideal: [0.5, 0.5], strong: [0.3, 0.7], weak: [0.1, 0.9], weakStd: 1.2))

    /// An over-fitted weak model: the preset's weak weights with standard deviations shrunk from 0.8
    /// to 0.6. Delta1 now carries a widening term: for an isolated component the small-step limit
    /// (see `blurred-1d`) ends with std v_s / std_w = 0.64 / 0.6 = 1.07 (its precision
    /// 2 / (0.64 + sigma^2) - 1 / (0.36 + sigma^2) stays positive at every sigma), so W2SD should widen
    /// both modes beyond the ideal 0.8, against the narrowing of the `paper` inversion's own bias.
    public static let sharpened1D = DifferenceCase(
        name: "sharpened-1d",
        summary: "1D preset with the weak model sharpened (std 0.6 instead of 0.8): Delta1 adds a widening term, so W2SD broadens the modes.",
        experiment: oneD(ideal: [0.5, 0.5], strong: [0.3, 0.7], weak: [0.1, 0.9], weakStd: 0.6))

    // MARK: - Which mode

    /// Three modes at -6, 0 and 6 (std 0.8), ideal 1/3 each; the middle one under-weighted in the
    /// strong model (0.2 against 0.4 / 0.4) and missing in the weak one (0 against 0.5 / 0.5). In 1D
    /// the missing-left preset overshoots outward, where nothing stops it; a missing middle mode is
    /// flanked on both sides, so Delta1 converges on it from both sides: does the overshoot become a
    /// collapse (too narrow a middle mode) instead of a displacement?
    public static let threeMode1D = DifferenceCase(
        name: "three-mode-1d",
        summary: "Modes at -6, 0, 6; the middle one under-weighted in strong and missing in weak: a missing mode with no outside to overshoot into.",
        experiment: ExperimentSpec(
            ideal: mixture([("left", 1, [-6]), ("middle", 1, [0]), ("right", 1, [6])], std: 0.8),
            strong: mixture([(nil, 0.4, [-6]), (nil, 0.2, [0]), (nil, 0.4, [6])], std: 0.8),
            weak: mixture([(nil, 0.5, [-6]), (nil, 0, [0]), (nil, 0.5, [6])], std: 0.8)))

    /// The 2D preset's strong model (bottom-left under-weighted, 0.1) with a weak model that misses a
    /// different mode, top-right (weights 1, 0, 1, 1). Delta1 is then large around top-right and
    /// points into it, while Delta2 asks for mass at bottom-left, the opposite corner: between the two
    /// the fields point in opposite directions (negative pointwise cosine), and W2SD should pile mass
    /// onto top-right instead of repairing bottom-left.
    public static let wrongMode2D = DifferenceCase(
        name: "wrong-mode-2d",
        summary: "2D: strong under-weights bottom-left but weak misses top-right, so Delta1 points partly away from Delta2.",
        experiment: twoD(strong: [0.3, 0.3, 0.1, 0.3], weak: [1, 0, 1, 1]))

    /// Eight modes on a circle of radius 5 (std 0.6; neighbours are 3.83 apart, so the on-mode discs of
    /// radius 0.6 sqrt(chi2_2(0.999)) = 2.23 overlap a little, and a sample in two counts for the nearer
    /// mode), ideal weights equal. Strong: E at 0.3 and W at 0.5
    /// (others 1); weak: E missing, W at 0.2. One picture holds a missing mode whose neighbours are
    /// close (Delta1 points along the ring as well as outward) and a merely under-weighted one.
    public static let ring8 = DifferenceCase(
        name: "ring-8",
        summary: "Eight modes on a ring of radius 5: E missing in weak (0.3 in strong), W under-weighted in both (0.2 weak, 0.5 strong).",
        experiment: {
            let means = ringMeans(radius: 5)
            let ideal = [Double](repeating: 1, count: 8)
            var strong = ideal, weak = ideal
            (strong[0], strong[4]) = (0.3, 0.5)
            (weak[0], weak[4]) = (0, 0.2)
            return ExperimentSpec(ideal: mixture(zip(ringNames, zip(ideal, means)).map { ($0, $1.0, $1.1) }, std: 0.6),
                                  strong: mixture(zip(strong, means).map { (nil, $0, $1) }, std: 0.6),
                                  weak: mixture(zip(weak, means).map { (nil, $0, $1) }, std: 0.6))
        }())

    /// A 5 x 5 grid of modes at {-8, -4, 0, 4, 8}^2 (std 0.6), ideal weights equal. Strong: the centre
    /// (0, 0) and the corner (-8, -8) at 0.3, the edge mode (8, 0) at 0.5 (others 1); weak: centre and
    /// corner missing, edge at 0.2. A missing interior mode (surrounded, nowhere to overshoot to)
    /// beside a missing corner mode (free to overshoot outward) and an under-weighted edge mode.
    public static let grid5x5 = DifferenceCase(
        name: "grid-5x5",
        summary: "25 modes on a 5 x 5 grid: the centre and a corner missing in weak (0.3 in strong), an edge mode under-weighted in both.",
        experiment: {
            let means = gridMeans
            let ideal = [Double](repeating: 1, count: means.count)
            var strong = ideal, weak = ideal
            for (mean, s, w) in [([0.0, 0], 0.3, 0.0), ([-8, -8], 0.3, 0), ([8, 0], 0.5, 0.2)] {
                guard let k = means.firstIndex(of: mean) else { continue }
                (strong[k], weak[k]) = (s, w)
            }
            return ExperimentSpec(ideal: mixture(zip(gridNames, zip(ideal, means)).map { ($0, $1.0, $1.1) }, std: 0.6),
                                  strong: mixture(zip(strong, means).map { (nil, $0, $1) }, std: 0.6),
                                  weak: mixture(zip(weak, means).map { (nil, $0, $1) }, std: 0.6))
        }())

    // MARK: - High dimension, low-dimensional structure

    /// The 2D preset embedded in the first two of d coordinates: means (-+4, -+4, 0, ..., 0), covariance
    /// diag(0.64, 0.64, 0.01, ..., 0.01) (std 0.8 in the plane, a thin 0.1 off it), the preset's
    /// weights. Every component of every model shares the off-plane factor N(0, 0.01 I), so Delta1 and
    /// Delta2 are exactly the 2D preset's in the plane and exactly 0 off it: whatever W2SD does to the
    /// d - 2 off-plane coordinates is the inversion's bias alone (the `paper` inversion narrows a
    /// Gaussian), which the bias-corrected reflection removes.
    public static func subspace(dimension d: Int) -> DifferenceCase {
        let means: [[Double]] = [[-4, 4], [4, 4], [-4, -4], [4, -4]].map { $0 + [Double](repeating: 0, count: max(0, d - 2)) }
        let covariance: [[Double]] = (0..<d).map { r in (0..<d).map { c in r == c ? (r < 2 ? 0.64 : 0.01) : 0 } }
        func spec(_ names: [String?], _ weights: [Double]) -> MixtureSpec {
            MixtureSpec(components: (0..<4).map {
                ComponentSpec(name: names[$0], weight: weights[$0], mean: means[$0], covariance: covariance)
            })
        }
        let unnamed = [String?](repeating: nil, count: 4)
        return DifferenceCase(
            name: "subspace-\(d)",
            summary: "The 2D preset in the first 2 of \(d) coordinates (off-plane std 0.1): the differences live in a plane, the inversion bias in every coordinate.",
            experiment: ExperimentSpec(ideal: spec(twoDNames, [0.25, 0.25, 0.25, 0.25]),
                                       strong: spec(unnamed, [0.3, 0.3, 0.1, 0.3]),
                                       weak: spec(unnamed, [1, 1, 0, 1])))
    }

    // MARK: - Condition difference (classifier-free guidance)

    /// Class a = modes at -4 ("left") and 0 ("centre"), weight 0.25 each; class b = one mode at 2.5
    /// ("b"), weight 0.5; std 0.8. Guidance towards a pushes away from b, i.e. on the centre mode. The
    /// experiment's class is a: the ideal model is p*(x | a), strong and weak are guided with weights
    /// `strong` and `weak`, their mixtures weighted `strongA` and `weakA` on (left, centre).
    static func guidance(strong: Double, weak: Double, strongA: (Double, Double) = (0.25, 0.25),
                         weakA: (Double, Double) = (0.25, 0.25)) -> ExperimentSpec {
        func mixture(_ a: (Double, Double), named: Bool) -> MixtureSpec {
            MixtureSpec(components: [
                ComponentSpec(name: named ? "left" : nil, weight: a.0, mean: [-4], std: 0.8, classLabel: "a"),
                ComponentSpec(name: named ? "centre" : nil, weight: a.1, mean: [0], std: 0.8, classLabel: "a"),
                ComponentSpec(name: named ? "b" : nil, weight: 0.5, mean: [2.5], std: 0.8, classLabel: "b"),
            ])
        }
        var spec = ExperimentSpec(ideal: mixture((0.25, 0.25), named: true), strong: mixture(strongA, named: false),
                                  weak: mixture(weakA, named: false))
        spec.condition = "a"
        spec.strong.cfg = strong
        spec.weak.cfg = weak
        return spec
    }

    /// Guidance difference with an under-guided strong model: ideal p(x | a), strong s + 0.5 (s_a - s),
    /// weak the unconditional s (w = 0). Then Delta1 = 0.5 (s_a - s) = Delta2 exactly, everywhere: a
    /// positive control built from guidance, whose small-step limit 2 s_s - s_w is the ideal score.
    public static let guidanceUnder1D = DifferenceCase(
        name: "guidance-under-1d",
        summary: "Classifier-free guidance, strong w = 0.5 and weak w = 0 (unconditional) towards class a: Delta1 = Delta2 exactly.",
        experiment: guidance(strong: 0.5, weak: 0))

    /// Guidance difference with an over-guided strong model: ideal p(x | a), strong w = 2, weak w = 0.
    /// Delta1 = 2 (s_a - s) and Delta2 = -(s_a - s): exactly opposite everywhere. The small-step limit
    /// is guidance with w = 4, so W2SD should push the centre mode further from class b and thin it.
    public static let guidanceOver1D = DifferenceCase(
        name: "guidance-over-1d",
        summary: "Classifier-free guidance, strong w = 2 and weak w = 0 towards class a: Delta1 = -2 Delta2, W2SD amplifies the over-guidance.",
        experiment: guidance(strong: 2, weak: 0))

    /// Weight and guidance differences together: the ideal class a has left and centre at 0.25 each;
    /// the strong mixture under-weights left (0.15 / 0.35) and is guided with w = 1.5, the weak one
    /// under-weights it more (0.05 / 0.45) with w = 0.5. Delta1's weight part agrees with Delta2
    /// (more left mass) while its guidance part, (1.5 - 0.5)(s_a - s), opposes Delta2's -0.5 (s_a - s):
    /// the two fields agree only in part.
    public static let guidanceAndWeights1D = DifferenceCase(
        name: "guidance-and-weights-1d",
        summary: "Weight and guidance differences together (strong 0.15/0.35 with w = 1.5, weak 0.05/0.45 with w = 0.5): Delta1 agrees with Delta2 only in part.",
        experiment: guidance(strong: 1.5, weak: 0.5, strongA: (0.15, 0.35), weakA: (0.05, 0.45)))

    // MARK: - Bounded tails

    /// The saturation of the bounded-tail cases: kappa = 4 noisy standard deviations of a component
    /// of width l = 0.8 (the preset's std), cap c = 4 / sqrt(0.64 + sigma^2) (5 at sigma = 0).
    public static let saturationKappa = 4.0
    public static let saturationLength = 0.8

    /// The 1D missing-left preset with a learned-like weak score: saturated at c = 4 / sqrt(0.64 +
    /// sigma^2). The weak model's Gaussian tail makes Delta1 grow linearly with the distance from +4
    /// (12.5 at x = -4, sigma = 0), which drives the outward overshoot of the missing mode; saturated,
    /// |s_w| < 5 there, so the overshoot should shrink. Near +4 the weak score changes by at most 3.2%
    /// within one standard deviation. Far from the data a saturated field moves a particle by at most
    /// sigma c(sigma) per unit of sigma, so particles more than about kappa noisy standard deviations
    /// away lag behind (as with a learned score): the weak-only sampler keeps some stragglers on the left.
    public static let saturatedWeak1D = DifferenceCase(
        name: "saturated-weak-1d",
        summary: "1D missing-left preset with the weak score saturated (cap 4 / sqrt(0.64 + sigma^2)): Delta1 stays bounded at the missing mode.",
        experiment: saturated(missingLeft, strong: false, weak: true))

    /// As `saturated-weak-1d` with the strong score saturated too (both models learned-like). The
    /// strong model has a mode at -4, so its saturation matters only far from both modes, mostly in
    /// the prior phase; this case checks that the effect of `saturated-weak-1d` is not an artefact of
    /// treating the two models differently.
    public static let saturatedBoth1D = DifferenceCase(
        name: "saturated-both-1d",
        summary: "1D missing-left preset with both strong and weak scores saturated (cap 4 / sqrt(0.64 + sigma^2)).",
        experiment: saturated(missingLeft, strong: true, weak: true))

    /// `base` with the strong and/or weak score saturated at kappa = `saturationKappa`, l = `saturationLength`.
    static func saturated(_ base: ExperimentSpec, strong: Bool, weak: Bool) -> ExperimentSpec {
        var spec = base
        let saturation = SaturationSpec(kappa: saturationKappa, length: saturationLength)
        if strong { spec.strong.saturation = saturation }
        if weak { spec.weak.saturation = saturation }
        return spec
    }

    // MARK: - Building blocks

    static let twoDNames = ["top-left", "top-right", "bottom-left", "bottom-right"]
    static let twoDMeans: [[Double]] = [[-4, 4], [4, 4], [-4, -4], [4, -4]]
    static let ringNames = ["E", "NE", "N", "NW", "W", "SW", "S", "SE"]
    static let gridNames = gridMeans.map { "\(Int($0[0])),\(Int($0[1]))" }
    /// Row by row from the bottom: (-8, -8), (-4, -8), ..., (8, 8).
    static let gridMeans: [[Double]] = [-8.0, -4, 0, 4, 8].flatMap { y in [-8.0, -4, 0, 4, 8].map { x in [x, y] } }

    /// The 1D missing-left preset (ideal 0.5 / 0.5, strong 0.3 / 0.7, weak 0 / 1).
    static let missingLeft = oneD(ideal: [0.5, 0.5], strong: [0.3, 0.7], weak: [0, 1])

    /// Counter-clockwise from E, exact at the axes: (r, 0), (a, a), (0, r), ... with a = r / sqrt(2).
    static func ringMeans(radius r: Double) -> [[Double]] {
        let a = (r * r / 2).squareRoot()
        return [[r, 0], [a, a], [0, r], [-a, a], [-r, 0], [-a, -a], [0, -r], [a, -a]]
    }

    static func mixture(_ components: [(String?, Double, [Double])], std: Double) -> MixtureSpec {
        MixtureSpec(components: components.map {
            ComponentSpec(name: $0.0, weight: $0.1, mean: $0.2, std: std)
        })
    }

    /// The 1D preset's geometry (modes at -4 and +4, std 0.8) with the given weights; the weak model's
    /// means and std may differ.
    static func oneD(ideal: [Double], strong: [Double], weak: [Double], weakMeans: [Double] = [-4, 4],
                     weakStd: Double = 0.8) -> ExperimentSpec {
        ExperimentSpec(ideal: mixture([("left", ideal[0], [-4]), ("right", ideal[1], [4])], std: 0.8),
                       strong: mixture([(nil, strong[0], [-4]), (nil, strong[1], [4])], std: 0.8),
                       weak: mixture([(nil, weak[0], [weakMeans[0]]), (nil, weak[1], [weakMeans[1]])], std: weakStd))
    }

    /// The 2D preset's geometry and ideal weights with the given strong and weak weights (and weak means).
    static func twoD(strong: [Double], weak: [Double], weakMeans: [[Double]] = twoDMeans) -> ExperimentSpec {
        ExperimentSpec(ideal: mixture(zip(twoDNames, twoDMeans).map { ($0, 0.25, $1) }, std: 0.8),
                       strong: mixture(zip(strong, twoDMeans).map { (nil, $0, $1) }, std: 0.8),
                       weak: mixture(zip(weak, weakMeans).map { (nil, $0, $1) }, std: 0.8))
    }
}
