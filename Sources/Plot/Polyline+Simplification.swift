/// Douglas-Peucker simplification of pixel polylines.
enum PolylineSimplification {
    /// Points closer than `tolerance` pixels to the simplified line are dropped (0.25 px, below what
    /// anti-aliasing can show). The first and last points are always kept; the drawn line moves by
    /// less than `tolerance` everywhere.
    static let tolerance = 0.25

    static func simplified(_ points: [PixelPoint], tolerance: Double = tolerance) -> [PixelPoint] {
        guard points.count > 2 else { return points }
        var keep = Array(repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        var pending = [(0, points.count - 1)]
        while let (first, last) = pending.popLast() {
            guard last > first + 1 else { continue }
            var farthest = first, farthestDistance = -1.0
            for index in (first + 1)..<last {
                let distance = distanceToSegment(points[index], points[first], points[last])
                if distance > farthestDistance { (farthest, farthestDistance) = (index, distance) }
            }
            if farthestDistance >= tolerance {
                keep[farthest] = true
                pending.append((first, farthest))
                pending.append((farthest, last))
            }
        }
        return points.indices.filter { keep[$0] }.map { points[$0] }
    }

    /// Euclidean distance from `point` to the segment `a`-`b`.
    static func distanceToSegment(_ point: PixelPoint, _ a: PixelPoint, _ b: PixelPoint) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared > 0 ? min(max(((point.x - a.x) * dx + (point.y - a.y) * dy) / lengthSquared, 0), 1) : 0
        let ex = point.x - (a.x + t * dx), ey = point.y - (a.y + t * dy)
        return (ex * ex + ey * ey).squareRoot()
    }
}
