/// s(x; sigma) = a s_1(x; sigma) + b s_2(x; sigma): the shape of every combinator the paper needs.
///
/// - autoguidance (Karras et al. 2024): s_w + w (s_s - s_w) = (1 - w) s_w + w s_s;
/// - the oracle weak field 2 s_s - s*, for which Delta1 = s_s - s_w = s* - s_s = Delta2 exactly.
public struct LinearScoreCombination: ScoreField {
    public let first: any ScoreField
    public let firstCoefficient: Double
    public let second: any ScoreField
    public let secondCoefficient: Double

    public init(_ a: Double, _ first: any ScoreField, _ b: Double, _ second: any ScoreField) throws {
        guard first.dimension == second.dimension else {
            throw ToyError.invalid(input: "score combination", accepted: "two fields of the same dimension (got \(first.dimension) and \(second.dimension))")
        }
        self.first = first
        firstCoefficient = a
        self.second = second
        secondCoefficient = b
    }

    /// Autoguidance: s_w + w (s_s - s_w).
    public static func autoguided(weak: any ScoreField, strong: any ScoreField, weight w: Double) throws -> LinearScoreCombination {
        try LinearScoreCombination(1 - w, weak, w, strong)
    }

    /// The oracle weak field 2 s_s - s*: paired with `strong`, its Delta1 equals Delta2 everywhere.
    public static func oracleWeak(strong: any ScoreField, ideal: any ScoreField) throws -> LinearScoreCombination {
        try LinearScoreCombination(2, strong, -1, ideal)
    }

    private init(unchecked a: Double, _ first: any ScoreField, _ b: Double, _ second: any ScoreField) {
        self.first = first
        firstCoefficient = a
        self.second = second
        secondCoefficient = b
    }

    public var dimension: Int { first.dimension }
    public var evaluationCost: Int { first.evaluationCost + second.evaluationCost }

    /// The combination of the two fields' step fields (a guidance interval inside either is resolved).
    public func field(forStepFrom sigma: Double) -> any ScoreField {
        LinearScoreCombination(unchecked: firstCoefficient, first.field(forStepFrom: sigma), secondCoefficient, second.field(forStepFrom: sigma))
    }

    public func scores(_ x: UnsafePointer<Double>, count: Int, sigma: Double,
                       into out: UnsafeMutablePointer<Double>, streams: inout ParticleStreams) {
        let n = count * dimension
        let other = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { other.deallocate() }
        first.scores(x, count: count, sigma: sigma, into: out, streams: &streams)
        second.scores(x, count: count, sigma: sigma, into: other, streams: &streams)
        for i in 0..<n { out[i] = firstCoefficient * out[i] + secondCoefficient * other[i] }
    }

    public func logDensityHessian(at x: [Double], sigma: Double) -> [Double]? {
        guard let h1 = first.logDensityHessian(at: x, sigma: sigma), let h2 = second.logDensityHessian(at: x, sigma: sigma) else { return nil }
        return zip(h1, h2).map { firstCoefficient * $0 + secondCoefficient * $1 }
    }
}
