import Foundation

/// E_{x ~ p(x; sigma)}[f(x)] for a vector-valued f, with an error estimate.
///
/// - d = 1: adaptive Simpson on [min_k mu_k - 12 s_k, max_k mu_k + 12 s_k] (s_k the largest standard
///   deviation of component k at sigma; the mass outside is below 1e-32), refined until every component
///   of the integral meets 1e-9 relative to the largest |component| (or 1e-300 absolute), down to
///   rounding level, at most 20 halvings deep. `error` is the sum of the local Richardson estimates
///   (so it grows when a panel hits the depth cap instead of converging).
/// - d = 2: tensor trapezoid rule on the same box with n x n points, and again with 2n - 1; the result is
///   the fine one, `error` the largest difference between the two (the trapezoid rule converges
///   geometrically for these smooth, rapidly decaying integrands). Both sums come from one pass over the
///   fine grid, whose even-indexed points are exactly the coarse grid's (`trapezoidPair2D`).
/// - d > 2: Monte Carlo with `samples` exact draws of p(x; sigma); `error` is the largest standard error.
public struct Expectation: Sendable {
    public var values: [Double]
    public var error: Double
    public var method: String

    public static func compute(under mixture: GaussianMixture, sigma: Double, components: Int,
                               gridPoints: Int = 161, samples: Int = 20000, seed: UInt64 = 0,
                               _ f: ([Double]) -> [Double]) -> Expectation {
        let d = mixture.dimension
        return compute(under: mixture, sigma: sigma, components: components, gridPoints: gridPoints, samples: samples,
                       seed: seed) { x, out in
            let v = f(Array(UnsafeBufferPointer(start: x, count: d)))
            for c in 0..<components { out[c] = v[c] }
        }
    }

    /// The same for an integrand that writes its `components` values at x (d coordinates) into `out`:
    /// the form the 2D grid evaluates without an allocation per point.
    public static func compute(under mixture: GaussianMixture, sigma: Double, components: Int,
                               gridPoints: Int = 161, samples: Int = 20000, seed: UInt64 = 0,
                               inPlace f: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void) -> Expectation {
        let d = mixture.dimension
        // The array form of f, for the 1D and Monte Carlo rules.
        func values(_ x: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: components)
            x.withUnsafeBufferPointer { xs in out.withUnsafeMutableBufferPointer { f(xs.baseAddress!, $0.baseAddress!) } }
            return out
        }
        let noisy = mixture.noisy(at: sigma)
        // The integration box: every component's mean -+ 12 of its largest standard deviation.
        var lower = [Double](repeating: .infinity, count: d), upper = [Double](repeating: -.infinity, count: d)
        for c in 0..<noisy.count {
            var largestVariance = 0.0
            for j in 0..<d { largestVariance = max(largestVariance, noisy.variances[c * d + j]) }
            let reach = 12 * largestVariance.squareRoot()
            for j in 0..<d {
                lower[j] = min(lower[j], noisy.means[c * d + j] - reach)
                upper[j] = max(upper[j], noisy.means[c * d + j] + reach)
            }
        }
        switch d {
        case 1:
            let g: (Double) -> [Double] = { x in
                let w = exp(noisy.logDensity(at: [x]))
                return w > 0 ? values([x]).map { $0 * w } : [Double](repeating: 0, count: components)
            }
            let (values, error) = adaptiveSimpson(g, lower[0], upper[0], components: components)
            return Expectation(values: values, error: error, method: "adaptive Simpson")
        case 2:
            let (coarse, fine) = trapezoidPair2D(noisy, f, lower, upper, n: gridPoints, components: components)
            let error = zip(coarse, fine).map { abs($0 - $1) }.max() ?? 0
            return Expectation(values: fine, error: error, method: "trapezoid grid \(2 * gridPoints - 1)^2")
        default:
            let x = mixture.samples(count: samples, sigma: sigma, seed: seed)
            return sampleMean(count: samples, components: components, method: "Monte Carlo, \(samples) samples") { i in
                values(Array(x[(i * d)..<((i + 1) * d)]))
            }
        }
    }

    /// The equally weighted mean of f(i) over the points i = 0 ..< count (at least 2), e.g. Monte Carlo
    /// draws whose integrand the caller evaluates itself; `error` is the largest standard error of the
    /// mean, sqrt((mean of f^2 - mean^2) / (count - 1)). The Monte Carlo rule of `compute` (d > 2).
    public static func sampleMean(count: Int, components: Int, method: String, _ f: (Int) -> [Double]) -> Expectation {
        var sum = [Double](repeating: 0, count: components), sumSquares = sum
        for i in 0..<count {
            let v = f(i)
            for c in 0..<components { sum[c] += v[c]; sumSquares[c] += v[c] * v[c] }
        }
        let n = Double(count)
        let means = sum.map { $0 / n }
        let error = (0..<components).map { c in ((sumSquares[c] / n - means[c] * means[c]) / (n - 1)).squareRoot() }.max() ?? 0
        return Expectation(values: means, error: error, method: method)
    }

    /// The tensor trapezoid sums of f(x) p(x; sigma) over the box with n x n points (coarse) and with
    /// (2n - 1) x (2n - 1) points (fine), from one pass over the fine grid: fine point (i, j) is
    /// (lower_0 + i h_0, lower_1 + j h_1) with h = (upper - lower) / (2n - 2), and the coarse grid is the
    /// fine points with even i and j. These are bit for bit the points of a separate n x n grid
    /// (lower + i H, H = (upper - lower) / (n - 1)): h = H / 2 exactly (a division by 2 (n - 1) rounds
    /// like one by n - 1, halved), so (2i) h = i H exactly. Each sum adds its points' weighted values
    /// p * w_i * w_j * h_0 * h_1 (w = 1/2 at the box's edges, 1 inside) in row order, so both sums are
    /// bit for bit those of two separate trapezoid passes; f is evaluated once per fine point, and only
    /// where one of its weights is positive.
    static func trapezoidPair2D(_ noisy: NoisyMixture, _ f: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void,
                                _ lower: [Double], _ upper: [Double], n: Int, components: Int) -> (coarse: [Double], fine: [Double]) {
        let m = 2 * n - 1
        let hx = (upper[0] - lower[0]) / Double(m - 1), hy = (upper[1] - lower[1]) / Double(m - 1)
        let coarseHx = (upper[0] - lower[0]) / Double(n - 1), coarseHy = (upper[1] - lower[1]) / Double(n - 1)
        var coarse = [Double](repeating: 0, count: components), fine = coarse
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 + components) { buffer in
            let x = buffer.baseAddress!, v = x + 2
            for i in 0..<m {
                let wx = (i == 0 || i == m - 1) ? 0.5 : 1
                let onCoarseRow = i % 2 == 0
                for j in 0..<m {
                    let wy = (j == 0 || j == m - 1) ? 0.5 : 1
                    x[0] = lower[0] + Double(i) * hx
                    x[1] = lower[1] + Double(j) * hy
                    let density = exp(noisy.logDensity(x))
                    let w = density * wx * wy * hx * hy
                    // The coarse edge weights fall on the same rows and columns as the fine ones.
                    let coarseWeight = onCoarseRow && j % 2 == 0 ? density * wx * wy * coarseHx * coarseHy : 0
                    guard w > 0 || coarseWeight > 0 else { continue }
                    f(x, v)
                    if w > 0 { for c in 0..<components { fine[c] += w * v[c] } }
                    if coarseWeight > 0 { for c in 0..<components { coarse[c] += coarseWeight * v[c] } }
                }
            }
        }
        return (coarse, fine)
    }

    /// Adaptive Simpson for a vector integrand (Lyness' criterion |S2 - S1| <= 15 tol per interval).
    static func adaptiveSimpson(_ g: (Double) -> [Double], _ a: Double, _ b: Double, components: Int) -> ([Double], Double) {
        // A first pass on 64 panels fixes the scale of the answer for the relative tolerance.
        let panels = 64
        let width = (b - a) / Double(panels)
        var scale = 0.0
        var starts: [(Double, [Double], [Double], [Double])] = []
        for p in 0..<panels {
            let lo = a + Double(p) * width, hi = lo + width
            let fa = g(lo), fm = g(0.5 * (lo + hi)), fb = g(hi)
            starts.append((lo, fa, fm, fb))
            for c in 0..<components { scale = max(scale, abs((fa[c] + 4 * fm[c] + fb[c]) * width / 6)) }
        }
        let tolerance = max(1e-9 * scale * Double(panels), 1e-300)
        var total = [Double](repeating: 0, count: components)
        var error = 0.0
        func refine(_ lo: Double, _ hi: Double, _ fa: [Double], _ fm: [Double], _ fb: [Double], _ whole: [Double],
                    _ tol: Double, _ depth: Int) {
            let mid = 0.5 * (lo + hi)
            let fl = g(0.5 * (lo + mid)), fr = g(0.5 * (mid + hi))
            let h = (hi - lo) / 12
            let left = (0..<components).map { (fa[$0] + 4 * fl[$0] + fm[$0]) * h }
            let right = (0..<components).map { (fm[$0] + 4 * fr[$0] + fb[$0]) * h }
            let difference = (0..<components).map { abs(left[$0] + right[$0] - whole[$0]) }.max() ?? 0
            let magnitude = (0..<components).map { abs(whole[$0]) }.max() ?? 0
            // Converged, or at rounding level, or at the depth cap (64 x 2^20 panels): the remaining
            // difference is counted in `error` either way, so an unconverged integral says so.
            if difference <= 15 * tol || difference <= 1e-14 * magnitude || depth >= 20 {
                for c in 0..<components { total[c] += left[c] + right[c] + (left[c] + right[c] - whole[c]) / 15 }
                error += difference / 15
                return
            }
            refine(lo, mid, fa, fl, fm, left, tol / 2, depth + 1)
            refine(mid, hi, fm, fr, fb, right, tol / 2, depth + 1)
        }
        for (lo, fa, fm, fb) in starts {
            let whole = (0..<components).map { (fa[$0] + 4 * fm[$0] + fb[$0]) * width / 6 }
            refine(lo, lo + width, fa, fm, fb, whole, tolerance / Double(panels), 0)
        }
        return (total, error)
    }
}
