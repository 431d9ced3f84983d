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
/// Since sum_m r^b_m = 1, r^a_k - r^b_k = sum_m (r^a_k r^b_m - r^a_m r^b_k), and the antisymmetric
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
/// The weight polynomials W and T are formed from the log-weights (exactly 0 where the weights are
/// equal, e.g. the shared components of weight-only models), each term is one exponential of a
/// log-magnitude <= log 2 (no overflow; underflow only for terms below 1e-308), and the component
/// differences are formed directly: m_k - m_m = (S_k + sigma^2 I)^-1 [(mu_k - mu_m) + (S_m - S_k) m_m]
/// (which is (mu_k - mu_m) / (v + sigma^2) for equal isotropic covariances v I).
///
/// Accuracy: every term carries a relative error of a few ulps times (1 + |l_k - L_a| + |l_m - L_b|),
/// the inherent sensitivity of log-densities to rounding in x (about 1e-14 within 50 log-units of the
/// modes), plus the conditioning of the weight polynomial (eps / |1 - pi^a_m pi^b_k / (pi^a_k pi^b_m)|);
/// the result's error is at most that relative error times sum |terms|. Nothing large is cancelled: for
/// two components the result is a single term (relative error ~1e-14, tested against the sigmoid-difference
/// closed form to 1e-10); for more, only terms of the size of the result's own contributions meet.
public struct ScoreDifference: Sendable {
    public let dimension: Int
    public let sigma: Double
    /// The number of mixtures this difference was built from (their indices are 0 ..< modelCount).
    public let modelCount: Int
    /// The union of the active components: means, covariances (row-major), eigenvalues L + sigma^2,
    /// eigenvectors (as in `SymmetricEigen`) and log normalisers -(d log 2 pi + log det(S + sigma^2 I)) / 2.
    let means: [[Double]]
    let covariances: [[Double]]
    let variances: [[Double]]
    let vectors: [[Double]]
    let logNormalisers: [Double]
    /// logWeights[model][k]: log pi^model_k, -infinity where the model lacks union component k.
    let logWeights: [[Double]]

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
        variances = eigen.map { $0.values.map { $0 + s2 } }
        vectors = eigen.map(\.vectors)
        logNormalisers = variances.map { v in -0.5 * (Double(d) * logTwoPi + v.reduce(0) { $0 + Foundation.log($1) }) }
    }

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

    /// The nonzero weight polynomials of s_a - s_b, formed once for many points.
    func differencePlan(_ a: Int, minus b: Int) -> Plan {
        var terms: [Plan.Term] = []
        let count = means.count
        for k in 0..<count {
            for m in (k + 1)..<max(k + 1, count) {
                let w = SignedLog.difference(logWeights[a][k] + logWeights[b][m], logWeights[a][m] + logWeights[b][k])
                if w.sign != 0 { terms.append(Plan.Term(k: k, m: m, coefficients: [(k, w)])) }
            }
        }
        return Plan(union: self, kind: .difference, terms: terms, models: [a, b])
    }

    /// The nonzero weight polynomials T_kmn of 2 s_c - s_a - s_b, formed once for many points.
    func gapPlan(center c: Int, _ a: Int, _ b: Int) -> Plan {
        var terms: [Plan.Term] = []
        let count = means.count
        for k in 0..<count {
            for m in (k + 1)..<max(k + 1, count) {
                let wca = SignedLog.difference(logWeights[c][k] + logWeights[a][m], logWeights[c][m] + logWeights[a][k])
                let wbc = SignedLog.difference(logWeights[b][k] + logWeights[c][m], logWeights[b][m] + logWeights[c][k])
                guard wca.sign != 0 || wbc.sign != 0 else { continue }
                var coefficients: [(Int, SignedLog)] = []
                for n in 0..<count {
                    let t = SignedLog.sum(wca.times(logWeights[b][n]), wbc.times(logWeights[a][n]).negated)
                    if t.sign != 0 { coefficients.append((n, t)) }
                }
                if !coefficients.isEmpty { terms.append(Plan.Term(k: k, m: m, coefficients: coefficients)) }
            }
        }
        return Plan(union: self, kind: .gap, terms: terms, models: [a, b, c])
    }

    /// A sum over component pairs k < m of c_km(x) (m_k - m_m), with
    /// c_km = W e^(l_k + l_m - L_a - L_b) for a difference (models [a, b]) and
    /// c_km = sum_n T_kmn e^(l_k + l_m + l_n - L_a - L_b - L_c) for a gap (models [a, b, c]).
    struct Plan {
        enum Kind { case difference, gap }

        struct Term {
            var k: Int
            var m: Int
            /// (n, t): the weight polynomial t (multiplying e^(l_n) in a gap; a difference has one, n unused).
            var coefficients: [(Int, SignedLog)]
        }

        let union: ScoreDifference
        let kind: Kind
        let terms: [Term]
        /// The models whose log-densities divide every term.
        let models: [Int]

        func evaluate(_ point: Point) -> [Double] {
            let d = union.dimension
            var out = [Double](repeating: 0, count: d)
            let logDensities = models.map { point.logDensity(model: $0) }
            for term in terms {
                var coefficient = 0.0
                switch kind {
                case .difference:
                    // W e^((l_k - L_a) + (l_m - L_b)).
                    let w = term.coefficients[0].1
                    coefficient = w.sign * Foundation.exp(w.logMagnitude + (point.l[term.k] - logDensities[0]) + (point.l[term.m] - logDensities[1]))
                case .gap:
                    // sum_n T_kmn e^((l_k - L_c) + (l_m - L_a) + (l_n - L_b)).
                    let pair = (point.l[term.k] - logDensities[2]) + (point.l[term.m] - logDensities[0])
                    for (n, t) in term.coefficients {
                        coefficient += t.sign * Foundation.exp(t.logMagnitude + pair + (point.l[n] - logDensities[1]))
                    }
                }
                guard coefficient != 0 else { continue }
                point.addComponentDifference(term.k, term.m, times: coefficient, into: &out)
            }
            return out
        }
    }

    /// The per-point quantities: l_k(x) and m_k(x) (flat, [k * d + j]) for every union component.
    struct Point {
        let union: ScoreDifference
        var l: [Double]
        var m: [Double]

        init(_ union: ScoreDifference, _ x: [Double]) {
            self.union = union
            let d = union.dimension, count = union.means.count
            l = [Double](repeating: 0, count: count)
            m = [Double](repeating: 0, count: count * d)
            var scaled = [Double](repeating: 0, count: d)
            for k in 0..<count {
                // z = Q^T (x - mu); l = c - sum_j z_j^2 / (L_j + sigma^2) / 2; m = -Q (z / (L + sigma^2)).
                let q = union.vectors[k], v = union.variances[k], mu = union.means[k]
                var quadratic = 0.0
                for j in 0..<d {
                    var z = 0.0
                    for r in 0..<d { z += q[r * d + j] * (x[r] - mu[r]) }
                    quadratic += z * z / v[j]
                    scaled[j] = z / v[j]
                }
                l[k] = union.logNormalisers[k] - 0.5 * quadratic
                for r in 0..<d {
                    var sum = 0.0
                    for j in 0..<d { sum += q[r * d + j] * scaled[j] }
                    m[k * d + r] = -sum
                }
            }
        }

        /// L_a = log p_a(x; sigma) by log-sum-exp over the model's components.
        func logDensity(model a: Int) -> Double {
            let weights = union.logWeights[a]
            var top = -Double.infinity
            for k in l.indices where weights[k] > -.infinity { top = max(top, weights[k] + l[k]) }
            guard top.isFinite else { return top }
            var sum = 0.0
            for k in l.indices where weights[k] > -.infinity { sum += Foundation.exp(weights[k] + l[k] - top) }
            return top + Foundation.log(sum)
        }

        /// out += coefficient (m_k - m_m), with m_k - m_m = (S_k + sigma^2 I)^-1 [(mu_k - mu_m) + (S_m - S_k) m_m]:
        /// no subtraction of the two component scores.
        func addComponentDifference(_ k: Int, _ m: Int, times coefficient: Double, into out: inout [Double]) {
            let d = union.dimension
            let muK = union.means[k], muM = union.means[m]
            if d == 1 {
                var v = muK[0] - muM[0]
                let sk = union.covariances[k][0], sm = union.covariances[m][0]
                if sk != sm { v += (sm - sk) * self.m[m] }
                out[0] += coefficient * (v / union.variances[k][0])
                return
            }
            var v = [Double](repeating: 0, count: d)
            for r in 0..<d { v[r] = muK[r] - muM[r] }
            let sk = union.covariances[k], sm = union.covariances[m]
            if sk != sm {
                for r in 0..<d {
                    for c in 0..<d { v[r] += (sm[r * d + c] - sk[r * d + c]) * self.m[m * d + c] }
                }
            }
            // (S_k + sigma^2 I)^-1 v = Q diag(1 / (L + sigma^2)) Q^T v.
            let q = union.vectors[k], variances = union.variances[k]
            var rotated = [Double](repeating: 0, count: d)
            for j in 0..<d {
                var sum = 0.0
                for r in 0..<d { sum += q[r * d + j] * v[r] }
                rotated[j] = sum / variances[j]
            }
            for r in 0..<d {
                var sum = 0.0
                for j in 0..<d { sum += q[r * d + j] * rotated[j] }
                out[r] += coefficient * sum
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

    /// This number times e^logFactor (0 when the factor is e^-infinity).
    func times(_ logFactor: Double) -> SignedLog {
        logFactor == -.infinity || sign == 0 ? .zero : SignedLog(sign: sign, logMagnitude: logMagnitude + logFactor)
    }

    var negated: SignedLog { SignedLog(sign: -sign, logMagnitude: logMagnitude) }
}
