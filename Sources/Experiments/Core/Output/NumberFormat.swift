import Foundation

/// The one number formatter of every report (text, Markdown, figures): locale-independent, never
/// "-0.000", and explicit about non-finite values.
public enum NumberFormat {
    /// `digits` decimals ("%.4f"); "-0.0000" becomes "0.0000"; non-finite as "nan", "inf", "-inf".
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return nonFinite(value) }
        let text = String(format: "%.\(digits)f", value)
        return Double(text) == 0 ? String(format: "%.\(digits)f", 0.0) : text
    }

    /// `digits` significant digits ("%.4g").
    public static func significant(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return nonFinite(value) }
        return String(format: "%.\(digits)g", value)
    }

    /// Scientific notation with `digits` decimals ("%.4e").
    public static func scientific(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return nonFinite(value) }
        return String(format: "%.\(digits)e", value)
    }

    static func nonFinite(_ value: Double) -> String { value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
}
