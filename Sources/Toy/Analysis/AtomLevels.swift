/// The levels of an empirical distribution function between its atoms: for atoms 0..<n (sorted, with
/// masses m_i summing to 1) the level after atom j is c_j = m_0 + ... + m_j, j < n - 1, given with its
/// complement 1 - c_j = m_{j+1} + ... + m_{n-1} (formed without cancellation, so levels near 1 keep their
/// precision in the quantile solves of `MixtureCDF1D.walkQuantiles`).
protocol AtomLevels: Sendable {
    /// The number of levels: one less than the atoms.
    var count: Int { get }
    func level(_ j: Int) -> Double
    func complement(_ j: Int) -> Double
}

/// n equally weighted atoms (samples): c_j = (j + 1) / n and 1 - c_j = (n - 1 - j) / n, each a single
/// correctly rounded division (no arrays, and more precise than running sums of 1 / n).
struct EqualMassLevels: AtomLevels {
    let atoms: Int
    private let n: Double

    init(atoms: Int) {
        self.atoms = atoms
        n = Double(atoms)
    }

    var count: Int { atoms - 1 }
    @inline(__always) func level(_ j: Int) -> Double { Double(j + 1) / n }
    @inline(__always) func complement(_ j: Int) -> Double { Double(atoms - 1 - j) / n }
}

/// Levels given as arrays (running sums of listed masses, e.g. a histogram's bins).
struct ListedLevels: AtomLevels {
    let levels: [Double]
    let complements: [Double]

    init(levels: [Double], complements: [Double]) {
        precondition(levels.count == complements.count, "one complement per level")
        self.levels = levels
        self.complements = complements
    }

    /// The levels of atoms with `masses`: prefix sums, and the complements as suffix sums.
    init(masses m: [Double]) {
        let count = max(0, m.count - 1)
        var levels = [Double](repeating: 0, count: count), complements = levels
        var below = 0.0, above = 0.0
        for j in 0..<count {
            below += m[j]; levels[j] = below
            above += m[m.count - 1 - j]; complements[count - 1 - j] = above
        }
        self.init(levels: levels, complements: complements)
    }

    var count: Int { levels.count }
    @inline(__always) func level(_ j: Int) -> Double { levels[j] }
    @inline(__always) func complement(_ j: Int) -> Double { complements[j] }
}
