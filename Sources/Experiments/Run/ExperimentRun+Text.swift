extension ExperimentRun {
    /// The printed results of a run: the summary table of the first repeat and, over several repeats,
    /// the repeat table with the paired differences to strong (the HTML report shows the same blocks).
    public func textBlocks() -> [ReportBlock] {
        var blocks = SummaryTable.blocks(results, modeNames: spec.modeNames)
        if spec.repeats > 1, let repeated { blocks += [.line("")] + RepeatTable.blocks(repeated, modeNames: spec.modeNames) }
        blocks += (repeated?.learnedModels ?? []).map { .line($0.note) }
        return blocks
    }
}
