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
/// Table-driven range reduction x = (64 n + j) ln2 / 64 + r with j in 0 ..< 64 and |r| <= ln2 / 128
/// (Cody-Waite: ln2 / 64 in two parts, the high part with 21 significant bits so m times it is exact), so
/// exp(x) = 2^n * 2^(j/64) * exp(r). 2^(j/64) comes from a correctly rounded table, exp(r) from the
/// degree-5 Taylor polynomial (truncation r^6 / 720 < 3.5e-17), and 2^n is added to the table entry's
/// exponent bits. Measured maximum relative error against `Foundation.exp` on [-708, 0]: 4.3e-16
/// (1.1e7 random and grid points).
@inlinable @inline(__always)
public func expNonPositiveUnchecked(_ x: Lanes) -> Lanes {
    // Round x 64 / ln2 to the nearest integer m with the 1.5 * 2^52 shifter: the low mantissa bits
    // of `shifted` then hold 2^51 + m, two's complement in the low bits.
    let shifter = Lanes(repeating: 6755399441055744.0)
    let shifted = x * 92.33248261689366 + shifter
    let m = shifted - shifter
    let r = (x - m * 0x1.62e42p-7) - m * 0x1.fdf473de6af28p-28
    var p = Lanes(repeating: 1.0 / 120.0)
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    let bits = unsafeBitCast(shifted, to: LaneBits.self)
    // Table entries lie in [1, 2) (biased exponent 1023); n = floor(m / 64) >= -1022 keeps the sum
    // of exponents normal. The shift by 52 keeps only the low 12 bits of m >> 6, i.e. n mod 4096.
    let index = bits & 63
    let twoToJ = exp2Table.withUnsafeBufferPointer { t in
        Lanes(t[Int(index[0])], t[Int(index[1])], t[Int(index[2])], t[Int(index[3])],
              t[Int(index[4])], t[Int(index[5])], t[Int(index[6])], t[Int(index[7])])
    }
    let scaled = unsafeBitCast(twoToJ, to: LaneBits.self) &+ ((bits &>> 6) &<< 52)
    // Below -708 the exponent arithmetic above is meaningless (it may even give inf or NaN): zero
    // those lanes. From -708 up, n >= -1022 and the result is a normal number.
    let tooSmall = signMask(x + 708)
    return unsafeBitCast(~tooSmall & unsafeBitCast(p * unsafeBitCast(scaled, to: Lanes.self), to: LaneBits.self),
                         to: Lanes.self)
}

/// The scalar form of `expNonPositive`, for the generic-dimension path and single evaluations.
@inlinable
public func expNonPositive(_ x: Double) -> Double {
    expNonPositive(Lanes(repeating: x))[0]
}

/// 2^(j / 64) for j in 0 ..< 64, correctly rounded (computed with 200-bit arithmetic).
@usableFromInline
let exp2Table: [Double] = [
    0x1.0000000000000p+0, 0x1.02c9a3e778061p+0, 0x1.059b0d3158574p+0, 0x1.0874518759bc8p+0,
    0x1.0b5586cf9890fp+0, 0x1.0e3ec32d3d1a2p+0, 0x1.11301d0125b51p+0, 0x1.1429aaea92de0p+0,
    0x1.172b83c7d517bp+0, 0x1.1a35beb6fcb75p+0, 0x1.1d4873168b9aap+0, 0x1.2063b88628cd6p+0,
    0x1.2387a6e756238p+0, 0x1.26b4565e27cddp+0, 0x1.29e9df51fdee1p+0, 0x1.2d285a6e4030bp+0,
    0x1.306fe0a31b715p+0, 0x1.33c08b26416ffp+0, 0x1.371a7373aa9cbp+0, 0x1.3a7db34e59ff7p+0,
    0x1.3dea64c123422p+0, 0x1.4160a21f72e2ap+0, 0x1.44e086061892dp+0, 0x1.486a2b5c13cd0p+0,
    0x1.4bfdad5362a27p+0, 0x1.4f9b2769d2ca7p+0, 0x1.5342b569d4f82p+0, 0x1.56f4736b527dap+0,
    0x1.5ab07dd485429p+0, 0x1.5e76f15ad2148p+0, 0x1.6247eb03a5585p+0, 0x1.6623882552225p+0,
    0x1.6a09e667f3bcdp+0, 0x1.6dfb23c651a2fp+0, 0x1.71f75e8ec5f74p+0, 0x1.75feb564267c9p+0,
    0x1.7a11473eb0187p+0, 0x1.7e2f336cf4e62p+0, 0x1.82589994cce13p+0, 0x1.868d99b4492edp+0,
    0x1.8ace5422aa0dbp+0, 0x1.8f1ae99157736p+0, 0x1.93737b0cdc5e5p+0, 0x1.97d829fde4e50p+0,
    0x1.9c49182a3f090p+0, 0x1.a0c667b5de565p+0, 0x1.a5503b23e255dp+0, 0x1.a9e6b5579fdbfp+0,
    0x1.ae89f995ad3adp+0, 0x1.b33a2b84f15fbp+0, 0x1.b7f76f2fb5e47p+0, 0x1.bcc1e904bc1d2p+0,
    0x1.c199bdd85529cp+0, 0x1.c67f12e57d14bp+0, 0x1.cb720dcef9069p+0, 0x1.d072d4a07897cp+0,
    0x1.d5818dcfba487p+0, 0x1.da9e603db3285p+0, 0x1.dfc97337b9b5fp+0, 0x1.e502ee78b3ff6p+0,
    0x1.ea4afa2a490dap+0, 0x1.efa1bee615a27p+0, 0x1.f50765b6e4540p+0, 0x1.fa7c1819e90d8p+0,
]
