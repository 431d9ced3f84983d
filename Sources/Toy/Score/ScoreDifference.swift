import Foundation

/// Differences of the scores of several Gaussian mixtures at one noise level, computed without
/// subtracting the scores themselves.
///
/// The naive s_a(x) - s_b(x) subtracts two vectors of size |x - mu| / v that agree to many digits
/// wherever the two models give a point the same responsibilities (e.g. near a mode at small sigma), so
/// the result is rounding noise there. Here the mixtures are read as weightings of one list of
/// components (the union: a component with the same mean and covariance in several mixtures is shared;
/// a mixture lacking one gives it weight 0), with
///
///     l_k(x) = log N(x; mu_k, S_k + sigma^2 I),   m_k(x) = (S_k + sigma^2 I)^-1 (mu_k - x),
///     r^a_k = pi^a_k e^(l_k - L_a),               L_a = log p_a(x; sigma)   (log-sum-exp).
///
/// **Pairs.** Since sum_m r^b_m = 1, r^a_k - r^b_k = sum_m (r^a_k r^b_m - r^a_m r^b_k), and the antisymmetric
/// coefficient pairs component k with m:
///
///     s_a - s_b = sum_{k<m} W^ab_km e^(l_k + l_m - L_a - L_b) (m_k - m_m),   W^ab_km = pi^a_k pi^b_m - pi^a_m pi^b_k.
///
/// For the gap 2 s_c - s_a - s_b = (s_c - s_a) - (s_b - s_c) (Delta1 - Delta2 with c = strong, a = weak,
/// b = ideal), multiplying the two pair coefficients by sum_n r^b_n = 1 and sum_n r^a_n = 1 gives
///
///     2 s_c - s_a - s_b = sum_{k<m} sum_n T_kmn e^(l_k + l_m + l_n - L_a - L_b - L_c) (m_k - m_m),
///     T_kmn = W^ca_km pi^b_n - W^bc_km pi^a_n.
///
/// The weight polynomials W and T are exactly 0 where the weights are equal (e.g. the shared components
/// of weight-only models), which is what keeps these sums accurate where Delta1 and Delta2 agree to many
/// digits. Evaluated as written the gap costs K^3 / 2 exponentials per point for K components; the two
/// identities below give the same sums, with the same exact zeros, in O(K) + O(G^2):
///
/// **1. Weight classes.** Components whose weights agree in every model (bit for bit) form a class C
/// (G classes; the catalogue's cases have at most 5, e.g. grid-5x5 has 3 for its 25 components). Within a
/// class every W and T vanishes (pi^a_k pi^b_m = pi^a_m pi^b_k when pi^a_k = pi^a_m and pi^b_k = pi^b_m), and
/// across classes they depend on the classes only: W_km = W_CD for k in C, m in D. Hence, with
///
///     E_C = sum_{k in C} e^(l_k),   M_C = sum_{k in C} e^(l_k - log E_C) m_k   (the class's mean score),
///
/// sum_{k in C, m in D} e^(l_k + l_m) (m_k - m_m) = E_C E_D (M_C - M_D), and (W antisymmetric and m_k - m_m
/// antisymmetric, their product symmetric) the pair sums run over class pairs C < D:
///
///     s_a - s_b = sum_{C<D} W^ab_CD e^(log E_C + log E_D - L_a - L_b) (M_C - M_D),   L_a = log sum_C pi^a_C E_C.
///
/// M_C - M_D is formed as O_C - O_D with O_C = sum_{k in C} e^(l_k - log E_C) (m_k - m_ref) (the class
/// weights sum to 1, so m_ref cancels exactly in the algebra), each m_k - m_ref formed directly, not by
/// subtracting the component scores: m_k - m_ref = (S_k + sigma^2 I)^-1 [(mu_k - mu_ref) + (S_ref - S_k) m_ref]
/// ((mu_k - mu_ref) / (v + sigma^2) for equal isotropic covariances v I); m_ref is the component of largest
/// l_k at x, so no offset carries the size |x - mu| / v of a far point.
///
/// **2. The n-sum in closed form.** With rho = e^(L_a - L_b) = p_a / p_b and sum_n pi^b_n e^(l_n - L_b) = 1,
///
///     sum_n T_CDn e^(l_n - L_b) = W^ca_CD - W^bc_CD rho                                 (direct form)
///                               = W^ca_CD eps + U_CD rho,   U_CD = W^ca_CD - W^bc_CD,   (split form)
///     eps = sum_N (pi^b_N - pi^a_N) E_N / p_b   (= 1 - rho),
///
/// the split form because W^ca eps + (W^ca - W^bc) rho = W^ca (eps + rho) - W^bc rho and eps + rho = 1.
/// Both keep exact zeros the cubic sum has: per class N the split form's contribution is
/// W^ca (pi^b_N - pi^a_N) + U pi^a_N = T_CDN, which vanishes term by term where the ideal and weak weights
/// agree and W^ca = W^bc (U and pi^b_N - pi^a_N are formed from the log-weights, exactly 0 when equal); the
/// direct form is exact where W^bc = 0 or W^ca = 0 (e.g. a component that only the weak model has). Each
/// pair takes the form with the smaller rounding bound, |W^ca| + |W^bc| rho (direct) against
/// |W^ca| sum_N |pi^b_N - pi^a_N| E_N / p_b + |U| rho (split), both times e^(log E_C + log E_D - L_c - L_a).
/// So the gap costs O(G) for eps and O(G^2) for the pairs, after the O(K) class sums.
///
/// **Pruning.** A component whose weight within its class is below 2^-60 / |C| of the class's largest,
/// e^(l_k - max_{j in C} l_j) < 2^-60 / |C|, is left out of E_C and O_C: together such components change
/// E_C by less than 2^-60 relative (below the rounding of the sum itself, 2^-53) and O_C by less than
/// 2^-60 max |m_k - m_ref| over them, i.e. far below the rounding of any term unless the pruned components'
/// offsets exceed the class differences |M_C - M_D| by 2^7 (a pruned Gaussian component lies at least
/// sqrt(2 (60 ln 2)) ~ 9 of its standard deviations further out than its class's leading one). Pruning by
/// the class's own leading component, not by the global maximum, keeps a far class whose tiny mass is
/// all a difference has (e.g. Delta1 near a shared mode of a weight-only model at small sigma).
///
/// **Accuracy.** Every term carries a relative error of a few ulps times (1 + |log E_C - L_a| + |log E_D - L_b|),
/// the inherent sensitivity of log-densities to rounding in x (about 1e-14 within 50 log-units of the
/// modes), plus the conditioning of the weight polynomial (eps / |1 - pi^a_D pi^b_C / (pi^a_C pi^b_D)|), as in
/// the cubic sum; the result's error is at most that relative error times sum |terms|. Nothing large is
/// cancelled: for two classes the result is a single term (relative error ~1e-14, tested against the
/// sigmoid-difference closed form to 1e-10); for more, only terms of the size of the result's own
/// contributions meet. ScoreDifferenceTests checks the new sums against the cubic ones (kept in the tests)
/// on random mixtures, near-cancelling ones included.
public struct ScoreDifference: Sendable {
    public let dimension: Int
    public let sigma: Double
    /// The number of mixtures this difference was built from (their indices are 0 ..< modelCount).
    public let modelCount: Int
    /// The union of the active components: means, covariances (row-major), eigenvalues L + sigma^2,
    /// eigenvectors (as in `SymmetricEigen`) and log normalisers -(d log 2 pi + log det(S + sigma^2 I)) / 2.
    let means: [[Double]]
    let covariances: [[Double]]
    /// The same components flat, with their eigenvalues, eigenvectors and log normalisers, for the
    /// per-point loops.
    let table: ComponentTable
    /// logWeights[model][k]: log pi^model_k, -infinity where the model lacks union component k.
    let logWeights: [[Double]]
    /// componentClass[k]: the weight class of union component k (classes numbered by first appearance);
    /// classLogWeights[model][C]: the class's log-weight in each model; classSizes[C]: its component count.
    let componentClass: [Int]
    let classLogWeights: [[Double]]
    let classSizes: [Int]

    /// The union of the mixtures' components at noise level sigma. Throws when the list is empty, the
    /// dimensions differ, or sigma is not a finite number >= 0.
    public init(_ mixtures: [GaussianMixture], sigma: Double) throws {
        guard let first = mixtures.first else {
            throw ToyError.invalid(input: "score difference", accepted: "at least one mixture")
        }
        guard mixtures.allSatisfy({ $0.dimension == first.dimension }) else {
            throw ToyError.invalid(input: "score difference", accepted: "mixtures of one dimension (got \(mixtures.map(\.dimension)))")
        }
        guard sigma.isFinite, sigma >= 0 else {
            throw ToyError.invalid(input: "sigma", accepted: "a finite number >= 0 (got \(sigma))")
        }
        self.init(validated: mixtures, sigma: sigma)
    }

    /// The same for the three models of a triple, in the order (ideal, strong, weak) = (0, 1, 2).
    init(_ models: ModelTriple, sigma: Double) {
        self.init(validated: [models.ideal, models.strong, models.weak], sigma: sigma)
    }

    /// Mixtures of one dimension and a finite sigma >= 0 (checked by the callers).
    init(validated mixtures: [GaussianMixture], sigma: Double) {
        let d = mixtures[0].dimension
        dimension = d
        self.sigma = sigma
        modelCount = mixtures.count
        var means: [[Double]] = [], covariances: [[Double]] = [], eigen: [SymmetricEigen] = []
        var logWeights: [[Double]] = []
        for mixture in mixtures {
            var weights = [Double](repeating: -.infinity, count: means.count)
            for (slot, k) in mixture.activeIndices.enumerated() {
                let c = mixture.components[k]
                let u: Int
                if let found = means.indices.first(where: { means[$0] == c.mean && covariances[$0] == c.covariance }) {
                    u = found
                } else {
                    u = means.count
                    means.append(c.mean); covariances.append(c.covariance); eigen.append(mixture.eigen[slot])
                    weights.append(-.infinity)
                    for m in logWeights.indices { logWeights[m].append(-.infinity) }
                }
                // A mixture may declare one component twice: the weights add.
                weights[u] = logSumExp([weights[u], mixture.logWeights[slot]])
            }
            logWeights.append(weights)
        }
        let s2 = sigma * sigma
        let logTwoPi = Foundation.log(2 * Double.pi)
        self.means = means
        self.covariances = covariances
        self.logWeights = logWeights
        let variances = eigen.map { $0.values.map { $0 + s2 } }
        table = ComponentTable(means: means, covariances: covariances, variances: variances, vectors: eigen.map(\.vectors),
                               logNormalisers: variances.map { v in -0.5 * (Double(d) * logTwoPi + v.reduce(0) { $0 + Foundation.log($1) }) },
                               dimension: d)
        // Weight classes: equal log-weight vectors, compared bit for bit (-infinity equals itself).
        var classOfWeights: [[Double]: Int] = [:]
        var componentClass: [Int] = [], classSizes: [Int] = []
        var classLogWeights = [[Double]](repeating: [], count: mixtures.count)
        for k in means.indices {
            let key = logWeights.map { $0[k] }
            if let c = classOfWeights[key] {
                componentClass.append(c)
                classSizes[c] += 1
            } else {
                classOfWeights[key] = classSizes.count
                componentClass.append(classSizes.count)
                classSizes.append(1)
                for a in key.indices { classLogWeights[a].append(key[a]) }
            }
        }
        self.componentClass = componentClass
        self.classLogWeights = classLogWeights
        self.classSizes = classSizes
    }

    /// The number of weight classes G.
    var classCount: Int { classSizes.count }

    /// s_a - s_b for two mixtures (any dimension, any covariances). Throws as `init` does.
    public static func between(_ a: GaussianMixture, _ b: GaussianMixture, at x: [Double], sigma: Double) throws -> [Double] {
        guard x.count == a.dimension else {
            throw ToyError.invalid(input: "x", accepted: "\(a.dimension) coordinates (got \(x.count))")
        }
        return try ScoreDifference([a, b], sigma: sigma).difference(0, minus: 1, at: x)
    }

    /// s_a(x) - s_b(x) for models a and b (indices into the list the difference was built from).
    public func difference(_ a: Int, minus b: Int, at x: [Double]) -> [Double] {
        differencePlan(a, minus: b).evaluate(Point(self, x))
    }

    /// 2 s_c(x) - s_a(x) - s_b(x) = (s_c - s_a) - (s_b - s_c): Delta1 - Delta2 for c = strong, a = weak, b = ideal.
    public func gap(center c: Int, _ a: Int, _ b: Int, at x: [Double]) -> [Double] {
        gapPlan(center: c, a, b).evaluate(Point(self, x))
    }

    /// W^ab_CD = pi^a_C pi^b_D - pi^a_D pi^b_C from the log-weights (exactly 0 where the two products'
    /// logarithms are equal).
    func pairWeight(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> SignedLog {
        SignedLog.difference(classLogWeights[a][c] + classLogWeights[b][d], classLogWeights[a][d] + classLogWeights[b][c])
    }

    /// The nonzero class-pair weights W^ab_CD of s_a - s_b, formed once for many points.
    func differencePlan(_ a: Int, minus b: Int) -> DifferencePlan {
        var pairs: [DifferencePlan.Pair] = []
        for c in 0..<classCount {
            for d in (c + 1)..<max(c + 1, classCount) {
                let w = pairWeight(a, b, c, d)
                if w.sign != 0 { pairs.append(DifferencePlan.Pair(c: c, d: d, weight: w)) }
            }
        }
        return DifferencePlan(a: a, b: b, pairs: pairs)
    }

    /// The class-pair weights W^ca_CD, W^bc_CD and U_CD = W^ca_CD - W^bc_CD of 2 s_c - s_a - s_b and the
    /// class weight differences pi^b_N - pi^a_N, formed once for many points.
    func gapPlan(center c: Int, _ a: Int, _ b: Int) -> GapPlan {
        var pairs: [GapPlan.Pair] = []
        for k in 0..<classCount {
            for m in (k + 1)..<max(k + 1, classCount) {
                let wca = pairWeight(c, a, k, m), wbc = pairWeight(b, c, k, m)
                guard wca.sign != 0 || wbc.sign != 0 else { continue }
                pairs.append(GapPlan.Pair(c: k, d: m, wca: wca, wbc: wbc, u: SignedLog.sum(wca, wbc.negated)))
            }
        }
        let weightGaps: [(Int, SignedLog)] = (0..<classCount).compactMap { n in
            let delta = SignedLog.difference(classLogWeights[b][n], classLogWeights[a][n])
            return delta.sign == 0 ? nil : (n, delta)
        }
        return GapPlan(a: a, b: b, c: c, pairs: pairs, weightGaps: weightGaps)
    }

    /// s_a - s_b = sum over class pairs C < D of W^ab_CD e^(log E_C + log E_D - L_a - L_b) (O_C - O_D).
    struct DifferencePlan {
        struct Pair { var c: Int; var d: Int; var weight: SignedLog }
        let a: Int
        let b: Int
        let pairs: [Pair]

        func evaluate(_ point: Point) -> [Double] {
            var out = [Double](repeating: 0, count: point.dimension)
            out.withUnsafeMutableBufferPointer { evaluate(point, into: $0.baseAddress!) }
            return out
        }

        /// The difference at the point, into out[0 ..< d].
        func evaluate(_ point: Point, into out: UnsafeMutablePointer<Double>) {
            for j in 0..<point.dimension { out[j] = 0 }
            let la = point.logDensities[a], lb = point.logDensities[b]
            for pair in pairs {
                let w = pair.weight
                let coefficient = w.sign * Foundation.exp(w.logMagnitude + (point.classLogMass[pair.c] - la) + (point.classLogMass[pair.d] - lb))
                point.addClassDifference(pair.c, pair.d, times: coefficient, into: out)
            }
        }
    }

    /// 2 s_c - s_a - s_b = sum over class pairs C < D of e^(log E_C + log E_D - L_c - L_a) B_CD (O_C - O_D),
    /// the bracket B_CD = sum_n T_CDn e^(l_n - L_b) in the direct or the split form, whichever has the
    /// smaller rounding bound (see the type's comment).
    struct GapPlan {
        struct Pair { var c: Int; var d: Int; var wca: SignedLog; var wbc: SignedLog; var u: SignedLog }
        let a: Int
        let b: Int
        let c: Int
        let pairs: [Pair]
        /// (N, pi^b_N - pi^a_N) for the classes where the two weights differ.
        let weightGaps: [(Int, SignedLog)]

        func evaluate(_ point: Point) -> [Double] {
            var out = [Double](repeating: 0, count: point.dimension)
            out.withUnsafeMutableBufferPointer { evaluate(point, into: $0.baseAddress!) }
            return out
        }

        /// The gap at the point, into out[0 ..< d].
        func evaluate(_ point: Point, into out: UnsafeMutablePointer<Double>) {
            for j in 0..<point.dimension { out[j] = 0 }
            let la = point.logDensities[a], lb = point.logDensities[b], lc = point.logDensities[c]
            // eps = sum_N (pi^b_N - pi^a_N) E_N / p_b and its rounding scale sum_N |pi^b_N - pi^a_N| E_N / p_b.
            var eps = 0.0, epsScale = 0.0
            for (n, delta) in weightGaps {
                let t = Foundation.exp(delta.logMagnitude + point.classLogMass[n] - lb)
                eps += delta.sign * t
                epsScale += t
            }
            for pair in pairs {
                // e^(log E_C - L_c + log E_D - L_a) and the same over p_b instead of p_a (= times rho).
                let overA = (point.classLogMass[pair.c] - lc) + (point.classLogMass[pair.d] - la)
                let overB = (point.classLogMass[pair.c] - lc) + (point.classLogMass[pair.d] - lb)
                let wca = Foundation.exp(pair.wca.logMagnitude + overA)
                let wbcRho = Foundation.exp(pair.wbc.logMagnitude + overB)
                let uRho = Foundation.exp(pair.u.logMagnitude + overB)
                let directBound = wca + wbcRho, splitBound = wca * epsScale + uRho
                let coefficient = splitBound < directBound
                    ? pair.wca.sign * wca * eps + pair.u.sign * uRho
                    : pair.wca.sign * wca - pair.wbc.sign * wbcRho
                point.addClassDifference(pair.c, pair.d, times: coefficient, into: out)
            }
        }
    }
}

/// A real number sign * e^logMagnitude (sign in {-1, 0, 1}), for products and sums of weights that would
/// underflow as plain doubles (weights down to 1e-300 multiply to 1e-600).
struct SignedLog {
    var sign: Double
    var logMagnitude: Double

    static let zero = SignedLog(sign: 0, logMagnitude: -.infinity)

    /// e^u - e^v, exactly 0 when u == v; the magnitude as max + log(-expm1(min - max)) (no cancellation
    /// beyond that of the two inputs).
    static func difference(_ u: Double, _ v: Double) -> SignedLog {
        if u == v { return .zero }
        let (hi, lo) = u > v ? (u, v) : (v, u)
        guard hi > -.infinity else { return .zero }
        return SignedLog(sign: u > v ? 1 : -1, logMagnitude: hi + Foundation.log(-expm1(lo - hi)))
    }

    /// p + q.
    static func sum(_ p: SignedLog, _ q: SignedLog) -> SignedLog {
        if p.sign == 0 { return q }
        if q.sign == 0 { return p }
        if p.sign == q.sign {
            let (hi, lo) = p.logMagnitude >= q.logMagnitude ? (p.logMagnitude, q.logMagnitude) : (q.logMagnitude, p.logMagnitude)
            return SignedLog(sign: p.sign, logMagnitude: hi + log1p(Foundation.exp(lo - hi)))
        }
        let magnitude = difference(p.logMagnitude, q.logMagnitude)
        return SignedLog(sign: magnitude.sign * p.sign, logMagnitude: magnitude.logMagnitude)
    }

    var negated: SignedLog { SignedLog(sign: -sign, logMagnitude: logMagnitude) }
}
