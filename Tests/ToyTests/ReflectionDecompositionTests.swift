import Foundation
import Testing
import Toy

/// The reflection's decomposition (`ReflectionDecomposition`) against what Theorem 1 and its control say.
@Suite struct ReflectionDecompositionTests {
    static let models = Presets.oneDimensional()

    static func measure(sigma: Double, next: Double, weak: (any ScoreField)? = nil, solver: Solver = .euler) throws -> ReflectionDecomposition {
        try ReflectionDecomposition.measure(strong: models.strong, weak: weak ?? models.weak, ideal: models.ideal, sigma: sigma, next: next,
                                            solver: solver, samples: 3000, seed: 11)
    }

    /// Theorem 1: R_exact(x) - x = h Delta1(x) + O(h^2), so for a small step the Delta1 part is h E|Delta1|
    /// (to about 1% at h = 0.003 on the 1D preset at sigma = 3), while the paper inversion's bias shrinks
    /// like h^2 (halving the step divides it by about 4).
    @Test func smallStepsFollowTheorem1() throws {
        let sigma = 3.0, small = try Self.measure(sigma: sigma, next: sigma - 1e-3)
        let h = sigma * 1e-3
        let x = Self.models.ideal.samples(count: 3000, sigma: sigma, seed: 11)
        var streams = ParticleStreams(seed: 11, first: 0, count: 3000)
        var s = [Double](repeating: 0, count: 3000), w = s
        x.withUnsafeBufferPointer { xs in
            s.withUnsafeMutableBufferPointer { Self.models.strong.scores(xs.baseAddress!, count: 3000, sigma: sigma, into: $0.baseAddress!, streams: &streams) }
            w.withUnsafeMutableBufferPointer { Self.models.weak.scores(xs.baseAddress!, count: 3000, sigma: sigma, into: $0.baseAddress!, streams: &streams) }
        }
        let delta1 = zip(s, w).reduce(0) { $0 + abs($1.0 - $1.1) } / 3000
        #expect(abs(small.displacementExact / (h * delta1) - 1) < 0.01, "\(small.displacementExact) vs h E|Delta1| = \(h * delta1)")
        let half = try Self.measure(sigma: sigma, next: sigma - 5e-4)
        let ratio = small.inversionBias / half.inversionBias
        #expect(ratio > 3.5 && ratio < 4.5, "bias ratio \(ratio) for half the step")
        #expect(small.displacementResolved)
    }

    /// The control: with weak = strong the exact reflection is the identity up to the inversion's
    /// tolerance, so the Delta1 part is unresolved, while the paper inversion's bias is still there and
    /// is the larger part; the floor is at rounding level.
    @Test func selfReflectionLeavesOnlyTheBias() throws {
        let r = try Self.measure(sigma: 20, next: 17, weak: Self.models.strong)
        #expect(!r.displacementResolved && r.exactFloor < 1e-12)
        #expect(r.displacementExact <= ReflectionDecomposition.resolutionFactor * r.exactFloor)
        #expect(r.inversionBias > 0.1 && r.larger == .bias)
        // With the weak model the Delta1 part is measured and at sigma = 8.8 it is the larger (the 1D preset).
        let w = try Self.measure(sigma: 8.788, next: 7.531)
        #expect(w.displacementResolved && w.larger == .displacement)
    }

    /// The ideal correction is h E|Delta2|: zero when the strong model is the ideal one.
    @Test func idealCorrectionVanishesForAnIdealStrongModel() throws {
        let r = try ReflectionDecomposition.measure(strong: Self.models.ideal, weak: Self.models.weak, ideal: Self.models.ideal,
                                                    sigma: 5, next: 4, solver: .heun, samples: 500, seed: 3)
        #expect(r.idealCorrection == 0 && r.displacementExact > 0)
        #expect(throws: ToyError.self) {
            try ReflectionDecomposition.measure(strong: Self.models.strong, weak: Self.models.weak, ideal: Self.models.ideal,
                                                sigma: 1, next: 0, solver: .euler, samples: 10, seed: 0)
        }
    }
}
