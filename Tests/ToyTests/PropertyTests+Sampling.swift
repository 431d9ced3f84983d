import Foundation
import Testing
import TestSupport
@testable import Toy

/// Strong, weak (and ideal) mixtures of one dimension, shrinkable together.
struct ModelsCase: CustomStringConvertible {
    var strong: MixtureCase
    var weak: MixtureCase
    var settings: SamplerSettings
    var seed: UInt64

    static func draw(maxComponents: Int = 4, inversions: [Inversion] = [.paper, .ddim], _ rng: inout Xoshiro256StarStar) -> ModelsCase {
        let strong = Draw.mixtureCase(dimensions: 1...2, maxComponents: maxComponents, maxCondition: 1e3, &rng)
        var weak = Draw.mixtureCase(dimensions: strong.dimension...strong.dimension, maxComponents: maxComponents, maxCondition: 1e3, &rng)
        if Draw.bool(&rng, probability: 0.3) { weak = strong; weak.weights = weak.weights.map { $0 * Draw.uniform(0, 1, &rng) } }
        if !weak.weights.contains(where: { $0 > 0 }) { weak.weights[0] = 1 }
        return ModelsCase(strong: strong, weak: weak, settings: Draw.settings(inversions: inversions, &rng), seed: rng.next() % 1000)
    }

    var shrinks: [ModelsCase] {
        var out: [ModelsCase] = []
        for s in strong.shrinks where s.dimension == strong.dimension { var c = self; c.strong = s; out.append(c) }
        for w in weak.shrinks where w.dimension == weak.dimension { var c = self; c.weak = w; out.append(c) }
        if strong.dimension > 1 { var c = self; c.strong = strong.lowered(to: 1); c.weak = weak.lowered(to: 1); out.append(c) }
        if settings.steps > 2 {
            var c = self
            c.settings.steps -= 1
            c.settings.reflectionSteps = min(settings.lambda, c.settings.steps - 1)
            out.append(c)
        }
        if settings.gamma != 1 && settings.gamma != 0 { var c = self; c.settings.gamma = 1; out.append(c) }
        if settings.solver != .euler { var c = self; c.settings.solver = .euler; out.append(c) }
        return out
    }

    var description: String { "seed \(seed), settings \(settings)\n      strong \(strong)\n      weak \(weak)" }
}

/// Property tests of samplers, inversions and runs (see Tests/README.md).
@Suite struct SamplingPropertyTests {
    static func run(_ sampler: Sampler, particles: Int, seed: UInt64, threads: Int = 1, chunkSize: Int = 2048,
                    trajectories: Int = 0, prior: Prior = .gaussian, ideal: GaussianMixture? = nil,
                    keepSamples: Bool = true) throws -> SamplingResult {
        try SamplingRun(sampler: sampler, prior: prior, particles: particles, seed: seed, threads: threads,
                        chunkSize: chunkSize, trajectories: trajectories, keepSamples: keepSamples, ideal: ideal).run()
    }

    /// One Euler or Heun step of a field on one point (the public operator M).
    static func step(_ field: any ScoreField, _ x: [Double], _ sigma: Double, _ next: Double, _ solver: Solver) -> [Double] {
        var y = x
        var streams = ParticleStreams(seed: 0, first: 0, count: 1)
        y.withUnsafeMutableBufferPointer { _ = solver.step(field, $0.baseAddress!, count: 1, from: sigma, to: next, streams: &streams) }
        return y
    }

    static func invert(_ field: any ScoreField, _ y: [Double], _ next: Double, _ sigma: Double, _ solver: Solver,
                       _ inversion: Inversion) throws -> [Double] {
        var x = y
        var streams = ParticleStreams(seed: 0, first: 0, count: 1)
        try x.withUnsafeMutableBufferPointer {
            _ = try inversion.invert(field, $0.baseAddress!, count: 1, from: next, to: sigma, solver: solver, streams: &streams)
        }
        return x
    }

    /// The endpoint errors of Euler and Heun for a single Gaussian N(mu, S) sampled from its exact prior,
    /// after checking the samples against the solver's closed form: per eigen-direction (S = Q diag(L) Q^T)
    /// the probability-flow ODE is linear, so Euler multiplies y = Q^T (x - mu) by
    /// prod_i (1 - h_i / (L + sigma_i^2)) and Heun by prod_i (1 - dt_i (sigma_i / (L + sigma_i^2) +
    /// sigma_{i+1} (1 - h_i / (L + sigma_i^2)) / (L + sigma_{i+1}^2)) / 2) (Euler on the last step), while the
    /// analytic solution multiplies by sqrt(L / (L + sigma_0^2)). Returns nil and the two maximal errors
    /// relative to max(1, |x_0|), or the violation when a sample is off its closed form by more than 1e-9.
    static func gaussianFlowErrors(_ mc: MixtureCase, _ settings: SamplerSettings, seed: UInt64) throws -> (String?, [Solver: Double]) {
        let m = try mc.mixture(), d = mc.dimension, n = 4
        let sigmas = settings.sigmas
        var errors: [Solver: Double] = [:]
        for solver in Solver.allCases {
            var s = settings
            s.solver = solver
            let result = try Self.run(.standard(m, settings: s), particles: n, seed: seed, trajectories: n, prior: .exact(m))
            let e = m.eigen[0]
            var worst = 0.0
            for p in 0..<n {
                let x0 = result.trajectories[p].points[0].position
                let y0 = (0..<d).map { j in (0..<d).reduce(0.0) { $0 + e.vectors[$1 * d + j] * (x0[$1] - mc.means[0][$1]) } }
                var discrete = [Double](repeating: 1, count: d)
                for i in 0..<settings.steps {
                    let (sigma, next) = (sigmas[i], sigmas[i + 1]), h = sigma * (sigma - next)
                    for j in 0..<d {
                        let l = e.values[j], euler = 1 - h / (l + sigma * sigma)
                        discrete[j] *= solver == .euler || next == 0 ? euler
                            : 1 - 0.5 * (sigma - next) * (sigma / (l + sigma * sigma) + next * euler / (l + next * next))
                    }
                }
                let analytic = (0..<d).map { (e.values[$0] / (e.values[$0] + sigmas[0] * sigmas[0])).squareRoot() }
                let scale = max(1, x0.map(abs).max()!)
                for r in 0..<d {
                    let predicted = mc.means[0][r] + (0..<d).reduce(0.0) { $0 + e.vectors[r * d + $1] * discrete[$1] * y0[$1] }
                    let exact = mc.means[0][r] + (0..<d).reduce(0.0) { $0 + e.vectors[r * d + $1] * analytic[$1] * y0[$1] }
                    let sample = result.samples[p * d + r]
                    if abs(sample - predicted) > 1e-9 * scale {
                        return ("\(solver) particle \(p) coordinate \(r): sample \(sample) vs closed form \(predicted)", [:])
                    }
                    worst = max(worst, abs(sample - exact) / scale)
                }
            }
            errors[solver] = worst
        }
        return (nil, errors)
    }

    /// A single Gaussian's probability-flow ODE from its exact prior (any schedule, T = 2 ... 10,
    /// variances 0.01 ... 100, condition up to 1e4) ends on the solver's closed form within 1e-9, so its
    /// distance to the analytic endpoint is exactly the solver's discretisation error.
    @Test func singleGaussianFlowEndsOnTheSolversClosedForm() {
        let failures = Property.check("single Gaussian PF-ODE = solver closed form", generate: { rng -> (MixtureCase, SamplerSettings, UInt64) in
            var m = Draw.mixtureCase(dimensions: 1...3, maxComponents: 1, maxCondition: 1e4, scales: 0.01...100, &rng)
            m.weights = [1]
            return (m, Draw.settings(steps: 2...10, &rng), rng.next() % 1000)
        }, shrink: { c in c.0.shrinks.map { ($0, c.1, c.2) } }) { c in
            try Self.gaussianFlowErrors(c.0, c.1, seed: c.2).0
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Heun beats Euler at equal T where the steps resolve the flow (T = 12 ... 24 Karras steps from
    /// sigma_max in [1, 80] down to sigma_min = 1e-3, variances 0.25 ... 4, condition <= 10): its endpoint
    /// error is no larger. (With a handful of steps across a stiff flow, L << sigma^2, Heun's trapezoid can
    /// lose to Euler, which is exact for L = 0; the property states the resolved regime.)
    @Test func heunBeatsEulerAtEqualSteps() {
        let failures = Property.check("Heun beats Euler (single Gaussian)", generate: { rng -> (MixtureCase, SamplerSettings, UInt64) in
            var m = Draw.mixtureCase(dimensions: 1...3, maxComponents: 1, maxCondition: 10, scales: 0.25...4, &rng)
            m.weights = [1]
            let schedule = NoiseSchedule.karras(sigmaMax: Draw.logUniform(1, 80, &rng), sigmaMin: 1e-3, rho: Draw.uniform(3, 9, &rng))
            return (m, SamplerSettings(schedule: schedule, steps: Draw.integer(12...24, &rng), reflectionSteps: 0), rng.next() % 1000)
        }, shrink: { c in c.0.shrinks.map { ($0, c.1, c.2) } }) { c in
            let (problem, errors) = try Self.gaussianFlowErrors(c.0, c.1, seed: c.2)
            if let problem { return problem }
            return errors[.heun]! <= errors[.euler]! + 1e-12 ? nil : "Heun error \(errors[.heun]!) > Euler error \(errors[.euler]!)"
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// gamma = 0 (any lambda) or lambda = 0 (any gamma) makes every reflection a no-op: W2SD, S2WD,
    /// Re-Sampling's deterministic relatives all give the standard strong sampler's samples bit for bit.
    @Test func noReflectionIsTheStandardSampler() {
        let failures = Property.check("gamma = 0 or lambda = 0 is the standard sampler", generate: { rng -> (ModelsCase, Bool) in
            (ModelsCase.draw(&rng), Draw.bool(&rng))
        }, shrink: { c in c.0.shrinks.map { ($0, c.1) } }) { c in
            var (models, zeroGamma) = c
            if zeroGamma { models.settings.gamma = 0 } else { models.settings.reflectionSteps = 0 }
            let strong = try models.strong.mixture(), weak = try models.weak.mixture()
            let standard = try Self.run(.standard(strong, settings: models.settings), particles: 9, seed: models.seed)
            for sampler in [try Sampler.w2sd(strong: strong, weak: weak, settings: models.settings),
                            try Sampler.s2wd(strong: strong, weak: weak, settings: models.settings)] {
                let other = try Self.run(sampler, particles: 9, seed: models.seed)
                if other.samples != standard.samples { return "\(sampler.name) differs by \(zip(other.samples, standard.samples).map { abs($0 - $1) }.max()!)" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// `exact` inversion round-trips: for y = M(x) (Euler or Heun, any pair of noise levels, x near or
    /// far), the solution x' satisfies |M(x') - y| <= 1e-13 max(1, |y|) (its stated tolerance), and for
    /// Euler, where the solution is unique (J = I + h H >= (sigma_{i+1} / sigma_i) I), x' = x within
    /// 1e-9 (sigma_i / sigma_{i+1}) max(1, |x|).
    @Test func exactInversionRoundTrips() {
        let failures = Property.check("exact inversion round-trip", generate: { rng -> (PointCase, Double, Solver) in
            var c = Draw.pointCase(maxCondition: 1e4, &rng)
            c.sigma = Draw.logUniform(1e-3, 80, &rng)
            return (c, c.sigma * Draw.uniform(0.05, 0.95, &rng), Draw.bool(&rng) ? .euler : .heun)
        }, shrink: { c in c.0.shrinks.filter { $0.sigma > 0 }.map { ($0, min(c.1, $0.sigma / 2), c.2) } + (c.2 == .heun ? [(c.0, c.1, .euler)] : []) }) { c in
            let (p, next, solver) = c
            let m = try p.mixture.mixture()
            let y = Self.step(m, p.x, p.sigma, next, solver)
            let x = try Self.invert(m, y, next, p.sigma, solver, .exactDefault)
            let residual = MixturePropertyTests.maxDifference(Self.step(m, x, p.sigma, next, solver), y)
            let scaleY = max(1, y.map(abs).max()!)
            guard residual <= 1e-13 * scaleY else { return "residual \(residual) above 1e-13 x \(scaleY)" }
            if solver == .euler {
                let gap = MixturePropertyTests.maxDifference(x, p.x)
                let bound = 1e-9 * (p.sigma / next) * max(1, p.x.map(abs).max()!)
                if gap > bound { return "recovered \(x) vs \(p.x): gap \(gap) > \(bound)" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Algorithm 1, replayed from the recorded trajectory with the public operators: at each step
    /// i < lambda the reflection's down-move is M^down(x), its up-move M_inv^up of that, the particle
    /// moves to x + gamma (up - x), and the ordinary step is M^strong. W2SD has (down, up) = (strong,
    /// weak); S2WD is the same loop with the reflection's roles swapped, (weak, strong), and the same
    /// strong ordinary step. Agreement within 1e-12 relative.
    @Test func samplersFollowAlgorithmOneAndS2WDSwapsTheReflection() {
        let failures = Property.check("Algorithm 1 replay (W2SD, S2WD)", generate: { rng -> (ModelsCase, Bool) in
            (ModelsCase.draw(inversions: [.paper, .ddim, .exactDefault], &rng), Draw.bool(&rng))
        }, shrink: { c in c.0.shrinks.map { ($0, c.1) } }) { c in
            let (models, negative) = c
            let strong = try models.strong.mixture(), weak = try models.weak.mixture()
            let settings = models.settings
            let sampler = negative ? try Sampler.s2wd(strong: strong, weak: weak, settings: settings)
                                   : try Sampler.w2sd(strong: strong, weak: weak, settings: settings)
            let (down, up): (GaussianMixture, GaussianMixture) = negative ? (weak, strong) : (strong, weak)
            let result: SamplingResult
            do {
                result = try Self.run(sampler, particles: 2, seed: models.seed, trajectories: 2)
            } catch ToyError.notConverged {
                return nil // exact inversion may legitimately refuse (reported, never silent)
            }
            let sigmas = settings.sigmas
            for trajectory in result.trajectories {
                var points = trajectory.points[...]
                var x = points.removeFirst().position
                func close(_ a: [Double], _ b: [Double]) -> Bool {
                    MixturePropertyTests.maxDifference(a, b) <= 1e-12 * max(1, b.map(abs).max() ?? 0)
                }
                for i in 0..<settings.steps {
                    if i < settings.lambda {
                        let d1 = Self.step(down, x, sigmas[i], sigmas[i + 1], settings.solver)
                        guard let recordedDown = points.popFirst(), recordedDown.phase == .reflectionDown, close(recordedDown.position, d1)
                        else { return "step \(i): down-move differs from M^\(negative ? "weak" : "strong")" }
                        let u = try Self.invert(up, recordedDown.position, sigmas[i + 1], sigmas[i], settings.solver, settings.inversion)
                        guard let recordedUp = points.popFirst(), recordedUp.phase == .reflectionUp, close(recordedUp.position, u)
                        else { return "step \(i): up-move differs from M_inv^\(negative ? "strong" : "weak")" }
                        x = zip(x, recordedUp.position).map { $0 + settings.gamma * ($1 - $0) }
                        if settings.gamma != 1 {
                            guard let reflected = points.popFirst(), reflected.phase == .reflected, close(reflected.position, x)
                            else { return "step \(i): reflected point differs from x + gamma (R - x)" }
                        }
                    }
                    let next = Self.step(strong, x, sigmas[i], sigmas[i + 1], settings.solver)
                    guard let recorded = points.popFirst(), recorded.phase == .step, close(recorded.position, next)
                    else { return "step \(i): ordinary step differs from M^strong" }
                    x = recorded.position
                }
                guard points.isEmpty else { return "\(points.count) extra trajectory points" }
                guard x == Array(result.samples[(trajectory.particle * x.count)..<((trajectory.particle + 1) * x.count)])
                else { return "trajectory end differs from the sample" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// The same seed gives bit-identical samples for 1, 2 and 7 threads and random chunk sizes, for
    /// every sampler kind, including the ones that draw noise (Re-Sampling, Advanced Re-Sampling,
    /// inversion error) and autoguidance.
    @Test func samplesDoNotDependOnThreadsOrChunksForAnySampler() {
        let cases = Property.caseCount()
        let failures = Property.check("threads and chunks (all samplers)", cases: cases, generate: { rng -> (ModelsCase, Int, Int, [Int]) in
            (ModelsCase.draw(&rng), Draw.integer(0...5, &rng), Draw.integer(8...40, &rng), [Draw.integer(1...40, &rng), Draw.integer(1...9, &rng)])
        }, shrink: { c in c.0.shrinks.map { ($0, c.1, c.2, c.3) } }) { c in
            let (models, kind, particles, chunks) = c
            let strong = try models.strong.mixture(), weak = try models.weak.mixture()
            let settings = models.settings
            let sampler: Sampler
            switch kind {
            case 0: sampler = try .w2sd(strong: strong, weak: weak, settings: settings)
            case 1: sampler = try .s2wd(strong: strong, weak: weak, settings: settings)
            case 2: sampler = try .autoguidance(strong: strong, weak: weak, weight: 2, settings: settings)
            case 3: sampler = try .resampling(strong: strong, settings: settings)
            case 4: sampler = try .advancedResampling(strong: strong, weak: weak, settings: settings)
            default: sampler = try .w2sd(strong: strong, weak: PerturbedScore(weak, strength: 0.5), settings: settings)
            }
            let reference = try Self.run(sampler, particles: particles, seed: models.seed, threads: 1, chunkSize: particles)
            for (threads, chunk) in [(2, chunks[0]), (7, chunks[1])] {
                let other = try Self.run(sampler, particles: particles, seed: models.seed, threads: threads, chunkSize: chunk)
                if other.samples != reference.samples { return "\(sampler.name): \(threads) threads, chunk \(chunk) differ" }
                if other.evaluations != reference.evaluations { return "\(sampler.name): evaluations \(other.evaluations) vs \(reference.evaluations)" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Work accounting: a mixture field costs 1 per particle and evaluation, a combination 2; Euler
    /// spends 1 evaluation per step, Heun 2 (1 on the last step); `paper`/`ddim` inversions 1. So
    /// standard sampling costs n c (T or 2T - 1) and W2SD adds lambda (c_step + 1) per particle.
    @Test func evaluationCountsFollowTheSolverAndInversion() {
        let failures = Property.check("evaluation counts", generate: { rng -> (ModelsCase, Int) in
            (ModelsCase.draw(&rng), Draw.integer(1...13, &rng))
        }, shrink: { c in c.0.shrinks.map { ($0, c.1) } }) { c in
            let (models, n) = c
            let strong = try models.strong.mixture(), weak = try models.weak.mixture()
            let s = models.settings, t = s.steps, lambda = s.lambda
            let stepCost = s.solver == .euler ? 1 : 2
            let plain = s.solver == .euler ? t : 2 * t - 1
            let expected = [("standard", n * plain), ("w2sd", n * (plain + lambda * (stepCost + 1))), ("autoguidance", 2 * n * plain)]
            let samplers = [try Sampler.standard(strong, settings: s), try .w2sd(strong: strong, weak: weak, settings: s),
                            try .autoguidance(strong: strong, weak: weak, weight: 1.5, settings: s)]
            for ((name, count), sampler) in zip(expected, samplers) {
                let got = try Self.run(sampler, particles: n, seed: models.seed).evaluations
                if got != count { return "\(name): \(got) evaluations, expected \(count)" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Linear score combinations: autoguidance with w = 1 is the strong field and with w = 0 the weak
    /// one, bit for bit; the oracle weak field 2 s_s - s* makes Delta1 = Delta2 (1e-12 relative); a
    /// perturbed field with k = 0 is its base exactly; `exact` inversion refuses k > 0 with an error.
    @Test func scoreCombinationsAreExact() {
        let failures = Property.check("score combinations", generate: { rng -> (PointCase, MixtureCase, MixtureCase) in
            let c = Draw.pointCase(&rng)
            let range = c.mixture.dimension...c.mixture.dimension
            return (c, Draw.mixtureCase(dimensions: range, &rng), Draw.mixtureCase(dimensions: range, &rng))
        }) { c in
            let (p, weakCase, idealCase) = c
            let strong = try p.mixture.mixture(), weak = try weakCase.mixture(), ideal = try idealCase.mixture()
            var streams = ParticleStreams(seed: 1, first: 0, count: 1)
            let ss = strong.score(at: p.x, sigma: p.sigma), sw = weak.score(at: p.x, sigma: p.sigma)
            let one = try LinearScoreCombination.autoguided(weak: weak, strong: strong, weight: 1)
            let zero = try LinearScoreCombination.autoguided(weak: weak, strong: strong, weight: 0)
            guard one.score(at: p.x, sigma: p.sigma, streams: &streams) == ss else { return "w = 1 is not the strong score" }
            guard zero.score(at: p.x, sigma: p.sigma, streams: &streams) == sw else { return "w = 0 is not the weak score" }
            let oracle = try LinearScoreCombination.oracleWeak(strong: strong, ideal: ideal)
            let so = oracle.score(at: p.x, sigma: p.sigma, streams: &streams), si = ideal.score(at: p.x, sigma: p.sigma)
            let delta1 = zip(ss, so).map { $0 - $1 }, delta2 = zip(si, ss).map { $0 - $1 }
            let scale = max(1, (ss + si).map(abs).max()!)
            guard MixturePropertyTests.maxDifference(delta1, delta2) <= 1e-12 * scale else { return "oracle Delta1 \(delta1) vs Delta2 \(delta2)" }
            guard try PerturbedScore(weak, strength: 0).score(at: p.x, sigma: p.sigma, streams: &streams) == sw else { return "k = 0 changed the score" }
            do {
                _ = try Self.invert(PerturbedScore(weak, strength: 0.1), p.x, p.sigma / 2, p.sigma + 1, .euler, .exactDefault)
                return "exact inversion accepted a perturbed field"
            } catch is ToyError {
                return nil
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}
