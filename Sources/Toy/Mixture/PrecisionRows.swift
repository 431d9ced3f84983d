/// The nonzero entries of each component's precision matrix, row by row (compressed sparse rows), so
/// that P_k v costs one multiply-add per nonzero entry instead of d^2. A toy embedded in a plane of a
/// high-dimensional space (block-diagonal covariances, `DifferenceCase.subspace`) has d + 2 nonzero
/// entries out of d^2.
///
/// Dropping the zero entries changes no bit of a row sum formed from 0 upwards in column order: a
/// zero entry contributes a product of +-0, adding +-0 leaves any nonzero sum unchanged, and a sum
/// started at +0 is never -0 in round-to-nearest (x + y = -0 only when both are -0), so adding +-0 to
/// it gives +0 again. The kept entries are added in the same (ascending column) order.
struct PrecisionRows: Sendable {
    /// Entries of row r of component k: rowStarts[k * (d + 1) + r] ..< rowStarts[k * (d + 1) + r + 1].
    let rowStarts: [Int]
    let columns: [Int]
    let values: [Double]

    /// From `precisions` flat [k * d * d + r * d + c] for `count` components of dimension d.
    init(_ precisions: [Double], count: Int, dimension d: Int) {
        var rowStarts: [Int] = [], columns: [Int] = [], values: [Double] = []
        rowStarts.reserveCapacity(count * (d + 1))
        for k in 0..<count {
            for r in 0..<d {
                rowStarts.append(columns.count)
                for c in 0..<d where precisions[k * d * d + r * d + c] != 0 {
                    columns.append(c)
                    values.append(precisions[k * d * d + r * d + c])
                }
            }
            rowStarts.append(columns.count)
        }
        self.rowStarts = rowStarts
        self.columns = columns
        self.values = values
    }
}
