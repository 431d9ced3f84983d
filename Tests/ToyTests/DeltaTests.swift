import Foundation
import Testing
import TestSupport
@testable import Toy

@Suite struct DeltaTests {
    /// Single Gaussians: Delta1 and Delta2 are affine in x, so every expectation is closed form.
    @Test func singleGaussianPairMatchesTheClosedForm() throws {
        func single(_ mean: Double, _ variance: Double) throws -> GaussianMixture {
            try GaussianMixture([GaussianComponent(weight: 1, mean: [mean], covariance: [variance])])
        }
        let models = try ModelTriple(ideal: single(0, 1), strong: single(0.5, 1.44), weak: single(1, 2.25))
        for sigma in [0.05, 0.7, 3.0] {
            let s2 = sigma * sigma
            let (vi, vs, vw) = (1 + s2, 1.44 + s2, 2.25 + s2)
            // Delta1 = a1 + b1 x, Delta2 = a2 + b2 x with x ~ N(0, vi).
            let (a1, b1) = (0.5 / vs - 1 / vw, -1 / vs + 1 / vw)
            let (a2, b2) = (0 / vi - 0.5 / vs, -1 / vi + 1 / vs)
            func foldedMean(_ m: Double, _ s: Double) -> Double {
                s * (2 / Double.pi).squareRoot() * exp(-m * m / (2 * s * s)) + m * erf(m / (s * 2.0.squareRoot()))
            }
            let d1Squared = a1 * a1 + b1 * b1 * vi, d2Squared = a2 * a2 + b2 * b2 * vi, cross = a1 * a2 + b1 * b2 * vi
            let row = DeltaAlignment.compute(models, sigma: sigma)
            func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-8 * max(1e-3, abs(b)) }
            #expect(close(row.meanNormDelta1, foldedMean(a1, abs(b1) * vi.squareRoot())), "sigma \(sigma): E|D1|")
            #expect(close(row.meanNormDelta2, foldedMean(a2, abs(b2) * vi.squareRoot())), "sigma \(sigma): E|D2|")
            #expect(close(row.delta1Squared, d1Squared) && close(row.delta2Squared, d2Squared) && close(row.crossProduct, cross))
            #expect(close(row.fieldCosine, cross / (d1Squared * d2Squared).squareRoot()))
            #expect(close(row.relativeError, ((d1Squared - 2 * cross + d2Squared) / d2Squared).squareRoot()))
        }
    }

    /// E(alpha*) <= E(alpha) for every alpha; E(0) is the aggregate |Delta2|^2; the safe interval ends
    /// where E returns to E(0).
    @Test func proxyAnalysisSatisfiesItsIdentities() {
        let models = Presets.oneDimensional()
        let levels = [0.05, 0.3, 1, 4].map { DeltaAlignment.compute(models, sigma: $0) }
        let proxy = ProxyAnalysis(levels: levels)
        #expect(abs(proxy.error(alpha: 0) - levels.reduce(0) { $0 + $1.delta2Squared }) < 1e-12 * proxy.delta2Squared)
        var rng = Xoshiro256StarStar(seed: 5)
        for _ in 0..<200 {
            let alpha = Draw.uniform(-5, 5, &rng)
            #expect(proxy.error(alpha: proxy.bestAlpha) <= proxy.error(alpha: alpha) * (1 + 1e-12))
        }
        let end = proxy.safeInterval.upperBound == 0 ? proxy.safeInterval.lowerBound : proxy.safeInterval.upperBound
        #expect(abs(proxy.errorRatio(alpha: end) - 1) < 1e-9)
        // E(alpha*) / E(0) = 1 - cos^2 for the field cosine.
        #expect(abs(proxy.errorRatio(alpha: proxy.bestAlpha) - (1 - proxy.fieldCosine * proxy.fieldCosine)) < 1e-12)
        // The gap's own ratio is E(1)/E(0) (here the fields differ, so the expansion loses nothing).
        #expect(abs(proxy.gapRatio - proxy.errorRatio(alpha: 1)) < 1e-9 * proxy.gapRatio)
    }

    /// The mean cosine averages over all points, a point where either difference is zero counting as
    /// cosine 0: four points with cosines 1, 0 (Delta1 = 0), 0 (Delta2 = 0) and 1 give 0.5, not the 1 of
    /// an average over the points where both differences are non-zero. The other quantities are the
    /// plain means (every number here is exact in binary).
    @Test func sampleMeanCountsZeroDifferencesAsCosineZero() {
        let points: [([Double], [Double])] = [([3, 4], [6, 8]), ([0, 0], [1, 0]), ([3, 0], [0, 0]), ([0, -1], [0, -4])]
        #expect(points.map { DeltaAlignment.cosine($0.0, $0.1) } == [1, 0, 0, 1])
        let row = DeltaAlignment.sampleMean(sigma: 1, count: points.count) { i in
            let (a, b) = points[i]
            return (a, b, zip(a, b).map { $0 - $1 })
        }
        #expect(row.meanCosine == 0.5, "mean cosine \(row.meanCosine)")
        #expect(row.meanNormDelta1 == 2.25 && row.meanNormDelta2 == 3.75)
        #expect(row.delta1Squared == 8.75 && row.delta2Squared == 29.25 && row.crossProduct == 13.5 && row.gapSquared == 11)
        #expect(row.fieldCosine == 13.5 / (8.75 * 29.25).squareRoot() && row.relativeError == (11 / 29.25).squareRoot())
        #expect(row.sigma == 1 && row.integrationError > 0)
        // The pointwise convention on its own.
        #expect(DeltaAlignment.cosine([0, 0], [1, 2]) == 0 && DeltaAlignment.cosine([1, 2], [0, 0]) == 0)
        #expect(DeltaAlignment.cosine([3, 4], [-6, -8]) == -1)
    }
}
