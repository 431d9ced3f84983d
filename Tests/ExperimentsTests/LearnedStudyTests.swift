@testable import Experiments
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

    /// Two tiny learned models of the 1D toy (a few training steps of a width-8 network), strong and weak.
    static func tinyModels() throws -> (strong: LearnedDenoiser, weak: LearnedDenoiser) {
        let ideal = Presets.oneDimensional().ideal
        let recipe = TrainingRecipe(width: 8, depth: 1, frequencies: 2, steps: 30, batchSize: 64, learningRate: 1e-2, seed: 2)
        var weakRecipe = recipe
        weakRecipe.steps = 5
        return (try DenoiserTrainer(recipe: recipe, source: ideal, threads: 1).train(),
                try DenoiserTrainer(recipe: weakRecipe, source: ideal, threads: 1).train())
    }

    /// The six numbers of a row as bit patterns (so -0 against +0 or a NaN counts as a difference).
    static func bits(_ row: LearnedStudy.AlignmentRow) -> [UInt64] {
        [row.sigma, row.meanNormDelta1, row.meanNormDelta2, row.meanCosine, row.fieldCosine, row.relativeError].map(\.bitPattern)
    }

    /// An alignment row computed from draws shared by several weak models (`AlignmentDraws`, made once per
    /// level) is bit for bit the row of the per-recipe form, which drew the points and evaluated the
    /// strong, weak and ideal scores afresh for each weak model (one set of streams passed through the
    /// three), whatever the order the weak models take the shared draws in.
    @Test func sharedAlignmentDrawsGiveThePerRecipeRows() throws {
        let triple = Presets.oneDimensional()
        let (strong, learnedWeak) = try Self.tinyModels()
        let weakFields: [any ScoreField] = [learnedWeak, triple.weak, strong, triple.strong]
        let (n, seed) = (300, UInt64(7))
        func perRecipe(_ weak: any ScoreField, sigma: Double) -> LearnedStudy.AlignmentRow {
            let x = triple.ideal.samples(count: n, sigma: sigma, seed: seed)
            var streams = ParticleStreams(seed: seed, first: 0, count: n)
            let scores = ([strong, weak, triple.ideal] as [any ScoreField]).map { field -> [Double] in
                var out = [Double](repeating: 0, count: n)
                x.withUnsafeBufferPointer { xs in out.withUnsafeMutableBufferPointer { o in
                    field.scores(xs.baseAddress!, count: n, sigma: sigma, into: o.baseAddress!, streams: &streams)
                } }
                return out
            }
            let (ss, sw, si) = (scores[0], scores[1], scores[2])
            return LearnedStudy.AlignmentRow(DeltaAlignment.sampleMean(sigma: sigma, count: n) { p in
                ([ss[p] - sw[p]], [si[p] - ss[p]], [(ss[p] - sw[p]) - (si[p] - ss[p])])
            })
        }
        for sigma in [0.05, 0.7, 3.0, 25.0] {
            let draws = LearnedStudy.AlignmentDraws(ideal: triple.ideal, strong: strong, sigma: sigma, samples: n, seed: seed)
            let shared = weakFields.map { draws.row(weak: $0) }
            let reversed = Array(weakFields.reversed().map { draws.row(weak: $0) }.reversed())
            for (k, weak) in weakFields.enumerated() {
                let expected = perRecipe(weak, sigma: sigma)
                #expect(Self.bits(shared[k]) == Self.bits(expected), "sigma \(sigma), weak field \(k): shared \(shared[k]) vs per recipe \(expected)")
                #expect(Self.bits(reversed[k]) == Self.bits(expected), "sigma \(sigma), weak field \(k), taken in reverse order")
                let models = try ScoreModels(ideal: triple.ideal, strong: strong, weak: weak)
                #expect(Self.bits(LearnedStudy.alignmentRow(models, sigma: sigma, samples: n, seed: seed)) == Self.bits(expected))
            }
            #expect(shared[0].meanNormDelta1 > 0 && shared[2].meanNormDelta1 == 0)
        }
    }

    /// The rows of one strong model with several weak models (`pairedRows`: runs and alignment levels as
    /// concurrent jobs, the levels' draws shared) are bit for bit (as JSON) those of one thread, of each weak
    /// model taken alone, and of each run made by itself with two threads as the study used to make them.
    @Test func pairedRowsEqualSerialSingleAndStandaloneRuns() throws {
        let ideal = Presets.oneDimensional().ideal
        let (strong, learnedWeak) = try Self.tinyModels()
        let weak: [any ScoreField] = [learnedWeak, Presets.oneDimensional().weak, strong]
        let settings = SamplerSettings(steps: 4)
        let (particles, seed, sigmas) = (2100, UInt64(5), [0.2, 2.0, 9.0])
        func rows(_ weak: [any ScoreField], threads: Int) throws -> LearnedStudy.PairedRows {
            try LearnedStudy.pairedRows(strong: strong, weak: weak, ideal: ideal, settings: settings, particles: particles, seed: seed,
                                        threads: threads, sigmas: sigmas, alignmentSamples: 150)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func json(_ r: LearnedStudy.PairedRows) throws -> [Data] {
            try [encoder.encode(r.references)] + r.weak.flatMap { [try encoder.encode($0.methods), try encoder.encode($0.alignment)] }
        }
        let concurrent = try rows(weak, threads: 3)
        #expect(try json(concurrent) == json(try rows(weak, threads: 1)), "three threads against one")
        #expect(concurrent.references.map(\.name) == ["exact ideal samples", "ideal score", "learned strong", "self-reflection (learned strong)"])
        for (w, field) in weak.enumerated() {
            let alone = try rows([field], threads: 2)
            #expect(try encoder.encode(alone.references) == encoder.encode(concurrent.references))
            #expect(try encoder.encode(alone.weak[0].methods) == encoder.encode(concurrent.weak[w].methods), "weak model \(w): sampler rows")
            #expect(try encoder.encode(alone.weak[0].alignment) == encoder.encode(concurrent.weak[w].alignment), "weak model \(w): alignment")
            #expect(concurrent.weak[w].methods.map(\.name) == ["learned weak", "w2sd (learned)", "w2sd-corrected (learned)"])
            let w2sd = try SamplingRun(sampler: .w2sd(strong: strong, weak: field, settings: settings), particles: particles, seed: seed,
                                       threads: 2, ideal: ideal).run()
            #expect(w2sd.statistics?.wasserstein.bitPattern == concurrent.weak[w].methods[1].wasserstein.bitPattern, "weak model \(w): W2SD run alone")
        }
        let strongRun = try SamplingRun(sampler: .standard(strong, settings: settings), particles: particles, seed: seed, threads: 2, ideal: ideal).run()
        #expect(strongRun.statistics?.wasserstein.bitPattern == concurrent.references[2].wasserstein.bitPattern)
    }
}
