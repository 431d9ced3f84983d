/// The levels of an empirical distribution function between its atoms: for atoms 0..<n (sorted, with
/// masses m_i summing to 1) the level after atom j is c_j = m_0 + ... + m_j, j < n - 1, given with its
/// complement 1 - c_j = m_{j+1} + ... + m_{n-1} (formed without cancellation, so levels near 1 keep their
/// precision in the quantile solves of `MixtureCDF1D.walkQuantiles`).
protocol AtomLevels: Sendable {
    /// The number of levels: one less than the atoms.
    var count: Int { get }
    func level(_ j: Int) -> Double
    func complement(_ j: Int) -> Double
    /// The levels and complements at the indices in `j`, each clamped to the last level.
    func lanes(_ j: SIMD8<Int64>) -> (level: Lanes, complement: Lanes)
}

extension AtomLevels {
    func lanes(_ j: SIMD8<Int64>) -> (level: Lanes, complement: Lanes) {
        var u = Lanes(repeating: 0), c = Lanes(repeating: 0)
        for l in 0..<Lanes.scalarCount { let index = min(Int(j[l]), count - 1); u[l] = level(index); c[l] = complement(index) }
        return (u, c)
    }
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

    /// The same divisions as `level` and `complement`, eight at once.
    func lanes(_ j: SIMD8<Int64>) -> (level: Lanes, complement: Lanes) {
        let last = SIMD8<Int64>(repeating: Int64(atoms - 2))
        let index = j.replacing(with: last, where: j .> last), total = Lanes(repeating: n)
        return (Lanes(index &+ 1) / total, Lanes(SIMD8<Int64>(repeating: Int64(atoms - 1)) &- index) / total)
    }
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
