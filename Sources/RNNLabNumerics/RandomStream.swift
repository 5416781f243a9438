import RealModule

/// A deterministic pseudo-random stream (xoshiro256**, seeded through
/// SplitMix64), identified by a run seed and a stream name.
///
/// Each consumer of randomness (initialisation, data order, dropout, …) owns a
/// stream of its own name, so that changing how much one consumer draws never
/// shifts the numbers another one sees. The state is four 64-bit words and can
/// be saved and restored exactly.
public struct RandomStream: RandomNumberGenerator, Sendable, Equatable {
    /// The generator state, for checkpoints.
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// A stream for the named consumer of randomness in the run with `seed`.
    public init(seed: UInt64, stream name: String) {
        var mix = seed ^ RandomStream.fnv1a(name)
        func next() -> UInt64 {
            mix &+= 0x9E37_79B9_7F4A_7C15
            var z = mix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    /// Restores a stream from a saved state.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        self.state = state
    }

    public static func == (a: RandomStream, b: RandomStream) -> Bool {
        a.state == b.state
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    /// A uniform draw from [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform draw from [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUnit()
    }

    /// A standard normal draw (Box–Muller; one of the pair is used, so each
    /// call consumes exactly two uniforms).
    public mutating func normal() -> Double {
        var u1 = nextUnit()
        while u1 <= 0 { u1 = nextUnit() }
        let u2 = nextUnit()
        return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
    }

    /// A uniform integer in 0..<bound (bias-free by rejection).
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0, "index(below:) needs a positive bound")
        return Int(next(upperBound: UInt64(bound)))
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// The 64-bit FNV-1a hash of a string's UTF-8 bytes.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
