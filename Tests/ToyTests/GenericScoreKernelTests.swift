import Foundation
import Testing
import TestSupport
@testable import Toy

/// The any-dimension score kernel (d > 2: eight particles per block, zero precision entries skipped), the
/// precision set-up (zero eigenvector entries skipped, one triangle mirrored) and `ScoreDifference`'s
/// component table (zero eigenvector entries skipped for d > 2) against the dense scalar forms they
/// replace, bit for bit: a high-dimensional result must not depend on the speed-up.
@Suite struct GenericScoreKernelTests {
    /// The dense scalar loop the kernel replaced: per particle and component g = P_k (mu_k - x) over every
    /// column, q = (mu_k - x) . g, and the online log-sum-exp with `expNonPositive`.
    static func denseScores(_ noisy: NoisyMixture, _ x: [Double]) -> [Double] {
        let d = noisy.dimension, n = x.count / d
        var out = [Double](repeating: 0, count: x.count), g = [Double](repeating: 0, count: d)
        for i in 0..<n {
            var top = -Double.infinity, sum = 0.0
            for c in 0..<noisy.count {
                var q = 0.0
                for r in 0..<d {
                    var row = 0.0
                    for col in 0..<d { row += noisy.precisions[c * d * d + r * d + col] * (noisy.means[c * d + col] - x[i * d + col]) }
                    g[r] = row
                    q += (noisy.means[c * d + r] - x[i * d + r]) * row
                }
                let a = noisy.logCoefficients[c] - 0.5 * q
                if c == 0 {
                    top = a; sum = 1
                    for j in 0..<d { out[i * d + j] = g[j] }
                } else if a > top {
                    let e = expNonPositive(top - a)
                    sum = sum * e + 1
                    for j in 0..<d { out[i * d + j] = out[i * d + j] * e + g[j] }
                    top = a
                } else {
                    let e = expNonPositive(a - top)
                    sum += e
                    for j in 0..<d { out[i * d + j] += e * g[j] }
                }
            }
            for j in 0..<d { out[i * d + j] /= sum }
        }
        return out
    }

    /// The dense precision P = Q diag(1 / (L + sigma^2)) Q^T: every j of every entry.
    static func densePrecision(_ e: SymmetricEigen, sigma: Double) -> [Double] {
        let d = e.dimension
        var p = [Double](repeating: 0, count: d * d)
        for r in 0..<d {
            for col in 0..<d {
                var sum = 0.0
                for j in 0..<d { sum += e.vectors[r * d + j] * e.vectors[col * d + j] / (e.values[j] + sigma * sigma) }
                p[r * d + col] = sum
            }
        }
        return p
    }

    /// A covariance in d dimensions: dense (a random rotation), or block-diagonal as a toy embedded in a
    /// subspace (a random 2 x 2 block at two random coordinates, independent coordinates elsewhere), so
    /// that both the dense and the sparse forms of P are drawn.
    static func covariance(dimension d: Int, blockDiagonal: Bool, _ rng: inout Xoshiro256StarStar) -> [Double] {
        guard blockDiagonal else { return Draw.covariance(dimension: d, scale: Draw.uniform(0.2, 2, &rng), maxCondition: 1e4, &rng) }
        var s = [Double](repeating: 0, count: d * d)
        for j in 0..<d { s[j * d + j] = Draw.logUniform(0.01, 2, &rng) }
        let a = Draw.integer(0...(d - 1), &rng), b = (a + Draw.integer(1...(d - 1), &rng)) % d
        let block = Draw.covariance(dimension: 2, scale: Draw.uniform(0.2, 2, &rng), maxCondition: 100, &rng)
        s[a * d + a] = block[0]; s[a * d + b] = block[1]; s[b * d + a] = block[2]; s[b * d + b] = block[3]
        return s
    }

    /// The component table's l_k, m_k and m_k - m_m over every eigenvector entry (the loops before the
    /// sparse patterns), for d > 2.
    static func denseTable(_ t: ScoreDifference.ComponentTable, _ k: Int, _ m: Int, _ x: [Double]) -> (l: Double, score: [Double], difference: [Double]) {
        let d = t.dimension
        func rotate(_ c: Int, _ v: (Int) -> Double) -> [Double] {
            (0..<d).map { j in var z = 0.0; for r in 0..<d { z += t.vectors[c * d * d + r * d + j] * v(r) }; return z }
        }
        func back(_ c: Int, _ w: [Double]) -> [Double] {
            (0..<d).map { r in var sum = 0.0; for j in 0..<d { sum += t.vectors[c * d * d + r * d + j] * w[j] }; return sum }
        }
        let z = rotate(k, { x[$0] - t.means[k * d + $0] })
        var quadratic = 0.0
        for j in 0..<d { quadratic += z[j] * z[j] / t.variances[k * d + j] }
        let scaled = (0..<d).map { z[$0] / t.variances[k * d + $0] }
        let score = back(k, scaled).map { -$0 }
        let zm = rotate(m, { x[$0] - t.means[m * d + $0] })
        let mM = back(m, (0..<d).map { zm[$0] / t.variances[m * d + $0] }).map { -$0 }
        var v = (0..<d).map { t.means[k * d + $0] - t.means[m * d + $0] }
        if t.covarianceGroup[k] != t.covarianceGroup[m] {
            for r in 0..<d { for c in 0..<d { v[r] += (t.covariances[m * d * d + r * d + c] - t.covariances[k * d * d + r * d + c]) * mM[c] } }
        }
        let rotated = rotate(k, { v[$0] })
        let difference = back(k, (0..<d).map { rotated[$0] / t.variances[k * d + $0] }).map { 0 + 0.75 * $0 }
        return (t.logNormalisers[k] - 0.5 * quadratic, score, difference)
    }

    /// Three mixtures of 1 to 4 components in d = 3 ... 8 (dense or block-diagonal covariances), any noise
    /// level, points near the modes: the table's log-densities, component scores and component-score
    /// differences equal the dense loops' bit for bit.
    @Test func componentTableEqualsTheDenseLoopsBitForBit() throws {
        var sparseSeen = false
        let failures = try Property.check("ScoreDifference table d > 2 = dense loops") { rng in
            let d = Draw.integer(3...8, &rng), blockDiagonal = Draw.bool(&rng)
            let mixtures = try (0..<3).map { _ in
                try GaussianMixture((0..<Draw.integer(1...4, &rng)).map { _ in
                    GaussianComponent(weight: Draw.uniform(0.05, 1, &rng), mean: (0..<d).map { _ in Draw.uniform(-5, 5, &rng) },
                                      covariance: Self.covariance(dimension: d, blockDiagonal: blockDiagonal, &rng))
                })
            }
            let sigma = Draw.noiseLevel(&rng)
            let table = try ScoreDifference(mixtures, sigma: sigma).table
            sparseSeen = sparseSeen || table.columnStarts[table.count * (d + 1) - 1] < table.count * d * d
            let x = Draw.point(near: mixtures[0], &rng)
            let score = UnsafeMutablePointer<Double>.allocate(capacity: d), scratch = UnsafeMutablePointer<Double>.allocate(capacity: 2 * d)
            let referenceScore = UnsafeMutablePointer<Double>.allocate(capacity: d), out = UnsafeMutablePointer<Double>.allocate(capacity: d)
            defer { for p in [score, scratch, referenceScore, out] { p.deallocate() } }
            for k in 0..<table.count {
                let m = (k + 1) % table.count
                let dense = Self.denseTable(table, k, m, x)
                let l = x.withUnsafeBufferPointer { table.logDensity(k, at: $0.baseAddress!, dimension: d) }
                x.withUnsafeBufferPointer { table.score(k, at: $0.baseAddress!, into: score, scratch: scratch) }
                x.withUnsafeBufferPointer { table.score(m, at: $0.baseAddress!, into: referenceScore, scratch: scratch) }
                out.initialize(repeating: 0, count: d)
                table.addDifference(k, m, referenceScore: referenceScore, times: 0.75, into: out, scratch: scratch, dimension: d)
                guard l.bitPattern == dense.l.bitPattern else { return "d \(d), component \(k): l \(l) vs dense \(dense.l)" }
                for j in 0..<d where score[j].bitPattern != dense.score[j].bitPattern || out[j].bitPattern != dense.difference[j].bitPattern {
                    return "d \(d), components \(k), \(m), coordinate \(j): score \(score[j]) vs \(dense.score[j]), difference \(out[j]) vs \(dense.difference[j])"
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(sparseSeen, "no drawn eigenvector matrix had a zero entry: the skipping would go untested")
    }

    /// Mixtures of 1 to 6 components in d = 3 ... 9 (dense or block-diagonal covariances, one mixture of
    /// each kind per case), any noise level, 1 to 21 points near the modes or far: the precisions equal
    /// the dense ones and the batch scores equal the dense scalar loop's, bit for bit. The kernel drops
    /// a term or changes an operation's order, and some bit differs.
    @Test func genericKernelEqualsTheDenseLoopBitForBit() throws {
        var sparseSeen = false
        let failures = try Property.check("generic d > 2 kernel = dense scalar loop") { rng in
            let d = Draw.integer(3...9, &rng), blockDiagonal = Draw.bool(&rng)
            let m = try GaussianMixture((0..<Draw.integer(1...6, &rng)).map { _ in
                GaussianComponent(weight: Draw.element([1e-300, Draw.uniform(0.05, 1, &rng)], &rng),
                                  mean: (0..<d).map { _ in Draw.uniform(-5, 5, &rng) },
                                  covariance: Self.covariance(dimension: d, blockDiagonal: blockDiagonal, &rng))
            })
            let sigma = Draw.noiseLevel(&rng)
            let noisy = m.noisy(at: sigma)
            for (c, e) in m.eigen.enumerated() {
                let dense = Self.densePrecision(e, sigma: sigma)
                for j in 0..<(d * d) where dense[j].bitPattern != noisy.precisions[c * d * d + j].bitPattern {
                    return "d \(d), sigma \(sigma): precision entry \(j) of component \(c): \(noisy.precisions[c * d * d + j]) vs dense \(dense[j])"
                }
            }
            sparseSeen = sparseSeen || noisy.precisionRows.values.count < noisy.count * d * d
            let n = Draw.integer(1...21, &rng)
            let x = (0..<n).flatMap { _ -> [Double] in
                Draw.bool(&rng, probability: 0.2) ? (0..<d).map { _ in Draw.uniform(-1e3, 1e3, &rng) } : Draw.point(near: m, &rng)
            }
            let reference = Self.denseScores(noisy, x)
            let batch = ScoreKernelTests.batch(m, x, sigma: sigma)
            for j in 0..<x.count where batch[j].bitPattern != reference[j].bitPattern {
                return "d \(d), \(blockDiagonal ? "block-diagonal" : "dense"), sigma \(sigma): coordinate \(j % d) of particle \(j / d) of \(n): "
                    + "\(batch[j]) vs dense \(reference[j])"
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(sparseSeen, "no drawn precision had a zero entry: the skipping would go untested")
    }
}
