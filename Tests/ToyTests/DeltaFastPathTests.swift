import Foundation
import Testing
import TestSupport
@testable import Toy

/// The fast paths of the 2D Delta integrals against their straightforward forms, bit for bit: the one
/// pass over the fine grid against two separate trapezoid grids, the in-place integrand against the
/// array one, and the noisy mixtures kept per level against those formed per call.
@Suite struct DeltaFastPathTests {
    /// The trapezoid rule as it was written before the single pass: its own n x n grid (lower + i H,
    /// H = (upper - lower) / (n - 1)), the weight p * w_i * w_j * H_0 * H_1, f only where it is positive.
    static func separateTrapezoid(_ noisy: NoisyMixture, _ f: ([Double]) -> [Double], _ lower: [Double], _ upper: [Double],
                                  n: Int, components: Int) -> [Double] {
        let hx = (upper[0] - lower[0]) / Double(n - 1), hy = (upper[1] - lower[1]) / Double(n - 1)
        var total = [Double](repeating: 0, count: components)
        for i in 0..<n {
            let wx = (i == 0 || i == n - 1) ? 0.5 : 1
            for j in 0..<n {
                let wy = (j == 0 || j == n - 1) ? 0.5 : 1
                let x = [lower[0] + Double(i) * hx, lower[1] + Double(j) * hy]
                let w = exp(noisy.logDensity(at: x)) * wx * wy * hx * hy
                guard w > 0 else { continue }
                let v = f(x)
                for c in 0..<components { total[c] += w * v[c] }
            }
        }
        return total
    }

    /// On random 2D mixtures, noise levels, boxes (arbitrary ends, so the spacings are not round
    /// numbers) and grid sizes, the single pass's coarse and fine sums equal two separate trapezoid
    /// passes with n and 2n - 1 points per axis exactly (the fine grid's even points are the coarse grid's
    /// points bit for bit, and each sum adds the same terms in the same order).
    @Test func onePassOverTheFineGridEqualsTwoSeparateGrids() {
        let failures = Property.check("trapezoid pair = two trapezoid grids", cases: Property.caseCount(fraction: 0.25)) { rng -> String? in
            let mixture = Draw.mixture(dimension: 2, maxComponents: 4, &rng)
            let sigma = Draw.element([0, 0.01, 0.3, 2], &rng)
            let noisy = mixture.noisy(at: sigma)
            let lower = [Draw.uniform(-12, 0, &rng), Draw.uniform(-12, 0, &rng)]
            let upper = [lower[0] + Draw.uniform(0.5, 20, &rng), lower[1] + Draw.uniform(0.5, 20, &rng)]
            let n = Draw.element([2, 3, 6, 17], &rng)
            // An integrand with signs, curvature and a zero: (x0, x1^2, sin(x0 x1)).
            func f(_ x: [Double]) -> [Double] { [x[0], x[1] * x[1], sin(x[0] * x[1])] }
            let (coarse, fine) = Expectation.trapezoidPair2D(noisy, { x, out in
                let v = f([x[0], x[1]])
                for c in 0..<3 { out[c] = v[c] }
            }, lower, upper, n: n, components: 3)
            let expectedCoarse = Self.separateTrapezoid(noisy, f, lower, upper, n: n, components: 3)
            let expectedFine = Self.separateTrapezoid(noisy, f, lower, upper, n: 2 * n - 1, components: 3)
            guard coarse == expectedCoarse, fine == expectedFine else {
                return "n \(n), box \(lower) ... \(upper), sigma \(sigma): coarse \(coarse) vs \(expectedCoarse), fine \(fine) vs \(expectedFine)"
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// DeltaAlignment's in-place integrand (one Point, the plans writing into one buffer) gives the same
    /// row, bit for bit, as the array form: (Delta1, Delta2, gap) from the public per-point functions,
    /// integrated by the same rule; on random 2D triples and in 1D.
    @Test func inPlaceIntegrandEqualsTheArrayForm() throws {
        let failures = Property.check("Delta row in place = array form", cases: Property.caseCount(fraction: 0.05, minimum: 8)) { rng -> String? in
            let d = Draw.integer(1...2, &rng)
            let ideal = Draw.mixture(dimension: d, maxComponents: 3, &rng)
            var strong = ideal.components, weak = ideal.components
            // Strong and weak: the ideal's components reweighted (shared components, weight classes), or
            // a fresh mixture (components of their own).
            for k in strong.indices {
                strong[k].weight = Draw.element([ideal.components[k].weight, 0.3, 1], &rng)
                weak[k].weight = Draw.element([strong[k].weight, 0, 0.6], &rng)
            }
            if strong.allSatisfy({ $0.weight == 0 }) { strong[0].weight = 1 }
            if weak.allSatisfy({ $0.weight == 0 }) { weak[0].weight = 1 }
            if Draw.bool(&rng, probability: 0.3) { weak = Draw.mixture(dimension: d, maxComponents: 2, &rng).components }
            guard let models = try? ModelTriple(ideal: ideal, strong: GaussianMixture(strong), weak: GaussianMixture(weak)) else {
                return "the drawn models were refused"
            }
            let sigma = Draw.element([0.05, 0.5, 3], &rng)
            let row = DeltaAlignment.compute(models, sigma: sigma, gridPoints: 9)
            let reference = DeltaAlignment.integrate(under: models.ideal, sigma: sigma, gridPoints: 9, samples: 20000, seed: 0) { x in
                let (d1, d2) = DeltaAlignment.deltas(models, at: x, sigma: sigma)
                return (d1, d2, DeltaAlignment.gap(models, at: x, sigma: sigma))
            }
            return row == reference ? nil : "sigma \(sigma), d \(d): \(row) vs \(reference)"
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// A mixture prepared for noise levels gives the Hessian of the mixture itself, bit for bit, at a
    /// listed level (from the stored noisy mixture) and at any other.
    @Test func preparedMixtureHessianEqualsTheMixtures() {
        let failures = Property.check("prepared Hessian = mixture Hessian", cases: Property.caseCount(fraction: 0.25)) { rng -> String? in
            let d = Draw.integer(1...3, &rng)
            let mixture = Draw.mixture(dimension: d, maxComponents: 4, &rng)
            let levels = [Draw.logUniform(1e-3, 10, &rng), Draw.logUniform(1e-3, 10, &rng)]
            let prepared = mixture.prepared(for: levels)
            for sigma in levels + [levels[0] * 1.5] {
                let x = Draw.point(near: mixture, &rng)
                let expected = mixture.logDensityHessian(at: x, sigma: sigma), got = prepared.logDensityHessian(at: x, sigma: sigma)
                guard got == expected else { return "sigma \(sigma), x \(x): \(String(describing: got)) vs \(String(describing: expected))" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}
