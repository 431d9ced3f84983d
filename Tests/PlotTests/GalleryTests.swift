import Foundation
import Testing
@testable import Plot

/// Draws every mark type into one figure and writes `gallery.svg`, `gallery.pdf`, `gallery.ppm` and
/// `gallery-raster.png` to `$PLOT_GALLERY_DIR` (or a temporary folder), for rendering and inspection by eye.
@Suite struct GalleryTests {
    static func galleryFigure() -> Figure {
        let xs = Grid2D.evenlySpaced(from: -4, to: 4, count: 161)
        func density(_ x: Double, _ mean: Double, _ sd: Double) -> Double { exp(-(x - mean) * (x - mean) / (2 * sd * sd)) / (sd * (2 * Double.pi).squareRoot()) }
        let ideal = xs.map { 0.5 * density($0, -1.5, 0.6) + 0.5 * density($0, 1.5, 0.6) }
        var generator = SplitMix64(seed: 3)
        let samples = (0..<4000).map { _ in (generator.unit() < 0.5 ? -1.5 : 1.5) + 0.7 * generator.normal() }
        let densityPanel = Panel(title: "Densities & histograms <p&q>", xAxis: Axis(label: "x"), yAxis: Axis(label: "density"), marks: [
            .histogram(HistogramMark(histogram: Histogram(values: samples, binCount: 50), style: .bars, color: .orange, label: "samples (bars)")),
            .histogram(HistogramMark(histogram: Histogram(values: samples.map { $0 * 0.9 }, binCount: 50), style: .step, color: .green, label: "W2SD (step)")),
            .lines(Lines(x: xs, y: ideal, style: LineStyle(color: .nearBlack, width: 1.8), label: "ideal")),
            .band(Band(x: xs, lower: ideal.map { $0 * 0.8 }, upper: ideal.map { $0 * 1.2 }, color: .blue, label: "±20% band")),
        ])
        let steps = (0..<80).map(Double.init)
        let groups = SampleFigures.trajectories(groups: 3, perGroup: 24, length: 80, seed: 5)
        var trajectoryPanel = Panel(title: "Trajectories", xAxis: Axis(label: "step"), yAxis: Axis(label: "position"))
        let names = ["strong", "weak", "W2SD"]
        for (index, group) in groups.enumerated() {
            trajectoryPanel.add(.lines(Lines(x: steps, ys: group, style: LineStyle(color: .categorical(index), width: 0.9, opacity: 0.3), label: names[index])))
        }
        trajectoryPanel.add(.scatter(Scatter(x: groups.flatMap { $0 }.map { _ in 0 }, y: groups.flatMap { $0 }.map { $0[0] }, shape: .circle, color: .nearBlack, size: 5, label: "start")))
        trajectoryPanel.add(.scatter(Scatter(x: groups.flatMap { $0 }.map { _ in 79 }, y: groups.flatMap { $0 }.map { $0[79] }, shape: .cross, color: .vermillion, size: 6, label: "end")))
        trajectoryPanel.add(.referenceLine(ReferenceLine(.horizontal, at: 0, label: "y = 0")))
        trajectoryPanel.add(.span(Span(.vertical, from: 60, to: 79, color: .purple, label: "late steps")))
        trajectoryPanel.add(.text(TextAnnotation("converged →", x: 45, y: 3.2)))

        let bump = SampleFigures.twoBumps(count: 61)
        let contourPanel = Panel(title: "Contours (equal aspect)", xAxis: Axis(label: "x₁"), yAxis: Axis(label: "x₂"), equalAspect: true, marks: [
            .contour(Contour(grid: bump, levels: .automatic(count: 8), label: "density")),
            .scatter(Scatter(x: [-1.2, 1.3], y: [0, 0.8], shape: .dot, color: .vermillion, size: 7, label: "modes")),
        ])
        let filledPanel = Panel(title: "Filled contours", xAxis: Axis(label: "x₁"), yAxis: Axis(label: "x₂"), equalAspect: true, marks: [
            .filledContour(FilledContour(grid: bump, levels: .automatic(count: 9), colorbarLabel: "density")),
            .contour(Contour(grid: bump, levels: .automatic(count: 9), color: Color(hex: 0x202020), lineWidth: 0.5)),
        ])
        let coarse = Grid2D.evenlySpaced(from: -2, to: 2, count: 15)
        let u = Grid2D(x: coarse, y: coarse) { x, y in -y - 0.3 * x }
        let v = Grid2D(x: coarse, y: coarse) { x, y in x - 0.3 * y }
        let fine = Grid2D.evenlySpaced(from: -2, to: 2, count: 40)
        let heat = Grid2D(x: fine, y: fine) { x, y in sin(x * 1.5) * cos(y * 1.5) }
        let quiverPanel = Panel(title: "Heatmap + quiver", xAxis: Axis(label: "x"), yAxis: Axis(label: "y"), equalAspect: true, marks: [
            .heatmap(Heatmap(grid: heat, colormap: .diverging, range: -1...1, colorbarLabel: "sin·cos")),
            .quiver(Quiver(grid: u, v: v, color: .nearBlack, label: "rotation")),
        ])
        let sigmas = (0..<60).map { pow(10, -2 + 3 * Double($0) / 59) }
        let logPanel = Panel(title: "Log x axis, dashed & band", xAxis: Axis(label: "noise level σ", scale: .log), yAxis: Axis(label: "cosine", limits: AxisLimits(-1, 1)), marks: [
            .band(Band(x: sigmas, lower: sigmas.map { tanh(log10($0)) - 0.2 }, upper: sigmas.map { tanh(log10($0)) + 0.2 }, color: .skyBlue, opacity: 0.3)),
            .lines(Lines(x: sigmas, y: sigmas.map { tanh(log10($0)) }, style: LineStyle(color: .blue, width: 2), label: "cos(Δ₁, Δ₂)")),
            .lines(Lines(x: sigmas, y: sigmas.map { 0.5 * cos(log10($0) * 2) }, style: .dashed(.vermillion, width: 1.6), label: "dashed")),
            .referenceLine(ReferenceLine(.vertical, at: 1, style: LineStyle(color: .gray, width: 1))),
        ])
        return Figure(title: "Plot gallery — every mark type (\"quotes\" & <tags>)", width: 1500, height: 950, rows: 2, columns: 3,
                      panels: [densityPanel, trajectoryPanel, contourPanel, filledPanel, quiverPanel, logPanel])
    }

    @Test func writesGallery() throws {
        let directory = ProcessInfo.processInfo.environment["PLOT_GALLERY_DIR"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("plot-gallery-\(ProcessInfo.processInfo.processIdentifier)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let figure = Self.galleryFigure()
        try figure.writeSVG(to: directory + "/gallery.svg")
        try figure.writePDF(to: directory + "/gallery.pdf")
        // One rasterisation for both raster files (debug builds rasterise slowly).
        let raster = try figure.raster()
        try writeAtomically(raster.ppmBytes, to: directory + "/gallery.ppm")
        try writeAtomically(raster.pngBytes(), to: directory + "/gallery-raster.png")
        let svg = try String(contentsOfFile: directory + "/gallery.svg", encoding: .utf8)
        #expect(isWellFormedXML(svg))
        let ppm = try Data(contentsOf: URL(fileURLWithPath: directory + "/gallery.ppm"))
        #expect(ppm.count == "P6\n1500 950\n255\n".utf8.count + 1500 * 950 * 3)
        let pdf = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/gallery.pdf")))
        #expect(pdf.starts(with: Array("%PDF-1.4".utf8)) && pdf.suffix(6) == Array("%%EOF\n".utf8))
        let png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/gallery-raster.png")))
        #expect(png.starts(with: PNGEncoder.signature) && png.count < ppm.count / 4)
        print("gallery sizes: SVG \(svg.utf8.count) B, PDF \(pdf.count) B, PNG \(png.count) B, PPM \(ppm.count) B")
    }
}
