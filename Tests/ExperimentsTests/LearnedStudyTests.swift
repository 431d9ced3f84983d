import Experiments
import Foundation
import Testing
import Toy

/// The learned W2SD study: its alignment estimator against the exact integrals, and its runs.
@Suite struct LearnedStudyTests {
    /// With mixture fields for strong and weak, the Monte Carlo alignment (20,000 draws of p*(x; sigma))
    /// agrees with `DeltaAlignment`'s quadrature: norms within 5% relative, cosines within 0.03, relative
    /// error within 5% relative (several Monte Carlo standard errors at this size), at sigma = 2, 4, 8 where the
    /// modes overlap (below, the mixture differences live between the modes, see `AlignmentRow`).
    @Test func alignmentAgreesWithTheExactIntegrals() throws {
        let triple = Presets.oneDimensional()
        let models = ScoreModels(triple)
        for sigma in [2.0, 4.0, 8.0] {
            let estimate = LearnedStudy.alignmentRow(models, sigma: sigma, samples: 20_000, seed: 4)
            let exact = DeltaAlignment.compute(triple, sigma: sigma)
            func close(_ a: Double, _ b: Double, _ relative: Double) -> Bool { abs(a - b) <= relative * abs(b) }
            #expect(close(estimate.meanNormDelta1, exact.meanNormDelta1, 0.05), "sigma \(sigma): E|D1| \(estimate.meanNormDelta1) vs \(exact.meanNormDelta1)")
            #expect(close(estimate.meanNormDelta2, exact.meanNormDelta2, 0.05), "sigma \(sigma): E|D2| \(estimate.meanNormDelta2) vs \(exact.meanNormDelta2)")
            #expect(abs(estimate.meanCosine - exact.meanCosine) <= 0.03, "sigma \(sigma): mean cosine \(estimate.meanCosine) vs \(exact.meanCosine)")
            #expect(abs(estimate.fieldCosine - exact.fieldCosine) <= 0.03, "sigma \(sigma): field cosine \(estimate.fieldCosine) vs \(exact.fieldCosine)")
            #expect(close(estimate.relativeError, exact.relativeError, 0.05), "sigma \(sigma): relative error \(estimate.relativeError) vs \(exact.relativeError)")
        }
    }

    /// The study's mean cosine is `DeltaAlignment`'s: a draw where either difference is zero counts as
    /// cosine 0. Strong s* - max(x, 0) and weak s* - 2 max(x, 0) equal the ideal score exactly for x <= 0
    /// (Delta1 = Delta2 = 0 there) and give Delta1 = Delta2 = x for x > 0 (cosine 1), so the mean cosine is
    /// the fraction of draws above 0 (about a half on the 1D preset); an average over only the draws
    /// where both differences are non-zero would give 1.
    @Test func meanCosineCountsDrawsWithAZeroDifferenceAsZero() throws {
        let ideal = Presets.oneDimensional().ideal
        let models = try ScoreModels(ideal: ideal, strong: HalfLineOffset(ideal: ideal, k: 1), weak: HalfLineOffset(ideal: ideal, k: 2))
        let (n, sigma, seed) = (2000, 1.0, UInt64(3))
        let above = Double(ideal.samples(count: n, sigma: sigma, seed: seed).filter { $0 > 0 }.count) / Double(n)
        #expect(above > 0.3 && above < 0.7)
        let row = LearnedStudy.alignmentRow(models, sigma: sigma, samples: n, seed: seed)
        #expect(abs(row.meanCosine - above) < 1e-12, "mean cosine \(row.meanCosine), fraction of draws above 0 \(above)")
        #expect(abs(row.fieldCosine - 1) < 1e-12 && row.relativeError < 1e-12)
    }

    /// s*(x; sigma) - k max(x, 0) in 1D: the ideal score, exactly, for x <= 0.
    struct HalfLineOffset: ScoreField {
        var ideal: GaussianMixture
        var k: Double
        var dimension: Int { 1 }
        var evaluationCost: Int { 1 }

        func scores(_ x: UnsafePointer<Double>, count: Int, sigma: Double,
                    into out: UnsafeMutablePointer<Double>, streams: inout ParticleStreams) {
            ideal.scores(x, count: count, sigma: sigma, into: out, streams: &streams)
            for i in 0..<count { out[i] -= k * max(x[i], 0) }
        }

        func logDensityHessian(at x: [Double], sigma: Double) -> [Double]? { nil }
    }

    /// A study of two tiny learned models: five samplers with their exact evaluation counts (T = 6: 6 per
    /// plain run, 6 + 2 x 5 for W2SD), finite metrics; with weak = strong Delta1 vanishes at every level.
    @Test func studyOfTinyLearnedModels() throws {
        let ideal = Presets.oneDimensional().ideal
        let recipe = TrainingRecipe(width: 8, depth: 1, frequencies: 2, steps: 30, batchSize: 64, learningRate: 1e-2, seed: 2)
        let strong = try DenoiserTrainer(recipe: recipe, source: ideal, threads: 1).train()
        var weakRecipe = recipe
        weakRecipe.steps = 5
        let weak = try DenoiserTrainer(recipe: weakRecipe, source: ideal, threads: 1).train()
        let settings = SamplerSettings(steps: 6)
        let study = try LearnedStudy.run(strong: strong, weak: weak, ideal: ideal, settings: settings, particles: 200, threads: 2,
                                         sigmas: [0.1, 1, 10], alignmentSamples: 500)
        #expect(study.methods.map(\.name) == ["exact ideal samples", "ideal score", "learned strong", "learned weak", "w2sd (learned)",
                                              "self-reflection (learned strong)", "w2sd-corrected (learned)"])
        // Self-reflection inverts with the strong model (16, as W2SD); w2sd-corrected inverts with both (21).
        #expect(study.methods.map(\.evaluationsPerParticle) == [0, 6, 6, 6, 16, 16, 21])
        #expect(study.methods.allSatisfy { $0.wasserstein.isFinite && $0.wasserstein > 0 })
        #expect(study.alignment.count == 3 && study.alignment.allSatisfy { $0.meanNormDelta1 > 0 && $0.meanNormDelta2 > 0 })
        let same = try LearnedStudy.run(strong: strong, weak: strong, ideal: ideal, settings: settings, particles: 50, threads: 1,
                                        sigmas: [1], alignmentSamples: 100)
        #expect(same.alignment[0].meanNormDelta1 == 0 && same.alignment[0].fieldCosine == 0)
        #expect(study.text.contains("w2sd (learned)") && study.text.contains("field cos"))
    }
}
