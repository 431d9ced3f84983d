import Experiments
import Foundation

/// `toy-w2sd frontier`: every metric against score evaluations per particle, each variant at the
/// largest T its budget allows.
enum FrontierCommand {
    static let header = """
    toy-w2sd frontier: the equal-compute question: each method variant at the largest T whose score
    evaluations per particle fit each budget, and its metrics there.

    Usage: toy-w2sd frontier [1d|2d] [options] --budgets LIST [--variants LIST]

    Examples:
      toy-w2sd frontier 1d --missing-left --budgets 25,50,100,200 --repeats 3 --plot frontier.svg
      toy-w2sd frontier 1d --budgets 50,100 --variants strong-euler,autoguidance:w=1.5,w2sd:gamma=0.5,w2sd:reflect-sigma=0:2
      toy-w2sd frontier 2d --budgets 30,60,120 --metric W1,on-mode:bottom-left --csv frontier.csv
      toy-w2sd frontier 1d --budgets 25,50,100,200 --shard 1/2 --json part-1.json      then toy-w2sd merge
      toy-w2sd frontier 1d --missing-left --tune --budgets 50,100,200     tuned families, held-out seeds

    Cost = score evaluations per particle (a guided field costs two per step; W2SD's reflection two
    more per reflecting step), counted exactly on one particle; T is the largest with count <= budget
    (found by bisection), and the table reports T and that count. A budget below a variant's count at
    T = 2 leaves that cell unavailable. lambda must be a fraction of T (--lambda 0.5T) since T varies.
    The figure marks the Pareto front of (evaluations, metric). Without --repeats a frontier runs 3
    repeats, so that every point has an interval.

    --tune: per budget every family (--families, strong always among them) tries the same number of
    configurations of its own settings on --tuning-seeds (0..4), the best by the first --metric is run on
    the disjoint --held-out-seeds (100..109) and reported as the paired difference to strong's with a 95%
    interval; a family is called best only when its interval to the runner-up excludes 0.
    """

    static var subcommand: Subcommand {
        Subcommand(name: "frontier", summary: "metrics at equal score-evaluation budgets, per method variant (Pareto front)",
                   header: header, groups: StudyRequest.frontierGroups(dimension: 1),
                   footer: "The options of '2d' differ in the model group: --missing MODE instead of --missing-left.") { arguments in
            try StudyRun.perform(try StudyRequest.parseFrontier(arguments))
        }
    }
}
