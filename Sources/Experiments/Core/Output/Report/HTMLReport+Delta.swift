import Foundation

extension HTMLReport {
    /// The report of `delta`: the per-sigma, reflection, proxy and family tables with their notes, the
    /// figure (as `--plot` draws it, shaped by `figureOptions`), the seed and the experiment.
    public static func delta(_ study: DeltaStudy, _ result: DeltaStudy.Result, command: String, source: String?,
                             figureOptions: FigureOptions = FigureOptions(), context: Context) throws -> HTMLReport {
        let seed = study.spec.seed
        return HTMLReport(
            title: "toy-w2sd \(command): Δ₁ against Δ₂, \(study.spec.dimension)D" + (source.map { ", " + $0 } ?? ""), context: context,
            seeds: "\(seed) (the reflection's draws at level i use stream \(seed) + i; the weak family's W2SD runs use \(seed))",
            timingDetail: nil, blocks: DeltaReport.blocks(study, result),
            figure: ReportFigure(figure: figureOptions.apply(to: DeltaFigure(title: DeltaFigure.title(spec: study.spec, source: source), result).figure(), path: ".svg")),
            configuration: try configurationText(study.spec), selection: nil)
    }
}
