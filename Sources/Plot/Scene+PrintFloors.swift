extension Scene {
    /// The scene with every text at least `FigureStyle.minimumTextSize` and every stroke of positive
    /// width at least `FigureStyle.minimumLineWidth` pixels: at 0.75 pt per pixel nothing prints below
    /// 7 pt text or 0.5 pt lines (marks and annotations may ask for less; they get the floor).
    func withPrintFloors() -> Scene {
        var floored = self
        floored.groups = groups.map { group in
            SceneGroup(clip: group.clip, items: group.items.map(Self.floored))
        }
        return floored
    }

    private static func floored(_ item: SceneItem) -> SceneItem {
        func thick(_ stroke: Stroke) -> Stroke {
            var result = stroke
            if stroke.width > 0 { result.width = max(stroke.width, FigureStyle.minimumLineWidth) }
            return result
        }
        switch item {
        case let .polyline(points, stroke):
            return .polyline(points, thick(stroke))
        case let .polygon(rings, fill, opacity, stroke):
            return .polygon(rings: rings, fill: fill, opacity: opacity, stroke: stroke.map(thick))
        case .rectangle:
            return item
        case let .circle(center, radius, fill, opacity, stroke):
            return .circle(center: center, radius: radius, fill: fill, opacity: opacity, stroke: stroke.map(thick))
        case let .text(text):
            var result = text
            result.size = max(text.size, FigureStyle.minimumTextSize)
            return .text(result)
        }
    }
}
