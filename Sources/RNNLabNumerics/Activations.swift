import RealModule

/// The logistic sigmoid and tanh as used by the recurrent cells.
///
/// `Double` uses libm (exact to the last bit, for gradient checks). `Float`
/// uses branch-free polynomial forms the compiler can vectorise across a gate
/// row: `exp` by Cephes' range reduction and degree-6 polynomial (about 2 ulp),
/// σ(x) = 1 / (1 + e^(−x)), and tanh(x) = 2σ(2x) − 1, with an odd Taylor
/// polynomial for |x| < 0.05 where that form would lose relative precision.
/// Over the whole float range the absolute error is below 3e-7 for both; NaN
/// gives NaN.
public protocol Activations {
    /// The logistic sigmoid 1 / (1 + e^(−x)).
    static func logistic(_ x: Self) -> Self
    /// The hyperbolic tangent.
    static func hyperbolicTangent(_ x: Self) -> Self
}

extension Double: Activations {
    @inlinable @inline(__always)
    public static func logistic(_ x: Double) -> Double { Kernels.sigmoid(x) }

    @inlinable @inline(__always)
    public static func hyperbolicTangent(_ x: Double) -> Double { Double.tanh(x) }
}

extension Float: Activations {
    /// 1.5·2²³: adding and subtracting it rounds a float of magnitude below 2²²
    /// to an integer (round to nearest), and the sum's low bits hold that integer.
    @usableFromInline static var roundingShifter: Float { 12_582_912 }

    /// e^x for x in the float range, branch-free (clamped to [−87.3, 88.7]).
    ///
    /// floor and the exponent's integer conversion are done with the shifter
    /// trick rather than `floorf` and a trapping `Int32(_:)`, so that loops over
    /// it vectorise with plain SSE2; the result is the same bit for bit.
    @inlinable @inline(__always)
    public static func vectorExp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.3), 88.7)
        let m = clamped * 1.442_695_04 + 0.5
        let nearest = (m + roundingShifter) - roundingShifter
        let n = nearest > m ? nearest - 1 : nearest          // floor(m)
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let y = p * r * r + r + 1
        // 2ⁿ from n's bits; NaN gives a meaningless scale, and y stays NaN (no trap).
        let integer = (n + roundingShifter).bitPattern &- 0x4B40_0000
        let scale = Float(bitPattern: (integer &+ 127) &<< 23)
        return y * scale
    }

    @inlinable @inline(__always)
    public static func logistic(_ x: Float) -> Float {
        1 / (1 + vectorExp(-x))
    }

    @inlinable @inline(__always)
    public static func hyperbolicTangent(_ x: Float) -> Float {
        let x2 = x * x
        let small = x * (1 + x2 * (-0.333_333_343 + x2 * (0.133_333_340 - x2 * 0.053_968_254)))
        let large = 2 / (1 + vectorExp(-2 * x)) - 1
        return abs(x) < 0.05 ? small : large
    }
}

/// Eight lanes of float32, the unit of the cells' vectorised loops.
public typealias Float8 = SIMD8<Float>

extension Float {
    /// `vectorExp` on eight lanes, the same operations lane by lane (bit-identical results).
    @inlinable @inline(__always)
    public static func vectorExp(_ x: Float8) -> Float8 {
        let low = Float8(repeating: -87.3), high = Float8(repeating: 88.7)
        var clamped = x.replacing(with: low, where: x .< low)        // max(x, −87.3), NaN kept
        clamped = clamped.replacing(with: high, where: high .< clamped)  // min(·, 88.7)
        let shifter = Float8(repeating: roundingShifter)
        let m = clamped * 1.442_695_04 + 0.5
        let nearest = (m + shifter) - shifter
        let n = nearest.replacing(with: nearest - 1, where: nearest .> m)
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = Float8(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let y = p * r * r + r + 1
        let bits = unsafeBitCast(n + shifter, to: SIMD8<UInt32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((bits &+ 127) &<< 23, to: Float8.self)
        return y * scale
    }

    /// `logistic` on eight lanes (bit-identical to the scalar form).
    @inlinable @inline(__always)
    public static func logistic(_ x: Float8) -> Float8 {
        1 / (1 + vectorExp(-x))
    }

    /// `hyperbolicTangent` on eight lanes (bit-identical to the scalar form).
    @inlinable @inline(__always)
    public static func hyperbolicTangent(_ x: Float8) -> Float8 {
        let x2 = x * x
        let small = x * (1 + x2 * (-0.333_333_343 + x2 * (0.133_333_340 - x2 * 0.053_968_254)))
        let large = 2 / (1 + vectorExp(-2 * x)) - 1
        return large.replacing(with: small, where: (x .< 0.05) .& (x .> -0.05))
    }
}

extension UnsafePointer where Pointee == Float {
    /// Eight floats from `self + offset` (no alignment needed).
    @inlinable @inline(__always)
    public func load8(_ offset: Int) -> Float8 {
        UnsafeRawPointer(self + offset).loadUnaligned(as: Float8.self)
    }
}

extension UnsafeMutablePointer where Pointee == Float {
    /// Eight floats from `self + offset` (no alignment needed).
    @inlinable @inline(__always)
    public func load8(_ offset: Int) -> Float8 {
        UnsafeRawPointer(self + offset).loadUnaligned(as: Float8.self)
    }

    /// Stores eight floats at `self + offset` (no alignment needed).
    @inlinable @inline(__always)
    public func store8(_ value: Float8, at offset: Int) {
        UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: Float8.self)
    }
}
