/// erfc(x) lane by lane for |x| <= 9 (the callers clamp: beyond, erfc is 0 or 2 to far below their
/// tolerance), written as plain lane arithmetic (table-free, no branches) so that it vectorises.
///
/// For t = |x|: erfc(t) = exp(-t^2) erfcx(t), with erfcx(t) = exp(t^2) erfc(t) = P(y), y = (t - 4) / (t + 4) in
/// [-1, 0.39], P of degree 20: the Chebyshev fit of erfcx on t in [0, 8.5] (mpmath, 50 digits; fit error
/// 7.3e-18 relative), evaluated by Estrin's scheme. t^2 = h + l exactly (Dekker's split), and
/// exp(-t^2) = exp(-h) (1 - l) (|l| <= ulp(h) / 2, so the neglected l^2 / 2 is below 1e-28), so the
/// rounding of t^2 (up to 8e-15 relative in exp(-t^2) at t = 8.5) does not enter. Negative x:
/// erfc(x) = 2 - erfc(-x). Measured relative error against libm's erfc on [-8.5, 8.5]: below 1e-15
/// (StatisticsKernelTests `laneErfcMatchesLibm`, 2e5 points).
@inline(__always)
func erfcLanes(_ x: Lanes) -> Lanes {
    let t = unsafeBitCast(unsafeBitCast(x, to: LaneBits.self) & LaneBits(repeating: ~(1 << 63)), to: Lanes.self)
    let y = (t - 4) / (t + 4)
    let a0: Lanes = y * -0x1.094922737431ap-2 + 0x1.18932bf08e154p-3
    let a1: Lanes = y * -0x1.506666f69e4d5p-3 + 0x1.bff01a5f9086ap-3
    let a2: Lanes = y * -0x1.027d5744b9bf1p-4 + 0x1.be502c3657e90p-4
    let a3: Lanes = y * -0x1.a4ded4112fb71p-7 + 0x1.0066e104a9d5ep-5
    let a4: Lanes = y * -0x1.a2f8ff147de7ep-11 + 0x1.0a17eb76609e5p-8
    let a5: Lanes = y * 0x1.4b4838e6342b2p-14 + -0x1.6d1a3a7cab1d4p-16
    let a6: Lanes = y * -0x1.ff37f1a3a618dp-20 + -0x1.7a66c9f11d2d8p-16
    let a7: Lanes = y * -0x1.c10224b04c7aap-22 + 0x1.8a01b3cd72bd5p-19
    let a8: Lanes = y * 0x1.1e0f995b774c7p-23 + -0x1.256ba0d0dacf8p-22
    let a9: Lanes = y * 0x1.48002ff7f91d9p-29 + 0x1.13fc7ae7ee6d8p-24
    let y2 = y * y, y4 = y2 * y2, y8 = y4 * y4, y16 = y8 * y8
    let b0: Lanes = a0 + y2 * a1, b1: Lanes = a2 + y2 * a3, b2: Lanes = a4 + y2 * a5
    let b3: Lanes = a6 + y2 * a7, b4: Lanes = a8 + y2 * a9
    let upper: Lanes = y8 * (b2 + y4 * b3)
    let p: Lanes = (b0 + y4 * b1) + upper + y16 * (b4 + y4 * -0x1.b2d1814b4bc9bp-30)
    // t^2 = h + l exactly: t = th + tl with th of at most 26 significant bits.
    let split = t * 134217729.0
    let th = split - (split - t), tl = t - th
    let h = t * t
    let cross: Lanes = 2 * th * tl
    let l: Lanes = ((th * th - h) + cross) + tl * tl
    let tail: Lanes = expNonPositiveUnchecked(-h) * (1 - l) * p
    return select(signMask(x), 2 - tail, tail)
}
