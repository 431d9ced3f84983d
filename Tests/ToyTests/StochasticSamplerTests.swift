import Foundation
import Testing
import TestSupport
@testable import Toy

/// The stochastic baselines: EDM churn (Karras et al. 2022, Algorithm 2) and Restart sampling (Xu et al.
/// 2023), on random mixtures and settings.
@Suite struct StochasticSamplerTests {
    typealias Sampling = SamplingPropertyTests

    static func heun(_ settings: SamplerSettings) -> SamplerSettings {
        var s = settings
        s.solver = .heun
        return s
    }

    /// A random churn whose window holds at least one level when `churning`.
    static func churn(_ settings: SamplerSettings, churning: Bool, _ rng: inout Xoshiro256StarStar) -> Churn {
        let sigmas = settings.sigmas
        let inside = sigmas[Draw.integer(0...(settings.steps - 1), &rng)]
        let lo = inside * Draw.uniform(0.2, 1, &rng), hi = inside * Draw.uniform(1, 5, &rng)
        return Churn(sChurn: churning ? Draw.uniform(0.1, 80, &rng) : 0, sTmin: lo, sTmax: hi,
                     sNoise: Draw.bool(&rng) ? 1 : Draw.uniform(0.5, 1.5, &rng))
    }

    /// A random restart whose interval starts at or above the smallest level.
    static func restart(_ settings: SamplerSettings, count: Int, _ rng: inout Xoshiro256StarStar) -> Restart {
        let sigmas = settings.sigmas
        let low = sigmas[settings.steps - 1] * Draw.logUniform(1, 200, &rng)
        return Restart(interval: low...(low * Draw.logUniform(1.01, 50, &rng)), count: count, steps: Draw.integer(1...4, &rng))
    }

    /// S_churn = 0 is the deterministic Heun sampler bit for bit (samples and evaluations), whatever the
    /// window and S_noise; so is a churn whose window holds no level.
    @Test func zeroChurnIsDeterministicHeun() throws {
        let failures = try Property.check("edm-churn with S_churn = 0 = Heun", cases: Property.caseCount(fraction: 0.3)) { rng in
            let models = ModelsCase.draw(&rng)
            let strong = try models.strong.mixture()
            let s = Self.heun(models.settings)
            let heun = try Sampling.run(.standard(strong, settings: s), particles: 5, seed: models.seed)
            var churn = Self.churn(models.settings, churning: false, &rng)
            let zero = try Sampling.run(.edmChurn(strong, churn: churn, settings: models.settings), particles: 5, seed: models.seed)
            churn.sChurn = 10
            churn.sTmin = 2 * models.settings.schedule.sigmaMax
            churn.sTmax = 3 * models.settings.schedule.sigmaMax
            let outside = try Sampling.run(.edmChurn(strong, churn: churn, settings: models.settings), particles: 5, seed: models.seed)
            for (name, run) in [("S_churn = 0", zero), ("empty window", outside)] {
                if run.samples.map(\.bitPattern) != heun.samples.map(\.bitPattern) { return "\(name): samples differ from Heun" }
                if run.evaluations != heun.evaluations { return "\(name): evaluations \(run.evaluations) vs \(heun.evaluations)" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// K = 0 restarts are the deterministic Heun sampler bit for bit.
    @Test func zeroRestartsAreDeterministicHeun() throws {
        let failures = try Property.check("restart with K = 0 = Heun", cases: Property.caseCount(fraction: 0.3)) { rng in
            let models = ModelsCase.draw(&rng)
            let strong = try models.strong.mixture()
            let heun = try Sampling.run(.standard(strong, settings: Self.heun(models.settings)), particles: 5, seed: models.seed)
            let none = try Sampling.run(.restart(strong, restart: Self.restart(models.settings, count: 0, &rng), settings: models.settings),
                                        particles: 5, seed: models.seed)
            if none.samples.map(\.bitPattern) != heun.samples.map(\.bitPattern) { return "samples differ from Heun" }
            if none.evaluations != heun.evaluations { return "evaluations \(none.evaluations) vs \(heun.evaluations)" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Evaluations: n (2 T - 1) for EDM churn (the churn evaluates nothing), n (2 T - 1 + 2 K N) for
    /// Restart (`Restart.evaluationsPerParticle`); and a churn or a restart changes the samples.
    @Test func evaluationsFollowTheFormulasAndNoiseChangesTheSamples() throws {
        let failures = try Property.check("stochastic evaluations", cases: Property.caseCount(fraction: 0.3)) { rng in
            let models = ModelsCase.draw(&rng)
            let strong = try models.strong.mixture()
            let n = 4, t = models.settings.steps
            let heun = try Sampling.run(.standard(strong, settings: Self.heun(models.settings)), particles: n, seed: models.seed)
            let churn = Self.churn(models.settings, churning: true, &rng)
            let churned = try Sampling.run(.edmChurn(strong, churn: churn, settings: models.settings), particles: n, seed: models.seed)
            if churned.evaluations != n * (2 * t - 1) { return "edm-churn: \(churned.evaluations) evaluations, expected \(n * (2 * t - 1))" }
            if churned.samples == heun.samples { return "edm-churn (\(churn)) left the samples unchanged" }
            let restart = Self.restart(models.settings, count: Draw.integer(1...3, &rng), &rng)
            let restarted = try Sampling.run(.restart(strong, restart: restart, settings: models.settings), particles: n, seed: models.seed)
            let expected = n * restart.evaluationsPerParticle(steps: t)
            if restarted.evaluations != expected || expected != n * (2 * t - 1 + 2 * restart.count * restart.steps) {
                return "restart: \(restarted.evaluations) evaluations, expected \(expected)"
            }
            if restarted.samples == heun.samples { return "restart (\(restart)) left the samples unchanged" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// 1 thread and 2 threads, several chunks: bit-identical samples and evaluations (each particle draws
    /// its fresh noise from its own stream).
    @Test func resultsDoNotDependOnTheThreadCount() throws {
        let failures = try Property.check("stochastic samplers: thread count", cases: Property.caseCount(fraction: 0.1)) { rng in
            let models = ModelsCase.draw(&rng)
            let strong = try models.strong.mixture()
            let samplers = [try Sampler.edmChurn(strong, churn: Self.churn(models.settings, churning: true, &rng), settings: models.settings),
                            try Sampler.restart(strong, restart: Self.restart(models.settings, count: 2, &rng), settings: models.settings)]
            for sampler in samplers {
                let one = try Sampling.run(sampler, particles: 11, seed: models.seed, threads: 1, chunkSize: 3)
                let two = try Sampling.run(sampler, particles: 11, seed: models.seed, threads: 2, chunkSize: 3)
                let whole = try Sampling.run(sampler, particles: 11, seed: models.seed, threads: 2, chunkSize: 2048)
                if one.samples.map(\.bitPattern) != two.samples.map(\.bitPattern) { return "\(sampler.name): 1 vs 2 threads differ" }
                if one.samples.map(\.bitPattern) != whole.samples.map(\.bitPattern) { return "\(sampler.name): chunk size changes the samples" }
                if one.evaluations != two.evaluations { return "\(sampler.name): evaluations differ" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// The recorded trajectory, replayed: each churn sits at level i with sigma_hat = sigma_i + gamma_i sigma_i
    /// and the step after it is Heun from sigma_hat (Euler into 0); the restarts happen K times at the
    /// first level j >= 1 with sigma_j <= t_min, each noised to t_max and brought down by Heun steps on
    /// `Restart.levels(down: sigma_j)`, ending exactly at sigma_j.
    @Test func trajectoriesReplayTheAlgorithms() throws {
        let failures = try Property.check("stochastic trajectories", cases: Property.caseCount(fraction: 0.3)) { rng in
            let models = ModelsCase.draw(&rng)
            let strong = try models.strong.mixture()
            let s = models.settings, sigmas = s.sigmas, t = s.steps
            func close(_ a: [Double], _ b: [Double]) -> Bool {
                MixturePropertyTests.maxDifference(a, b) <= 1e-12 * max(1, (a + b).map(abs).max() ?? 0)
            }
            // Churn.
            let churn = Self.churn(s, churning: true, &rng)
            let churned = try Sampling.run(.edmChurn(strong, churn: churn, settings: s), particles: 2, seed: models.seed, trajectories: 2)
            for trajectory in churned.trajectories {
                var points = trajectory.points[...]
                var x = points.removeFirst().position
                for i in 0..<t {
                    let gamma = churn.gamma(sigma: sigmas[i], steps: t)
                    var from = sigmas[i]
                    if gamma > 0 {
                        guard let hat = points.popFirst(), hat.phase == .churned, hat.level == i else { return "step \(i): no churn point" }
                        guard hat.sigma == sigmas[i] + gamma * sigmas[i] else { return "step \(i): sigma_hat \(hat.sigma)" }
                        (x, from) = (hat.position, hat.sigma)
                    }
                    guard let step = points.popFirst(), step.phase == .step, step.level == i + 1 else { return "step \(i): no step point" }
                    guard close(step.position, Sampling.step(strong, x, from, sigmas[i + 1], .heun)) else { return "step \(i): not a Heun step from sigma_hat" }
                    x = step.position
                }
                guard points.isEmpty else { return "churn: \(points.count) extra points" }
            }
            // Restart.
            let restart = Self.restart(s, count: Draw.integer(1...3, &rng), &rng)
            let sampler = try Sampler.restart(strong, restart: restart, settings: s)
            let restarted = try Sampling.run(sampler, particles: 2, seed: models.seed, trajectories: 2)
            guard let j = (1..<t).first(where: { sigmas[$0] <= restart.interval.lowerBound }), restart.level(in: sigmas) == j else {
                return "restart level \(String(describing: restart.level(in: sigmas)))"
            }
            let levels = restart.levels(down: sigmas[j], rho: sampler.restartRho)
            guard levels.count == restart.steps + 1, levels.first == restart.interval.upperBound, levels.last == sigmas[j] else { return "levels \(levels)" }
            for trajectory in restarted.trajectories {
                guard trajectory.points.count == 1 + t + restart.count * (restart.steps + 1) else { return "restart: \(trajectory.points.count) points" }
                let noise = trajectory.points.filter { $0.phase == .restartNoise }
                guard noise.count == restart.count, noise.allSatisfy({ $0.level == j && $0.sigma == restart.interval.upperBound }) else {
                    return "restart noise points \(noise.map { ($0.level, $0.sigma) })"
                }
                var points = trajectory.points[...]
                var x = points.removeFirst().position
                for i in 0..<t {
                    guard let step = points.popFirst(), step.phase == .step else { return "step \(i): no step point" }
                    guard close(step.position, Sampling.step(strong, x, sigmas[i], sigmas[i + 1], .heun)) else { return "step \(i): not Heun" }
                    x = step.position
                    guard i + 1 == j else { continue }
                    for _ in 0..<restart.count {
                        guard let noised = points.popFirst(), noised.phase == .restartNoise else { return "no restart noise" }
                        x = noised.position
                        for k in 0..<restart.steps {
                            guard let sub = points.popFirst(), sub.phase == .restartStep, sub.sigma == levels[k + 1] else { return "restart step \(k)" }
                            guard close(sub.position, Sampling.step(strong, x, levels[k], levels[k + 1], .heun)) else { return "restart step \(k): not Heun" }
                            x = sub.position
                        }
                    }
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// With the exact score of one Gaussian N(1, 0.5^2) and its exact prior, both stochastic samplers
    /// keep the distribution (their noise has the variance the level change needs): 20,000 particles
    /// end with mean 1 and standard deviation 0.5 within 0.02 (about 4 standard errors plus the
    /// discretisation error: T = 100 main steps, 10 per restart; with T = 30 the churned sampler ends at
    /// std 0.527, and 4 Heun steps from 2 to 0.1 scale x by 6% too much, so a restart with N = 4 ends at
    /// 0.537). A noise scale off by 20% misses it.
    @Test func stochasticSamplersKeepAGaussian() throws {
        let gaussian = try GaussianMixture([GaussianComponent(weight: 1, mean: [1], covariance: [0.25])])
        let settings = SamplerSettings(steps: 100, solver: .heun)
        func moments(_ sampler: Sampler) throws -> (mean: Double, std: Double) {
            let run = try Sampling.run(sampler, particles: 20_000, seed: 3, threads: 2, prior: .exact(gaussian))
            let mean = run.samples.reduce(0, +) / Double(run.samples.count)
            let variance = run.samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(run.samples.count - 1)
            return (mean, variance.squareRoot())
        }
        let strongChurn = Churn(sChurn: 40, sTmin: 0.01, sTmax: 80, sNoise: 1)
        let samplers = [try Sampler.edmChurn(gaussian, churn: strongChurn, settings: settings),
                        try Sampler.restart(gaussian, restart: Restart(interval: 0.1...2, count: 3, steps: 10), settings: settings)]
        for sampler in samplers {
            let m = try moments(sampler)
            #expect(abs(m.mean - 1) < 0.02 && abs(m.std - 0.5) < 0.02, "\(sampler.name): mean \(m.mean), std \(m.std)")
        }
        var inflated = strongChurn
        inflated.sNoise = 1.2
        let wrong = try moments(try Sampler.edmChurn(gaussian, churn: inflated, settings: settings))
        #expect(abs(wrong.std - 0.5) > 0.04, "S_noise 1.2: std \(wrong.std)")
    }

    /// Restart refuses an interval below every positive level (no level to restart from), and both
    /// refuse out-of-range values, naming the input.
    @Test func invalidSettingsAreRefused() throws {
        let settings = SamplerSettings(steps: 10)
        let gaussian = try GaussianMixture([GaussianComponent(weight: 1, mean: [0], covariance: [1])])
        #expect(throws: ToyError.self) { try Sampler.restart(gaussian, restart: Restart(interval: 0.001...1, count: 1, steps: 2), settings: settings) }
        // With K = 0 the interval is never used: accepted.
        _ = try Sampler.restart(gaussian, restart: Restart(interval: 0.001...1, count: 0, steps: 2), settings: settings)
        #expect(throws: ToyError.self) { try Sampler.restart(gaussian, restart: Restart(interval: 1...1, count: 1, steps: 2), settings: settings) }
        #expect(throws: ToyError.self) { try Sampler.restart(gaussian, restart: Restart(interval: 0.1...1, count: 1, steps: 0), settings: settings) }
        #expect(throws: ToyError.self) { try Sampler.edmChurn(gaussian, churn: Churn(sChurn: -1, sTmin: 0, sTmax: 1, sNoise: 1), settings: settings) }
        #expect(throws: ToyError.self) { try Sampler.edmChurn(gaussian, churn: Churn(sChurn: 1, sTmin: 2, sTmax: 1, sNoise: 1), settings: settings) }
        #expect(throws: ToyError.self) { try Sampler.edmChurn(gaussian, churn: Churn(sChurn: 1, sTmin: 0, sTmax: 1, sNoise: .nan), settings: settings) }
    }
}
