/// exp(x) for x <= 0, written as plain arithmetic so that loops calling it vectorise.
///
/// Range reduction x = n ln2 + r with |r| <= ln2 / 2 (Cody-Waite, two-part ln 2), then the degree-12
/// Taylor polynomial of exp(r) (truncation error below 2e-16 relative), scaled by 2^n built directly
/// in the exponent bits. Relative error against `Foundation.exp` is below 1e-15 on [-708, 0]
/// (tested). Arguments below -708 return exp(-708) ~ 3.3e-308 instead of a smaller number: callers
/// use it only for log-sum-exp terms shifted by their maximum, where that term is negligible.
@inlinable @inline(__always)
public func expNonPositive(_ x: Double) -> Double {
    let clamped = x < -708 ? -708 : (x > 0 ? 0 : x)
    // Round x log2(e) to the nearest integer n with the 1.5 * 2^52 shifter: the low mantissa bits
    // of `shifted` then hold 2^51 + n.
    let shifter = 6755399441055744.0
    let shifted = clamped * 1.4426950408889634 + shifter
    let n = shifted - shifter
    let r = (clamped - n * 6.93147180369123816490e-01) - n * 1.90821492927058770002e-10
    var p = 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    // 2^n: (2^51 + n + 1023) << 52 keeps the low 12 bits, i.e. n + 1023 in [1, 1023].
    let scale = Double(bitPattern: (shifted.bitPattern &+ 1023) << 52)
    return p * scale
}
