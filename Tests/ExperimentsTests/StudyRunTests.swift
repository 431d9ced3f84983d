import Experiments
import Foundation
import Testing
import Toy

/// Study runs: a sweep cell is a direct run of its experiment (paired seeds), results do not depend
/// on how the cores are used, the frontier's T is the largest that fits, and shards merge into the
/// unsharded documents byte for byte. Tiny runs (200 particles, T = 6) keep debug builds fast.
@Suite struct StudyRunTests {
    static let base: ExperimentSpec = {
        var spec = ExperimentSpec.preset(dimension: 1)
        spec.weak.components[0].weight = 0
        spec.samples = 200
        spec.steps = 6
        spec.repeats = 2
        spec.methods = [.strong, .w2sd]
        return spec
    }()

    static func sweep() throws -> Sweep {
        try Sweep(base: base, axes: [try SweepAxis.parse("gamma=0,1,2", base: base), try SweepAxis.parse("lambda=0.5T,1T", base: base)])
    }

    /// Cell j's metrics equal those of ExperimentRunner on the cell's experiment with the same seeds,
    /// metric by metric and seed by seed; every cell shares the seeds, so gamma = 0 (no reflection)
    /// gives W2SD = strong exactly.
    @Test func sweepCellEqualsADirectRun() throws {
        let sweep = try Self.sweep()
        let document = try sweep.run(command: "sweep 1d", metrics: ["W1"], executor: StudyExecutor(threads: 2, keepSamples: true))
        #expect(document.cells.map(\.index) == Array(0..<6))
        for j in [0, 3, 5] {
            let spec = try sweep.spec(ofCell: j)
            let runs = try ExperimentRunner(spec: spec, threads: 1).runRepeats(spec.repeats, modeNames: spec.modeNames, holdSamples: false).runs
            for (m, method) in spec.methods.enumerated() {
                let cell = try #require(document.cells[j].methods.first { $0.method == method.rawValue })
                for name in runs.metricNames {
                    let direct = runs.metrics[m].map { $0[name] ?? .nan }
                    let swept = try #require(cell.metrics[name]).values
                    #expect(zip(direct, swept).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "cell \(j) \(method) \(name)")
                }
            }
        }
        for j in [0, 1] {
            let strong = try #require(document.summary(cell: document.cells[j], method: "strong", metric: "W1"))
            let w2sd = try #require(document.summary(cell: document.cells[j], method: "w2sd", metric: "W1"))
            #expect(strong.values == w2sd.values)
        }
        #expect(document.repeats.seeds == [0, 1])
    }

    @Test func resultsDoNotDependOnParallelismOrThreads() throws {
        let sweep = try Self.sweep()
        let documents = try [(1, StudyExecutor.Parallelism.cells), (3, .cells), (2, .runs)].map { threads, parallelism in
            try sweep.run(command: "sweep 1d", metrics: ["W1"], executor: StudyExecutor(threads: threads, parallelism: parallelism, keepSamples: true))
        }
        #expect(try documents.map { try $0.encoded() }.allSatisfy { $0 == (try documents[0].encoded()) })
    }

    /// One cell at a time with every thread when the chunks keep every thread busy (a multiple of the
    /// threads, or at least four per thread), else cells in parallel.
    @Test func preferredParallelism() {
        func spec(_ samples: Int) -> ExperimentSpec { var s = Self.base; s.samples = samples; return s }
        #expect(StudyExecutor.preferred(for: [spec(20_000)], threads: 2) == .runs, "10 chunks on 2 threads: 5 each")
        #expect(StudyExecutor.preferred(for: [Self.base], threads: 2) == .cells)
        #expect(StudyExecutor.preferred(for: [spec(20_000)], threads: 16) == .cells, "10 chunks for 16 threads")
        #expect(StudyExecutor.preferred(for: [spec(10_000)], threads: 2) == .cells, "5 chunks on 2 threads: 3 + 2")
        #expect(StudyExecutor.preferred(for: [spec(18_000)], threads: 2) == .runs, "9 chunks: at least four per thread")
        #expect(StudyExecutor.preferred(for: [spec(4_096)], threads: 2) == .runs, "2 chunks: one each")
    }

    /// count(T) <= budget < count(T + 1), counted independently by the run-time estimate.
    @Test func frontierChoosesTheLargestFittingT() throws {
        var base = Self.base
        base.lambda = nil
        let variants = FrontierVariant.defaults + [try FrontierVariant.parse("w2sd:reflect-sigma=0:2"), try FrontierVariant.parse("s2wd:lambda=0.5T")]
        let budgets = [5, 13, 40]
        let frontier = try Frontier(base: base, budgets: budgets, variants: variants)
        func count(_ j: Int, steps: Int) throws -> Int {
            var spec = try #require(try frontier.spec(ofCell: j))
            spec.steps = steps
            return try RunTimeEstimate(spec: spec, models: spec.models(), threads: 1).evaluationsPerParticle[0]
        }
        for j in 0..<frontier.cellCount {
            let budget = budgets[frontier.indices(ofCell: j).budget]
            guard let choice = frontier.choices[j] else {
                var spec = base
                try variants[frontier.indices(ofCell: j).variant].apply(to: &spec)
                spec.steps = 2
                #expect(try RunTimeEstimate(spec: spec, models: spec.models(), threads: 1).evaluationsPerParticle[0] > budget)
                continue
            }
            #expect(choice.evaluationsPerParticle == (try count(j, steps: choice.steps)))
            #expect(choice.evaluationsPerParticle <= budget, "cell \(j)")
            #expect(try count(j, steps: choice.steps + 1) > budget, "cell \(j): T + 1 fits too")
        }
        // Known counts (Euler, paper inversion, lambda = T - 1): strong T, Heun 2T - 1, autoguidance
        // 2T, W2SD T + 2 (T - 1) = 3T - 2.
        let at40 = (0..<5).map { frontier.choices[2 * variants.count + $0]?.steps }
        #expect(at40 == [40, 20, 20, 14, 14])
        // A budget of 5: W2SD needs 4 at T = 2, fits; W2SD at T = 3 needs 7.
        #expect(frontier.choices[3]?.steps == 2 && frontier.choices[3]?.evaluationsPerParticle == 4)
    }

    @Test func frontierUnavailableCells() throws {
        var base = Self.base
        base.lambda = nil
        let frontier = try Frontier(base: base, budgets: [3, 10], variants: FrontierVariant.defaults)
        // Budget 3: strong Euler (2 at T = 2) and Heun (3) fit; autoguidance (4) and W2SD (4) do not.
        #expect(frontier.choices[0..<5].map { $0 != nil } == [true, true, false, false, false])
        let document = try frontier.run(command: "frontier 1d", metrics: ["W1"], executor: StudyExecutor(threads: 2, keepSamples: true))
        #expect(document.cells[2].available == false && document.cells[2].metrics == nil)
        #expect(document.cells[5].metrics?["evals/particle"]?.mean == 10)
        #expect(document.text().contains("unavailable"))
        #expect(throws: UsageError.self) { _ = try Frontier(base: base, budgets: [1], variants: FrontierVariant.defaults) }
    }

    @Test func paretoFrontIsTheNonDominatedSet() throws {
        var base = Self.base
        base.lambda = nil
        let document = try Frontier(base: base, budgets: [4, 10], variants: FrontierVariant.defaults)
            .run(command: "frontier 1d", metrics: ["W1"], executor: StudyExecutor(threads: 2, keepSamples: true))
        let front = Set(document.paretoFront(metric: "W1"))
        let points = document.cells.compactMap { c in c.metrics?["W1"]?.mean.map { (c.index, Double(c.evaluationsPerParticle ?? 0), $0) } }
        #expect(!front.isEmpty)
        for p in points {
            let dominated = points.contains { q in q.1 <= p.1 && q.2 <= p.2 && (q.1 < p.1 || q.2 < p.2) }
            #expect(front.contains(p.0) == !dominated, "cell \(p.0)")
        }
        // The cheapest point with the lowest W1 among the cheapest is always on the front.
        let cheapest = try #require(points.min { ($0.1, $0.2) < ($1.1, $1.2) })
        #expect(front.contains(cheapest.0))
    }
}
