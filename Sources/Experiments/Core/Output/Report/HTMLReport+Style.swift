extension HTMLReport {
    /// The report's style sheet (inline; no web font, no image, no URL).
    static let styleSheet = """
    body { font-family: Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif; margin: 1.5em auto; max-width: 1400px; padding: 0 1em; color: #1a1a1a; line-height: 1.4; }
    h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; } h3 { font-size: 1.05em; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3em 1em; } dt { font-weight: bold; } dd { margin: 0; }
    dd.note { grid-column: 2; color: #8a4b00; }
    code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
    dd code { word-break: break-all; }
    pre { background: #f6f6f6; padding: 0.8em; overflow: auto; max-height: 40em; }
    p { margin: 0.35em 0; white-space: pre-wrap; }
    div.table { overflow-x: auto; margin: 0.6em 0; }
    table { border-collapse: collapse; font-size: 0.9em; }
    th, td { padding: 0.2em 0.6em; border-bottom: 1px solid #e2e2e2; text-align: left; white-space: nowrap; }
    th { background: #f0f0f0; } .num { text-align: right; font-variant-numeric: tabular-nums; }
    figure { margin: 0; } figure svg { max-width: 100%; height: auto; }
    #selected { border: 2px solid #0072b2; border-radius: 4px; padding: 0.5em 1em; margin: 0.6em 0; min-height: 2em; }
    nav#cells { font-size: 0.9em; line-height: 1.8; } nav#cells a { margin-right: 0.4em; }
    a.chosen { font-weight: bold; }
    .target { fill: #ffffff; fill-opacity: 0; pointer-events: all; cursor: pointer; }
    .target:hover { stroke: #000000; stroke-width: 2; }
    .target.chosen { stroke: #d55e00; stroke-width: 4; }
    """
}
