import Experiments

/// The hand-written parts of the help: the main page and each subcommand's opening with worked
/// examples. The option lists are generated from the declarations (`HelpRenderer`).
enum HelpText {
    /// What the toolkit is, in one line (the main help's first line and the man page's NAME).
    static let tagline = "Weak-to-Strong Diffusion with Reflection, measured on exact Gaussian-mixture toys."

    /// The main help's worked examples (also the man page's EXAMPLES).
    static let examples = """
          toy-w2sd 1d --missing-left              1D preset, weak model without the left mode: summary table
          toy-w2sd 2d --plot out.svg              2D preset (bottom-left mode missing in the weak model), with the figure
          toy-w2sd 1d --json - | jq .methods      the same results as JSON on stdout
          toy-w2sd run --config Examples/three-d.json --plot three-d.svg
                                                  any-dimensional experiment from a JSON file
          toy-w2sd delta 1d --missing-left        Delta1 vs Delta2 per noise level and the proxy analysis
          toy-w2sd verify --report Output/verify  the numerical checks of the claim, PASS/FAIL
          toy-w2sd bench                          speed and memory of a release build
          toy-w2sd sweep 1d --missing-left --sweep gamma=0:2:9 --repeats 3 --plot gamma.svg
                                                  W1 against gamma with 95% intervals, paired seeds
          toy-w2sd frontier 1d --budgets 25,50,100,200 --repeats 3
                                                  each method at equal score evaluations per particle
          toy-w2sd merge part-*.json --json all.json
                                                  combine the shards of --shard K/N runs into one result
          toy-w2sd train --preset strong-1d --out strong-1d.model   a learned denoiser (tiny network), saved
        """

    /// How the process ends (the main help's last sentence and the man page's EXIT STATUS).
    static let exitStatus = """
        Exit status: 0 success, 1 a run failed (e.g. exact inversion did not converge), 2 bad input (an
        'Error: ...' line naming the input and what is accepted; nothing is written).
        """

    static func main(_ subcommands: [Subcommand]) -> String {
        """
        toy-w2sd: \(tagline)

        Examples:
        \(examples)

        Usage: toy-w2sd <subcommand> [options]            (version \(ToolVersion.current); toy-w2sd --version)

        Subcommands:
        \(subcommands.map { "  " + $0.name.padding(toLength: 10, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))
          help      this text; 'toy-w2sd help SUBCOMMAND' (or 'toy-w2sd SUBCOMMAND --help') for its options;
                    'toy-w2sd help --markdown' prints the option reference as Markdown
                    (Documentation/reference/options.md), 'toy-w2sd help --man' as a man page (Documentation/toy-w2sd.1)

        --version prints the version and the build (debug or release, host CPU or portable).
        \(exitStatus)
        """
    }

    static let oneD = """
    toy-w2sd 1d: the 1D toy (modes at -4 and +4, std 0.8; ideal 0.5/0.5, strong 0.3/0.7, weak 0.1/0.9).

    Examples:
      toy-w2sd 1d --missing-left                         weak model without the left mode (weight 0)
      toy-w2sd 1d --missing-left --plot out.svg --ppm out.ppm
      toy-w2sd 1d --methods strong,w2sd,s2wd,autoguidance --guidance 2
      toy-w2sd 1d --weak-weights 0.2,0.8 --lambda 25 --gamma 0.5 --json result.json
      toy-w2sd 1d --config Examples/preset-1d.json       the preset, from a file (same numbers)
      toy-w2sd 1d --config result.json                   rerun exactly what a saved JSON report ran
      toy-w2sd 1d --case guidance-over-1d --cfg-strong 0.5   classifier-free guided strong model
      toy-w2sd 1d --missing-left --saturate weak         the weak score with a bounded (learned-like) tail
      toy-w2sd 1d --strong-model s.model --weak-model w.model   learned models ('toy-w2sd train')

    Prints per method and ideal mode: nearest-mode and on-mode mass, mean, std and its ratio to the ideal;
    W1 and W2 to the ideal distribution (exact in 1D), MMD^2 with its z, mean NLL under the ideal model,
    the spurious fraction and score evaluations per particle. Timings go to stderr.
    """

    static let twoD = """
    toy-w2sd 2d: the 2D toy (modes (-4,4) (4,4) (-4,-4) (4,-4), covariance 0.64 I; ideal 0.25 each,
    strong 0.3/0.3/0.1/0.3, weak 1/3,1/3,0,1/3: bottom-left missing in the weak model).

    Examples:
      toy-w2sd 2d --plot out.svg                         summary table and the figure
      toy-w2sd 2d --missing top-right --samples 20000    move the missing mode
      toy-w2sd 2d --inversion exact --solver heun --json -
      toy-w2sd 2d --weak-model weak-2d.model --plot learned.svg   a learned weak model

    Prints per method and ideal mode: nearest-mode and on-mode mass, mean, std and its ratio to the ideal;
    W1 and W2 to the ideal distribution (sliced over 64 fixed directions), MMD^2 with its z, mean NLL under
    the ideal model, the spurious fraction and score evaluations per particle. Timings go to stderr.
    """

    static let run = """
    toy-w2sd run: an experiment of any dimension from a JSON file (models, sampler settings, methods).

    Examples:
      toy-w2sd run --config Examples/three-d.json --plot three-d.svg    d = 3; figures show x1, x2
      toy-w2sd run --config Examples/preset-2d.json --steps 100 --lambda 99
      toy-w2sd run --config saved-report.json                           rerun a saved JSON report
      toy-w2sd run --case subspace-16 --methods exact,strong,w2sd       a case of 'toy-w2sd cases'

    Same table, JSON and figure as '1d' / '2d'. The file format is in Documentation/experiment-file.md;
    Examples/ has three,
    and Examples/cases/ one per case of the difference zoo.
    """

    static let memoryNote = """
    Runs above \(MemoryPlan.describe(MemoryPlan.limitBytes)) estimated memory are refused. Runs without a figure and with more than \
    \(Int(MemoryPlan.streamingThreshold)) sample coordinates stream their statistics (W1 then from histograms, shown with +-).
    """
}
