import Foundation
import Toy

/// The checks of `toy-w2sd verify` (notes section 5), each returning a typed `CheckResult`.
/// `quick` shrinks particle counts, step lists and families so the test suite can afford them; the
/// verdicts use the same thresholds (except where a check's doc comment says otherwise).
public struct Verification: Sendable {
    public var quick: Bool
    public var threads: Int

    public init(quick: Bool, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.quick = quick
        self.threads = threads
    }

    /// The five checks in report order, each as a name and the call that runs it.
    public var checks: [(name: String, run: () throws -> CheckResult)] {
        [("Theorem 1", theoremOne), ("identity", identity), ("oracle convergence", oracleConvergence),
         ("autoguidance link", smallStepLink), ("global claim", globalClaim)]
    }

    public func all() throws -> [CheckResult] {
        try checks.map { try $0.run() }
    }

    /// "PASS" or "FAIL".
    static func word(_ passed: Bool) -> String { passed ? "PASS" : "FAIL" }

    /// The mean Euclidean distance between two equally long flat sample sets of dimension d
    /// (particle p of one against particle p of the other: same prior draw).
    static func meanDistance(_ a: [Double], _ b: [Double], dimension d: Int) -> Double {
        let count = min(a.count, b.count) / d
        guard count > 0 else { return .nan }
        var total = 0.0
        for p in 0..<count {
            var squared = 0.0
            for j in 0..<d { let e = a[p * d + j] - b[p * d + j]; squared += e * e }
            total += squared.squareRoot()
        }
        return total / Double(count)
    }
}
