import Testing
@testable import Plot

@Suite struct HistogramTests {
    @Test func densitiesIntegrateToOneAndNonFiniteValuesAreDropped() {
        for seed in UInt64(1)...50 {
            var generator = SplitMix64(seed: seed)
            var values = (0..<500).map { _ in generator.normal() * 3 }
            values += [.nan, .infinity, -.infinity]
            let bins = 1 + Int(generator.next() % 60)
            let histogram = Histogram(values: values, binCount: bins)
            #expect(histogram.counts.count == bins && histogram.edges.count == bins + 1)
            #expect(histogram.total == 500 && histogram.droppedCount == 3, "seed \(seed)")
            let integral = zip(histogram.densities, zip(histogram.edges, histogram.edges.dropFirst())).map { $0 * ($1.1 - $1.0) }.reduce(0, +)
            #expect(abs(integral - 1) < 1e-12, "seed \(seed): integral \(integral)")
        }
    }

    @Test func explicitRangeDropsOutsideValuesAndCountsTheUpperEdge() {
        let histogram = Histogram(values: [-1, 0, 0.5, 1, 2], binCount: 2, range: 0...1)
        #expect(histogram.counts == [1, 2])
        #expect(histogram.droppedCount == 2)
    }
}
