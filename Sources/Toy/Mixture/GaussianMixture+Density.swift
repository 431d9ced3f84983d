import Foundation

extension GaussianMixture {
    /// log p(x; sigma) by log-sum-exp over the active components: finite for every finite x and
    /// sigma >= 0 (the largest term is factored out, so nothing underflows to log 0).
    public func logDensity(at x: [Double], sigma: Double = 0) -> Double {
        noisy(at: sigma).logDensity(at: x)
    }

    /// p(x; sigma) = exp(log p). Underflows to 0 far from every mode; use `logDensity` there.
    public func density(at x: [Double], sigma: Double = 0) -> Double {
        Foundation.exp(logDensity(at: x, sigma: sigma))
    }

    /// Responsibilities r_k(x) = softmax_k(log pi_k + log N(x; mu_k, S_k + sigma^2 I)), one per
    /// declared component (absent components get 0). They sum to 1 within 1e-15.
    public func responsibilities(at x: [Double], sigma: Double = 0) -> [Double] {
        let active = noisy(at: sigma).responsibilities(at: x)
        var all = [Double](repeating: 0, count: components.count)
        for (a, k) in activeIndices.enumerated() { all[k] = active[a] }
        return all
    }

    /// The declared index of the component with the highest responsibility at x (sigma = 0 by default).
    public func mostResponsibleComponent(at x: [Double], sigma: Double = 0) -> Int {
        let terms = x.withUnsafeBufferPointer { noisy(at: sigma).componentLogTerms($0.baseAddress!) }
        var best = 0
        for a in terms.indices where terms[a] > terms[best] { best = a }
        return activeIndices[best]
    }

    /// The score s(x; sigma) = grad log p(x; sigma) = sum_k r_k P_k (mu_k - x).
    public func score(at x: [Double], sigma: Double = 0) -> [Double] {
        var out = [Double](repeating: 0, count: dimension)
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in
                noisy(at: sigma).scores(xs.baseAddress!, count: 1, into: o.baseAddress!)
            }
        }
        return out
    }

    /// The Hessian of log p(x; sigma), row-major d x d, in the numerically stable covariance form
    /// H = sum_k r_k (g_k - s)(g_k - s)^T - sum_k r_k P_k, with g_k = P_k (mu_k - x) and s = sum_k r_k g_k.
    /// (Equal to sum_k r_k g_k g_k^T - s s^T - sum_k r_k P_k without the cancellation far from the modes.)
    public func hessian(at x: [Double], sigma: Double = 0) -> [Double] {
        noisy(at: sigma).hessian(at: x)
    }
}

extension NoisyMixture {
    public func logDensity(at x: [Double]) -> Double {
        x.withUnsafeBufferPointer { logDensity($0.baseAddress!) }
    }

    /// log p(x; sigma) at x (d coordinates), by log-sum-exp over the component terms (no allocation:
    /// the terms live on the stack; the same value as `logDensity(at:)`, bit for bit).
    public func logDensity(_ x: UnsafePointer<Double>) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { terms in
            guard let base = terms.baseAddress else { return -.infinity }
            componentLogTerms(x, into: base)
            return logSumExp(UnsafeBufferPointer(terms))
        }
    }

    public func responsibilities(at x: [Double]) -> [Double] {
        var r = [Double](repeating: 0, count: count)
        x.withUnsafeBufferPointer { xs in r.withUnsafeMutableBufferPointer { responsibilities(xs.baseAddress!, into: $0.baseAddress!) } }
        return r
    }

    /// The same into r[0 ..< count]: softmax of the component terms, e^(t_k - max t) / sum_m e^(t_m - max t).
    func responsibilities(_ x: UnsafePointer<Double>, into r: UnsafeMutablePointer<Double>) {
        componentLogTerms(x, into: r)
        var top = -Double.infinity
        for c in 0..<count where c == 0 || r[c] > top { top = r[c] }
        if count == 0 { top = 0 }
        var sum = 0.0
        for c in 0..<count {
            r[c] = Foundation.exp(r[c] - top)
            sum += r[c]
        }
        for c in 0..<count { r[c] /= sum }
    }

    /// g_k = P_k (mu_k - x) for every active component, flat [k * d + j].
    func componentScores(at x: [Double]) -> [Double] {
        var g = [Double](repeating: 0, count: count * dimension)
        x.withUnsafeBufferPointer { xs in g.withUnsafeMutableBufferPointer { componentScores(xs.baseAddress!, into: $0.baseAddress!) } }
        return g
    }

    /// The same into g[0 ..< count d].
    func componentScores(_ x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>) {
        let d = dimension
        means.withUnsafeBufferPointer { means in
            precisions.withUnsafeBufferPointer { precisions in
                for c in 0..<count {
                    for r in 0..<d {
                        var sum = 0.0
                        for col in 0..<d { sum += precisions[c * d * d + r * d + col] * (means[c * d + col] - x[col]) }
                        g[c * d + r] = sum
                    }
                }
            }
        }
    }

    /// The Hessian of log p at x (see `GaussianMixture.hessian`); its work space (r, g, s) on the stack.
    public func hessian(at x: [Double]) -> [Double] {
        let d = dimension
        var h = [Double](repeating: 0, count: d * d)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: count * (1 + d) + d) { buffer in
            guard let r = buffer.baseAddress else { return }
            let g = r + count, s = g + count * d
            x.withUnsafeBufferPointer { xs in
                responsibilities(xs.baseAddress!, into: r)
                componentScores(xs.baseAddress!, into: g)
            }
            h.withUnsafeMutableBufferPointer { h in
                // d = 2 as a constant: the loops unroll, with the same operations in the same order.
                if d == 2 { addHessianTerms(r, g, s, into: h.baseAddress!, dimension: 2) } else { addHessianTerms(r, g, s, into: h.baseAddress!, dimension: d) }
            }
        }
        return h
    }

    /// s = sum_k r_k g_k, then h += sum_k r_k ((g_k - s)(g_k - s)^T - P_k) (h zero on entry).
    @inline(__always)
    private func addHessianTerms(_ r: UnsafePointer<Double>, _ g: UnsafePointer<Double>, _ s: UnsafeMutablePointer<Double>,
                                 into h: UnsafeMutablePointer<Double>, dimension d: Int) {
        for j in 0..<d { s[j] = 0 }
        for c in 0..<count { for j in 0..<d { s[j] += r[c] * g[c * d + j] } }
        precisions.withUnsafeBufferPointer { precisions in
            for c in 0..<count {
                for row in 0..<d {
                    for col in 0..<d {
                        let outer = (g[c * d + row] - s[row]) * (g[c * d + col] - s[col])
                        h[row * d + col] += r[c] * (outer - precisions[c * d * d + row * d + col])
                    }
                }
            }
        }
    }
}

/// log(sum_i exp(v_i)), computed as m + log(sum_i exp(v_i - m)) with m = max_i v_i.
/// Returns -infinity for an empty list.
public func logSumExp(_ values: [Double]) -> Double {
    values.withUnsafeBufferPointer { logSumExp($0) }
}

/// The same over a buffer.
public func logSumExp(_ values: UnsafeBufferPointer<Double>) -> Double {
    guard let top = values.max() else { return -Double.infinity }
    guard top.isFinite else { return top }
    return top + Foundation.log(values.reduce(0) { $0 + Foundation.exp($1 - top) })
}
