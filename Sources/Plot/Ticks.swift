import Foundation

/// One labelled tick: its position in data units and its label.
public struct Tick: Sendable, Hashable {
    public var value: Double
    public var label: String

    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// "Nice" tick placement.
///
/// Linear ticks are integer multiples of a step `m * 10^e` with `m` in {1, 2, 5}; there are 4 to
/// `maxCount` (at most 10) of them, all inside the range, the gaps at either end shorter than a step.
/// Tick values are computed as `k * m / 10^-e`, so they are the doubles nearest to the decimal values
/// and labels never read like "0.30000000000000004".
public enum Ticks {
    /// Linear ticks for `lower...upper` (swapped if reversed). A zero-width or non-finite range is
    /// widened first (see `normalizedRange`). `maxCount` is clamped to 4...10 and honoured when some
    /// 1-2-5 step gives 4...maxCount ticks (otherwise up to 10 are returned); among the steps that
    /// fit, the one whose tick count is closest to `preferredCount` (default 6) wins.
    public static func linear(lower: Double, upper: Double, maxCount: Int = 10, preferredCount: Int = 6) -> [Tick] {
        let (lo, hi) = normalizedRange(lower: lower, upper: upper)
        let limit = min(max(maxCount, 4), 10)
        // With 1-2-5 steps a count in 4...10 always exists, but not always one in 4...limit.
        guard let chosen = bestStep(lo, hi, limit: limit, preferred: min(preferredCount, limit))
            ?? bestStep(lo, hi, limit: 10, preferred: min(preferredCount, 10)) else { return [] }
        let values = (0..<chosen.count).map { chosen.step.value(ofMultiple: chosen.first + $0) }
        let labels = TickLabels.linear(values, step: chosen.step)
        return zip(values, labels).map { Tick(value: $0, label: $1) }
    }

    /// The step whose tick count in `lo...hi` lies in 4...limit and is closest to `preferred`
    /// (the smaller step on ties), with the first multiple and the count.
    private static func bestStep(_ lo: Double, _ hi: Double, limit: Int, preferred: Int) -> (step: TickStep, first: Int64, count: Int64)? {
        var best: (step: TickStep, first: Int64, count: Int64)?
        let baseExponent = Int((log10(hi - lo) - 1).rounded(.down)) - 1
        for exponent in baseExponent...(baseExponent + 3) {
            for mantissa in [1, 2, 5] as [Int64] {
                let step = TickStep(mantissa: mantissa, exponent: exponent)
                // A relative slack of 1e-9 steps keeps ends like 0.7 / 0.1 = 6.9999999999999991.
                let first = (lo / step.size - 1e-9).rounded(.up)
                let last = (hi / step.size + 1e-9).rounded(.down)
                guard abs(first) < 1e15, abs(last) < 1e15 else { continue }
                let count = Int64(last) - Int64(first) + 1
                guard count >= 4, count <= limit else { continue }
                if let current = best, abs(count - Int64(preferred)) >= abs(current.count - Int64(preferred)) { continue }
                best = (step, Int64(first), count)
            }
        }
        return best
    }

    /// Ticks for a log axis over `lower...upper` (both > 0): whole decades when there are 4 or more
    /// (thinned to at most `maxCount`), else 1-2-5 multiples, else linear ticks inside the range.
    public static func logarithmic(lower: Double, upper: Double, maxCount: Int = 10) -> [Tick] {
        let lo = log10(min(lower, upper)), hi = log10(max(lower, upper))
        guard lo.isFinite, hi.isFinite else { return linear(lower: lower, upper: upper, maxCount: maxCount) }
        let limit = min(max(maxCount, 4), 10)
        let firstDecade = Int((lo - 1e-9).rounded(.up))
        let lastDecade = Int((hi + 1e-9).rounded(.down))
        let decades = lastDecade >= firstDecade ? Array(firstDecade...lastDecade) : []
        if decades.count >= 4 {
            let stride = (decades.count + limit - 1) / limit
            let kept = decades.filter { ($0 - firstDecade) % stride == 0 }
            return TickLabels.logarithmic(kept.map { (1, $0) })
        }
        let low = min(lower, upper) * (1 - 1e-12), high = max(lower, upper) * (1 + 1e-12)
        var multiples: [(mantissa: Int, exponent: Int)] = []
        for exponent in (Int(lo.rounded(.down)))...(Int(hi.rounded(.up))) {
            for mantissa in [1, 2, 5] {
                let value = Double(mantissa) * NumberFormatting.powerOfTen(exponent)
                if value >= low, value <= high { multiples.append((mantissa, exponent)) }
            }
        }
        if multiples.count >= 4, multiples.count <= limit { return TickLabels.logarithmic(multiples) }
        return linear(lower: lower, upper: upper, maxCount: maxCount)
    }

    /// The range ticks are placed on: ordered; widened to `c ± max(|c| / 10, 1)` when its width is
    /// zero or below 1e-12 of its magnitude (where doubles cannot resolve ticks); `0...1` when not finite.
    static func normalizedRange(lower: Double, upper: Double) -> (Double, Double) {
        guard lower.isFinite, upper.isFinite else { return (0, 1) }
        let lo = min(lower, upper), hi = max(lower, upper)
        let magnitude = max(abs(lo), abs(hi))
        if hi - lo > magnitude * 1e-12, hi - lo > 1e-290 { return (lo, hi) }
        let center = lo / 2 + hi / 2
        let halfWidth = center == 0 ? 1 : abs(center) / 10
        let widened = (center - halfWidth, center + halfWidth)
        return widened.0.isFinite && widened.1.isFinite ? widened : (0, 1)
    }
}

/// A tick step `mantissa * 10^exponent`.
struct TickStep {
    var mantissa: Int64
    var exponent: Int

    var size: Double { Double(mantissa) * NumberFormatting.powerOfTen(exponent) }

    /// `multiple * size`, rounded once: division by an exact power of ten for negative exponents.
    func value(ofMultiple multiple: Int64) -> Double {
        let units = Double(multiple * mantissa)
        return exponent >= 0 ? units * NumberFormatting.powerOfTen(exponent) : units / NumberFormatting.powerOfTen(-exponent)
    }
}

/// Tick label text. All labels of one axis share one format: the same number of decimals, and
/// scientific notation for all or none. Negative numbers and exponents use the minus sign U+2212.
enum TickLabels {
    static let minus = "\u{2212}"

    /// Labels with just enough decimals for `step`; scientific ("2.5e\u{2212}7", zero as "0.0" with the
    /// same decimals) when the largest magnitude is at least 1e6 or below 1e-3.
    static func linear(_ values: [Double], step: TickStep) -> [String] {
        let largest = values.map(abs).max() ?? 0
        if largest >= 1e6 || (largest > 0 && largest < 1e-3) {
            let exponent = Int(log10(largest).rounded(.down))
            let decimals = max(0, exponent - step.exponent)
            return values.map { value in
                value == 0 ? fixed(0, decimals: decimals) : fixed(value / NumberFormatting.powerOfTen(exponent), decimals: decimals) + "e" + integer(exponent)
            }
        }
        return values.map { fixed($0, decimals: max(0, -step.exponent)) }
    }

    /// Labels of the log-axis ticks `mantissa * 10^exponent`: decimals with the common number of
    /// places ("0.01", "0.10", "1.00") when all ticks lie in 0.01 <= value < 1e4, else all scientific ("1e\u{2212}5").
    static func logarithmic(_ ticks: [(mantissa: Int, exponent: Int)]) -> [Tick] {
        let exponents = ticks.map(\.exponent)
        let smallest = exponents.min() ?? 0, largest = exponents.max() ?? 0
        let decimal = smallest >= -2 && largest <= 3
        return ticks.map { mantissa, exponent in
            let value = Double(mantissa) * NumberFormatting.powerOfTen(exponent)
            let label = decimal ? fixed(value, decimals: max(0, -smallest)) : "\(mantissa)e" + integer(exponent)
            return Tick(value: value, label: label)
        }
    }

    /// `NumberFormatting.fixed` with the minus sign U+2212.
    static func fixed(_ value: Double, decimals: Int) -> String {
        withMinusSign(NumberFormatting.fixed(value, decimals: decimals))
    }

    private static func integer(_ value: Int) -> String { withMinusSign(String(value)) }

    private static func withMinusSign(_ text: String) -> String {
        text.hasPrefix("-") ? minus + text.dropFirst() : text
    }
}
