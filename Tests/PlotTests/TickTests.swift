import Foundation
import Testing
@testable import Plot

@Suite struct TickTests {
    /// A random range: magnitudes from 1e-200 to 1e200, signs mixed, widths from zero upwards.
    static func randomRange(_ generator: inout SplitMix64) -> (Double, Double) {
        let scale = pow(10, Double(Int(generator.next() % 41) * 10 - 200) / 2)
        let center = (generator.unit() - 0.5) * 2 * scale * (generator.next() % 3 == 0 ? 0 : 1)
        let width = generator.next() % 5 == 0 ? 0 : scale * pow(10, -generator.unit() * 8) * generator.unit()
        return generator.next() % 2 == 0 ? (center - width / 2, center + width / 2) : (center + width / 2, center - width / 2)
    }

    @Test func randomRangesGiveFourToTenRoundIncreasingTicksCoveringTheRange() {
        for seed in UInt64(1)...2000 {
            var generator = SplitMix64(seed: seed)
            let (a, b) = Self.randomRange(&generator)
            let maxCount = 4 + Int(generator.next() % 7)
            let ticks = Ticks.linear(lower: a, upper: b, maxCount: maxCount)
            let (lo, hi) = Ticks.normalizedRange(lower: a, upper: b)
            #expect((4...10).contains(ticks.count), "seed \(seed): \(ticks.count) ticks for \(a)...\(b)")
            guard ticks.count >= 2 else { continue }
            let values = ticks.map(\.value)
            // The step, snapped to the 1-2-5 value it approximates (differences of large ticks are inexact).
            let measured = values[1] - values[0]
            let exponent = log10(measured).rounded(.down)
            let mantissa = measured / pow(10, exponent)
            let snapped = [1.0, 2.0, 5.0, 10.0].min { abs($0 - mantissa) < abs($1 - mantissa) } ?? 1
            #expect(abs(mantissa - snapped) < 1e-3 * snapped, "seed \(seed): step \(measured) is not 1, 2 or 5 times a power of ten")
            let step = snapped * pow(10, exponent)
            #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 }, "seed \(seed): not increasing")
            #expect(values[0] >= lo - 1e-9 * step && values[values.count - 1] <= hi + 1e-9 * step, "seed \(seed): outside range")
            #expect(values[0] - lo < step * (1 + 1e-9) && hi - values[values.count - 1] < step * (1 + 1e-9), "seed \(seed): gap")
            #expect(values.allSatisfy { abs($0 / step - ($0 / step).rounded()) < 1e-6 + 1e-14 * abs($0 / step) }, "seed \(seed): off-grid tick")
            #expect(Set(ticks.map(\.label)).count == ticks.count, "seed \(seed): duplicate labels \(ticks.map(\.label))")
            #expect(ticks.allSatisfy { $0.label.count <= 18 }, "seed \(seed): long label \(ticks.map(\.label))")
        }
    }

    @Test func maxCountIsHonouredWhenAStepFits() {
        #expect(Ticks.linear(lower: 0, upper: 1, maxCount: 6).count <= 6)
        #expect(Ticks.linear(lower: 0, upper: 30, maxCount: 4).count == 4)
    }

    @Test func labelsAreShortDecimals() {
        #expect(Ticks.linear(lower: 0, upper: 1).map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(Ticks.linear(lower: 0.1, upper: 0.7, maxCount: 7).map(\.label) == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"])
        #expect(Ticks.linear(lower: 0.1, upper: 0.7, maxCount: 7).map(\.value)[2] == 0.3)
        #expect(Ticks.linear(lower: -3, upper: 3).map(\.label) == ["\u{2212}3", "\u{2212}2", "\u{2212}1", "0", "1", "2", "3"])
        #expect(Ticks.linear(lower: 0, upper: 3e-7).map(\.label) == ["0.0", "0.5e\u{2212}7", "1.0e\u{2212}7", "1.5e\u{2212}7", "2.0e\u{2212}7", "2.5e\u{2212}7", "3.0e\u{2212}7"])
        #expect(Ticks.linear(lower: 0, upper: 5e7).last?.label == "5e7")
    }

    @Test func logarithmicTicksAreDecadesOrOneTwoFive() {
        #expect(Ticks.logarithmic(lower: 0.01, upper: 10).map(\.label) == ["0.01", "0.10", "1.00", "10.00"])
        #expect(Ticks.logarithmic(lower: 1e-5, upper: 100).map(\.label) == ["1e\u{2212}5", "1e\u{2212}4", "1e\u{2212}3", "1e\u{2212}2", "1e\u{2212}1", "1e0", "1e1", "1e2"])
        #expect(Ticks.logarithmic(lower: 1e-8, upper: 1e8).count <= 10)
        #expect(Ticks.logarithmic(lower: 1, upper: 60).map(\.label) == ["1", "2", "5", "10", "20", "50"])
        let narrow = Ticks.logarithmic(lower: 3, upper: 4)
        #expect((4...10).contains(narrow.count) && narrow.allSatisfy { (3...4).contains($0.value) })
    }

    /// Every axis: one number of decimals (or all scientific) and no ASCII hyphen as a minus sign.
    @Test func randomAxesShareOneFormatAndUseTheMinusSign() {
        for seed in UInt64(1)...500 {
            var generator = SplitMix64(seed: seed)
            let (a, b) = Self.randomRange(&generator)
            let logarithmic = generator.next() % 3 == 0
            let ticks = logarithmic ? Ticks.logarithmic(lower: abs(a) + 1e-300, upper: abs(b) + 1e-300) : Ticks.linear(lower: a, upper: b)
            let labels = ticks.map(\.label)
            #expect(labels.allSatisfy { !$0.contains("-") }, "seed \(seed): ASCII hyphen in \(labels)")
            let scientific = labels.filter { $0.contains("e") }.count
            #expect(scientific == 0 || scientific == labels.filter { $0 != "0" && !$0.allSatisfy { "0.".contains($0) } }.count,
                    "seed \(seed): mixed notation \(labels)")
            let decimals = Set(labels.map { label in
                let mantissa = label.split(separator: "e").first ?? ""
                return mantissa.split(separator: ".").dropFirst().first?.count ?? 0
            })
            #expect(decimals.count == 1, "seed \(seed): decimals differ in \(labels)")
            for tick in ticks where tick.value < 0 { #expect(tick.label.hasPrefix("\u{2212}"), "seed \(seed): \(tick.label)") }
        }
    }

    @Test func numberFormattingIsFixedAndNeverNegativeZero() {
        #expect(NumberFormatting.fixed(-0.001, decimals: 2) == "0.00")
        #expect(NumberFormatting.fixed(2.5, decimals: 0) == "3")
        #expect(NumberFormatting.fixed(-1.25, decimals: 1) == "-1.3")
        #expect(NumberFormatting.coordinate(12.5) == "12.5")
        #expect(NumberFormatting.coordinate(-0.004) == "0")
        #expect(NumberFormatting.coordinate(3.14159) == "3.14")
    }
}
