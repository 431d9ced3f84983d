/// The help texts; each opens with worked examples.
enum HelpText {
    static let main = """
    toy-w2sd: Weak-to-Strong Diffusion with Reflection, measured on exact Gaussian-mixture toys.

    Examples:
      toy-w2sd 1d --missing-left        1D preset, weak model without the left mode
      toy-w2sd 2d                       2D preset (four modes, bottom-left missing in the weak model)
      toy-w2sd bench                    speed and memory of a release build

    Usage: toy-w2sd <subcommand> [options]
    Subcommands: 1d, 2d, bench, help
    """
}
