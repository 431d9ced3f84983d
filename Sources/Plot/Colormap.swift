/// A continuous colour map: evenly spaced colour stops interpolated linearly in sRGB.
public struct Colormap: Sendable, Hashable {
    /// Colour stops at positions `i / (stops.count - 1)`; at least one stop.
    public var stops: [Color]

    /// A map through the given stops; an empty list gives a black-to-white map.
    public init(stops: [Color]) {
        self.stops = stops.isEmpty ? [.black, .white] : stops
    }

    /// The colour at `position` in 0...1 (clamped; NaN maps to 0).
    public func color(at position: Double) -> Color {
        guard stops.count > 1 else { return stops[0] }
        let clamped = position.isNaN ? 0 : min(max(position, 0), 1)
        let scaled = clamped * Double(stops.count - 1)
        let index = min(Int(scaled), stops.count - 2)
        return stops[index].mixed(with: stops[index + 1], fraction: scaled - Double(index))
    }

    /// Viridis (perceptually uniform, sequential, colour-blind safe), sampled at 10 stops.
    public static let viridis = Colormap(stops: [
        0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725,
    ].map { Color(hex: $0) })

    /// A blue-white-red diverging map (ColorBrewer RdBu, reversed): 0.5 is neutral.
    public static let diverging = Colormap(stops: [
        0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F,
    ].map { Color(hex: $0) })
}
