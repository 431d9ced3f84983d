import Foundation
import Testing
import TestSupport
@testable import Toy

/// Sample sets for the W1 properties: values (any order) plus the data to smooth them into a mixture.
struct SampleSetCase: CustomStringConvertible {
    var a: [Double]
    var b: [Double]

    static func draw(_ rng: inout Xoshiro256StarStar) -> SampleSetCase {
        let n = Draw.integer(1...40, &rng), spread = Draw.logUniform(0.01, 100, &rng)
        func one(_ rng: inout Xoshiro256StarStar) -> [Double] {
            (0..<n).map { _ in Draw.bool(&rng, probability: 0.2) ? Draw.uniform(-3, 3, &rng).rounded() : spread * rng.nextNormal() }
        }
        return SampleSetCase(a: one(&rng), b: one(&rng))
    }

    var shrinks: [SampleSetCase] {
        var out: [SampleSetCase] = []
        if a.count > 1 {
            out.append(SampleSetCase(a: Array(a.prefix(a.count / 2)), b: Array(b.prefix(b.count / 2))))
            out.append(SampleSetCase(a: Array(a.dropLast()), b: Array(b.dropLast())))
        }
        let ra = a.map { $0.rounded() }, rb = b.map { $0.rounded() }
        if ra != a || rb != b { out.append(SampleSetCase(a: ra, b: rb)) }
        return out
    }

    var description: String { "a = \(a), b = \(b)" }

    /// The empirical measure smoothed by N(0, eps^2): a mixture reference for `Wasserstein.exact`.
    static func smoothed(_ values: [Double], eps: Double) -> MixtureCDF1D {
        MixtureCDF1D(weights: values.map { _ in 1 / Double(values.count) }, means: values, stds: values.map { _ in eps })
    }

    /// W1 between two equal-size empirical measures: the mean of |a_(i) - b_(i)| over sorted values.
    static func sortedDistance(_ a: [Double], _ b: [Double]) -> Double {
        zip(a.sorted(), b.sorted()).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(a.count)
    }
}

/// Property tests of the metrics: exact W1, streamed W1, mode statistics (see Tests/README.md).
@Suite struct MetricsPropertyTests {
    /// W1 of a sample set to itself is 0 and W1 is symmetric, through the exact samples-to-mixture W1:
    /// smoothing B's atoms by N(0, eps^2) moves W1 by at most eps E|Z| < eps, so
    /// W1(A, B_eps) = W1(B, A_eps) = mean |a_(i) - b_(i)| within 2 eps + 1e-10 (and W1(A, A_eps) <= eps).
    @Test func exactW1IsZeroOnItselfAndSymmetric() {
        let eps = 1e-7
        let failures = Property.check("W1(A, A) = 0, W1(A, B) = W1(B, A)", generate: SampleSetCase.draw, shrink: \.shrinks) { c in
            let scale = 1 + (c.a + c.b).map(abs).max()!
            let tolerance = 2 * eps + 1e-10 * scale
            let selfDistance = Wasserstein.exact(samples: c.a, reference: SampleSetCase.smoothed(c.a, eps: eps))
            guard selfDistance >= -1e-12 * scale, selfDistance <= tolerance else { return "W1(A, A) = \(selfDistance)" }
            let ab = Wasserstein.exact(samples: c.a, reference: SampleSetCase.smoothed(c.b, eps: eps))
            let ba = Wasserstein.exact(samples: c.b, reference: SampleSetCase.smoothed(c.a, eps: eps))
            let exact = SampleSetCase.sortedDistance(c.a, c.b)
            guard abs(ab - exact) <= tolerance, abs(ba - exact) <= tolerance else { return "W1(A, B) = \(ab), W1(B, A) = \(ba), sorted distance \(exact)" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// W1 to a mixture obeys the triangle inequality |W1(A, p) - W1(B, p)| <= W1(A, B) (1e-10 slack),
    /// is non-negative, and is translation covariant: W1(A + c, p shifted by c) = W1(A, p).
    @Test func exactW1IsAMetricAndTranslationCovariant() {
        let failures = Property.check("W1 triangle inequality and translation", generate: { rng -> (SampleSetCase, MixtureCase, Double) in
            (SampleSetCase.draw(&rng), Draw.mixtureCase(dimensions: 1...1, &rng), Draw.uniform(-50, 50, &rng).rounded())
        }, shrink: { c in c.0.shrinks.map { ($0, c.1, c.2) } + c.1.shrinks.map { (c.0, $0, c.2) } }) { c in
            let (sets, mc, shift) = c
            let p = MixtureCDF1D(projecting: try mc.mixture(), onto: [1])
            let wa = Wasserstein.exact(samples: sets.a, reference: p), wb = Wasserstein.exact(samples: sets.b, reference: p)
            let scale = 1 + (sets.a + sets.b).map(abs).max()!
            guard wa >= 0, wb >= 0 else { return "negative W1 \(wa), \(wb)" }
            guard abs(wa - wb) <= SampleSetCase.sortedDistance(sets.a, sets.b) + 1e-10 * scale else {
                return "|\(wa) - \(wb)| > W1(A, B) = \(SampleSetCase.sortedDistance(sets.a, sets.b))"
            }
            let moved = MixtureCDF1D(weights: p.weights, means: p.means.map { $0 + shift }, stds: p.stds)
            let wShifted = Wasserstein.exact(samples: sets.a.map { $0 + shift }, reference: moved)
            return abs(wShifted - wa) <= 1e-9 * (scale + abs(shift)) ? nil : "shifted W1 \(wShifted) vs \(wa)"
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Statistics of any sample set against any ideal mixture: mode masses sum to 1 (1e-12), counts sum
    /// to n, absent ideal components get nothing, each mode's mean lies within the range of the
    /// samples, and the streamed statistics (histogram W1, keepSamples = false) give the same modes and a
    /// W1 within its stated error of the exact one.
    @Test func modeStatisticsAndStreamedW1() {
        let failures = Property.check("mode masses and streamed W1", generate: { rng -> (ModelsCase, MixtureCase) in
            let models = ModelsCase.draw(&rng)
            let range = models.strong.dimension...models.strong.dimension
            return (models, Draw.mixtureCase(dimensions: range, maxComponents: 5, maxCondition: 1e3, &rng))
        }, shrink: { c in c.0.shrinks.filter { $0.strong.dimension == c.1.dimension }.map { ($0, c.1) } + c.1.shrinks.filter { $0.dimension == c.1.dimension }.map { (c.0, $0) } }) { c in
            let (models, idealCase) = c
            let ideal = try idealCase.mixture(), d = ideal.dimension
            let sampler = try Sampler.w2sd(strong: models.strong.mixture(), weak: models.weak.mixture(), settings: models.settings)
            let run = SamplingRun(sampler: sampler, particles: 37, seed: models.seed, threads: 2, chunkSize: 8, ideal: ideal)
            let keptRun = try run.run()
            var streaming = run
            streaming.keepSamples = false
            guard let kept = keptRun.statistics, let streamed = try streaming.run().statistics else { return "no statistics" }
            let samples = keptRun.samples
            let masses = kept.modes.map(\.mass)
            guard abs(masses.reduce(0, +) - 1) <= 1e-12 else { return "masses sum to \(masses.reduce(0, +))" }
            guard kept.modes.map(\.count).reduce(0, +) == 37, kept.count == 37 else { return "counts \(kept.modes.map(\.count))" }
            for mode in kept.modes {
                if idealCase.weights[mode.component] == 0 && mode.count > 0 { return "absent component \(mode.component) got \(mode.count) samples" }
                guard mode.count > 0 else { continue }
                for j in 0..<d {
                    let values = (0..<37).map { samples[$0 * d + j] }
                    let slack = 1e-12 * (1 + values.map(abs).max()!)
                    if mode.mean[j] < values.min()! - slack || mode.mean[j] > values.max()! + slack { return "mode \(mode.component) mean outside the samples" }
                }
            }
            guard streamed.modes.map(\.count) == kept.modes.map(\.count) else { return "streamed modes \(streamed.modes.map(\.count)) vs \(kept.modes.map(\.count))" }
            let gap = abs(streamed.wasserstein - kept.wasserstein)
            return gap <= streamed.wassersteinError * (1 + 1e-9) + 1e-9 * (1 + kept.wasserstein) ? nil
                : "streamed W1 \(streamed.wasserstein) vs exact \(kept.wasserstein), stated error \(streamed.wassersteinError)"
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}
