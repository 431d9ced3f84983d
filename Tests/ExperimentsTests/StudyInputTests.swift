import Experiments
import Foundation
import Testing

/// Bad sweep, frontier and merge command lines, parsed in process before any run: each is a
/// `UsageError` whose message contains the expected fragment (exit status 2 on the CLI).
@Suite struct StudyInputTests {
    static let sweepCases: [(String, [String], String)] = [
        ("no axis", [], "sweep needs an axis"),
        ("no '='", ["--sweep", "gamma"], "has no '='"),
        ("unknown axis", ["--sweep", "gama=0,1"], "did you mean gamma"),
        ("excluded axis", ["--sweep", "seed=0,1"], "shapes the study"),
        ("unknown mode", ["--sweep", "weak-weight-middle=0.1"], "unknown axis"),
        ("empty values", ["--sweep", "gamma="], "has no values"),
        ("empty item", ["--sweep", "gamma=0,,1"], "empty value"),
        ("duplicate value", ["--sweep", "gamma=1,1"], "twice"),
        ("invalid value", ["--sweep", "gamma=0,abc"], "value 'abc' is not valid"),
        ("categorical value", ["--sweep", "solver=euler,rk4"], "euler, heun"),
        ("range with N = 1", ["--sweep", "gamma=0:1:1"], "2 <= N"),
        ("range ends not numbers", ["--sweep", "gamma=a:b:3"], "not numbers"),
        ("weight outside [0, 1]", ["--sweep", "weak-weight-left=1.5"], "a weight from 0 to 1"),
        ("three axes", ["--sweep", "gamma=0,1", "--sweep", "rho=5,7", "--sweep", "solver=euler,heun"], "one or two"),
        ("duplicate axis", ["--sweep", "gamma=0,1", "--sweep", "gamma=2,3"], "given twice"),
        ("window axes together", ["--sweep", "reflect-sigma=0:1,0:2", "--sweep", "reflect-sigma-hi=1,2"], "reflection window"),
        ("axis also a flag", ["--gamma", "1", "--sweep", "gamma=0,1"], "fixes it too"),
        ("lambda above steps - 1 in one cell", ["--lambda", "4", "--sweep", "steps=3,10"], "cell 0 (steps=3)"),
        ("window ends crossing in a cell", ["--sweep", "reflect-sigma-lo=1,5", "--sweep", "reflect-sigma-hi=2,8"], "cell 2 (reflect-sigma-lo=5, reflect-sigma-hi=2)"),
        ("unknown metric", ["--sweep", "gamma=0,1", "--metric", "W1,W3"], "did you mean W1"),
        ("unknown mode metric", ["--sweep", "gamma=0,1", "--metric", "mass:middle"], "unknown metric"),
        ("bad shard", ["--sweep", "gamma=0,1", "--shard", "3/2", "--json", "/tmp/x.json"], "--shard '3/2'"),
        ("shard without json", ["--sweep", "gamma=0,1", "--shard", "1/2"], "give --json PATH"),
        ("shard with csv", ["--sweep", "gamma=0,1", "--shard", "1/2", "--json", "/tmp/p.json", "--csv", "/tmp/p.csv"], "merge"),
        ("csv extension", ["--sweep", "gamma=0,1", "--csv", "/tmp/out.txt"], "does not end in .csv"),
        ("plot in a missing folder", ["--sweep", "gamma=0,1", "--plot", "/nonexistent-folder/x.svg"], "does not exist"),
        ("heatmap of a one-value axis", ["--sweep", "gamma=0,1", "--sweep", "rho=7", "--plot", "/tmp/h.svg"], "one value"),
        ("too long", ["--sweep", "gamma=0:2:50", "--samples", "100000000", "--time-limit", "0.01"], "--time-limit"),
    ]

    @Test func badSweepCommandLines() throws {
        for (name, arguments, fragment) in Self.sweepCases {
            let args = ["1d"] + arguments + (arguments.contains("--samples") ? [] : ["--samples", "200"])
                + (arguments.contains { $0.contains("steps") } ? [] : ["--steps", "6"])
            do {
                let request = try StudyRequest.parseSweep(args)
                _ = try request.checkTime(try request.cellSpecs())
                Issue.record("\(name): accepted")
            } catch let error as UsageError {
                #expect(error.message.contains(fragment), "\(name): \(error.message)")
            }
        }
    }

    static let frontierCases: [(String, [String], String)] = [
        ("no budgets", [], "needs --budgets"),
        ("bad budget", ["--budgets", "25,abc"], "'abc' is not an integer"),
        ("duplicate budget", ["--budgets", "25,25"], "twice"),
        ("no variant fits", ["--budgets", "1"], "no variant fits"),
        ("unknown variant", ["--budgets", "25", "--variants", "w2sdd:gamma=1"], "did you mean w2sd"),
        ("exact variant", ["--budgets", "25", "--variants", "exact"], "no steps"),
        ("variant sets steps", ["--budgets", "25", "--variants", "w2sd:steps=10"], "chooses from the budget"),
        ("variant bad value", ["--budgets", "25", "--variants", "w2sd:gamma=x"], "gamma 'x' is not valid"),
        ("variant unknown setting", ["--budgets", "25", "--variants", "w2sd:gama=1"], "did you mean gamma"),
        ("variant lambda in steps", ["--budgets", "25", "--variants", "w2sd:lambda=3"], "fraction of T"),
        ("lambda in steps", ["--budgets", "25", "--lambda", "3"], "fraction of T"),
        ("steps not taken", ["--budgets", "25", "--steps", "10"], "unknown option '--steps'"),
        ("duplicate variant", ["--budgets", "25", "--variants", "strong-heun,strong-heun"], "twice"),
    ]

    @Test func badFrontierCommandLines() throws {
        for (name, arguments, fragment) in Self.frontierCases {
            do {
                _ = try StudyRequest.parseFrontier(["1d", "--samples", "200"] + arguments)
                Issue.record("\(name): accepted")
            } catch let error as UsageError {
                #expect(error.message.contains(fragment), "\(name): \(error.message)")
            }
        }
    }

    @Test func repeatedSweepOptionIsCollected() throws {
        let (values, rest) = try StudyOptions.extractRepeated(StudyOptions.sweep, from: ["1d", "--sweep", "gamma=0,1", "--samples", "5", "--sweep=rho=5,7"])
        #expect(values == ["gamma=0,1", "rho=5,7"] && rest == ["1d", "--samples", "5"])
        #expect(throws: UsageError.self) { _ = try StudyOptions.extractRepeated(StudyOptions.sweep, from: ["--sweep"]) }
    }
}
