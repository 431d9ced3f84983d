import Foundation

extension ScoreField {
    /// A 1D field's density at noise level sigma on an increasing grid, from its score alone: every 1D
    /// field is a gradient, so log p(x_i) = log p(x_0) + integral_{x_0}^{x_i} s(u; sigma) du, integrated by
    /// the trapezoid rule (error O(h^2 max|s'|) per unit length for spacing h), shifted by its maximum
    /// before exponentiating (no overflow) and normalised to integrate to 1 over the grid by the same
    /// rule. Mass outside the grid is therefore left out: choose a grid that covers the data. For a
    /// mixture this reproduces its density to the quadrature error; for a guided or learned field it
    /// is the density whose score the field is at this sigma. Empty when the field is not 1D or the
    /// grid has fewer than two points.
    public func density1D(on grid: [Double], sigma: Double) -> [Double] {
        guard dimension == 1, grid.count >= 2 else { return [] }
        var streams = ParticleStreams(seed: 0, first: 0, count: grid.count)
        var scores = [Double](repeating: 0, count: grid.count)
        grid.withUnsafeBufferPointer { x in
            scores.withUnsafeMutableBufferPointer { out in
                self.scores(x.baseAddress!, count: grid.count, sigma: sigma, into: out.baseAddress!, streams: &streams)
            }
        }
        var logDensity = [Double](repeating: 0, count: grid.count)
        for i in 1..<grid.count {
            logDensity[i] = logDensity[i - 1] + 0.5 * (scores[i - 1] + scores[i]) * (grid[i] - grid[i - 1])
        }
        let top = logDensity.max() ?? 0
        let unnormalised = logDensity.map { exp($0 - top) }
        var mass = 0.0
        for i in 1..<grid.count { mass += 0.5 * (unnormalised[i - 1] + unnormalised[i]) * (grid[i] - grid[i - 1]) }
        return mass > 0 && mass.isFinite ? unnormalised.map { $0 / mass } : []
    }
}
