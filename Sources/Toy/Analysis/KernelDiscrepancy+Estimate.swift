import Foundation

/// MMD^2 with its standard errors, z, and what it was computed from.
public struct MMDEstimate: Sendable, Equatable {
    /// The U-statistic (unbiased, so it may be slightly negative at the floor; the sign is kept).
    public var value: Double
    /// The standard error of `value` as an estimate of MMD^2, valid whether or not the method differs from
    /// the ideal model (Hoeffding's variance with zeta1 clipped at 0, `GaussianKernelMMD.estimate`): the
    /// error bar to compare methods by; for exact samples of the ideal model it errs large (by about 1.3x
    /// on the presets). nil with fewer than 4 samples.
    public var standardError: Double?
    /// sigma0, the standard deviation of the statistic if the method's distribution were the ideal one
    /// (the null hypothesis): z's denominator. nil with fewer than 4 samples.
    public var nullStandardError: Double?
    /// The method's samples in the statistic (the first of the run, at most `GaussianKernelMMD.sampleCap`);
    /// also the number of reference draws.
    public var samples: Int
    /// The index pairs i < j of the statistic, n (n - 1) / 2.
    public var pairs: Int
    /// The kernel's length scale l (`GaussianKernelMMD`).
    public var bandwidth: Double

    /// value / nullStandardError: the test statistic of "the method samples the ideal distribution".
    /// For exact samples it has mean 0 and standard deviation 1 over method and reference draws (the null
    /// distribution of the U-statistic, a weighted sum of centred chi-squares, is right-skewed where a few
    /// kernel eigenfunctions dominate, as on the presets: z stays above about -1.1 there, and its long
    /// tail is on the right); where the method differs it grows in proportion to n (sigma0 ~ 1 / n), so it
    /// measures detection, not precision (use `standardError` for error bars). nil without a null
    /// standard error.
    public var z: Double? { nullStandardError.map { value / $0 } }
}

extension GaussianKernelMMD {
    /// MMD^2 of the first n = min(N, `sampleCap`) of the N samples `x` (flat, d coordinates each) against
    /// the n reference draws y_i (`referenceSamples`); nil for n < 2 or a bandwidth that is not a
    /// positive finite number (a degenerate ideal model).
    ///
    /// The statistic pairs x_i with y_i, z_i = (x_i, y_i), and averages the kernel
    ///
    ///     h(z_i, z_j) = k(x_i, x_j) + k(y_i, y_j) - k(x_i, y_j) - k(x_j, y_i)
    ///
    /// over all n (n - 1) / 2 pairs i < j: U = 2 / (n (n - 1)) sum_{i<j} h_ij, unbiased for MMD^2 (the
    /// MMD^2_u of Gretton et al. 2012, Lemma 6; leaving out the k(x_i, y_i) keeps it unbiased). Its
    /// variance is Hoeffding's
    ///
    ///     Var U = a zeta1 + b zeta2,  a = 4 (n - 2) / (n (n - 1)),  b = 2 / (n (n - 1)),
    ///     zeta1 = E[h_12 h_13] - theta^2,  zeta2 = E[h_12^2] - theta^2,  theta = MMD^2,
    ///
    /// estimated from the same pairs: E[h_12 h_13] by (sum_i r_i^2 - 2 S2) / (n (n - 1) (n - 2)) with
    /// r_i = sum_{j != i} h_ij and S2 = sum_{i<j} h_ij^2 (unbiased), E[h_12^2] by 2 S2 / (n (n - 1)), theta^2
    /// by U^2 (biased by Var U, a relative 4 / n of zeta1).
    ///
    /// - `nullStandardError` sigma0 = sqrt(b zeta2): the exact standard deviation of U for exact samples,
    ///   where h is degenerate (zeta1 = 0, Var U ~ 1 / n^2); so z = U / sigma0 has mean 0 and variance 1
    ///   for exact samples (measured: mean 0.09 and 0.03, sd 1.03 and 0.94 over 100 method and reference
    ///   seeds at n = 2000 on the 1D and 2D presets).
    /// - `standardError` = sqrt(b zeta2 + a max(zeta1, 0)): where the method differs, zeta1 > 0 dominates
    ///   (Var U ~ 4 zeta1 / n) and this is the statistic's standard error (measured on exact strong
    ///   samples of the presets at n = 1000: mean 0.0128 against a spread of 0.0122 over 200 seeds in 1D,
    ///   0.0037 against 0.0036 in 2D). zeta1's estimate cannot be used unclipped for exact samples: its
    ///   noise, of order sqrt(sum of the fourth powers of the kernel's eigenvalues) / n, then swamps the
    ///   b zeta2 term and half the estimates come out negative; clipped, it makes the error bar of exact
    ///   samples somewhat conservative. (A standard error from the spread of B disjoint block statistics
    ///   would describe the blocks' mean, not U: for exact samples sqrt(B) times too large.)
    ///
    /// With the reference fixed (`referenceSeed`), repeated runs of one method share its draws, so their
    /// z scatter about a common offset of the reference's making (for exact samples of the 2D preset at
    /// n = 500: mean -0.4, spread 0.55 over 200 method seeds) rather than as N(0, 1); methods compared in
    /// one run meet the same reference, which makes their differences the sharper.
    ///
    /// Work: the four kernels of every pair i < j (4 n (n - 1) / 2 evaluations), in lanes of 8 rows i
    /// against one j at a time, the exponentials by `expNonPositiveUnchecked` (relative error 2.2e-16).
    /// The rows are cut into fixed units of 64 spread over `threads` workers; each unit returns its row
    /// sums, column sums and sums of h and h^2, and these are combined in unit order, so the result does
    /// not depend on the thread count.
    public func estimate(samples x: UnsafeBufferPointer<Double>, threads: Int = 1) -> MMDEstimate? {
        let d = dimension, n = min(x.count / max(d, 1), Self.sampleCap)
        let scale = 1 / (2 * bandwidth * bandwidth)
        guard n >= 2, bandwidth > 0, scale.isFinite else { return nil }
        let sums = PairSums(x: Array(x[0..<(n * d)]), y: referenceSamples(count: n), dimension: d, scale: scale, threads: threads)
        let m = Double(n)
        let value = 2 * sums.h / (m * (m - 1))
        var standardError: Double?, nullStandardError: Double?
        if n >= 4 {
            let a = 4 * (m - 2) / (m * (m - 1)), b = 2 / (m * (m - 1))
            let zeta2 = 2 * sums.squares / (m * (m - 1)) - value * value
            let zeta1 = (sums.rowSquares - 2 * sums.squares) / (m * (m - 1) * (m - 2)) - value * value
            if zeta2 > 0 {
                nullStandardError = (b * zeta2).squareRoot()
                standardError = (b * zeta2 + a * max(zeta1, 0)).squareRoot()
            }
        }
        return MMDEstimate(value: value, standardError: standardError, nullStandardError: nullStandardError, samples: n,
                           pairs: n * (n - 1) / 2, bandwidth: bandwidth)
    }
}

/// The sums over the pairs i < j of h_ij (h), of h_ij^2 (squares), and sum_i r_i^2 with r_i = sum_{j != i}
/// h_ij (rowSquares), for n paired points (x_i, y_i).
struct PairSums {
    var h = 0.0
    var squares = 0.0
    var rowSquares = 0.0

    /// Rows per unit of work (a multiple of the lane width).
    static let unitRows = 64

    /// What one unit of rows [start, start + unitRows) returns: its rows' sums over j > i, its columns' sums
    /// over its rows i < j (for every j), and its sums of h and h^2.
    struct Unit: Sendable {
        var rows: [Double]
        var columns: [Double]
        var h: Double
        var squares: Double
    }

    /// x, y: n points each (flat, d coordinates); scale = 1 / (2 l^2).
    init(x: [Double], y: [Double], dimension d: Int, scale: Double, threads: Int) {
        let n = x.count / d, width = Lanes.scalarCount
        let padded = (n + width - 1) / width * width
        // Coordinate-major copies (row r: coordinate r of every point), zero-padded to whole lanes.
        var xColumns = [Double](repeating: 0, count: d * padded), yColumns = xColumns
        for i in 0..<n {
            for r in 0..<d { xColumns[r * padded + i] = x[i * d + r]; yColumns[r * padded + i] = y[i * d + r] }
        }
        let xt = xColumns, yt = yColumns
        let units = Array(0..<((n + Self.unitRows - 1) / Self.unitRows))
        let results = units.concurrentMap(threads: threads) { unit in
            Self.unit(unit, n: n, padded: padded, dimension: d, scale: scale, x: x, y: y, xt: xt, yt: yt)
        }
        // Combine in unit order: r_i = its own unit's row sum + the column sums of the units before it.
        var rowSums = [Double](repeating: 0, count: n)
        for (u, result) in results.enumerated() {
            let start = u * Self.unitRows
            for (offset, value) in result.rows.enumerated() { rowSums[start + offset] += value }
            for (offset, value) in result.columns.enumerated() { rowSums[start + offset] += value }
            h += result.h
            squares += result.squares
        }
        rowSquares = rowSums.reduce(0) { $0 + $1 * $1 }
    }

    /// The pairs i < j with i in the unit's rows: lanes hold eight rows i, one j at a time.
    static func unit(_ u: Int, n: Int, padded: Int, dimension d: Int, scale: Double,
                     x: [Double], y: [Double], xt: [Double], yt: [Double]) -> Unit {
        let width = Lanes.scalarCount, start = u * unitRows, end = min(n, start + unitRows)
        var rows = [Double](repeating: 0, count: end - start)
        var columns = [Double](repeating: 0, count: n - start)
        var hLanes = Lanes(repeating: 0), squareLanes = Lanes(repeating: 0)
        let laneIndex = Lanes(0, 1, 2, 3, 4, 5, 6, 7), negativeScale = Lanes(repeating: -scale), zero = Lanes(repeating: 0)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                xt.withUnsafeBufferPointer { xtp in
                    yt.withUnsafeBufferPointer { ytp in
                        columns.withUnsafeMutableBufferPointer { column in
                            let xBase = xp.baseAddress!, yBase = yp.baseAddress!
                            let xtBase = UnsafeRawPointer(xtp.baseAddress!), ytBase = UnsafeRawPointer(ytp.baseAddress!)
                            for first in stride(from: start, to: end, by: width) {
                                // Lanes whose row exists (the last block of the points may be partial).
                                let existing = signMask(laneIndex - Double(n - first))
                                var rowLanes = zero
                                for j in (first + 1)..<max(first + 1, n) {
                                    var xx = zero, yy = zero, xy = zero, yx = zero
                                    let xj = xBase + j * d, yj = yBase + j * d
                                    for r in 0..<d {
                                        let offset = (r * padded + first) * MemoryLayout<Double>.stride
                                        let a = xtBase.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
                                        let b = ytBase.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
                                        let xr = Lanes(repeating: xj[r]), yr = Lanes(repeating: yj[r])
                                        let axx = a - xr, ayy = b - yr, axy = a - yr, ayx = b - xr
                                        xx += axx * axx; yy += ayy * ayy; xy += axy * axy; yx += ayx * ayx
                                    }
                                    // h(z_i, z_j) = k(x_i, x_j) + k(y_i, y_j) - k(x_i, y_j) - k(y_i, x_j), lanes i < j only.
                                    let kernels = (expNonPositiveUnchecked(negativeScale * xx) + expNonPositiveUnchecked(negativeScale * yy))
                                        - (expNonPositiveUnchecked(negativeScale * xy) + expNonPositiveUnchecked(negativeScale * yx))
                                    let below = j - first >= width ? existing : existing & signMask(laneIndex - Double(j - first))
                                    let h = select(below, kernels, zero)
                                    rowLanes += h
                                    hLanes += h
                                    squareLanes += h * h
                                    column[j - start] += h.sum()
                                }
                                for lane in 0..<min(width, end - first) { rows[first - start + lane] = rowLanes[lane] }
                            }
                        }
                    }
                }
            }
        }
        return Unit(rows: rows, columns: columns, h: hLanes.sum(), squares: squareLanes.sum())
    }
}
