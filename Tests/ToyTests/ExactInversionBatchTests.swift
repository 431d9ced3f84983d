import Foundation
import Testing
import TestSupport
@testable import Toy

/// The batch solver of `exact` inversion (one scratch per batch, `ExactStepInversion.solve(_:count:)`)
/// against the per-particle, array-based solver it replaced, kept here as the oracle: the same solutions
/// bit for bit, the same evaluation counts and the same refusals, for Euler and Heun, d = 1 ... 3, the
/// mixture itself and its prepared form (`MixtureAtNoiseLevels`), and batches of several particles.
@Suite struct ExactInversionBatchTests {
    @Test func batchSolverEqualsTheFormerPerParticleSolver() {
        let failures = Property.check("exact inversion: batch = former per particle", cases: Property.caseCount(fraction: 0.5)) { rng -> String? in
            let c = Draw.pointCase(maxCondition: 1e4, &rng)
            let mixture: GaussianMixture
            do { mixture = try c.mixture.mixture() } catch { return nil }
            let sigma = Draw.logUniform(1e-3, 80, &rng), next = sigma * Draw.uniform(0.05, 0.95, &rng)
            let solver: Solver = Draw.bool(&rng) ? .euler : .heun
            let field: any ScoreField = Draw.bool(&rng) ? mixture : mixture.prepared(for: [sigma, next])
            let d = mixture.dimension, count = 1 + Int(rng.next() % 4)
            var y: [Double] = []
            for _ in 0..<count { y += Draw.point(near: c.mixture, far: Draw.bool(&rng, probability: 0.2), &rng) }
            var expected = y, expectedEvaluations = 0, expectedError: String?
            do {
                for p in 0..<count {
                    let solution = try FormerExactStepInversion(field: field, solver: solver, sigma: sigma, next: next, tolerance: 1e-13)
                        .solve(Array(y[(p * d)..<((p + 1) * d)]), evaluations: &expectedEvaluations)
                    for j in 0..<d { expected[p * d + j] = solution[j] }
                }
            } catch { expectedError = "\(error)" }
            var got = y, evaluations = 0
            var streams = ParticleStreams(seed: 0, first: 0, count: count)
            do {
                evaluations = try got.withUnsafeMutableBufferPointer {
                    try Inversion.exactDefault.invert(field, $0.baseAddress!, count: count, from: next, to: sigma, solver: solver, streams: &streams)
                }
            } catch {
                return expectedError == "\(error)" ? nil : "threw \(error), the former solver \(expectedError ?? "did not")"
            }
            if let expectedError { return "solved, the former solver threw \(expectedError)" }
            guard got.map(\.bitPattern) == expected.map(\.bitPattern) else { return "solutions \(got) against the former \(expected)" }
            guard evaluations == expectedEvaluations else { return "\(evaluations) evaluations against the former \(expectedEvaluations)" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}

/// The former solver of M(x) = y (before the batch scratch), verbatim but for its name: the oracle.
private struct FormerExactStepInversion {
    let field: any ScoreField
    let solver: Solver
    let sigma: Double
    let next: Double
    let tolerance: Double

    func solve(_ y: [Double], evaluations: inout Int) throws -> [Double] {
        guard var hessian = field.logDensityHessian(at: y, sigma: sigma) else {
            throw ToyError.invalid(input: "inversion", accepted: "paper or ddim for a randomly perturbed score (exact inversion needs a Hessian)")
        }
        let d = field.dimension
        let bound = tolerance * max(1, y.map(abs).max() ?? 0)
        var x = y
        var residual = self.residual(x, y, &evaluations)
        for iteration in 0..<100 {
            if maxNorm(residual) <= bound { return x }
            if iteration > 0 {
                guard let h = field.logDensityHessian(at: x, sigma: sigma) else { break }
                hessian = h
            }
            guard let jacobian = self.jacobian(x, hessian: hessian, &evaluations),
                  let step = solveLinearSystem(jacobian, residual, dimension: d) else { break }
            var scale = 1.0, improved = false
            for _ in 0..<40 {
                let candidate = (0..<d).map { x[$0] - scale * step[$0] }
                let r = self.residual(candidate, y, &evaluations)
                if maxNorm(r) < maxNorm(residual) { x = candidate; residual = r; improved = true; break }
                scale /= 2
            }
            if !improved { break }
        }
        for _ in 0..<2000 where maxNorm(residual) > bound {
            x = (0..<d).map { x[$0] - residual[$0] }
            residual = self.residual(x, y, &evaluations)
            guard residual.allSatisfy(\.isFinite) else { break }
        }
        guard maxNorm(residual) <= bound else {
            throw ToyError.notConverged(
                what: "exact inversion at sigma = \(sigma)",
                detail: "residual \(maxNorm(residual)) above the tolerance \(bound); try --inversion paper or more steps")
        }
        return x
    }

    private func residual(_ x: [Double], _ y: [Double], _ evaluations: inout Int) -> [Double] {
        var moved = x
        var streams = ParticleStreams(seed: 0, first: 0, count: 1)
        moved.withUnsafeMutableBufferPointer { m in
            evaluations += solver.step(field, m.baseAddress!, count: 1, from: sigma, to: next, streams: &streams)
        }
        return zip(moved, y).map { $0 - $1 }
    }

    private func jacobian(_ x: [Double], hessian hx: [Double], _ evaluations: inout Int) -> [Double]? {
        let d = field.dimension
        let h = sigma * (sigma - next)
        evaluations += field.evaluationCost
        var j = hx.map { h * $0 }
        if solver == .heun && next > 0 {
            var streams = ParticleStreams(seed: 0, first: 0, count: 1)
            let s = field.score(at: x, sigma: sigma, streams: &streams)
            let xe = (0..<d).map { x[$0] + h * s[$0] }
            guard let he = field.logDensityHessian(at: xe, sigma: next) else { return nil }
            evaluations += 2 * field.evaluationCost
            let dt = sigma - next
            var predictor = j
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
        return j
    }

    private func maxNorm(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }

    private func solveLinearSystem(_ matrix: [Double], _ rhs: [Double], dimension d: Int) -> [Double]? {
        var a = matrix, b = rhs
        for col in 0..<d {
            var pivot = col
            for r in (col + 1)..<max(col + 1, d) where abs(a[r * d + col]) > abs(a[pivot * d + col]) { pivot = r }
            guard abs(a[pivot * d + col]) > 0 else { return nil }
            if pivot != col {
                for c in 0..<d { a.swapAt(col * d + c, pivot * d + c) }
                b.swapAt(col, pivot)
            }
            for r in (col + 1)..<max(col + 1, d) {
                let f = a[r * d + col] / a[col * d + col]
                for c in col..<d { a[r * d + c] -= f * a[col * d + c] }
                b[r] -= f * b[col]
            }
        }
        var z = [Double](repeating: 0, count: d)
        for r in stride(from: d - 1, through: 0, by: -1) {
            var sum = b[r]
            for c in (r + 1)..<max(r + 1, d) { sum -= a[r * d + c] * z[c] }
            z[r] = sum / a[r * d + r]
        }
        return z.allSatisfy(\.isFinite) ? z : nil
    }
}
