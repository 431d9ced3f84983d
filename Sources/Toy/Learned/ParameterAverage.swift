import Foundation

/// An exponential moving average of the parameters along the optimisation (an "EMA of the weights", as
/// diffusion models are usually sampled with): after the iterates theta_1 ... theta_n (theta_t the
/// parameters after optimiser step t),
///
///     a_1 = theta_1,   a_t = beta a_{t-1} + (1 - beta) theta_t,   beta = 2^(-1 / H)
///
/// so a_n = beta^(n-1) theta_1 + sum_{t=2}^n (1 - beta) beta^(n-t) theta_t: weights summing to 1, the weight
/// of an iterate halving every H steps back (H, the half-life, in optimiser steps). Starting from theta_1
/// rather than 0 needs no bias correction, and the random initialisation theta_0 carries no weight. The
/// average smooths the batch noise of the last few H steps out of the parameters; its cost is one pass over
/// the parameters per step, in a fixed order (deterministic).
public struct ParameterAverage: Sendable, Equatable {
    public let halfLife: Int
    public let decay: Double
    public private(set) var value: [Double] = []

    /// An empty average with half-life `halfLife` steps (>= 1).
    public init(halfLife: Int) {
        self.halfLife = halfLife
        decay = exp2(-1 / Double(max(1, halfLife)))
    }

    /// Folds the next iterate into the average (the first one becomes the average).
    public mutating func add(_ parameters: [Double]) {
        guard !value.isEmpty else {
            value = parameters
            return
        }
        let beta = decay, weight = 1 - decay
        value.withUnsafeMutableBufferPointer { a in
            parameters.withUnsafeBufferPointer { p in
                for k in 0..<min(a.count, p.count) { a[k] = beta * a[k] + weight * p[k] }
            }
        }
    }
}
