/// What a legend row shows next to its label.
enum LegendSwatch {
    case line(Stroke)
    case marker(MarkerShape, color: Color, size: Double, opacity: Double)
    case patch(Color, opacity: Double)
}

/// One legend row.
struct LegendEntry {
    var label: String
    var swatch: LegendSwatch
}

extension Mark {
    /// The legend row for a labelled mark; nil for unlabelled marks and for marks explained by a
    /// colourbar or drawn as text.
    var legendEntry: LegendEntry? {
        switch self {
        case let .lines(lines):
            return lines.label.map { LegendEntry(label: $0, swatch: .line(LineStyle(color: lines.style.color, width: lines.style.width, dash: lines.style.dash).stroke)) }
        case let .scatter(scatter):
            return scatter.label.map { LegendEntry(label: $0, swatch: .marker(scatter.shape, color: scatter.color, size: max(scatter.size, 6), opacity: 1)) }
        case let .histogram(mark):
            return mark.label.map { label in
                mark.style == .bars
                    ? LegendEntry(label: label, swatch: .patch(mark.color, opacity: mark.opacity))
                    : LegendEntry(label: label, swatch: .line(Stroke(color: mark.color, width: mark.lineWidth, opacity: mark.opacity)))
            }
        case let .band(band):
            return band.label.map { LegendEntry(label: $0, swatch: .patch(band.color, opacity: band.opacity)) }
        case let .span(span):
            return span.label.map { LegendEntry(label: $0, swatch: .patch(span.color, opacity: span.opacity)) }
        case let .contour(contour):
            let color = contour.color ?? contour.colormap.color(at: 0.5)
            return contour.label.map { LegendEntry(label: $0, swatch: .line(Stroke(color: color, width: contour.lineWidth))) }
        case let .quiver(quiver):
            return quiver.label.map { LegendEntry(label: $0, swatch: .line(Stroke(color: quiver.color, width: quiver.lineWidth))) }
        case let .referenceLine(line):
            return line.label.map { LegendEntry(label: $0, swatch: .line(line.style.stroke)) }
        case .filledContour, .heatmap, .text:
            return nil
        }
    }
}

/// A colourbar: a continuous scale (heatmap) or discrete bands split at `levels` (filled contours).
struct ColorbarSpec {
    var colormap: Colormap
    var range: ClosedRange<Double>
    var levels: [Double]?
    var label: String?
}

extension Panel {
    /// The colourbar of the panel's first heatmap or filled contour, if any.
    var colorbar: ColorbarSpec? {
        for mark in marks {
            switch mark {
            case let .heatmap(heatmap):
                if let range = heatmap.colorRange {
                    return ColorbarSpec(colormap: heatmap.colormap, range: range, levels: nil, label: heatmap.colorbarLabel)
                }
            case let .filledContour(filled):
                if let (levels, range) = filled.bandLevels {
                    return ColorbarSpec(colormap: filled.colormap, range: range, levels: levels, label: filled.colorbarLabel)
                }
            default:
                continue
            }
        }
        return nil
    }
}
