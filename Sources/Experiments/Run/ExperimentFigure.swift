import Plot

/// The figure of an experiment run: the 1D composite for d = 1, the 2D composite (first two
/// coordinates) for d >= 2.
public enum ExperimentFigure {
    public static func figure(_ run: ExperimentRun) throws -> Figure {
        run.spec.dimension == 1 ? try FigureOneD(run: run).figure() : try FigureTwoD(run: run).figure()
    }
}
