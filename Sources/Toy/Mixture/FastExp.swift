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

/// -|v| lane by lane: the sign bit set, everything else kept (one bitwise or).
@inlinable @inline(__always)
public func negativeMagnitude(_ v: Lanes) -> Lanes {
    unsafeBitCast(unsafeBitCast(v, to: LaneBits.self) | LaneBits(repeating: 1 << 63), to: Lanes.self)
}

/// exp(x) for x <= 0, lane by lane, written as plain SIMD arithmetic so that it vectorises.
///
/// Arguments below -708 return exp(-708) ~ 3.3e-308 instead of a smaller number; positive arguments
/// are treated as 0. See `expNonPositiveUnchecked` for the method and its accuracy.
@inlinable @inline(__always)
public func expNonPositive(_ x: Lanes) -> Lanes {
    let floor = Lanes(repeating: -708)
    return expNonPositiveUnchecked(select(signMask(-x), Lanes(repeating: 0), select(signMask(x - floor), floor, x)))
}

/// exp(x) for -708 <= x <= 0; arguments below -708 (including -infinity) give 0, which is what the
/// log-sum-exp callers need (there exp(x) < 3.3e-308 is negligible against the leading term 1).
/// The caller guarantees x <= 0 (this is the hot-loop form, without the upper clamp).
///
/// Table-free, so every step is plain lane arithmetic (no gathers): range reduction x = n ln2 + r with
/// n = round(x / ln2) and |r| <= ln2 / 2 (+ rounding), Cody-Waite with ln2 in two parts (the high part
/// has 33 significant bits, so n times it is exact for |n| < 2^20); exp(r) = 1 + r + r^2 q(r) with q of
/// degree 9, the Chebyshev fit of (exp(r) - 1 - r) / r^2 on [-0.347, 0.347] (200-bit arithmetic, then
/// rounded to doubles: the rounded polynomial is within 1.7e-17 relative of exp on that interval),
/// evaluated by Estrin's scheme (short dependency chains); 2^n is added to the exponent bits.
/// Measured maximum relative error against `Foundation.exp` on [-708, 0]: 2.2e-16 (1.6e7 random points;
/// MixtureTests `fastExponentialMatchesFoundation` asserts < 1e-15).
@inlinable @inline(__always)
public func expNonPositiveUnchecked(_ x: Lanes) -> Lanes {
    // Round x / ln2 to the nearest integer n with the 1.5 * 2^52 shifter: the low mantissa bits of
    // `shifted` then hold 2^51 + n, two's complement in the low bits.
    let shifter = Lanes(repeating: 6755399441055744.0)
    let shifted = x * 1.4426950408889634 + shifter
    let n = shifted - shifter
    let r = (x - n * 0x1.62e42fee00000p-1) - n * 0x1.a39ef35793c76p-33
    let r2 = r * r
    let r4 = r2 * r2
    let t0 = r * 0x1.5555555555556p-3 + 0x1.0000000000001p-1
    let t1 = r * 0x1.11111111109a2p-7 + 0x1.5555555553d2bp-5
    let t2 = r * 0x1.a01a01a7d176dp-13 + 0x1.6c16c178a18c1p-10
    let t3 = r * 0x1.71de0d7a972efp-19 + 0x1.a019b8b8f8697p-16
    let t4 = r * 0x1.af3924be99a57p-26 + 0x1.2891e963ab1f9p-22
    let q = (t0 + r2 * t1) + r4 * ((t2 + r2 * t3) + r4 * t4)
    let p = 1 + (r + r2 * q)
    // p lies in [0.70, 1.42] (biased exponent 1022 or 1023); n >= -1021 for x >= -708 keeps the sum of
    // exponents normal. The shift by 52 keeps the low 12 bits of 2^51 + n, i.e. n mod 4096, which added
    // to the exponent field is n added modulo 2^64.
    let bits = unsafeBitCast(shifted, to: LaneBits.self)
    let scaled = unsafeBitCast(p, to: LaneBits.self) &+ (bits &<< 52)
    // Below -708 the exponent arithmetic above is meaningless (it may even give inf or NaN): zero
    // those lanes. From -708 up the result is a normal number.
    let tooSmall = signMask(x + 708)
    return unsafeBitCast(~tooSmall & scaled, to: Lanes.self)
}

/// The scalar form of `expNonPositive`, for the generic-dimension path and single evaluations.
@inlinable
public func expNonPositive(_ x: Double) -> Double {
    expNonPositive(Lanes(repeating: x))[0]
}

/// (x - mu_k)^T P_k (x - mu_k) for a block of points (lane j of `xs[r]`: coordinate r of point j), with
/// mu_k = means[k d ..< (k + 1) d] and P_k the row-major d x d matrix at precisions[k d^2 ...]: each lane
/// does the operations of one point in the order of a scalar loop (rows, then columns).
@inline(__always)
func laneQuadraticForm(_ xs: UnsafePointer<Lanes>, means: UnsafeBufferPointer<Double>, precisions: UnsafeBufferPointer<Double>,
                       component k: Int, dimension d: Int) -> Lanes {
    var q = Lanes(repeating: 0)
    for r in 0..<d {
        var row = Lanes(repeating: 0)
        for c in 0..<d {
            let difference: Lanes = xs[c] - means[k * d + c]
            row += precisions[k * d * d + r * d + c] * difference
        }
        let difference: Lanes = xs[r] - means[k * d + r]
        q += difference * row
    }
    return q
}
