@testable import Experiments
import Foundation
import Testing

/// `frontier --tune`: the same search for every family on tuning seeds, the report on disjoint held-out
/// seeds, paired differences to strong, and "best" only where the interval to the runner-up excludes 0.
@Suite struct FrontierTuningTests {
    static func document(_ arguments: [String]) throws -> TunedFrontierDocument {
        let request = try StudyRequest.parseFrontier(arguments)
        let specs = try request.cellSpecs()
        guard case let .tunedFrontier(document) = try request.run(specs) else { throw RunError(message: "not a tuned frontier") }
        return document
    }

    @Test func tunedOnSomeSeedsReportedOnOthers() throws {
        let document = try Self.document(["1d", "--missing-left", "--tune", "--budgets", "30,60", "--samples", "300",
                                          "--tune-configurations", "2", "--tuning-seeds", "0..2", "--held-out-seeds", "10..13", "--threads", "1"])
        #expect(document.tuningSeeds == [0, 1, 2] && document.heldOutSeeds == [10, 11, 12, 13])
        #expect(Set(document.tuningSeeds).isDisjoint(with: document.heldOutSeeds))
        #expect(document.configurationsPerFamily == 2)
        for budget in document.budgets {
            #expect(budget.families.map(\.family) == ["strong", "w2sd", "autoguidance", "edm-churn", "restart"])
            for family in budget.families {
                #expect(family.candidates.count == 2)
                // The chosen candidate is the one with the lowest tuning mean, and it fits the budget.
                let best = family.candidates.filter { $0.tuningMean != nil }.min { $0.tuningMean! < $1.tuningMean! }
                #expect(family.chosen == best?.variant && (family.evaluationsPerParticle ?? .max) <= budget.budget)
                #expect(family.heldOut?["W1"]?.n == 4)
                #expect((family.family == "strong") == (family.pairedToStrong == nil))
            }
            // The paired difference is the per-seed difference's mean.
            let strong = try #require(budget.families[0].heldOut?["W1"]?.values)
            let w2sd = try #require(budget.families[1].heldOut?["W1"]?.values)
            let mean = zip(w2sd, strong).map { $0 - $1 }.reduce(0, +) / 4
            #expect(abs((budget.families[1].pairedToStrong?.mean ?? .nan) - mean) < 1e-12)
            // "best" only when the interval to the runner-up excludes 0.
            if let d = budget.firstMinusRunnerUp {
                #expect((budget.best != nil) == d.excludesZero)
                if budget.best != nil { #expect(budget.best == budget.ranking.first) }
            }
        }
        let json = try #require(try JSONSerialization.jsonObject(with: document.encoded()) as? [String: Any])
        #expect(json["schema"] as? String == "toy-w2sd.frontier-tuned/1" && json["tuningSeeds"] != nil && json["heldOutSeeds"] != nil)
    }

    /// Every declared candidate is a valid variant of its family's method (none is dropped), and every
    /// family offers at least the default number of configurations.
    @Test func everyCandidateParses() throws {
        for (method, texts) in TuningFamily.grids {
            let family = try #require(TuningFamily.named(method))
            #expect(family.candidates.count == texts.count, "\(method.rawValue): a candidate does not parse")
            #expect(family.candidates.allSatisfy { $0.method == method } && texts.count >= FrontierTuning.defaultConfigurations)
            #expect(Set(family.candidates.map(\.name)).count == texts.count, "\(method.rawValue): duplicate candidates")
        }
    }

    @Test func conflictingRequestsAreRefused() {
        let cases: [([String], String)] = [
            (["1d", "--tune", "--budgets", "50", "--variants", "w2sd"], "--variants does not apply"),
            (["1d", "--tune", "--budgets", "50", "--tuning-seeds", "0..4", "--held-out-seeds", "3..9"], "overlap"),
            (["1d", "--tune", "--budgets", "50", "--families", "w2sd"], "with strong"),
            (["1d", "--budgets", "50", "--tuning-seeds", "0..4"], "give --tune as well"),
            (["1d", "--tune", "--budgets", "50", "--tune-configurations", "20"], "1 to 9"),
            (["1d", "--tune", "--budgets", "50", "--families", "strong,s2wd"], "no declared search"),
        ]
        for (arguments, fragment) in cases {
            do {
                _ = try StudyRequest.parseFrontier(arguments)
                Issue.record("\(arguments): accepted")
            } catch let error as UsageError {
                #expect(error.message.contains(fragment), "\(arguments): \(error.message)")
            } catch {
                Issue.record("\(arguments): \(error)")
            }
        }
    }

    /// The tuning stage computes only the selection metric's distance (`RunMetrics.distances(for:)`): its
    /// tuning means equal, bit for bit, those of the same runs with every distance, and the choices handed
    /// in (`choices:`) give the planned runs and the document that computing them again gives.
    @Test func tuningOnTheSelectionMetricAloneKeepsEveryMean() throws {
        var base = ExperimentSpec.preset(dimension: 1)
        base.samples = 300
        base.lambda = nil
        let families = [TuningFamily.named(.strong), TuningFamily.named(.w2sd)].compactMap { $0 }
        let tuning = try FrontierTuning(base: base, budgets: [20, 40], families: families, configurations: 2,
                                        tuningSeeds: 0...1, heldOutSeeds: 10...11, metric: "W1")
        let executor = StudyExecutor(threads: 1, keepSamples: true)
        let choices = try tuning.choices()
        #expect(try tuning.plannedRuns(choices: choices) == tuning.plannedRuns())
        let document = try tuning.run(command: "test", metrics: ["W1"], executor: executor, choices: choices)
        #expect(try document.encoded() == tuning.run(command: "test", metrics: ["W1"], executor: executor).encoded())
        var compared = 0
        for (b, budget) in document.budgets.enumerated() {
            for (f, family) in budget.families.enumerated() {
                for (c, candidate) in family.candidates.enumerated() {
                    guard let choice = choices[b][f][c] else { continue }
                    var spec = try Frontier.spec(base, tuning.tried(families[f])[c])
                    spec.steps = choice.steps
                    spec.seed = 0
                    spec.repeats = 2
                    let runs = try executor.run([spec], distances: .all)[0]
                    let values = runs.metrics[0].map { $0["W1"] ?? .nan }
                    let mean = values.reduce(0, +) / Double(values.count)
                    #expect(candidate.tuningMean?.bitPattern == mean.bitPattern, "\(candidate.variant) at \(budget.budget)")
                    compared += 1
                }
            }
        }
        #expect(compared == 8)
    }
}
