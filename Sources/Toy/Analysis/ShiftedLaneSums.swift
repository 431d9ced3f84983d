/// The count, mean and sum of squared deviations of several groups of values (each d coordinates),
/// accumulated in lanes from blocks of `Lanes.scalarCount` values with a membership mask per group.
///
/// Each group keeps its count and, per coordinate, the sums S1 = sum (x - c) and S2 = sum (x - c)^2 with
/// the shift c the group's first member, lane l summing the members that came in lane l; the lanes are
/// added in lane order at the end, and mean = c + S1 / n, M2 = S2 - S1^2 / n. No division per value, and
/// no cancellation to fear: (c - mean)^2 <= M2, so S2 = M2 + n (c - mean)^2 <= (n + 1) M2 and the
/// subtraction loses at most about (n + 1) ulp of M2 (relative 2.3e-13 for the 2048 samples of a chunk,
/// typically far less); identical members give M2 = 0 exactly.
struct ShiftedLaneSums {
    let groups: Int
    let dimension: Int
    private var counts: [Lanes]
    private var shifts: [Double]
    private var shifted: [Bool]
    private var first: [Lanes]
    private var second: [Lanes]

    init(groups: Int, dimension d: Int) {
        self.groups = groups
        dimension = d
        counts = [Lanes](repeating: Lanes(repeating: 0), count: groups)
        shifts = [Double](repeating: 0, count: groups * d)
        shifted = [Bool](repeating: false, count: groups)
        first = [Lanes](repeating: Lanes(repeating: 0), count: groups * d)
        second = first
    }

    /// Adds the lanes set in `mask` (all ones or all zeros per lane) of the block `xs` (coordinate r of
    /// lane l at xs[r][l]) to group g.
    @inline(__always)
    mutating func add(_ mask: LaneBits, to g: Int, _ xs: UnsafePointer<Lanes>) {
        guard mask != LaneBits(repeating: 0) else { return }
        let d = dimension, zero = Lanes(repeating: 0)
        if !shifted[g] {
            let lane = (0..<Lanes.scalarCount).first { mask[$0] != 0 }!
            for r in 0..<d { shifts[g * d + r] = xs[r][lane] }
            shifted[g] = true
        }
        counts[g] += select(mask, Lanes(repeating: 1), zero)
        for r in 0..<d {
            let deviation = select(mask, xs[r] - shifts[g * d + r], zero)
            first[g * d + r] += deviation
            second[g * d + r] += deviation * deviation
        }
    }

    /// The members of group g.
    func count(_ g: Int) -> Int { Int(Self.inLaneOrder(counts[g])) }

    /// Mean and M2 of coordinate r of group g (0 and 0 for an empty group).
    func moments(_ g: Int, coordinate r: Int) -> (mean: Double, squaredDeviations: Double) {
        let n = Self.inLaneOrder(counts[g])
        guard n > 0 else { return (0, 0) }
        let s1 = Self.inLaneOrder(first[g * dimension + r]), s2 = Self.inLaneOrder(second[g * dimension + r])
        return (shifts[g * dimension + r] + s1 / n, max(0, s2 - s1 * s1 / n))
    }

    /// The sum of the lanes, lane 0 first (a fixed order, on every build).
    private static func inLaneOrder(_ v: Lanes) -> Double {
        var total = 0.0
        for l in 0..<Lanes.scalarCount { total += v[l] }
        return total
    }
}
