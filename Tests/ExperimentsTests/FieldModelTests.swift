import Experiments
import Foundation
import Testing
import TestSupport
import Toy

/// Score-field strong and weak models declared in an experiment (learned model files, classifier-free
/// guidance towards the experiment's class, saturation): what they decode to, the errors that name the
/// JSON path at fault, the command-line options that set them, and runs with them.
@Suite struct FieldModelTests {
    /// The guidance-and-weights case with its weak model saturated as well.
    static func guidedSpec() throws -> ExperimentSpec {
        var spec = try DifferenceCase.named("guidance-and-weights-1d").experiment
        spec.weak.saturation = SaturationSpec(kappa: 3, length: 0.5)
        return spec
    }

    /// A small random-initialised 1D network written to a temporary file (what `train` writes).
    static func modelFile(dimension: Int = 1, seed: UInt64 = 3) throws -> (path: String, model: LearnedDenoiser) {
        let architecture = try DenoiserArchitecture(dimension: dimension, width: 8, depth: 2, frequencies: 2)
        let model = LearnedDenoiser(network: DenoiserNetwork(architecture: architecture, seed: seed),
                                    preconditioning: try EDMPreconditioning(sigmaData: 4))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("field-\(dimension)-\(seed)-\(UUID().uuidString).model").path
        try model.write(to: path)
        return (path, model)
    }

    /// class, cfg and saturation decode to the conditional ideal mixture, the guided field and the
    /// saturated field with the declared numbers; the report echo decodes back to the same experiment.
    @Test func declarationsDecodeToTheirFields() throws {
        let spec = try Self.guidedSpec()
        let models = try spec.models()
        let labelled = try ClassConditionalMixture(try spec.ideal.mixture("ideal", source: "t").components, labels: ["a", "a", "b"])
        #expect(models.ideal == (try labelled.conditional("a")))
        #expect(spec.modeNames == ["left", "centre"] && spec.modeComponents == [0, 1])
        let strong = try #require(models.strong as? ClassifierFreeGuidance)
        #expect(strong.weight == 1.5)
        let weak = try #require(models.weak as? SaturatedScore)
        #expect(weak.kappa == 3 && weak.length == 0.5 && (weak.base as? ClassifierFreeGuidance)?.weight == 0.5)
        #expect(models.mixtures == nil)
        let echoed = try ExperimentSpec.decode(try ReportEncoding.encode(spec), source: "echo")
        #expect(echoed == spec.resolvedForEcho)
        // A class without cfg: the conditional model itself, kept as a mixture.
        var conditional = spec
        conditional.strong.cfg = nil
        conditional.weak = conditional.strong
        let plain = try conditional.models()
        let strongConditional = try ClassConditionalMixture(try spec.strong.mixture("strong", source: "t").components, labels: ["a", "a", "b"])
        #expect(plain.mixtures?.strong == (try strongConditional.conditional("a")))
    }

    /// Each misdeclaration is refused with the JSON path at fault and what is accepted.
    @Test(arguments: [
        ("cfg without a class", #"{"ideal":{"components":[{"weight":1,"mean":[0],"std":1}]},"strong":{"components":[{"weight":1,"mean":[0],"std":1}],"cfg":2},"weak":{"components":[{"weight":1,"mean":[0],"std":1}]}}"#, "t: strong.cfg"),
        ("model and components", #"{"ideal":{"components":[{"weight":1,"mean":[0],"std":1}]},"strong":{"components":[{"weight":1,"mean":[0],"std":1}]},"weak":{"model":"w.model","components":[{"weight":1,"mean":[0],"std":1}]}}"#, "t: weak.components"),
        ("a model as ideal", #"{"ideal":{"model":"i.model"},"strong":{"components":[{"weight":1,"mean":[0],"std":1}]},"weak":{"components":[{"weight":1,"mean":[0],"std":1}]}}"#, "t: ideal.model"),
        ("a missing class label", #"{"class":"a","ideal":{"components":[{"class":"a","weight":1,"mean":[0],"std":1},{"weight":1,"mean":[3],"std":1}]},"strong":{"components":[{"weight":1,"mean":[0],"std":1}]},"weak":{"components":[{"weight":1,"mean":[0],"std":1}]}}"#, "t: ideal.components[1].class"),
        ("an unknown class", #"{"class":"z","ideal":{"components":[{"class":"a","weight":1,"mean":[0],"std":1}]},"strong":{"components":[{"class":"a","weight":1,"mean":[0],"std":1}]},"weak":{"components":[{"class":"a","weight":1,"mean":[0],"std":1}]}}"#, "t: class"),
        ("a negative cfg", #"{"class":"a","ideal":{"components":[{"class":"a","weight":1,"mean":[0],"std":1}]},"strong":{"components":[{"class":"a","weight":1,"mean":[0],"std":1}],"cfg":-1},"weak":{"components":[{"class":"a","weight":1,"mean":[0],"std":1}]}}"#, "t: strong.cfg"),
        ("a zero saturation kappa", #"{"ideal":{"components":[{"weight":1,"mean":[0],"std":1}]},"strong":{"components":[{"weight":1,"mean":[0],"std":1}],"saturation":{"kappa":0,"length":1}},"weak":{"components":[{"weight":1,"mean":[0],"std":1}]}}"#, "t: strong.saturation.kappa"),
        ("an unknown saturation key", #"{"ideal":{"components":[{"weight":1,"mean":[0],"std":1}]},"strong":{"components":[{"weight":1,"mean":[0],"std":1}],"saturation":{"kappa":1,"length":1,"cap":2}},"weak":{"components":[{"weight":1,"mean":[0],"std":1}]}}"#, "cap"),
        ("a missing model file", #"{"ideal":{"components":[{"weight":1,"mean":[0],"std":1}]},"strong":{"components":[{"weight":1,"mean":[0],"std":1}]},"weak":{"model":"/nonexistent/w.model"}}"#, "model file '/nonexistent/w.model'"),
    ])
    func misdeclarationsNameTheirPath(_ name: String, _ json: String, _ fragment: String) {
        do {
            let spec = try ExperimentSpec.decode(Data(json.utf8), source: "t")
            _ = try spec.models(source: "t")
            Issue.record("\(name): accepted")
        } catch let ToyError.invalid(input, accepted) {
            #expect("\(input): \(accepted)".contains(fragment), "\(name): '\(input): \(accepted)' lacks '\(fragment)'")
        } catch {
            Issue.record("\(name): \(error)")
        }
    }

    /// A model of the wrong dimension is refused naming the role; one of the right dimension is loaded
    /// bit-exactly, and a run with it equals a run on the same network built in memory.
    @Test func learnedModelFilesRunLikeTheNetworkInMemory() throws {
        let (path, model) = try Self.modelFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (path2D, _) = try Self.modelFile(dimension: 2)
        defer { try? FileManager.default.removeItem(atPath: path2D) }
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.weak = MixtureSpec(components: [], model: path2D)
        do {
            _ = try spec.models(source: "t")
            Issue.record("a 2D model accepted as the weak model of a 1D experiment")
        } catch let ToyError.invalid(input, accepted) {
            #expect(input == "t: weak.model" && accepted.contains("dimension 1"))
        }
        spec.weak = MixtureSpec(components: [], model: path)
        spec.samples = 300
        spec.steps = 6
        spec.methods = [.strong, .weak, .w2sd]
        let fromFile = try ExperimentRunner(spec: spec, threads: 2).runAll()
        let inMemory = try ExperimentRunner(spec: spec, models: ScoreModels(ideal: Presets.oneDimensional().ideal,
                                                                            strong: Presets.oneDimensional().strong, weak: model),
                                            threads: 1).runAll()
        for (a, b) in zip(fromFile, inMemory) {
            #expect(a.samples.map(\.bitPattern) == b.samples.map(\.bitPattern), "\(a.method.rawValue): file and memory differ")
            #expect(a.statistics.wasserstein.isFinite && a.evaluations == b.evaluations)
        }
        // The weak model only enters W2SD: strong's samples are the mixture's.
        let plain = try ExperimentRunner(spec: { var s = spec; s.weak = ExperimentSpec.preset(dimension: 1).weak; return s }(), threads: 2).run(.strong)
        #expect(plain.samples == fromFile[0].samples)
    }

    /// The options edit the experiment's declarations on a preset, a case and a config alike.
    @Test func optionsSetTheDeclarations() throws {
        func spec(_ dimensions: ExperimentRequest.Dimensions, _ arguments: [String]) throws -> ExperimentSpec {
            try ExperimentRequest.parse(command: "t", dimensions: dimensions, arguments).spec
        }
        let over = try spec(.one, ["--case", "guidance-over-1d", "--cfg-strong", "3", "--cfg-weak", "0.5"])
        #expect(over.strong.cfg == 3 && over.weak.cfg == 0.5 && over.condition == "a")
        let saturated = try spec(.one, ["--saturate", "weak", "--saturation-kappa", "2"])
        #expect(saturated.weak.saturation == SaturationSpec(kappa: 2, length: 0.8) && saturated.strong.saturation == nil)
        let reshaped = try spec(.one, ["--case", "saturated-both-1d", "--saturation-length", "0.5"])
        #expect(reshaped.strong.saturation == SaturationSpec(kappa: 4, length: 0.5) && reshaped.weak.saturation == reshaped.strong.saturation)
        let twoD = try spec(.two, ["--saturate", "strong,weak"])
        #expect(twoD.strong.saturation == FieldOptions.defaultSaturation && twoD.weak.saturation == FieldOptions.defaultSaturation)
        let (path, _) = try Self.modelFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let learned = try spec(.any, ["--config", "Examples/preset-1d.json", "--strong-model", path, "--saturate", "strong"])
        #expect(learned.strong.model == path && learned.strong.components.isEmpty && learned.strong.saturation != nil)
        #expect(learned.weak == ExperimentSpec.preset(dimension: 1).weak)
    }

    /// Where the strong model is a mixture and the weak one a field, Delta2 = s* - s_strong keeps its
    /// relative accuracy where the two scores agree to far more digits than a double holds: on the
    /// missing-left preset at sigma = 0.1 and x = -3.5, Delta2 is about 1e-18 against scores of about
    /// 0.8 (plain subtraction gives 0 or 1e-16 noise). It equals the three-mixture computation to 1e-10
    /// relative; Delta1 with a barely saturated weak model (kappa 1e9) equals it to 1e-9 where it is
    /// not at the rounding level.
    @Test func partialFieldDifferencesKeepTheirDigits() throws {
        let mixtures = Presets.oneDimensional(missingLeft: true)
        let models = try ScoreModels(ideal: mixtures.ideal, strong: mixtures.strong,
                                     weak: SaturatedScore(mixtures.weak, kappa: 1e9, length: 0.8))
        for (x, sigma) in [(-3.5, 0.1), (-4.2, 0.3), (4.1, 0.05), (0.5, 1.0)] {
            let (exact1, exact2) = DeltaAlignment.deltas(mixtures, at: [x], sigma: sigma)
            let (d1, d2) = models.deltas(at: [x], sigma: sigma)
            #expect(exact2[0] != 0 && abs(d2[0] - exact2[0]) <= 1e-10 * abs(exact2[0]), "Delta2 at \(x), \(sigma): \(d2[0]) vs \(exact2[0])")
            #expect(abs(d1[0] - exact1[0]) <= 1e-9 * abs(exact1[0]) + 1e-12, "Delta1 at \(x), \(sigma): \(d1[0]) vs \(exact1[0])")
        }
        let viaField = DeltaAlignment.compute(models, sigma: 1)
        let viaMixtures = DeltaAlignment.compute(mixtures, sigma: 1)
        // The second moments agree; the mean pointwise cosine does not fully: where Delta1 is at the
        // rounding level of the scores (near the right mode) a plain difference has a random direction
        // (0.99881 against 1 here), which is why `delta` flags field models.
        #expect(abs(viaField.fieldCosine - viaMixtures.fieldCosine) <= 1e-8 && abs(viaField.relativeError - viaMixtures.relativeError) <= 1e-8 * viaMixtures.relativeError
                && abs(viaField.meanCosine - viaMixtures.meanCosine) <= 5e-3,
                "field \(viaField.meanCosine) \(viaField.fieldCosine) \(viaField.relativeError); mixtures \(viaMixtures.meanCosine) \(viaMixtures.fieldCosine) \(viaMixtures.relativeError)")
    }

    /// Guided fields are combinations of mixture scores, so their differences are formed without
    /// cancellation: in guidance-under-1d Delta1 = Delta2 = 0.5 (s_a - s) exactly, and the mean pointwise
    /// cosine is 1 to the quadrature's accuracy (1e-8; 9e-12 seen) at every level (plain differences of the scores gave 0.9900 at sigma = 0.5,
    /// where both differences are far below the scores on the left mode); the relative error is at the
    /// rounding level (below 1e-14) and `delta` prints it as a bound.
    @Test func guidedDifferencesAreExact() throws {
        let models = try DifferenceCase.named("guidance-under-1d").models()
        let saturated = try DifferenceCase.named("saturated-weak-1d").models()
        #expect(!models.hasPlainDifferences && saturated.hasPlainDifferences)
        for sigma in [0.05, 0.5, 2, 8] {
            let row = DeltaAlignment.compute(models, sigma: sigma)
            #expect(abs(row.meanCosine - 1) <= 1e-8 && row.relativeError < 1e-14, "sigma \(sigma): E cos \(row.meanCosine), rel. error \(row.relativeError)")
            let study = DeltaStudy(spec: try DifferenceCase.named("guidance-under-1d").experiment, models: models, sigmas: [sigma],
                                   proxySigmas: [sigma], threads: 1)
            let text = DeltaReport.text(study, try study.run())
            #expect(text.contains("1.0000") && text.contains("< "), "\(text)")
        }
        let (d1, d2) = models.deltas(at: [-4], sigma: 0.5)
        #expect(d1[0] != 0 && abs(d1[0] - d2[0]) <= 1e-13 * abs(d1[0]), "\(d1[0]) vs \(d2[0])")  // two unions, two orders: a few ulps
    }

    /// A 1D field's density from its score reproduces a mixture's density (trapezoid rule on 4001
    /// points over the mixture's extent +- 10 std: the log-density drifts by at most (h^2 / 12) times
    /// the integral of |s''|; largest error below 3e-4 of the peak, 9e-5 seen).
    @Test func densityFromTheScoreMatchesTheMixture() throws {
        let failures = try Property.check("density1D = mixture density", cases: Property.caseCount(fraction: 0.25)) { rng in
            let k = Draw.integer(1...4, &rng)
            let mixture = try GaussianMixture((0..<k).map { _ in
                GaussianComponent(weight: Draw.uniform(0.05, 1, &rng), mean: [Draw.uniform(-6, 6, &rng)], std: Draw.uniform(0.3, 2, &rng))
            })
            let sigma: Double = Draw.element([0.0, 0.002, Draw.logUniform(0.01, 5, &rng)], &rng)
            let spread = mixture.components.map { ($0.covariance[0] + sigma * sigma).squareRoot() }.max() ?? 1
            let lo = (mixture.components.map { $0.mean[0] }.min() ?? 0) - 10 * spread
            let hi = (mixture.components.map { $0.mean[0] }.max() ?? 0) + 10 * spread
            let grid = (0...4000).map { lo + (hi - lo) * Double($0) / 4000 }
            let density = mixture.density1D(on: grid, sigma: sigma)
            let exact = grid.map { mixture.density(at: [$0], sigma: sigma) }
            let peak = exact.max() ?? 1
            let worst = zip(density, exact).map { abs($0 - $1) }.max() ?? .infinity
            return density.count == grid.count && worst <= 3e-4 * peak ? nil : "largest error \(worst) of peak \(peak)"
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// Field runs are estimated by a timed probe, and figures draw them: a 1D field's density panel and
    /// a 2D field's arrows.
    @Test func estimatesAndFiguresOfFieldRuns() throws {
        var spec = try DifferenceCase.named("guidance-over-1d").experiment
        spec.samples = 400
        spec.steps = 8
        let models = try spec.models()
        let estimate = try RunTimeEstimate(spec: spec, models: models, threads: 2)
        #expect(estimate.seconds > 0 && estimate.seconds.isFinite && estimate.evaluationsPerParticle.count == spec.methods.count)
        #expect(throws: UsageError.self) { _ = try estimate.check(limitMinutes: estimate.seconds / 600, allowLong: false) }
        let runner = ExperimentRunner(spec: spec, models: models, threads: 2, trajectories: 4)
        let oneD = try FigureOneD(run: ExperimentRun(spec: spec, models: models, results: try runner.runAll(), trajectories: 4)).figure()
        let titles = oneD.placements.map(\.panel.title)
        #expect(titles.contains { $0.contains("strong p_s: samples of its sampler") } && titles.contains { $0.contains("ideal p*: exact density") })
        var noWeakRun = spec
        noWeakRun.methods = [.strong, .w2sd]
        let partial = ExperimentRunner(spec: noWeakRun, models: models, threads: 2)
        let titlesWithoutWeak = try FigureOneD(run: ExperimentRun(spec: noWeakRun, models: models, results: try partial.runAll(), trajectories: 0))
            .figure().placements.map(\.panel.title)
        #expect(titlesWithoutWeak.contains { $0.contains("weak p_w: density of its score at σ = 0.002") })
        var twoD = ExperimentSpec.preset(dimension: 2)
        twoD.weak.saturation = FieldOptions.defaultSaturation
        twoD.samples = 300
        twoD.steps = 6
        twoD.methods = [.strong, .w2sd]
        let run2 = try ExperimentRunner(spec: twoD, threads: 2, trajectories: 3)
        let figure = try FigureTwoD(run: ExperimentRun(spec: twoD, models: run2.models, results: try run2.runAll(), trajectories: 3)).figure()
        let titles2 = figure.placements.map(\.panel.title)
        #expect(titles2.contains { $0.contains("weak p_w: score at σ = 0.5") } && titles2.contains { $0.contains("strong p_s: exact density") })
        _ = try figure.svg()
    }
}
