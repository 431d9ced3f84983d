/// The ranks 1 ... n of `values` in increasing order; tied values share the average of their ranks
/// ([10, 20, 20, 5] -> [2, 3.5, 3.5, 1]).
public func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
        for k in i...j { ranks[order[k]] = Double(i + j) / 2 + 1 }
        i = j + 1
    }
    return ranks
}

/// Spearman's rank correlation: the Pearson correlation of the ranks (ties get their average rank).
/// NaN when fewer than two values, lists of unequal length, or when either list is constant.
public func spearmanCorrelation(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count, a.count >= 2 else { return .nan }
    return pearsonCorrelation(averageRanks(a), averageRanks(b))
}

/// The Pearson correlation of two equally long lists; NaN when either has zero variance.
func pearsonCorrelation(_ a: [Double], _ b: [Double]) -> Double {
    let n = Double(a.count)
    let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
    let cov = zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
    let va = a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) }, vb = b.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }
    return va > 0 && vb > 0 ? cov / (va * vb).squareRoot() : .nan
}

/// Spearman's rho with its sample size and a permutation p-value.
///
/// The null hypothesis is "no association": every pairing of the b-ranks with the a-ranks is equally
/// likely. The p-value is the fraction of pairings whose rho is at least as extreme as the observed one
/// (in the direction of `alternative`; "at least" with a tolerance of 1e-12 so that permutations giving
/// the same rho count, whatever the rounding):
/// - n <= 8: exact, by enumerating all n! permutations (at most 40,320); the smallest possible p is 1/n!.
/// - n > 8: Monte Carlo, `permutations` uniformly random permutations (Fisher-Yates on a seeded
///   xoshiro256**), p = (1 + hits) / (1 + permutations), which never reports 0 and is exact in
///   expectation for a valid test; its standard error is about sqrt(p (1 - p) / permutations).
public struct SpearmanTest: Sendable, Equatable {
    public enum Alternative: String, Sendable, Equatable {
        /// rho > 0: a larger a goes with a larger b.
        case positive
        /// rho < 0.
        case negative
        /// rho != 0 (|rho_perm| >= |rho|).
        case twoSided = "two-sided"
    }

    public enum Method: Sendable, Equatable {
        case exact(permutations: Int)
        case monteCarlo(permutations: Int, seed: UInt64)

        /// "exact over all 120 permutations", "10000 random permutations, seed 0".
        public var description: String {
            switch self {
            case let .exact(count): return "exact over all \(count) permutations"
            case let .monteCarlo(count, seed): return "\(count) random permutations, seed \(seed)"
            }
        }
    }

    public var rho: Double
    public var count: Int
    public var pValue: Double
    public var alternative: Alternative
    public var method: Method

    /// The largest n enumerated exactly (8! = 40,320 permutations).
    public static let largestExactCount = 8

    /// NaN rho and p when rho is undefined (n < 2, unequal lengths, a constant list).
    public init(_ a: [Double], _ b: [Double], alternative: Alternative = .positive,
                permutations: Int = 10_000, seed: UInt64 = 0) {
        let n = min(a.count, b.count)
        count = a.count == b.count ? n : 0
        self.alternative = alternative
        let ra = averageRanks(a), rb = averageRanks(b)
        rho = spearmanCorrelation(a, b)
        let observed = rho
        func extreme(_ value: Double) -> Bool {
            switch alternative {
            case .positive: return value >= observed - 1e-12
            case .negative: return value <= observed + 1e-12
            case .twoSided: return abs(value) >= abs(observed) - 1e-12
            }
        }
        if count <= Self.largestExactCount {
            var hits = 0, total = 0
            if observed.isFinite {
                Self.forEachPermutation(of: rb) { permuted in
                    total += 1
                    if extreme(pearsonCorrelation(ra, permuted)) { hits += 1 }
                }
            }
            method = .exact(permutations: total)
            pValue = observed.isFinite ? Double(hits) / Double(total) : .nan
        } else {
            let draws = max(1, permutations)
            var rng = Xoshiro256StarStar(seed: seed)
            var permuted = rb, hits = 0
            if observed.isFinite {
                for _ in 0..<draws {
                    // Fisher-Yates with an unbiased bounded draw.
                    for i in stride(from: permuted.count - 1, to: 0, by: -1) {
                        permuted.swapAt(i, Int(rng.next(upperBound: UInt64(i + 1))))
                    }
                    if extreme(pearsonCorrelation(ra, permuted)) { hits += 1 }
                }
            }
            method = .monteCarlo(permutations: draws, seed: seed)
            pValue = observed.isFinite ? Double(1 + hits) / Double(1 + draws) : .nan
        }
    }

    /// Calls `body` once with every permutation of `values` (Heap's algorithm, n! calls).
    static func forEachPermutation(of values: [Double], _ body: ([Double]) -> Void) {
        var a = values
        var c = [Int](repeating: 0, count: a.count)
        body(a)
        var i = 1
        while i < a.count {
            if c[i] < i {
                a.swapAt(i % 2 == 0 ? 0 : c[i], i)
                body(a)
                c[i] += 1
                i = 1
            } else {
                c[i] = 0
                i += 1
            }
        }
    }
}
