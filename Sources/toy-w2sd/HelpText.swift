/// The help texts; each opens with worked examples.
enum HelpText {
    static let main = """
    toy-w2sd: Weak-to-Strong Diffusion with Reflection, measured on exact Gaussian-mixture toys.

    Examples:
      toy-w2sd 1d --missing-left              1D preset, weak model without the left mode: summary table
      toy-w2sd 2d --plot out.svg              2D preset (bottom-left mode missing in the weak model), with the figure
      toy-w2sd 1d --json - | jq .methods      the same results as JSON on stdout
      toy-w2sd 2d --config Examples/three-d.json --plot three-d.svg
                                              any-dimensional experiment from a JSON file
      toy-w2sd delta 1d --missing-left        Delta1 vs Delta2 per noise level and the proxy analysis
      toy-w2sd verify --report Output/verify  the five numerical checks of the claim, PASS/FAIL
      toy-w2sd bench                          speed and memory of a release build

    Usage: toy-w2sd <subcommand> [options]

    Subcommands:
      1d      run the methods on the 1D preset (or a 1D --config) and report per-mode statistics
      2d      the same on the 2D preset (or a --config of any dimension >= 2)
      delta   how well Delta1 = s_strong - s_weak approximates Delta2 = s_ideal - s_strong
      verify  Theorem 1, identity, oracle convergence, autoguidance link, local claim (exit 0 = all pass)
      bench   speed and memory of the sampling engine
      help    this text; 'toy-w2sd <subcommand> --help' for the options of each

    Exit status: 0 success, 1 a run failed (e.g. exact inversion did not converge), 2 bad input.
    """

    static let oneD = """
    toy-w2sd 1d: the 1D toy (modes at -4 and +4, std 0.8; ideal 0.5/0.5, strong 0.3/0.7, weak 0.1/0.9).

    Examples:
      toy-w2sd 1d --missing-left                         weak model without the left mode (weight 0)
      toy-w2sd 1d --missing-left --plot out.svg --ppm out.ppm
      toy-w2sd 1d --methods strong,w2sd,s2wd,autoguidance --guidance 2
      toy-w2sd 1d --weak-weights 0.2,0.8 --lambda 25 --gamma 0.5 --json result.json
      toy-w2sd 1d --config Examples/preset-1d.json       the preset, from a file (same numbers)

    \(options(dimension: 1))
    """

    static let twoD = """
    toy-w2sd 2d: the 2D toy (modes (-4,4) (4,4) (-4,-4) (4,-4), covariance 0.64 I; ideal 0.25 each,
    strong 0.3/0.3/0.1/0.3, weak 1/3,1/3,0,1/3: bottom-left missing in the weak model).

    Examples:
      toy-w2sd 2d --plot out.svg                         summary table and the figure
      toy-w2sd 2d --missing top-right --samples 20000    move the missing mode
      toy-w2sd 2d --inversion exact --solver heun --json -
      toy-w2sd 2d --config Examples/three-d.json --plot three-d.svg
                                                         d = 3 from a file; figures show x1, x2

    \(options(dimension: 2))
    """

    static func options(dimension: Int) -> String {
        let defaultSamples = dimension == 1 ? "100000" : "50000"
        let missing = dimension == 1
            ? "  --missing-left          weak weight of the left (first) mode set to 0 (the mode is absent)"
            : """
              --missing MODE          the mode missing in weak (weight 0) and under-weighted in strong (0.1 vs 0.3):
                                      an index 0-3 or top-left, top-right, bottom-left (default), bottom-right
            """
        let exampleMeans = dimension == 1 ? "-4,4" : "-4,4,4,4,-4,-4,4,-4"
        return """
        Models (not with --config):
        \(missing)
          --ideal-weights LIST    comma list of weights >= 0, one per mode, not all zero (normalised)
          --strong-weights LIST
          --weak-weights LIST
          --means LIST            comma list of mode means, \(dimension) number\(dimension == 1 ? "" : "s") per mode (default \(exampleMeans))
          --std S                 standard deviation of every mode, > 0 (default 0.8)
          --config FILE.json      a whole experiment (models of any dimension and sampler settings);
                                  format in the README, examples in Examples/. Options below override it.

        Methods and sampler:
          --methods LIST          comma list of ideal, strong, weak, w2sd, s2wd, autoguidance, resampling,
                                  advanced-resampling (default ideal,strong,weak,w2sd)
          --samples N             particles, >= 1 (default \(defaultSamples))
          --steps T               Karras steps, 2 ... 1000000 (default 50)
          --lambda L              reflect at steps i < L, 0 ... T-1 (default T-1)
          --gamma G               reflection strength x + G (R(x) - x) (default 1, the paper)
          --solver NAME           euler (default, the paper's operator) or heun
          --inversion NAME        paper (default), ddim or exact (Newton, fails with status 1 if not converged)
          --sigma-max S           largest noise level, at most 1e6 (default 80)
          --sigma-min S           smallest noise level, 0 < sigma-min < sigma-max (default 0.002)
          --rho R                 Karras schedule exponent, > 0 (default 7)
          --prior NAME            gaussian: N(0, sigma_max^2 I) (default); exact: exact samples of the ideal p(x; sigma_max)
          --guidance W            autoguidance weight: s_w + W (s_s - s_w) (default 2)
          --inversion-error K     W2SD inverts with s_w + K eps, the paper's Table 13 (default 0; not with exact)
          --seed N                random seed, 0 ... 2^64-1 (default 0); results do not depend on --threads
          --threads N             worker threads, 1 ... 256 (default: all cores)
          --trajectories K        particles whose paths are recorded and drawn, 0 ... min(samples, 5000) (default 64)

        Output:
          (stdout)                the summary table: per method and ideal mode, mass, mean and std; W1 to the
                                  ideal distribution (\(dimension == 1 ? "exact" : "sliced over 64 directions")), mean NLL under the ideal model and
                                  score evaluations. Timings go to stderr.
          --json PATH             the same results as JSON (schema in the README); '-' writes it to stdout
                                  instead of the table
          --timings               add per-method seconds to the JSON (makes it differ between runs)
          --plot PATH.svg         the figure (SVG)
          --ppm PATH.ppm          the figure as a raster (binary PPM, no text)

        Bad input exits with status 2 and an 'Error: ...' line naming the input and what is accepted;
        nothing is written. Runs above \(Int(MemoryPlan.limitBytes / 1_073_741_824)) GiB estimated memory are refused. Runs without a figure and with more
        than \(Int(MemoryPlan.streamingThreshold)) sample coordinates stream their statistics (W1 then from histograms, shown with +-).
        """
    }
}
