/// Eight doubles processed together; the hot loops keep their state in these.
public typealias Lanes = SIMD8<Double>
/// The bit patterns of `Lanes`, for branch-free selects.
public typealias LaneBits = SIMD8<UInt64>

/// All-ones lanes where v has its sign bit set (v < 0 or v = -0), zero lanes elsewhere.
/// Built from a logical shift and a subtraction only, so it vectorises on every x86-64 level
/// (the standard library's comparisons and `replacing(with:where:)` are not reliably inlined).
@inlinable @inline(__always)
public func signMask(_ v: Lanes) -> LaneBits {
    LaneBits(repeating: 0) &- (unsafeBitCast(v, to: LaneBits.self) &>> 63)
}

/// Lane-wise `mask ? ifSet : otherwise` for masks from `signMask`.
@inlinable @inline(__always)
public func select(_ mask: LaneBits, _ ifSet: Lanes, _ otherwise: Lanes) -> Lanes {
    let a = unsafeBitCast(ifSet, to: LaneBits.self), b = unsafeBitCast(otherwise, to: LaneBits.self)
    return unsafeBitCast((mask & a) | (~mask & b), to: Lanes.self)
}

/// exp(x) for x <= 0, lane by lane, written as plain SIMD arithmetic so that it vectorises.
///
/// Range reduction x = n ln2 + r with |r| <= ln2 / 2 (Cody-Waite, two-part ln 2), then the degree-12
/// Taylor polynomial of exp(r) (truncation error below 2e-16 relative), scaled by 2^n built directly
/// in the exponent bits. Relative error against `Foundation.exp` is below 1e-15 on [-708, 0]
/// (tested). Arguments below -708 return exp(-708) ~ 3.3e-308 instead of a smaller number (callers
/// use it only for log-sum-exp terms shifted by their maximum, where that term is negligible);
/// positive arguments are treated as 0.
@inlinable @inline(__always)
public func expNonPositive(_ x: Lanes) -> Lanes {
    let floor = Lanes(repeating: -708)
    let clamped = select(signMask(-x), Lanes(repeating: 0), select(signMask(x - floor), floor, x))
    // Round x log2(e) to the nearest integer n with the 1.5 * 2^52 shifter: the low mantissa bits
    // of `shifted` then hold 2^51 + n.
    let shifter = Lanes(repeating: 6755399441055744.0)
    let shifted = clamped * 1.4426950408889634 + shifter
    let n = shifted - shifter
    let r = (clamped - n * 6.93147180369123816490e-01) - n * 1.90821492927058770002e-10
    var p = Lanes(repeating: 1.0 / 479001600.0)
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
    let scale = (unsafeBitCast(shifted, to: LaneBits.self) &+ 1023) &<< 52
    return p * unsafeBitCast(scale, to: Lanes.self)
}

/// The scalar form of `expNonPositive`, for the generic-dimension path and single evaluations.
@inlinable
public func expNonPositive(_ x: Double) -> Double {
    expNonPositive(Lanes(repeating: x))[0]
}
