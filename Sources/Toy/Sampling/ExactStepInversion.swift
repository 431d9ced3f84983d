import Foundation

/// Solves M(x) = y for one particle, where M is the solver's step from sigma_i to sigma_{i+1}.
///
/// Newton: x <- x - J^-1 (M(x) - y), with J = I + h H(x; sigma_i) for Euler and, for Heun,
/// J = I + (dt / 2) (sigma_i H(x; sigma_i) + sigma_{i+1} H(x_e; sigma_{i+1}) (I + h H(x; sigma_i))),
/// x_e = x + h s(x; sigma_i), dt = sigma_i - sigma_{i+1}. Each step is halved until the residual
/// decreases. If Newton stalls, the fixed point x <- x - (M(x) - y) is tried (a contraction when h |H| < 1).
///
/// One inversion serves a whole batch (`solve(_:count:evaluations:)`): its scratch is allocated once, so
/// a Newton iteration allocates only the Hessian the field returns.
struct ExactStepInversion {
    let field: any ScoreField
    let solver: Solver
    let sigma: Double
    let next: Double
    let tolerance: Double

    /// Replaces each of the `count` particles of `y` (flat, d coordinates each) by its solution x.
    func solve(_ y: UnsafeMutablePointer<Double>, count: Int, evaluations: inout Int) throws {
        let d = field.dimension
        // x, the residual, a candidate, its residual, the Newton step, y, the moved point and the
        // solver's scratch (d each, 3 d), the Jacobian and its elimination copy (d^2 each).
        let size = 10 * d + 2 * d * d
        try withUnsafeTemporaryAllocation(of: Double.self, capacity: size) { buffer in
            guard let base = buffer.baseAddress else { return }
            var scratch = Scratch(base: base, dimension: d)
            for p in 0..<count {
                scratch.target.update(from: y + p * d, count: d)
                try solve(&scratch, evaluations: &evaluations)
                (y + p * d).update(from: scratch.x, count: d)
            }
        }
    }

    /// The buffers of one solve, carved from one allocation.
    private struct Scratch {
        let x, residual, candidate, candidateResidual, step, target, moved, solverScratch, jacobian, elimination: UnsafeMutablePointer<Double>
        /// x as an array, for the field's Hessian.
        var point: [Double]
        /// The generator a one-particle call gets (seed 0, particle 0), fresh for every call as a copy of this one.
        let streams = ParticleStreams(seed: 0, first: 0, count: 1)

        init(base: UnsafeMutablePointer<Double>, dimension d: Int) {
            x = base
            residual = x + d
            candidate = residual + d
            candidateResidual = candidate + d
            step = candidateResidual + d
            target = step + d
            moved = target + d
            solverScratch = moved + d
            jacobian = solverScratch + 3 * d
            elimination = jacobian + d * d
            point = [Double](repeating: 0, count: d)
        }

        mutating func setPoint(_ from: UnsafePointer<Double>) {
            for j in 0..<point.count { point[j] = from[j] }
        }
    }

    /// Solves for the particle in `s.target`, leaving x in `s.x`.
    private func solve(_ s: inout Scratch, evaluations: inout Int) throws {
        let d = field.dimension
        let y = UnsafePointer(s.target)
        // The Hessian at the starting point x = y: the check that the field has one, and the first
        // Newton step's.
        s.setPoint(y)
        guard var hessian = field.logDensityHessian(at: s.point, sigma: sigma) else {
            throw ToyError.invalid(input: "inversion", accepted: "paper or ddim for a randomly perturbed score (exact inversion needs a Hessian)")
        }
        var largest = abs(y[0])
        for j in 1..<max(1, d) where largest < abs(y[j]) { largest = abs(y[j]) }
        let bound = tolerance * max(1, largest)
        s.x.update(from: y, count: d)
        residual(s.x, s, into: s.residual, &evaluations)
        for iteration in 0..<100 {
            if maxNorm(s.residual, d) <= bound { return }
            if iteration > 0 {
                s.setPoint(s.x)
                guard let h = field.logDensityHessian(at: s.point, sigma: sigma) else { break }
                hessian = h
            }
            guard jacobian(&s, hessian: hessian, &evaluations),
                  solveLinearSystem(s.jacobian, s.residual, dimension: d, elimination: s.elimination, into: s.step) else { break }
            var scale = 1.0, improved = false
            for _ in 0..<40 {
                for j in 0..<d { s.candidate[j] = s.x[j] - scale * s.step[j] }
                residual(s.candidate, s, into: s.candidateResidual, &evaluations)
                if maxNorm(s.candidateResidual, d) < maxNorm(s.residual, d) {
                    s.x.update(from: s.candidate, count: d)
                    s.residual.update(from: s.candidateResidual, count: d)
                    improved = true
                    break
                }
                scale /= 2
            }
            if !improved { break }
        }
        for _ in 0..<2000 where maxNorm(s.residual, d) > bound {
            for j in 0..<d { s.x[j] = s.x[j] - s.residual[j] }
            residual(s.x, s, into: s.residual, &evaluations)
            guard (0..<d).allSatisfy({ s.residual[$0].isFinite }) else { break }
        }
        guard maxNorm(s.residual, d) <= bound else {
            throw ToyError.notConverged(
                what: "exact inversion at sigma = \(sigma)",
                detail: "residual \(maxNorm(s.residual, d)) above the tolerance \(bound); try --inversion paper or more steps")
        }
    }

    /// out = M(x) - y.
    private func residual(_ x: UnsafePointer<Double>, _ s: Scratch, into out: UnsafeMutablePointer<Double>, _ evaluations: inout Int) {
        let d = field.dimension
        s.moved.update(from: x, count: d)
        var streams = s.streams
        evaluations += solver.step(field, s.moved, count: 1, from: sigma, to: next, streams: &streams, scratch: s.solverScratch)
        for j in 0..<d { out[j] = s.moved[j] - s.target[j] }
    }

    /// The Jacobian of M at `s.x` into `s.jacobian`, given hx = H(x; sigma_i); false where the field has
    /// no Hessian at the Heun predictor.
    private func jacobian(_ s: inout Scratch, hessian hx: [Double], _ evaluations: inout Int) -> Bool {
        let d = field.dimension
        let h = sigma * (sigma - next)
        evaluations += field.evaluationCost
        let j = s.jacobian
        for k in 0..<(d * d) { j[k] = h * hx[k] }
        if solver == .heun && next > 0 {
            var streams = s.streams
            s.setPoint(s.x)
            let score = field.score(at: s.point, sigma: sigma, streams: &streams)
            for k in 0..<d { s.point[k] = s.x[k] + h * score[k] }
            guard let he = field.logDensityHessian(at: s.point, sigma: next) else { return false }
            evaluations += 2 * field.evaluationCost
            let dt = sigma - next
            // I + h H(x): the Jacobian of the Euler predictor.
            let predictor = s.elimination
            for k in 0..<(d * d) { predictor[k] = j[k] }
            for i in 0..<d { predictor[i * d + i] += 1 }
            for r in 0..<d {
                for c in 0..<d {
                    var chain = 0.0
                    for k in 0..<d { chain += he[r * d + k] * predictor[k * d + c] }
                    j[r * d + c] = 0.5 * dt * (sigma * hx[r * d + c] + next * chain)
                }
            }
        }
        for i in 0..<d { j[i * d + i] += 1 }
        return true
    }
}

/// max_j |v_j| over the d entries of v (0 for none).
func maxNorm(_ v: UnsafePointer<Double>, _ d: Int) -> Double {
    var m = 0.0
    for j in 0..<d { m = max(m, abs(v[j])) }
    return m
}

/// Solves A z = b (A row-major d x d) by Gaussian elimination with partial pivoting, into z, with
/// `elimination` (d^2 + d entries) as scratch; A and b are left as they were.
/// Returns false when A is singular to working precision or the result is not finite.
func solveLinearSystem(_ matrix: UnsafePointer<Double>, _ rhs: UnsafePointer<Double>, dimension d: Int,
                       elimination: UnsafeMutablePointer<Double>, into z: UnsafeMutablePointer<Double>) -> Bool {
    let a = elimination, b = z
    a.update(from: matrix, count: d * d)
    // b is eliminated in z itself: back substitution reads b[r] before it writes z[r], and z[c] for c > r only.
    b.update(from: rhs, count: d)
    for col in 0..<d {
        var pivot = col
        for r in (col + 1)..<max(col + 1, d) where abs(a[r * d + col]) > abs(a[pivot * d + col]) { pivot = r }
        guard abs(a[pivot * d + col]) > 0 else { return false }
        if pivot != col {
            for c in 0..<d { swap(&a[col * d + c], &a[pivot * d + c]) }
            swap(&b[col], &b[pivot])
        }
        for r in (col + 1)..<max(col + 1, d) {
            let f = a[r * d + col] / a[col * d + col]
            for c in col..<d { a[r * d + c] -= f * a[col * d + c] }
            b[r] -= f * b[col]
        }
    }
    for r in stride(from: d - 1, through: 0, by: -1) {
        var sum = b[r]
        for c in (r + 1)..<max(r + 1, d) { sum -= a[r * d + c] * z[c] }
        z[r] = sum / a[r * d + r]
    }
    return (0..<d).allSatisfy { z[$0].isFinite }
}
