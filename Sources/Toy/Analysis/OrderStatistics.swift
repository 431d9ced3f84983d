extension Array where Element == Double {
    /// The order statistics of the given ranks (0-based, within 0 ..< count), ascending: the values a full
    /// sort would put at those positions. The elements must be finite.
    ///
    /// Method: one pass for the minimum and maximum, one pass counting the elements into 4096 equal-width
    /// buckets between them, the buckets that hold the first and last rank found from the running counts,
    /// and a pass gathering the elements of those buckets (the bucket index is the same expression in both
    /// passes, so every element lands where it was counted); only those are sorted (all of them where the
    /// range hi - lo is not a finite number with a finite reciprocal). Linear time but for the sort of the
    /// gathered elements, at worst all of them (a far outlier that squeezes the rest into one bucket); the
    /// counting pass is branch-free: on the 499,500 squared distances of the MMD bandwidth (release build)
    /// 2 ms in 1D against 4.6 ms for a median-of-three quickselect, 4-5.5 ms against 5.4 in 2D and 64D.
    func orderStatistics(ranks: ClosedRange<Int>) -> [Double] {
        precondition(ranks.lowerBound >= 0 && ranks.upperBound < count, "ranks within the array")
        guard let lo = self.min(), let hi = self.max(), hi > lo else {
            return [Double](repeating: first ?? .nan, count: ranks.count)
        }
        let buckets = 4096, span = hi - lo, scale = Double(buckets) / span
        // A span beyond the largest double (values of both signs near it), or one so small that the scale
        // overflows: a plain sort (the bucket index would not be a number).
        guard span.isFinite, scale.isFinite else { return Array(sorted()[ranks]) }
        func bucket(_ v: Double) -> Int { Swift.min(buckets - 1, Int((v - lo) * scale)) }
        var counts = [Int](repeating: 0, count: buckets)
        withUnsafeBufferPointer { values in
            counts.withUnsafeMutableBufferPointer { c in
                for v in values { c[bucket(v)] += 1 }
            }
        }
        var below = 0, first = 0
        while below + counts[first] <= ranks.lowerBound { below += counts[first]; first += 1 }
        var last = first, through = below + counts[first]
        while through <= ranks.upperBound { last += 1; through += counts[last] }
        var gathered: [Double] = []
        gathered.reserveCapacity(through - below)
        for v in self {
            let b = bucket(v)
            if b >= first && b <= last { gathered.append(v) }
        }
        gathered.sort()
        return Array(gathered[(ranks.lowerBound - below)...(ranks.upperBound - below)])
    }
}
