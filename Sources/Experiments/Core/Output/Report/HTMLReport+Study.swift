import Foundation

extension HTMLReport {
    /// The report of `sweep` or `frontier` (tuned or not): the table, the figure with a clickable target
    /// per cell, the cell explorer (`StudySelection`), seeds and the base experiment. The figure is
    /// shaped by `figureOptions` (`--size`, `--font-size`) before the click targets are placed on it.
    public static func study(_ document: StudyOutputs.Document, figureOptions: FigureOptions = FigureOptions(), context: Context) throws -> HTMLReport {
        let figure = figureOptions.apply(to: document.figure(), path: ".svg")
        switch document {
        case let .sweep(d):
            return HTMLReport(title: "toy-w2sd \(d.command): sweep of " + d.axes.map(\.name).joined(separator: " × "), context: context,
                              seeds: seedText(first: d.repeats.seeds.first ?? 0, count: d.repeats.count), timingDetail: nil, blocks: d.blocks(),
                              figure: ReportFigure(figure: figure, targets: StudyFigureTargets.sweep(d, figure: figure)),
                              configuration: try configurationText(d.experiment), selection: StudySelection(d))
        case let .frontier(d):
            return HTMLReport(title: "toy-w2sd \(d.command): equal-budget frontier", context: context,
                              seeds: seedText(first: d.repeats.seeds.first ?? 0, count: d.repeats.count), timingDetail: nil, blocks: d.blocks(),
                              figure: ReportFigure(figure: figure, targets: StudyFigureTargets.frontier(d, figure: figure)),
                              configuration: try configurationText(d.experiment), selection: StudySelection(d))
        case let .tunedFrontier(d):
            let seeds = "tuning \(d.tuningSeeds.map(String.init).joined(separator: ", ")); held out \(d.heldOutSeeds.map(String.init).joined(separator: ", "))"
            return HTMLReport(title: "toy-w2sd \(d.command): tuned frontier", context: context, seeds: seeds, timingDetail: nil,
                              blocks: d.blocks(), figure: ReportFigure(figure: figure),
                              configuration: try configurationText(d.experiment), selection: StudySelection(d))
        }
    }
}
