import Foundation

/// SplitMix64 (Steele, Lea, Flood 2014): a 64-bit counter passed through an invertible mixing
/// function. Used only to seed `Xoshiro256StarStar` and to derive independent streams.
public struct SplitMix64: Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The SplitMix64 finaliser: a bijection on UInt64 with full avalanche.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }
}

/// xoshiro256** (Blackman, Vigna 2018), seeded by SplitMix64.
///
/// `Xoshiro256StarStar(seed:stream:)` gives the generator of one particle: every particle owns its
/// stream, derived from (seed, particle index), so results do not depend on how particles are split
/// into chunks or on how many threads run them.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64

    public init(seed: UInt64) {
        var seeder = SplitMix64(seed: seed)
        s0 = seeder.next(); s1 = seeder.next(); s2 = seeder.next(); s3 = seeder.next()
    }

    /// The generator of stream `stream` (e.g. a particle index) under `seed`.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: SplitMix64.mix(seed ^ SplitMix64.mix(stream &+ 0x632B_E59B_D9B4_E019)))
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform on (0, 1]: 53 random bits, never 0 (safe under log).
    @inlinable
    public mutating func nextOpenUnit() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }

    /// A standard normal variate by the Box-Muller transform: sqrt(-2 ln u1) cos(2 pi u2).
    /// Always finite: u1 is in (0, 1], so |z| <= sqrt(-2 ln 2^-53) ~ 8.57.
    @inlinable
    public mutating func nextNormal() -> Double {
        let u1 = nextOpenUnit()
        let u2 = nextOpenUnit()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
}
