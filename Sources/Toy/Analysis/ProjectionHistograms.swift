/// Streaming Wasserstein-1: for each slicing direction u, a histogram of u . x on a fixed range
/// [lo, hi] (the projected ideal mixture's means -+ 12 standard deviations, so the ideal mass outside
/// is below 1e-32), plus the exact sums of the distances by which samples fall outside it.
///
/// Counts are integers, so merging is exact and order-free. W1 is then computed exactly for the
/// binned samples (each at its bin centre; samples outside at the range ends) plus the outside sums;
/// binning moves each sample by at most half a bin width, so the error is at most (hi - lo) / (2 bins).
public struct ProjectionHistograms: Sendable {
    public let directions: [[Double]]
    public let references: [MixtureCDF1D]
    public let lower: [Double]
    public let upper: [Double]
    public let bins: Int
    var counts: [Int]
    var below: [Int]
    var above: [Int]
    /// The number of samples counted (the total of every direction's histogram and outside counts).
    var samplesCounted = 0

    public init(ideal: GaussianMixture, bins: Int = 4096) {
        directions = Wasserstein.directions(dimension: ideal.dimension)
        references = directions.map { MixtureCDF1D(projecting: ideal, onto: $0) }
        lower = references.map { r in r.means.indices.map { r.means[$0] - 12 * r.stds[$0] }.min() ?? 0 }
        upper = references.map { r in r.means.indices.map { r.means[$0] + 12 * r.stds[$0] }.max() ?? 0 }
        self.bins = bins
        counts = [Int](repeating: 0, count: directions.count * bins)
        below = [Int](repeating: 0, count: directions.count)
        above = below
    }

    /// The largest error of `wasserstein()` from binning: half the widest bin.
    public var binningError: Double {
        zip(lower, upper).map { ($1 - $0) / Double(2 * bins) }.max() ?? 0
    }

    /// Per direction, the summed distances (and squared distances) by which samples fall below and above
    /// the range: floating-point sums, kept per chunk and added in chunk order.
    public struct OutsideSums: Sendable {
        var below: [Double]
        var above: [Double]
        var squared: [Double]

        init(directions: Int) {
            below = [Double](repeating: 0, count: directions)
            above = below
            squared = below
        }

        mutating func merge(_ other: OutsideSums) {
            below = zip(below, other.below).map(+)
            above = zip(above, other.above).map(+)
            squared = zip(squared, other.squared).map(+)
        }
    }

    /// Counts the samples and returns the sums over the samples that fall outside the range. Direction by
    /// direction (one histogram row in cache at a time); the bin of v is floor((v - lo) bins / (hi - lo)),
    /// clamped to the last bin (a sample within rounding of a bin edge may land in the neighbouring bin,
    /// still within half a bin width, up to rounding, of its centre).
    ///
    /// The samples are first transposed into blocks of `Lanes.scalarCount` (coordinate lanes), so that each
    /// direction projects and scales a block in lane arithmetic (each lane the operations of the scalar
    /// sum v = sum_j x_j u_j, in order); a block with a sample outside the range, or the chunk's last
    /// partial block, is handled sample by sample in order, so the outside sums add in particle order.
    /// The in-range blocks count into a small 16-bit row (8 KB for 4096 bins, resident in L1 beside the
    /// streamed blocks), added into the direction's row over the span of bins it touched after every
    /// `flushBlocks` blocks (at most 65528 counts per bin in between, so it cannot overflow); the counts are
    /// integers, so they are those of counting into the row directly.
    mutating func add(_ x: UnsafeBufferPointer<Double>, dimension d: Int) -> OutsideSums {
        let n = x.count / d
        samplesCounted += n
        var outside = OutsideSums(directions: directions.count)
        guard let base = x.baseAddress, n > 0 else { return outside }
        let bins = self.bins, width = Lanes.scalarCount, blocks = (n - 1) / width + 1, last = Lanes(repeating: Double(bins - 1))
        // Coordinate j of sample b * width + l in lane l of lanes[b * d + j] (the last sample repeated past n).
        let lanes = UnsafeMutablePointer<Lanes>.allocate(capacity: blocks * d)
        defer { lanes.deallocate() }
        for b in 0..<blocks {
            for j in 0..<d {
                var v = Lanes(repeating: 0)
                for l in 0..<width { v[l] = base[min(b * width + l, n - 1) * d + j] }
                lanes[b * d + j] = v
            }
        }
        let local = UnsafeMutablePointer<UInt16>.allocate(capacity: bins)
        defer { local.deallocate() }
        local.initialize(repeating: 0, count: bins)
        counts.withUnsafeMutableBufferPointer { table in
            for (u, direction) in directions.enumerated() {
                let lo = lower[u], hi = upper[u], scale = Double(bins) / (hi - lo)
                let row = table.baseAddress! + u * bins
                var countBelow = 0, countAbove = 0, sumBelow = 0.0, sumAbove = 0.0, squared = 0.0
                // The span of bins counted into `local` since the last flush (as bin numbers in lanes).
                var lowest = Lanes(repeating: Double(bins)), highest = Lanes(repeating: -1)
                direction.withUnsafeBufferPointer { w in
                    for b in 0..<blocks {
                        if b % flushBlocks == flushBlocks - 1 { Self.flush(local, into: row, lowest: &lowest, highest: &highest, bins: bins) }
                        var v = Lanes(repeating: 0)
                        for j in 0..<d { v += lanes[b * d + j] * w[j] }
                        let count = min(width, n - b * width)
                        // The lanes with v < lo or v >= hi (v - hi = +0 at v = hi), as one bit each.
                        let outsideLanes = (signMask(v - lo) | ~signMask(v - hi)) & LaneBits(repeating: 1)
                        if count == width && outsideLanes.wrappedSum() == 0 {
                            // floor(t) (= Int(t) for t >= 0) clamped to the last bin, as an integer from the
                            // low bits of floor(t) + 2^52 (exact for 0 <= t < 2^52).
                            let t = ((v - lo) * scale).rounded(.down)
                            let clamped = select(signMask(last - t), last, t)
                            lowest = select(signMask(clamped - lowest), clamped, lowest)
                            highest = select(signMask(highest - clamped), clamped, highest)
                            let index = unsafeBitCast(clamped + 0x1p52, to: LaneBits.self) &- LaneBits(repeating: 0x4330_0000_0000_0000)
                            for l in 0..<width { local[Int(truncatingIfNeeded: index[l])] &+= 1 }
                            continue
                        }
                        for l in 0..<count {
                            let v = v[l]
                            if v < lo {
                                countBelow += 1; sumBelow += lo - v; squared += (lo - v) * (lo - v)
                            } else if v < hi {
                                row[min(bins - 1, Int((v - lo) * scale))] += 1
                            } else {
                                // v >= hi, or NaN (a non-finite sample: counted above, its distance NaN, never a bin).
                                countAbove += 1; sumAbove += v - hi; squared += (v - hi) * (v - hi)
                            }
                        }
                    }
                }
                Self.flush(local, into: row, lowest: &lowest, highest: &highest, bins: bins)
                below[u] += countBelow; above[u] += countAbove
                outside.below[u] = sumBelow; outside.above[u] = sumAbove; outside.squared[u] = squared
            }
        }
        return outside
    }

    /// The most blocks counted into the 16-bit row between flushes: 8191 blocks of 8 samples = 65528 < 2^16.
    static let maximumFlushBlocks = UInt16.max / UInt16(Lanes.scalarCount)
    /// Blocks counted into the 16-bit row between flushes (fewer only in tests).
    var flushBlocks = Int(maximumFlushBlocks)

    /// Adds the 16-bit counts of bins lowest.min() ... highest.max() into `row`, clears them there and
    /// resets the span to empty.
    private static func flush(_ local: UnsafeMutablePointer<UInt16>, into row: UnsafeMutablePointer<Int>,
                              lowest: inout Lanes, highest: inout Lanes, bins: Int) {
        let first = Int(lowest.min()), end = Int(highest.max()) + 1
        if first < end {
            for i in first..<end { row[i] &+= Int(local[i]); local[i] = 0 }
        }
        lowest = Lanes(repeating: Double(bins)); highest = Lanes(repeating: -1)
    }

    mutating func merge(_ other: ProjectionHistograms) {
        for i in counts.indices { counts[i] += other.counts[i] }
        for u in directions.indices {
            below[u] += other.below[u]; above[u] += other.above[u]
        }
        samplesCounted += other.samplesCounted
    }

    /// The atoms of direction u: the outside samples at the range ends, the others at their bin centres.
    private func atoms(_ u: Int, total: Double) -> (positions: [Double], masses: [Double]) {
        let width = (upper[u] - lower[u]) / Double(bins)
        var positions = [lower[u]], masses = [Double(below[u]) / total]
        for b in 0..<bins where counts[u * bins + b] > 0 {
            positions.append(lower[u] + (Double(b) + 0.5) * width)
            masses.append(Double(counts[u * bins + b]) / total)
        }
        positions.append(upper[u]); masses.append(Double(above[u]) / total)
        return (positions, masses)
    }

    /// The mean over directions of W1 between the histogram and the projected ideal mixture, given the
    /// outside sums of all chunks (added in chunk order by the caller).
    /// The directions run on `threads` workers and are added in direction order.
    func wasserstein(outside: OutsideSums, threads: Int = 1) -> Double {
        let total = Double(samplesCounted)
        guard total > 0 else { return 0 }
        let perDirection = Array(directions.indices).concurrentMap(threads: threads) { u -> Double in
            let (positions, masses) = atoms(u, total: total)
            return Wasserstein.exact(sortedPositions: positions, masses: masses, reference: references[u])
                + (outside.below[u] + outside.above[u]) / total
        }
        return perDirection.reduce(0, +) / Double(directions.count)
    }

    /// The sliced W2, sqrt(mean_u W2_u^2), of the binned samples (outside ones at the range ends), with its
    /// error bound: W2 is a metric, so |W2_u(samples) - W2_u(binned)| <= W2_u(samples, binned) <=
    /// e_u = sqrt(mean squared move) <= sqrt((w/2)^2 + sum (outside distance)^2 / n), and by Minkowski's
    /// inequality the sliced value moves by at most sqrt(mean_u e_u^2).
    /// The directions run on `threads` workers and are added in direction order.
    func wasserstein2(outside: OutsideSums, threads: Int = 1) -> (value: Double, error: Double) {
        var sum = 0.0, errorSquared = 0.0
        let total = Double(samplesCounted)
        guard total > 0 else { return (0, 0) }
        let squares = Array(directions.indices).concurrentMap(threads: threads) { u -> Double in
            let (positions, masses) = atoms(u, total: total)
            return Wasserstein.exactSquaredW2(sortedPositions: positions, masses: masses, reference: references[u])
        }
        for u in directions.indices {
            sum += squares[u]
            let halfBin = (upper[u] - lower[u]) / Double(2 * bins)
            errorSquared += halfBin * halfBin + outside.squared[u] / total
        }
        let count = Double(directions.count)
        return ((sum / count).squareRoot(), (errorSquared / count).squareRoot())
    }
}
