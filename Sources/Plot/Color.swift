import Foundation

/// An opaque sRGB colour with components in 0...1. Opacity is carried by the styles that use a colour.
public struct Color: Sendable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double

    /// Components are clamped to 0...1; NaN becomes 0.
    public init(red: Double, green: Double, blue: Double) {
        self.red = Color.clampUnit(red)
        self.green = Color.clampUnit(green)
        self.blue = Color.clampUnit(blue)
    }

    /// A colour from a 24-bit hex value, e.g. `Color(hex: 0x0072B2)`.
    public init(hex: UInt32) {
        self.init(
            red: Double((hex >> 16) & 0xFF) / 255,
            green: Double((hex >> 8) & 0xFF) / 255,
            blue: Double(hex & 0xFF) / 255)
    }

    /// Linear interpolation in sRGB: `fraction` 0 gives `self`, 1 gives `other`.
    public func mixed(with other: Color, fraction: Double) -> Color {
        let t = Color.clampUnit(fraction)
        return Color(
            red: red + (other.red - red) * t,
            green: green + (other.green - green) * t,
            blue: blue + (other.blue - blue) * t)
    }

    /// The colour lightened towards white by `fraction` (0...1).
    public func lightened(by fraction: Double) -> Color { mixed(with: .white, fraction: fraction) }

    /// The WCAG relative luminance (sRGB components linearised, weighted 0.2126, 0.7152, 0.0722), 0...1.
    public var relativeLuminance: Double {
        func linear(_ c: Double) -> Double {
            let v = min(max(c, 0), 1)
            return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// Components as bytes, rounded to nearest.
    var bytes: (red: UInt8, green: UInt8, blue: UInt8) {
        (Color.byte(red), Color.byte(green), Color.byte(blue))
    }

    /// `#rrggbb`, lower case.
    var hexString: String {
        let digits = Array("0123456789abcdef")
        let (r, g, b) = bytes
        return "#" + [r, g, b].map { String([digits[Int($0 >> 4)], digits[Int($0 & 0xF)]]) }.joined()
    }

    private static func clampUnit(_ value: Double) -> Double {
        value.isNaN ? 0 : min(max(value, 0), 1)
    }

    private static func byte(_ component: Double) -> UInt8 { UInt8((component * 255).rounded()) }

    public static let black = Color(hex: 0x000000)
    public static let white = Color(hex: 0xFFFFFF)
    public static let gray = Color(hex: 0x7F7F7F)
    public static let lightGray = Color(hex: 0xE6E6E6)
}
