import Foundation
@testable import Toy

/// The component-by-component sums `ScoreDifference` evaluated before weight classes, kept here as the
/// tests' reference (not in the product: the gap cost K^3 / 2 exponentials per point):
///
///     s_a - s_b       = sum_{k<m} W^ab_km e^(l_k + l_m - L_a - L_b) (m_k - m_m),
///     2 s_c - s_a - s_b = sum_{k<m} sum_n T_kmn e^(l_k + l_m + l_n - L_c - L_a - L_b) (m_k - m_m),
///
/// W^ab_km = pi^a_k pi^b_m - pi^a_m pi^b_k and T_kmn = W^ca_km pi^b_n - W^bc_km pi^a_n formed from the
/// log-weights, and L_a by log-sum-exp over the components. Each result comes with `scale`, the sum of
/// the magnitudes of its terms |coefficient| |m_k - m_m|: the sums' rounding error is a few ulps of it.
enum CubicScoreDifference {
    struct Result {
        var value: [Double]
        var scale: Double
    }

    /// l_k, m_k and L_a at x for the union's components and models.
    struct Terms {
        var l: [Double]
        var scores: [[Double]]
        var logDensities: [Double]

        init(_ union: ScoreDifference, _ x: [Double]) {
            let count = union.means.count, d = union.dimension
            l = (0..<count).map { k in x.withUnsafeBufferPointer { union.table.logDensity(k, at: $0.baseAddress!, dimension: d) } }
            scores = (0..<count).map { k in
                var score = [Double](repeating: 0, count: d), scratch = score
                x.withUnsafeBufferPointer { xs in
                    union.table.score(k, at: xs.baseAddress!, into: &score, scratch: &scratch)
                }
                return score
            }
            let l = self.l
            logDensities = union.logWeights.map { weights in
                logSumExp(l.indices.filter { weights[$0] > -.infinity }.map { weights[$0] + l[$0] })
            }
        }
    }

    /// W^ab_km from the component log-weights.
    static func pairWeight(_ union: ScoreDifference, _ a: Int, _ b: Int, _ k: Int, _ m: Int) -> SignedLog {
        SignedLog.difference(union.logWeights[a][k] + union.logWeights[b][m], union.logWeights[a][m] + union.logWeights[b][k])
    }

    /// out += coefficient (m_k - m_m), formed directly; returns |coefficient| |m_k - m_m|.
    static func add(_ union: ScoreDifference, _ terms: Terms, _ k: Int, _ m: Int, _ coefficient: Double, into out: inout [Double]) -> Double {
        var difference = [Double](repeating: 0, count: union.dimension)
        var scratch = [Double](repeating: 0, count: 2 * union.dimension)
        union.table.addDifference(k, m, referenceScore: terms.scores[m], times: 1, into: &difference, scratch: &scratch,
                                  dimension: union.dimension)
        for j in out.indices { out[j] += coefficient * difference[j] }
        return abs(coefficient) * difference.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    static func difference(_ union: ScoreDifference, _ a: Int, minus b: Int, at x: [Double]) -> Result {
        let terms = Terms(union, x)
        var out = [Double](repeating: 0, count: union.dimension), scale = 0.0
        let count = union.means.count
        for k in 0..<count {
            for m in (k + 1)..<max(k + 1, count) {
                let w = pairWeight(union, a, b, k, m)
                guard w.sign != 0 else { continue }
                let c = w.sign * exp(w.logMagnitude + (terms.l[k] - terms.logDensities[a]) + (terms.l[m] - terms.logDensities[b]))
                scale += add(union, terms, k, m, c, into: &out)
            }
        }
        return Result(value: out, scale: scale)
    }

    static func gap(_ union: ScoreDifference, center c: Int, _ a: Int, _ b: Int, at x: [Double]) -> Result {
        let terms = Terms(union, x)
        let (la, lb, lc) = (terms.logDensities[a], terms.logDensities[b], terms.logDensities[c])
        var out = [Double](repeating: 0, count: union.dimension), scale = 0.0
        let count = union.means.count
        for k in 0..<count {
            for m in (k + 1)..<max(k + 1, count) {
                let wca = pairWeight(union, c, a, k, m), wbc = pairWeight(union, b, c, k, m)
                guard wca.sign != 0 || wbc.sign != 0 else { continue }
                let pair = (terms.l[k] - lc) + (terms.l[m] - la)
                var coefficient = 0.0, magnitude = 0.0
                for n in 0..<count {
                    // T_kmn = W^ca pi^b_n - W^bc pi^a_n (each product 0 where its weight is).
                    let first = union.logWeights[b][n] == -.infinity || wca.sign == 0 ? SignedLog.zero
                        : SignedLog(sign: wca.sign, logMagnitude: wca.logMagnitude + union.logWeights[b][n])
                    let second = union.logWeights[a][n] == -.infinity || wbc.sign == 0 ? SignedLog.zero
                        : SignedLog(sign: -wbc.sign, logMagnitude: wbc.logMagnitude + union.logWeights[a][n])
                    let t = SignedLog.sum(first, second)
                    guard t.sign != 0 else { continue }
                    let term = exp(t.logMagnitude + pair + (terms.l[n] - lb))
                    coefficient += t.sign * term
                    magnitude += term
                }
                guard magnitude > 0 else { continue }
                let size = add(union, terms, k, m, coefficient, into: &out)
                scale += coefficient == 0 ? 0 : size * magnitude / abs(coefficient)
            }
        }
        return Result(value: out, scale: scale)
    }
}
