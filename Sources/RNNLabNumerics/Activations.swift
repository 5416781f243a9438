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
    /// e^x for x in the float range, branch-free (clamped to [−87.3, 88.7]).
    @inlinable @inline(__always)
    public static func vectorExp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.3), 88.7)
        let n = (clamped * 1.442_695_04 + 0.5).rounded(.down)
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let y = p * r * r + r + 1
        // NaN stays NaN through y; the exponent must not trap on it (a diverging run is reported, not crashed).
        let exponent = n.isNaN ? 0 : n
        let scale = Float(bitPattern: UInt32(truncatingIfNeeded: Int32(exponent) + 127) << 23)
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
