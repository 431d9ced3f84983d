/// Adam (Kingma, Ba 2015) with bias correction:
///
///     m <- beta1 m + (1 - beta1) g,   v <- beta2 v + (1 - beta2) g^2,   t <- t + 1
///     theta <- theta - lr (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
///
/// So the first step moves every coordinate with g != 0 by lr |g| / (|g| + eps) against the sign of g.
public struct AdamOptimizer: Sendable, Equatable {
    public var beta1 = 0.9
    public var beta2 = 0.999
    public var epsilon = 1e-8
    public private(set) var steps = 0
    private var firstMoment: [Double]
    private var secondMoment: [Double]
    private var beta1Power = 1.0
    private var beta2Power = 1.0

    public init(parameterCount: Int) {
        firstMoment = [Double](repeating: 0, count: parameterCount)
        secondMoment = [Double](repeating: 0, count: parameterCount)
    }

    /// One update of `parameters` from `gradient` (same count) with learning rate `learningRate`.
    public mutating func step(_ parameters: inout [Double], gradient: [Double], learningRate: Double) {
        steps += 1
        beta1Power *= beta1
        beta2Power *= beta2
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        let correction1 = 1 / (1 - beta1Power), correction2 = 1 / (1 - beta2Power)
        let n = min(parameters.count, gradient.count)
        parameters.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in
                firstMoment.withUnsafeMutableBufferPointer { m in
                    secondMoment.withUnsafeMutableBufferPointer { v in
                        for k in 0..<n {
                            m[k] = b1 * m[k] + (1 - b1) * g[k]
                            v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k]
                            p[k] -= learningRate * (m[k] * correction1) / ((v[k] * correction2).squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }
}
