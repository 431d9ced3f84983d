/// Figures for toy-w2sd (SVG and PPM). Filled in by the Plot issue.
public struct Figure: Sendable {
    public init() {}
}
