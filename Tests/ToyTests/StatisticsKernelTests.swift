import Foundation
import Testing
import TestSupport
@testable import Toy

/// The block (lane) forms of the per-chunk statistics against sample-by-sample references: chunk
/// moments (NLL, assignment, on-mode windows, the samples kept for MMD) and the projection histograms.
@Suite struct StatisticsKernelTests {
    /// Random mixtures in 1 to 3 dimensions, chunks of 1 to 40 samples (partial blocks) starting at any
    /// global index, some samples far out: the assigned and on-mode counts (the nearest chi-square window
    /// a sample is inside) and the spurious count equal a scalar reference exactly; each group's mean and sum of squared deviations match a two-pass
    /// reference to 1e-13 relative (of the largest |x| and of M2; `ShiftedLaneSums` loses at most about
    /// (n + 1) ulp); the NLL sum matches sum -log p*(x) (log-sum-exp) to 1e-13 relative; the chunk keeps
    /// its samples for the MMD statistic.
    @Test func blockMomentsMatchASampleBySampleReference() {
        let failures = Property.check("chunk moments") { rng -> String? in
            let d = Draw.integer(1...3, &rng)
            let mixture = Draw.mixture(dimension: d, maxComponents: 5, &rng)
            let n = Draw.integer(1...40, &rng), first = Draw.integer(0...3, &rng)
            var samples = mixture.samples(count: n, seed: rng.next())
            for i in samples.indices where Draw.bool(&rng, probability: 0.1) { samples[i] *= 6 }
            let reference = StatisticsReference(ideal: mixture)
            let moments = samples.withUnsafeBufferPointer { ChunkMoments(samples: $0, firstIndex: first, reference: reference) }
            let noisy = mixture.noisy(at: 0)
            var assigned = [Int](repeating: 0, count: mixture.components.count), onMode = assigned
            var assignedMembers = [[Int]](repeating: [], count: mixture.components.count), onModeMembers = assignedMembers
            var nll = 0.0, spurious = 0
            for i in 0..<n {
                let x = Array(samples[(i * d)..<((i + 1) * d)])
                nll -= mixture.logDensity(at: x)
                let terms = x.withUnsafeBufferPointer { noisy.componentLogTerms($0.baseAddress!) }
                let best = mixture.activeIndices[terms.indices.max { terms[$0] < terms[$1] || (terms[$0] == terms[$1] && $0 > $1) }!]
                assigned[best] += 1
                assignedMembers[best].append(i)
                // On mode: the component of smallest q among those with q < chi2_d(0.999) (the first on a tie).
                var on: (component: Int, q: Double)?
                for a in 0..<noisy.count {
                    var q = 0.0
                    for r in 0..<d {
                        var row = 0.0
                        for c in 0..<d { row += noisy.precisions[a * d * d + r * d + c] * (x[c] - noisy.means[a * d + c]) }
                        q += (x[r] - noisy.means[a * d + r]) * row
                    }
                    if q < reference.onModeThreshold && q < (on?.q ?? .infinity) { on = (mixture.activeIndices[a], q) }
                }
                if let on { onMode[on.component] += 1; onModeMembers[on.component].append(i) } else { spurious += 1 }
            }
            if moments.assigned.counts != assigned { return "assigned \(moments.assigned.counts) vs \(assigned)" }
            if moments.onMode.counts != onMode || moments.spurious != spurious {
                return "on-mode \(moments.onMode.counts), spurious \(moments.spurious) vs \(onMode), \(spurious)"
            }
            if abs(moments.negativeLogLikelihood - nll) > 1e-13 * max(1, abs(nll)) { return "NLL \(moments.negativeLogLikelihood) vs \(nll)" }
            // Group means and squared deviations against two passes over each group's members.
            let scale = samples.map { abs($0) }.max() ?? 0
            for (name, groups, members) in [("assigned", moments.assigned, assignedMembers), ("on-mode", moments.onMode, onModeMembers)] {
                for k in members.indices where !members[k].isEmpty {
                    for r in 0..<d {
                        let values = members[k].map { samples[$0 * d + r] }
                        let mean = values.reduce(0, +) / Double(values.count)
                        let m2 = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                        let (gotMean, gotM2) = (groups.means[k * d + r], groups.squaredDeviations[k * d + r])
                        if abs(gotMean - mean) > 1e-13 * scale || abs(gotM2 - m2) > 1e-13 * m2 + 1e-300 {
                            return "\(name) group \(k), coordinate \(r): mean \(gotMean), M2 \(gotM2) vs \(mean), \(m2)"
                        }
                    }
                }
            }
            // The samples the MMD statistic uses: those of global index below the cap, here (first + n <= 43) all.
            if moments.head != samples { return "head of \(moments.head.count / d) samples, expected all \(n)" }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// A mode collapsed to one point far from its component (every sample the same) has M2 = 0 exactly
    /// and its mean exactly; a collapse to a spread of 1e-9 at distance 2 from its component keeps its M2
    /// to 1e-11 relative of a two-pass reference (sums shifted by the component mean would lose it all:
    /// 300 x 4 x 1e-16 against M2 ~ 1e-15).
    @Test func collapsedModesKeepTheirSpread() {
        let models = Presets.oneDimensional(), reference = StatisticsReference(ideal: models.ideal)
        let point = [Double](repeating: 5.3, count: 300)
        let moments = point.withUnsafeBufferPointer { ChunkMoments(samples: $0, firstIndex: 0, reference: reference) }
        #expect(moments.assigned.counts[1] == 300 && moments.assigned.means[1] == 5.3 && moments.assigned.squaredDeviations[1] == 0)
        #expect(moments.onMode.counts[1] == 300 && moments.onMode.squaredDeviations[1] == 0)
        let narrow = (0..<300).map { 6 + 1e-9 * Double($0 % 7 - 3) }
        let mean = narrow.reduce(0, +) / 300, m2 = narrow.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let spread = narrow.withUnsafeBufferPointer { ChunkMoments(samples: $0, firstIndex: 1, reference: reference) }
        #expect(abs(spread.assigned.squaredDeviations[1] - m2) <= 1e-11 * m2, "\(spread.assigned.squaredDeviations[1]) vs \(m2)")
    }

    /// Direction u's histogram of `samples` (flat, dimension d) binned sample by sample, as the scalar
    /// reference for `ProjectionHistograms.add`: counts, outside counts and outside sums.
    static func scalarBinning(_ samples: [Double], dimension d: Int, _ histograms: ProjectionHistograms, direction u: Int)
        -> (counts: [Int], below: Int, above: Int, sumBelow: Double, sumAbove: Double, squared: Double) {
        let w = histograms.directions[u], bins = histograms.bins
        let lo = histograms.lower[u], hi = histograms.upper[u], scale = Double(bins) / (hi - lo)
        var counts = [Int](repeating: 0, count: bins), below = 0, above = 0, sumBelow = 0.0, sumAbove = 0.0, squared = 0.0
        for i in 0..<(samples.count / d) {
            var v = 0.0
            for j in 0..<d { v += samples[i * d + j] * w[j] }
            if v < lo {
                below += 1; sumBelow += lo - v; squared += (lo - v) * (lo - v)
            } else if v >= hi {
                above += 1; sumAbove += v - hi; squared += (v - hi) * (v - hi)
            } else {
                counts[min(bins - 1, Int((v - lo) * scale))] += 1
            }
        }
        return (counts, below, above, sumBelow, sumAbove, squared)
    }

    /// A random 2D or 3D mixture (up to 3 components) and samples of it (a number in `count`), each
    /// coordinate pushed 40 times farther out with probability `pushedOutside`.
    static func projectionCase(count: ClosedRange<Int>, pushedOutside: Double, _ rng: inout Xoshiro256StarStar)
        -> (dimension: Int, mixture: GaussianMixture, samples: [Double]) {
        let d = Draw.integer(2...3, &rng)
        let mixture = Draw.mixture(dimension: d, maxComponents: 3, &rng)
        var samples = mixture.samples(count: Draw.integer(count, &rng), seed: rng.next())
        if pushedOutside > 0 {
            for i in samples.indices where Draw.bool(&rng, probability: pushedOutside) { samples[i] *= 40 }
        }
        return (d, mixture, samples)
    }

    /// Projection histograms of random 2D and 3D samples (chunks of 1 to 100, a tenth of the samples
    /// pushed outside the range): every count, outside count and outside sum equals a sample-by-sample
    /// scalar binning exactly (the same operations in the same order).
    @Test func blockHistogramsMatchScalarBinning() {
        let failures = Property.check("projection histograms", cases: Property.caseCount(fraction: 0.2)) { rng -> String? in
            let (d, mixture, samples) = Self.projectionCase(count: 1...100, pushedOutside: 0.1, &rng)
            var histograms = ProjectionHistograms(ideal: mixture, bins: 256)
            let outside = samples.withUnsafeBufferPointer { histograms.add($0, dimension: d) }
            for u in histograms.directions.indices {
                let r = Self.scalarBinning(samples, dimension: d, histograms, direction: u)
                if Array(histograms.counts[(u * 256)..<((u + 1) * 256)]) != r.counts || histograms.below[u] != r.below || histograms.above[u] != r.above {
                    return "direction \(u): counts differ"
                }
                if outside.below[u] != r.sumBelow || outside.above[u] != r.sumAbove || outside.squared[u] != r.squared {
                    return "direction \(u): outside sums differ"
                }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// One chunk of 3001 2D samples, the first 1501 at one point, the rest drawn from the mixture with a
    /// few pushed outside, counted with a flush of the 16-bit row every 5 blocks (bins filled across many
    /// flushes): the counts of every direction equal the scalar binning exactly. The real flush interval
    /// keeps a bin's count between flushes within 16 bits.
    @Test func flushedHistogramsMatchScalarBinning() {
        #expect(Int(ProjectionHistograms.maximumFlushBlocks) * Lanes.scalarCount <= Int(UInt16.max))
        let mixture = Presets.twoDimensional().ideal
        var samples = mixture.samples(count: 3001, seed: 9)
        for i in 0..<1501 { samples[2 * i] = 0.3; samples[2 * i + 1] = -0.2 }
        for i in stride(from: 3001, to: samples.count, by: 101) { samples[i] *= 60 }
        var histograms = ProjectionHistograms(ideal: mixture, bins: 512)
        histograms.flushBlocks = 5
        _ = samples.withUnsafeBufferPointer { histograms.add($0, dimension: 2) }
        let differing = histograms.directions.indices.filter { u in
            let r = Self.scalarBinning(samples, dimension: 2, histograms, direction: u)
            return Array(histograms.counts[(u * 512)..<((u + 1) * 512)]) != r.counts || histograms.below[u] != r.below
                || histograms.above[u] != r.above
        }
        #expect(differing.isEmpty, "directions \(differing)")
        #expect(histograms.counts.max() ?? 0 >= 1501)
    }

    /// Counts over a run's chunks: 2D and 3D samples added in 1 to 7 chunks of random sizes, with a flush
    /// of the 16-bit row every 1 to 4 blocks, give the counts of a sample-by-sample binning of them all,
    /// and merged copies give the counts of both.
    @Test func countsCarryAcrossChunks() {
        let failures = Property.check("histogram chunks", cases: Property.caseCount(fraction: 0.2)) { rng -> String? in
            let (d, mixture, samples) = Self.projectionCase(count: 1...300, pushedOutside: 0, &rng)
            let n = samples.count / d
            var histograms = ProjectionHistograms(ideal: mixture, bins: 128)
            histograms.flushBlocks = Draw.integer(1...4, &rng)
            var start = 0
            for _ in 0..<Draw.integer(1...7, &rng) where start < n {
                let end = min(n, start + Draw.integer(1...120, &rng))
                _ = samples.withUnsafeBufferPointer { histograms.add(UnsafeBufferPointer(rebasing: $0[(start * d)..<(end * d)]), dimension: d) }
                start = end
            }
            if start < n { _ = samples.withUnsafeBufferPointer { histograms.add(UnsafeBufferPointer(rebasing: $0[(start * d)...]), dimension: d) } }
            var merged = histograms
            merged.merge(histograms)
            for u in histograms.directions.indices {
                let r = Self.scalarBinning(samples, dimension: d, histograms, direction: u)
                if Array(histograms.counts[(u * 128)..<((u + 1) * 128)]) != r.counts { return "direction \(u): counts differ" }
                if Array(merged.counts[(u * 128)..<((u + 1) * 128)]) != r.counts.map({ 2 * $0 }) { return "direction \(u): merged counts differ" }
            }
            return nil
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// NaN samples do not crash the statistics (the histogram's sample-by-sample path once converted
    /// floor((v - lo) scale) of a NaN to an integer: a trap): 2D samples beyond the exact-slice limit (the
    /// histogram path), every 97th coordinate NaN, give statistics of all the samples, with W1 NaN (the
    /// NaN samples count beyond the range, at NaN distance), not a made-up number.
    @Test func nanSamplesStayInsideTheHistogramRows() {
        let ideal = Presets.twoDimensional().ideal
        var samples = ideal.samples(count: SampleStatistics.exactSliceLimit + 904, seed: 4)
        for i in stride(from: 0, to: samples.count, by: 97) { samples[i] = .nan }
        let statistics = SampleStatistics(samples: samples, ideal: ideal, threads: 2)
        #expect(statistics.count == samples.count / 2 && statistics.wasserstein.isNaN)
    }

    /// `erfcLanes` against libm's erfc at 2e5 random points of [-8.5, 8.5] and at 0, +-1e-300, +-4 and +-8.5:
    /// relative error at most 1e-15 (where the statistics use it: arguments up to the 12-sd cut / sqrt 2).
    @Test func laneErfcMatchesLibm() {
        var rng = Xoshiro256StarStar(seed: 21)
        var points = [0, 1e-300, -1e-300, 4, -4, 8.5, -8.5]
        points += (0..<200_000).map { _ in Draw.uniform(-8.5, 8.5, &rng) }
        var worst = (error: 0.0, at: 0.0)
        for start in stride(from: 0, to: points.count, by: Lanes.scalarCount) {
            var x = Lanes(repeating: 0)
            for j in 0..<Lanes.scalarCount { x[j] = points[min(start + j, points.count - 1)] }
            let values = erfcLanes(x)
            for j in 0..<Lanes.scalarCount {
                let error = abs(values[j] - erfc(x[j])) / erfc(x[j])
                if error > worst.error { worst = (error, x[j]) }
            }
        }
        #expect(worst.error <= 1e-15, "\(worst)")
    }
}
