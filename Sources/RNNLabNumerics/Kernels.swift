import RealModule

/// Element-wise kernels over contiguous buffers, written as plain loops the
/// compiler can vectorise. Each is numerically stable over the whole range of
/// its input (no overflow in `exp` for large |x|).
public enum Kernels {
    /// The logistic sigmoid σ(x) = 1 / (1 + e^(−x)), evaluated without overflow.
    @inlinable @inline(__always)
    public static func sigmoid<T: Scalar>(_ x: T) -> T {
        if x >= 0 {
            return 1 / (1 + T.exp(-x))
        } else {
            let e = T.exp(x)
            return e / (1 + e)
        }
    }

    /// y ← σ(x) over `count` elements (`x` and `y` may alias).
    @inlinable
    public static func sigmoid<T: Scalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) {
        for i in 0..<count { y[i] = sigmoid(x[i]) }
    }

    /// y ← tanh(x) over `count` elements (`x` and `y` may alias).
    @inlinable
    public static func tanh<T: Scalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) {
        for i in 0..<count { y[i] = T.tanh(x[i]) }
    }

    /// y ← max(0, x) over `count` elements (`x` and `y` may alias).
    @inlinable
    public static func relu<T: Scalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) {
        for i in 0..<count { y[i] = x[i] > 0 ? x[i] : 0 }
    }

    /// log Σ exp(xᵢ) over `count` elements, computed as m + log Σ exp(xᵢ − m)
    /// with m = max xᵢ. Returns −∞ for an empty input.
    @inlinable
    public static func logSumExp<T: Scalar>(_ x: UnsafePointer<T>, count: Int) -> T {
        guard count > 0 else { return -T.infinity }
        var m = x[0]
        for i in 1..<count where x[i] > m { m = x[i] }
        if !m.isFinite { return m }
        var sum: T = 0
        for i in 0..<count { sum += T.exp(x[i] - m) }
        return m + T.log(sum)
    }

    /// y ← softmax(x) over `count` elements (`x` and `y` may alias); returns log Σ exp(x).
    ///
    /// Float32 takes `softmaxFloat` (eight lanes, one exponential per element);
    /// Double keeps libm and this two-pass form.
    @inlinable @discardableResult
    public static func softmax<T: Scalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) -> T {
        if T.self == Float.self {
            let lse = softmaxFloat(UnsafeRawPointer(x).assumingMemoryBound(to: Float.self),
                                   UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self), count: count)
            return T(lse)
        }
        let lse = logSumExp(x, count: count)
        for i in 0..<count { y[i] = T.exp(x[i] - lse) }
        return lse
    }

    /// y ← y + x over `count` elements.
    @inlinable
    public static func add<T: Scalar>(_ x: UnsafePointer<T>, into y: UnsafeMutablePointer<T>, count: Int) {
        for i in 0..<count { y[i] += x[i] }
    }

    /// out[j] ← out[j] + Σᵢ m[i, j]: column sums of a rows×cols matrix with
    /// leading dimension `ld`, added into `out` (bias gradients).
    @inlinable
    public static func addColumnSums<T: Scalar>(
        _ m: UnsafePointer<T>, rows: Int, cols: Int, ld: Int, into out: UnsafeMutablePointer<T>
    ) {
        for r in 0..<rows {
            let row = m + r * ld
            for j in 0..<cols { out[j] += row[j] }
        }
    }

    /// Adds the vector `v` (length `cols`) to every row of a rows×cols matrix.
    @inlinable
    public static func addRowVector<T: Scalar>(
        _ v: UnsafePointer<T>, to m: UnsafeMutablePointer<T>, rows: Int, cols: Int, ld: Int
    ) {
        for r in 0..<rows {
            let row = m + r * ld
            for j in 0..<cols { row[j] += v[j] }
        }
    }

    /// Sets each row of a rows×cols matrix to the vector `v`.
    @inlinable
    public static func broadcastRows<T: Scalar>(
        _ v: UnsafePointer<T>, to m: UnsafeMutablePointer<T>, rows: Int, cols: Int, ld: Int
    ) {
        for r in 0..<rows { (m + r * ld).update(from: v, count: cols) }
    }

    /// Copies a rows×cols block between matrices with their own leading dimensions.
    @inlinable
    public static func copyBlock<T: Scalar>(
        _ source: UnsafePointer<T>, sourceLD: Int, to destination: UnsafeMutablePointer<T>,
        destinationLD: Int, rows: Int, cols: Int
    ) {
        for r in 0..<rows { (destination + r * destinationLD).update(from: source + r * sourceLD, count: cols) }
    }

    /// The Euclidean norm √(Σ xᵢ²) of `count` elements, accumulated in Double.
    /// Four interleaved partial sums (elements i ≡ 0, 1, 2, 3 mod 4) keep the
    /// Double additions from waiting on one another.
    @inlinable
    public static func l2Norm<T: Scalar>(_ x: UnsafePointer<T>, count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        let end = count - count % 4
        var i = 0
        while i < end {
            let a = Double(x[i]), b = Double(x[i + 1]), c = Double(x[i + 2]), d = Double(x[i + 3])
            s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d
            i += 4
        }
        while i < count { let v = Double(x[i]); s0 += v * v; i += 1 }
        return ((s0 + s1) + (s2 + s3)).squareRoot()
    }

    /// y ← softmax(x) in float32 over `count` elements (`x` and `y` may alias);
    /// returns log Σ exp(x). One pass for the maximum m, one that stores
    /// e^(xᵢ − m) (`Float.vectorExp`, about 2 ulp; 0 below e^−87.3) and sums it in eight lanes,
    /// one that scales by the reciprocal of the sum. Infinite maxima and NaN take
    /// the scalar route, so special values behave as in the generic form.
    @inlinable @discardableResult
    public static func softmaxFloat(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) -> Float {
        guard count > 0 else { return -.infinity }
        let vectorEnd = count - count % 8
        var lanesMax = Float8(repeating: -.infinity)
        var i = 0
        while i < vectorEnd {
            let v = x.load8(i)
            lanesMax = lanesMax.replacing(with: v, where: lanesMax .< v)
            i += 8
        }
        var m = lanesMax.max()
        while i < count { if x[i] > m { m = x[i] }; i += 1 }
        guard m.isFinite else {
            let lse = logSumExp(x, count: count)
            for k in 0..<count { y[k] = Float.exp(x[k] - lse) }
            return lse
        }
        // vectorExp clamps its argument at −87.3; below that (down to −∞) e^(xᵢ − m) is taken as 0.
        let shift = Float8(repeating: m), floor = Float8(repeating: -87.3)
        var lanesSum = Float8()
        i = 0
        while i < vectorEnd {
            let d = x.load8(i) - shift
            let e = Float.vectorExp(d).replacing(with: 0, where: d .< floor)
            y.store8(e, at: i)
            lanesSum += e
            i += 8
        }
        var sum = lanesSum.sum()
        while i < count { let d = x[i] - m; let e = d < -87.3 ? 0 : Float.vectorExp(d); y[i] = e; sum += e; i += 1 }
        let inverse = 1 / sum
        for k in 0..<count { y[k] *= inverse }
        return m + Float.log(sum)
    }
}
