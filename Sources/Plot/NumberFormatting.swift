/// Locale-independent decimal formatting used by the renderers and tick labels.
enum NumberFormatting {
    /// `10^exponent`, exact for |exponent| <= 22.
    static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<min(abs(exponent), 400) { result *= 10 }
        return exponent >= 0 ? result : 1 / result
    }

    /// `value` rounded to `decimals` places, written with exactly that many decimals ("-1.50").
    /// Never prints "-0". Falls back to Swift's shortest round-trip form when the value is too large.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        let places = max(0, min(decimals, 17))
        let scaled = (value * powerOfTen(places)).rounded()
        guard abs(scaled) < 9e15 else { return "\(value)" }
        let units = Int64(scaled)
        guard units != 0 else { return places == 0 ? "0" : "0." + String(repeating: "0", count: places) }
        let magnitude = units.magnitude
        let divisor = UInt64(powerOfTen(places))
        let whole = String(magnitude / divisor)
        let sign = units < 0 ? "-" : ""
        guard places > 0 else { return sign + whole }
        let fraction = String(magnitude % divisor)
        return sign + whole + "." + String(repeating: "0", count: places - fraction.count) + fraction
    }

    /// A pixel coordinate at 2 decimals with trailing zeros removed ("12.5", "3", "-0.25").
    static func coordinate(_ value: Double) -> String {
        compact(fixed(value, decimals: 2))
    }

    /// An opacity or other unit fraction at 3 decimals with trailing zeros removed.
    static func fraction(_ value: Double) -> String {
        compact(fixed(value, decimals: 3))
    }

    /// `value` at `decimals` places with trailing zeros removed.
    static func trimmed(_ value: Double, decimals: Int) -> String {
        compact(fixed(value, decimals: decimals))
    }

    private static func compact(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var trimmed = Substring(text)
        while trimmed.last == "0" { trimmed = trimmed.dropLast() }
        if trimmed.last == "." { trimmed = trimmed.dropLast() }
        return trimmed == "-0" ? "0" : String(trimmed)
    }
}
