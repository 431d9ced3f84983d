import Foundation
import Testing
import TestSupport
@testable import Toy

/// The exponential moving average of the parameters: its closed form, that training with it gives
/// another (and deterministic) model, that the model file keeps its half-life, and that an old model
/// file without the field still reads (as "no average").
@Suite struct ParameterAverageTests {
    /// a_n = beta^(n-1) theta_1 + sum_{t>=2} (1 - beta) beta^(n-t) theta_t with beta = 2^(-1/H), for seeded
    /// random sequences (H from 1 to 50, n from 1 to 60, 3 coordinates); relative tolerance 1e-12 (the
    /// recursion and the closed sum differ by rounding of about n ulps).
    @Test func averageEqualsItsClosedForm() throws {
        let failures = Property.check("EMA closed form", cases: Property.caseCount(fraction: 0.2)) { rng in
            let halfLife = Draw.integer(1...50, &rng), n = Draw.integer(1...60, &rng)
            let iterates = (0..<n).map { _ in (0..<3).map { _ in Draw.uniform(-5, 5, &rng) } }
            var average = ParameterAverage(halfLife: halfLife)
            for theta in iterates { average.add(theta) }
            let beta = pow(2, -1 / Double(halfLife))
            for k in 0..<3 {
                var expected = pow(beta, Double(n - 1)) * iterates[0][k]
                for t in 1..<n { expected += (1 - beta) * pow(beta, Double(n - 1 - t)) * iterates[t][k] }
                if abs(average.value[k] - expected) > 1e-12 * (1 + abs(expected)) {
                    return "H \(halfLife), n \(n), coordinate \(k): \(average.value[k]) vs \(expected)"
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        // Half-life: a unit step in the iterates is followed to half its height after H further iterates.
        var average = ParameterAverage(halfLife: 8)
        average.add([0])
        for _ in 0..<8 { average.add([1]) }
        #expect(abs(average.value[0] - 0.5) < 1e-15)
    }

    static func recipe(ema: Int?) -> TrainingRecipe {
        TrainingRecipe(width: 6, depth: 2, frequencies: 1, steps: 30, batchSize: 100, learningRate: 1e-2, seed: 4, emaHalfLife: ema)
    }

    /// With an EMA the model's parameters are the average of the iterates, not the last iterate: other
    /// parameters than without it (same seed, same batches), the same bits on 1 and 2 threads, and the
    /// half-life stored in the model file and read back.
    @Test func trainingWithAnAverageChangesTheModelAndIsStored() throws {
        let source = Presets.oneDimensional().ideal
        let plain = try DenoiserTrainer(recipe: Self.recipe(ema: nil), source: source, threads: 1).train()
        let one = try DenoiserTrainer(recipe: Self.recipe(ema: 5), source: source, threads: 1).train()
        let two = try DenoiserTrainer(recipe: Self.recipe(ema: 5), source: source, threads: 2).train()
        #expect(one.network.parameters.map(\.bitPattern) == two.network.parameters.map(\.bitPattern), "1 vs 2 threads")
        let gap = zip(one.network.parameters, plain.network.parameters).map { abs($0 - $1) }.max() ?? 0
        #expect(gap > 1e-4, "EMA vs last iterate: largest parameter difference \(gap)")
        // The loss course is that of the iterates, the same with or without the average.
        #expect(one.provenance?.summary == plain.provenance?.summary)
        let back = try LearnedDenoiser(fileBytes: try one.fileBytes())
        #expect(back.provenance?.recipe.emaHalfLife == 5)
        #expect(back.network.parameters.map(\.bitPattern) == one.network.parameters.map(\.bitPattern))
        #expect(try LearnedDenoiser(fileBytes: try plain.fileBytes()).provenance?.recipe.emaHalfLife == nil)
    }

    /// A model file written before the field existed (no `emaHalfLife` key in its recipe) reads, as no average;
    /// a half-life outside 1 ... 10^7 steps is refused, naming the field.
    @Test func oldFilesReadAndBadHalfLivesAreRefused() throws {
        let model = try DenoiserTrainer(recipe: Self.recipe(ema: nil), source: Presets.oneDimensional().ideal, threads: 1).train()
        let header = String(decoding: try model.fileBytes(), as: UTF8.self)
        #expect(!header.contains("emaHalfLife"), "a model without an average writes the header it wrote before")
        for bad in [0, -3, TrainingRecipe.stepRange.upperBound + 1] {
            #expect(throws: ToyError.self) { try Self.recipe(ema: bad).validated(for: Presets.oneDimensional().ideal) }
            do {
                _ = try Self.recipe(ema: bad).validated(for: Presets.oneDimensional().ideal)
            } catch {
                #expect("\(error)".contains("EMA half-life"), "\(error)")
            }
        }
    }
}
