// The 2D preset score loop (`NoisyMixture.scores2DIsotropic`: K isotropic components of one variance, the online
// log-sum-exp fold with K - 1 exponentials) in the variants tried for issue 27, timed on one thread on the same
// batches. Each variant restates the shipped loop with one change; the table says how long each took and whether
// its scores equal the shipped loop's bit for bit.
//
//   swiftc -O -target-cpu native Benchmarks/kernel_variants.swift -o /tmp/kernel_variants && /tmp/kernel_variants
//
// Variants:
//   shipped     SIMD8 lanes, the fold's (old, new) weights by a masked exclusive or (the product's loop)
//   simd4       the same operations on SIMD4 lanes (half the registers per value: no spills, less overlap)
//   simd16      the same operations on SIMD16 lanes (two blocks of eight at once: more overlap, more spills)
//   blend       the (old, new) weights by two selects instead of the exclusive or, and the exponential's underflow
//               lanes by a select (LLVM turns a select on a sign mask into one vblendvpd)
//   phased      per block: all log-terms and running maxima first, then the K - 1 exponentials (independent of
//               each other), then the sums; the same operations per lane in another order of instructions
//   unrolled    K fixed at compile time (3 or 4), the component loop unrolled
//   fma         the exponential with fused multiply-adds (results move in the last bits: the largest relative
//               difference is printed; a portable x86-64 build has no FMA, so its results would differ from a
//               native build's)
// Benchmarks/README.md, "Issue 27, closing round", holds the numbers of one run.
import Foundation

protocol LaneVector: SIMD where Scalar == Double {
    associatedtype Bits: SIMD where Bits.Scalar == UInt64
    /// The x lanes and y lanes of scalarCount interleaved points (x0, y0, x1, y1, ...).
    static func loadPoints(_ p: UnsafePointer<Double>) -> (Self, Self)
    static func storePoints(_ xs: Self, _ ys: Self, _ p: UnsafeMutablePointer<Double>)
}

extension SIMD8: LaneVector where Scalar == Double {
    typealias Bits = SIMD8<UInt64>
    @inline(__always) static func loadPoints(_ p: UnsafePointer<Double>) -> (Self, Self) {
        let lo = UnsafeRawPointer(p).loadUnaligned(as: Self.self), hi = UnsafeRawPointer(p + 8).loadUnaligned(as: Self.self)
        return (Self(lowHalf: lo.evenHalf, highHalf: hi.evenHalf), Self(lowHalf: lo.oddHalf, highHalf: hi.oddHalf))
    }
    @inline(__always) static func storePoints(_ xs: Self, _ ys: Self, _ p: UnsafeMutablePointer<Double>) {
        var lo = Self(), hi = Self()
        for i in 0..<4 { lo[2 * i] = xs[i]; lo[2 * i + 1] = ys[i]; hi[2 * i] = xs[4 + i]; hi[2 * i + 1] = ys[4 + i] }
        UnsafeMutableRawPointer(p).storeBytes(of: lo, as: Self.self)
        UnsafeMutableRawPointer(p + 8).storeBytes(of: hi, as: Self.self)
    }
}

extension SIMD16: LaneVector where Scalar == Double {
    typealias Bits = SIMD16<UInt64>
    @inline(__always) static func loadPoints(_ p: UnsafePointer<Double>) -> (Self, Self) {
        let (a, b) = SIMD8<Double>.loadPoints(p), (c, d) = SIMD8<Double>.loadPoints(p + 16)
        return (Self(lowHalf: a, highHalf: c), Self(lowHalf: b, highHalf: d))
    }
    @inline(__always) static func storePoints(_ xs: Self, _ ys: Self, _ p: UnsafeMutablePointer<Double>) {
        SIMD8<Double>.storePoints(xs.lowHalf, ys.lowHalf, p)
        SIMD8<Double>.storePoints(xs.highHalf, ys.highHalf, p + 16)
    }
}
extension SIMD4: LaneVector where Scalar == Double {
    typealias Bits = SIMD4<UInt64>
    @inline(__always) static func loadPoints(_ p: UnsafePointer<Double>) -> (Self, Self) {
        let lo = UnsafeRawPointer(p).loadUnaligned(as: Self.self), hi = UnsafeRawPointer(p + 4).loadUnaligned(as: Self.self)
        return (Self(lowHalf: lo.evenHalf, highHalf: hi.evenHalf), Self(lowHalf: lo.oddHalf, highHalf: hi.oddHalf))
    }
    @inline(__always) static func storePoints(_ xs: Self, _ ys: Self, _ p: UnsafeMutablePointer<Double>) {
        var lo = Self(), hi = Self()
        for i in 0..<2 { lo[2 * i] = xs[i]; lo[2 * i + 1] = ys[i]; hi[2 * i] = xs[2 + i]; hi[2 * i + 1] = ys[2 + i] }
        UnsafeMutableRawPointer(p).storeBytes(of: lo, as: Self.self)
        UnsafeMutableRawPointer(p + 4).storeBytes(of: hi, as: Self.self)
    }
}

@inline(__always) func bits<V: LaneVector>(_ v: V) -> V.Bits { unsafeBitCast(v, to: V.Bits.self) }
@inline(__always) func lanes<V: LaneVector>(_ b: V.Bits, as _: V.Type) -> V { unsafeBitCast(b, to: V.self) }
@inline(__always) func signMask<V: LaneVector>(_ v: V) -> V.Bits { V.Bits(repeating: 0) &- (bits(v) &>> 63) }
@inline(__always) func select<V: LaneVector>(_ mask: V.Bits, _ ifSet: V, _ otherwise: V) -> V {
    lanes((mask & bits(ifSet)) | (~mask & bits(otherwise)), as: V.self)
}
@inline(__always) func negativeMagnitude<V: LaneVector>(_ v: V) -> V { lanes(bits(v) | V.Bits(repeating: 1 << 63), as: V.self) }

/// The product's `expNonPositiveUnchecked` (FastExp.swift), generic over the lane width; `blended` picks the
/// underflow lanes by a blend instead of a mask.
@inline(__always) func exponential<V: LaneVector>(_ x: V, blended: Bool = false) -> V {
    let shifter = V(repeating: 6755399441055744.0)
    let shifted = x * 1.4426950408889634 + shifter
    let n = shifted - shifter
    let r = (x - n * 0x1.62e42fee00000p-1) - n * 0x1.a39ef35793c76p-33
    let r2 = r * r, r4 = r2 * r2
    let t0 = r * 0x1.5555555555556p-3 + 0x1.0000000000001p-1
    let t1 = r * 0x1.11111111109a2p-7 + 0x1.5555555553d2bp-5
    let t2 = r * 0x1.a01a01a7d176dp-13 + 0x1.6c16c178a18c1p-10
    let t3 = r * 0x1.71de0d7a972efp-19 + 0x1.a019b8b8f8697p-16
    let t4 = r * 0x1.af3924be99a57p-26 + 0x1.2891e963ab1f9p-22
    let q = (t0 + r2 * t1) + r4 * ((t2 + r2 * t3) + r4 * t4)
    let p = 1 + (r + r2 * q)
    let scaled = bits(p) &+ (bits(shifted) &<< 52)
    if blended { return select(signMask(x + 708), V(repeating: 0), lanes(scaled, as: V.self)) }
    return lanes(~signMask(x + 708) & scaled, as: V.self)
}

/// The same polynomial and reduction with fused multiply-adds (ln 2 in one part).
@inline(__always) func fusedExponential<V: LaneVector>(_ x: V) -> V {
    let shifter = V(repeating: 6755399441055744.0)
    let shifted = shifter.addingProduct(x, V(repeating: 1.4426950408889634))
    let n = shifted - shifter
    let r = x.addingProduct(n, V(repeating: -0x1.62e42fefa39efp-1))
    let r2 = r * r, r4 = r2 * r2
    let t0 = V(repeating: 0x1.0000000000001p-1).addingProduct(r, V(repeating: 0x1.5555555555556p-3))
    let t1 = V(repeating: 0x1.5555555553d2bp-5).addingProduct(r, V(repeating: 0x1.11111111109a2p-7))
    let t2 = V(repeating: 0x1.6c16c178a18c1p-10).addingProduct(r, V(repeating: 0x1.a01a01a7d176dp-13))
    let t3 = V(repeating: 0x1.a019b8b8f8697p-16).addingProduct(r, V(repeating: 0x1.71de0d7a972efp-19))
    let t4 = V(repeating: 0x1.2891e963ab1f9p-22).addingProduct(r, V(repeating: 0x1.af3924be99a57p-26))
    let q = t0.addingProduct(r2, t1).addingProduct(r4, t2.addingProduct(r2, t3).addingProduct(r4, t4))
    let p = 1 + r.addingProduct(r2, q)
    return lanes(~signMask(x + 708) & (bits(p) &+ (bits(shifted) &<< 52)), as: V.self)
}

enum Variant: String, CaseIterable { case shipped, simd4, simd16, blend, phased, unrolled, fma }

/// The fold of the next log-term a into the running maximum: the weights (old, new) of S <- S old + new.
@inline(__always) func fold<V: LaneVector>(_ a: V, into top: inout V, _ variant: Variant) -> (old: V, new: V) {
    let one = V(repeating: 1), difference = a - top
    switch variant {
    case .blend:
        let e = exponential(negativeMagnitude(difference), blended: true)
        top = select(signMask(difference), top, a)
        return (select(signMask(difference), one, e), select(signMask(difference), e, one))
    case .fma:
        let below = signMask(difference), e = fusedExponential(negativeMagnitude(difference))
        top = select(below, top, a)
        let flip = below & (bits(e) ^ bits(one))
        return (lanes(bits(e) ^ flip, as: V.self), lanes(bits(one) ^ flip, as: V.self))
    default:
        let below = signMask(difference), e = exponential(negativeMagnitude(difference))
        top = select(below, top, a)
        let flip = below & (bits(e) ^ bits(one))
        return (lanes(bits(e) ^ flip, as: V.self), lanes(bits(one) ^ flip, as: V.self))
    }
}

/// Scores of n points (n a multiple of 8) of the mixture with means mu (K x 2), log-coefficients c and the
/// shared precision p: the shipped loop, or one variant of it.
@inline(__always)
func scores<V: LaneVector>(_: V.Type, _ variant: Variant, _ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>,
                           _ mu: UnsafePointer<Double>, _ c: UnsafePointer<Double>, _ k: Int, _ p: Double) {
    let halfPrecision = 0.5 * p
    for start in stride(from: 0, to: n, by: V.scalarCount) {
        let (xs, ys) = V.loadPoints(x + 2 * start)
        var nx = mu[0] - xs, ny = mu[1] - ys
        var top = c[0] - halfPrecision * (nx * nx + ny * ny), sum = V(repeating: 1)
        for m in 1..<k {
            let dx = mu[2 * m] - xs, dy = mu[2 * m + 1] - ys
            let (old, new) = fold(c[m] - halfPrecision * (dx * dx + dy * dy), into: &top, variant)
            sum = sum * old + new
            nx = nx * old + dx * new
            ny = ny * old + dy * new
        }
        let scale = p / sum
        V.storePoints(nx * scale, ny * scale, out + 2 * start)
    }
}

/// The phased form: per block of eight, the log-terms and running maxima, then the exponentials, then the sums.
@inline(__always)
func phasedScores(_ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>,
                  _ mu: UnsafePointer<Double>, _ c: UnsafePointer<Double>, _ k: Int, _ p: Double) {
    typealias V = SIMD8<Double>
    let halfPrecision = 0.5 * p, one = V(repeating: 1)
    withUnsafeTemporaryAllocation(of: V.self, capacity: 4 * k) { buffer in
        let dxs = buffer.baseAddress!, dys = dxs + k, differences = dys + k, es = differences + k
        for start in stride(from: 0, to: n, by: V.scalarCount) {
            let (xs, ys) = V.loadPoints(x + 2 * start)
            var top = V()
            for m in 0..<k {
                let dx = mu[2 * m] - xs, dy = mu[2 * m + 1] - ys
                let a = c[m] - halfPrecision * (dx * dx + dy * dy)
                dxs[m] = dx; dys[m] = dy
                if m == 0 { top = a; continue }
                differences[m] = a - top
                top = select(signMask(differences[m]), top, a)
            }
            for m in 1..<k { es[m] = exponential(negativeMagnitude(differences[m])) }
            var nx = dxs[0], ny = dys[0], sum = one
            for m in 1..<k {
                let below = signMask(differences[m])
                let old = select(below, one, es[m]), new = select(below, es[m], one)
                sum = sum * old + new
                nx = nx * old + dxs[m] * new
                ny = ny * old + dys[m] * new
            }
            let scale = p / sum
            V.storePoints(nx * scale, ny * scale, out + 2 * start)
        }
    }
}

@inline(never)
func run(_ variant: Variant, _ x: UnsafePointer<Double>, _ n: Int, _ out: UnsafeMutablePointer<Double>,
         _ mu: UnsafePointer<Double>, _ c: UnsafePointer<Double>, _ k: Int, _ p: Double) {
    switch variant {
    case .shipped, .blend, .fma: scores(SIMD8<Double>.self, variant, x, n, out, mu, c, k, p)
    case .simd4: scores(SIMD4<Double>.self, .shipped, x, n, out, mu, c, k, p)
    case .simd16: scores(SIMD16<Double>.self, .shipped, x, n, out, mu, c, k, p)
    case .phased: phasedScores(x, n, out, mu, c, k, p)
    case .unrolled:
        switch k {
        case 3: scores(SIMD8<Double>.self, .shipped, x, n, out, mu, c, 3, p)
        case 4: scores(SIMD8<Double>.self, .shipped, x, n, out, mu, c, 4, p)
        default: scores(SIMD8<Double>.self, .shipped, x, n, out, mu, c, k, p)
        }
    }
}

// The 2D presets at sigma = 1 (variance 0.64 + 1): strong (K = 4, weights 0.3, 0.3, 0.1, 0.3) and weak (K = 3, the
// missing mode left out), 2048 points (one chunk) from a fixed linear congruential stream over [-8, 8]^2.
let points = 2048, repetitions = 20_000, rounds = 5
var state: UInt64 = 0x5eed
let x = (0..<(2 * points)).map { _ -> Double in
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Double(state >> 11) * 0x1p-53 * 16 - 8
}
let variance = 0.64 + 1.0, precision = 1 / variance
let models: [(name: String, means: [Double], weights: [Double])] = [
    ("strong, K = 4", [-4, 4, 4, 4, -4, -4, 4, -4], [0.3, 0.3, 0.1, 0.3]),
    ("weak, K = 3", [-4, 4, 4, 4, 4, -4], [1.0 / 3, 1.0 / 3, 1.0 / 3]),
]
print("\(points) points x \(repetitions) calls per timing, one thread, median of \(rounds) interleaved rounds")
for model in models {
    let c = model.weights.map { log($0) - log(2 * Double.pi * variance) }
    let k = c.count
    var reference = [Double](repeating: 0, count: 2 * points)
    run(.shipped, x, points, &reference, model.means, c, k, precision)
    var times = [Variant: [Double]]()
    var outputs = [Variant: [Double]]()
    for _ in 0..<rounds {
        for variant in Variant.allCases {
            var out = [Double](repeating: 0, count: 2 * points)
            let start = Date()
            for _ in 0..<repetitions { run(variant, x, points, &out, model.means, c, k, precision) }
            times[variant, default: []].append(Date().timeIntervalSince(start))
            outputs[variant] = out
        }
    }
    print("\n\(model.name)")
    print("variant     seconds  vs shipped  scores")
    let base = times[.shipped]!.sorted()[rounds / 2]
    for variant in Variant.allCases {
        let median = times[variant]!.sorted()[rounds / 2]
        let out = outputs[variant]!
        let largest = zip(out, reference).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        let verdict = out == reference ? "identical" : String(format: "differ by up to %.1e (relative to max(1, |s|))", largest)
        print(variant.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
              + String(format: " %8.3f  %+9.0f%%  ", median, 100 * (median / base - 1)) + verdict)
    }
}
