import Foundation
import Testing
import TestSupport
@testable import Toy

/// Checkpoints, trained noise ranges, the held-out set, the systematic-error recipe, the range monitor
/// and old model files.
@Suite struct LearnedProvenanceTests {
    static let ideal1D = Presets.oneDimensional().ideal

    static func tinyRecipe(steps: Int = 12, seed: UInt64 = 3) -> TrainingRecipe {
        TrainingRecipe(width: 6, depth: 1, frequencies: 1, steps: steps, batchSize: 80, learningRate: 1e-2, seed: seed)
    }

    /// Taking checkpoints leaves the final model's bits and provenance unchanged, and the checkpoint at
    /// step s is the model of the recipe with stopStep = s, bit for bit (parameters and provenance): an
    /// earlier checkpoint of the same run, with the full run's learning-rate schedule.
    @Test func checkpointsAreEarlierStatesOfTheSameRun() throws {
        let trainer = try DenoiserTrainer(recipe: Self.tinyRecipe(), source: Self.ideal1D, threads: 2)
        var taken: [LearnedDenoiser] = []
        let withCheckpoints = try trainer.train(checkpoints: [9, 4], checkpoint: { taken.append($0) })
        let without = try trainer.train()
        #expect(withCheckpoints == without)
        #expect(withCheckpoints.network.parameters.map(\.bitPattern) == without.network.parameters.map(\.bitPattern))
        #expect(taken.map { $0.provenance?.recipe.stopStep } == [4, 9])
        for checkpoint in taken {
            var recipe = Self.tinyRecipe()
            recipe.stopStep = checkpoint.provenance?.recipe.stopStep
            let stopped = try DenoiserTrainer(recipe: recipe, source: Self.ideal1D, threads: 1).train()
            #expect(stopped == checkpoint, "step \(recipe.stopStep ?? 0)")
            #expect(stopped.network.parameters != without.network.parameters)
        }
        #expect(without.provenance?.recipe.stopStep == nil)
        var late = Self.tinyRecipe()
        late.stopStep = 12
        #expect(throws: ToyError.self) { try late.validated(for: Self.ideal1D) }
    }

    /// The trained range is the exact 0.1% / 99.9% quantile pair of the log-normal noise distribution:
    /// Phi((ln q - mean) / std) = p to 1e-12 (Phi by erfc), over random (mean, std); and a trained model's
    /// range, after a file round trip, is that of the noise distribution its recipe resolved.
    @Test func trainedRangeIsTheNoiseDistributionsQuantiles() throws {
        let failures = try Property.check("trained range quantiles", cases: Property.caseCount(fraction: 0.2)) { rng in
            let noise = try LogNormalNoise(mean: Draw.uniform(-5, 5, &rng), std: Draw.uniform(0.05, 3, &rng))
            let range = noise.trainedRange
            func cdf(_ sigma: Double) -> Double { 0.5 * erfc(-(log(sigma) - noise.mean) / noise.std / 2.0.squareRoot()) }
            func upperTail(_ sigma: Double) -> Double { 0.5 * erfc((log(sigma) - noise.mean) / noise.std / 2.0.squareRoot()) }
            guard abs(cdf(range.lowerBound) - 0.001) <= 1e-12, abs(upperTail(range.upperBound) - 0.001) <= 1e-12 else {
                return "range \(range) of \(noise): tails \(cdf(range.lowerBound)), \(upperTail(range.upperBound))"
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        let trainer = try DenoiserTrainer(recipe: Self.tinyRecipe(steps: 2), source: Self.ideal1D, threads: 1)
        let back = try LearnedDenoiser(fileBytes: try trainer.train().fileBytes())
        #expect(back.provenance?.trainedRange == trainer.noise.trainedRange)
        // The presets' distribution (mean 0.899, std 1.2): exp(0.899 -+ 3.0902 x 1.2) = [0.06025, 100.2].
        let preset = trainer.noise.trainedRange
        #expect(abs(preset.lowerBound - 0.06025) < 1e-5 && abs(preset.upperBound - 100.22) < 0.01, "\(preset)")
    }

    /// A model file of format 1 (`ModelFileFixtures.formatOne`) still loads, with its parameters, and with
    /// no provenance: recipe unknown.
    @Test func aFormatOneFileLoadsAsRecipeUnknown() throws {
        let bytes = ModelFileFixtures.formatOne
        #expect(bytes.count == 825)
        #expect(String(decoding: bytes.prefix(200), as: UTF8.self).contains("\"format\":1"))
        let model = try LearnedDenoiser(fileBytes: Array(bytes))
        #expect(model.provenance == nil)
        #expect(model.architecture == (try DenoiserArchitecture(dimension: 1, width: 2, depth: 1, frequencies: 1)))
        #expect(model.network.parameters.count == 13 && model.network.parameters.allSatisfy(\.isFinite))
        // Written again, it is a current-format file.
        #expect(String(decoding: try model.fileBytes().prefix(200), as: UTF8.self).contains("\"format\":\(LearnedDenoiser.fileFormat)"))
    }


    /// The held-out set: the same loss for two loads of one model (the set drawn anew each time from its
    /// seed), a different loss for a model of another recipe; a different seed gives another set.
    @Test func heldOutLossComparesModelsOnFixedData() throws {
        let noise = try LogNormalNoise.adapted(sigmaData: 4)
        func set(seed: UInt64) throws -> HeldOutSet { try HeldOutSet(source: Self.ideal1D, noise: noise, sigmaData: 4, count: 500, seed: seed) }
        let model = try DenoiserTrainer(recipe: Self.tinyRecipe(), source: Self.ideal1D, threads: 1).train()
        let bytes = try model.fileBytes()
        let first = try set(seed: 9).loss(of: try LearnedDenoiser(fileBytes: bytes))
        let second = try set(seed: 9).loss(of: try LearnedDenoiser(fileBytes: bytes))
        #expect(first.bitPattern == second.bitPattern && first.isFinite && first > 0)
        var wider = Self.tinyRecipe()
        wider.width = 9
        let other = try DenoiserTrainer(recipe: wider, source: Self.ideal1D, threads: 1).train()
        #expect(try set(seed: 9).loss(of: other) != first)
        #expect(try set(seed: 10).loss(of: model) != first)
        let planar = try DenoiserArchitecture(dimension: 2, width: 2, depth: 1)
        let flat = try DenoiserNetwork(architecture: planar, parameters: Array(repeating: 0, count: planar.parameterCount))
        #expect(throws: ToyError.self) { try set(seed: 9).loss(of: LearnedDenoiser(network: flat, preconditioning: try EDMPreconditioning(sigmaData: 1))) }
    }

    /// The held-out loss of the zero network F = 0 (D = c_skip x) has a closed form per triple:
    /// lambda |c_skip (x0 + sigma n) - x0|^2; the set's loss equals their mean to 1e-12 relative.
    @Test func heldOutLossOfTheZeroNetworkIsItsClosedForm() throws {
        let noise = try LogNormalNoise(mean: 0.3, std: 1.1)
        let set = try HeldOutSet(source: Self.ideal1D, noise: noise, sigmaData: 3, count: 300, seed: 5)
        let architecture = try DenoiserArchitecture(dimension: 1, width: 3, depth: 1, frequencies: 1)
        let zero = LearnedDenoiser(network: try DenoiserNetwork(architecture: architecture, parameters: Array(repeating: 0, count: architecture.parameterCount)),
                                   preconditioning: try EDMPreconditioning(sigmaData: 2))
        var expected = 0.0
        for i in 0..<set.count {
            let sigma = set.sigmas[i], x0 = set.cleanPoints[i], c = zero.preconditioning.coefficients(sigma: sigma)
            let residual = c.skip * (x0 + sigma * set.normals[i]) - x0
            expected += set.weighting.lossWeight(sigma: sigma) * residual * residual
        }
        expected /= Double(set.count)
        let loss = try set.loss(of: zero)
        #expect(abs(loss - expected) <= 1e-12 * expected, "\(loss) vs \(expected)")
    }

    /// The systematic-error recipe moves exactly one component's mean by the stated vector.
    @Test func meanShiftMovesOneMode() throws {
        let source = Presets.twoDimensional().ideal
        var recipe = Self.tinyRecipe()
        recipe.meanShift = MeanShift(component: 2, shift: [0.8, -0.5])
        let data = try recipe.validated(for: source).dataMixture(from: source)
        for k in source.components.indices {
            let moved = k == 2 ? [source.components[k].mean[0] + 0.8, source.components[k].mean[1] - 0.5] : source.components[k].mean
            #expect(data.components[k].mean == moved && data.components[k].covariance == source.components[k].covariance
                    && data.components[k].weight == source.components[k].weight)
        }
        for bad in [MeanShift(component: 4, shift: [1, 1]), MeanShift(component: 0, shift: [1]), MeanShift(component: 0, shift: [.nan, 0])] {
            recipe.meanShift = bad
            #expect(throws: ToyError.self) { try recipe.validated(for: source) }
        }
    }

    /// The monitor counts one evaluation per particle and call, and those outside its range; the
    /// monitored field's scores are the base's, bit for bit.
    @Test func rangeMonitorCountsEvaluationsOutsideTheRange() throws {
        let monitor = TrainedRangeMonitor(range: 0.1...10)
        let field = RangeMonitoredField(Self.ideal1D, monitor: monitor)
        let x = [-3.0, 0.5, 4.0]
        for sigma in [0.05, 1, 10, 20] {
            var streams = ParticleStreams(seed: 0, first: 0, count: 3)
            var out = [Double](repeating: 0, count: 3), base = out
            field.scores(x, count: 3, sigma: sigma, into: &out, streams: &streams)
            Self.ideal1D.scores(x, count: 3, sigma: sigma, into: &base, streams: &streams)
            #expect(out.map(\.bitPattern) == base.map(\.bitPattern))
        }
        let prepared = field.prepared(for: [0.01, 1])
        var streams = ParticleStreams(seed: 0, first: 0, count: 2)
        _ = prepared.score(at: [1], sigma: 0.01, streams: &streams)
        #expect(monitor.counts.evaluations == 13 && monitor.counts.outside == 7)
    }
}
