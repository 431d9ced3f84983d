/// log(x) for positive normal x (2.2e-308 <= x < infinity), lane by lane, as plain SIMD arithmetic (no
/// tables, no gathers). Other lanes (zero, subnormal, negative, infinite, NaN) give unspecified finite or
/// non-finite values: callers mask them.
///
/// The method of fdlibm's `__ieee754_log`: x = 2^k m with m in [sqrt(2)/2, sqrt(2)) (from the exponent
/// and mantissa bits), f = m - 1, s = f / (2 + f), log(m) = f - f^2/2 + s (f^2/2 + R(s^2)) with R the
/// degree-7 minimax polynomial Lg1..Lg7 of (log((1 + s)/(1 - s)) - 2 s) / s on |s| < 0.1716 (error below
/// 2^-58.45), and log(x) = k ln2_hi - ((f^2/2 - (s (f^2/2 + R) + k ln2_lo)) - f) with ln2 in two parts.
/// fdlibm states an error below 1 ulp; measured maximum relative error against `Foundation.log` on
/// [2^-1022, 2^1023]: 2.2e-16 (MixtureTests `fastLogarithmMatchesFoundation` asserts < 4.5e-16).
@inlinable @inline(__always)
public func logPositiveNormal(_ x: Lanes) -> Lanes {
    let bits = unsafeBitCast(x, to: LaneBits.self)
    let mantissaMask = LaneBits(repeating: 0x000F_FFFF_FFFF_FFFF)
    let mantissa = bits & mantissaMask
    // m >= sqrt(2) (mantissa field above that of sqrt 2): take m / 2 in [sqrt(2)/2, 1) and k + 1.
    let high = LaneBits(repeating: 0) &- ((LaneBits(repeating: 0x6_A09E_667F_3BCC) &- mantissa) &>> 63)
    let exponentBits = (LaneBits(repeating: 0x3FF0_0000_0000_0000) & ~high) | (LaneBits(repeating: 0x3FE0_0000_0000_0000) & high)
    let m = unsafeBitCast(mantissa | exponentBits, to: Lanes.self)
    // k = biased exponent - 1023 (+ 1 for the halved m), as a double by the 2^52 shifter trick.
    let biased = (bits &>> 52) &+ (high & 1)
    let shifter = LaneBits(repeating: 0x4330_0000_0000_0000)
    let k = unsafeBitCast(shifter | biased, to: Lanes.self) - (4503599627370496.0 + 1023)
    let f = m - 1
    let s = f / (2 + f)
    let z = s * s
    let w = z * z
    let t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01))
    let t2 = z * (6.666666666666735130e-01 + w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)))
    let r = t2 + t1
    let halfSquare = 0.5 * f * f
    return k * 6.93147180369123816490e-01 - ((halfSquare - (s * (halfSquare + r) + k * 1.90821492927058770002e-10)) - f)
}
