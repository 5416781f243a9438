import RNNLabNumerics

/// The float32 forms of `MinimalRNNCell`'s element-wise work and of the scan's inner loops, eight units
/// at a time (`Float8`), the remaining H mod 8 units through the same lane functions on a padded vector.
/// exp is `Float.vectorExp`; log is `vectorLog` below. Double keeps libm (gradient checks, parity).
enum MinimalRNNCellFloat {
    /// log x for positive normal x (cephes' logf: x = m·2ᵉ with m in [√½, √2), a degree-9 polynomial
    /// in m − 1), about 1 ulp; lanes ≤ 0 give meaningless values and are not used.
    @inline(__always)
    static func vectorLog(_ x: Float8) -> Float8 {
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        var e = Float8(SIMD8<Int32>(truncatingIfNeeded: (bits &>> 23) & 0xFF) &- 126)
        var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F00_0000, to: Float8.self)   // [0.5, 1)
        let small = m .< 0.707_106_781
        e = e.replacing(with: e - 1, where: small)
        m = m.replacing(with: m + m - 1, where: small).replacing(with: m - 1, where: .!small)
        let z = m * m
        var y = Float8(repeating: 7.037_683_629_2e-2)
        y = y * m - 1.151_461_031_0e-1
        y = y * m + 1.167_699_874_0e-1
        y = y * m - 1.242_014_084_6e-1
        y = y * m + 1.424_932_278_7e-1
        y = y * m - 1.666_805_766_5e-1
        y = y * m + 2.000_071_476_5e-1
        y = y * m - 2.499_999_399_3e-1
        y = y * m + 3.333_333_117_4e-1
        y = y * m * z
        y += e * -2.121_944_40e-4
        y -= 0.5 * z
        return m + y + e * 0.693_359_375
    }

    /// softplus(x) = max(x, 0) + log(1 + e^(−|x|)).
    @inline(__always)
    static func softplus(_ x: Float8) -> Float8 {
        let positive = x.replacing(with: 0, where: x .< 0)
        let negativeAbs = x.replacing(with: -x, where: x .> 0)
        return positive + vectorLog(1 + Float.vectorExp(negativeAbs))
    }

    /// log g(x): log(x + ½) for x ≥ 0, log σ(x) = x − log(1 + eˣ) otherwise.
    @inline(__always)
    static func logG(_ x: Float8) -> Float8 {
        let nonnegative = x .>= 0
        let argument = (x + 0.5).replacing(with: 1 + Float.vectorExp(x.replacing(with: 0, where: nonnegative)),
                                           where: .!nonnegative)
        let l = vectorLog(argument)
        return l.replacing(with: x - l, where: .!nonnegative)
    }

    /// g(x) and g′(x): (x + ½, 1) for x ≥ 0, (σ(x), σ(x)(1 − σ(x))) otherwise.
    @inline(__always)
    static func g(_ x: Float8) -> (value: Float8, slope: Float8) {
        let s = Float.logistic(x), nonnegative = x .>= 0
        return (s.replacing(with: x + 0.5, where: nonnegative), (s * (1 - s)).replacing(with: 1, where: nonnegative))
    }

    /// The update gate's logit k (minGRU) or d = softplus(−k_f) − softplus(−k_i) (minLSTM) of units j..<j+8.
    @inline(__always)
    static func gateLogit(lstm: Bool, row: UnsafePointer<Float>, unit j: Int, hidden H: Int) -> Float8 {
        lstm ? softplus(-row.load8(j)) - softplus(-row.load8(H + j)) : row.load8(j)
    }

    /// Runs `body(j)` for j = 0, 8, … over H units; a tail of H mod 8 units goes through 8-unit
    /// scratch copies of the rows involved (`scratch` holds 8 floats per row).
    @inline(__always)
    static func lanes(_ H: Int, _ body: (Int) -> Void, tail: (Int, Int) -> Void) {
        let end = H - H % 8
        var j = 0
        while j < end { body(j); j += 8 }
        if end < H { tail(end, H - end) }
    }

    /// (log a, log b) of one row of pre-activations into `out` [2H].
    static func logCoefficients(lstm: Bool, row: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, hidden H: Int) {
        let candidate = (lstm ? 2 : 1) * H
        lanes(H, { j in
            let k = gateLogit(lstm: lstm, row: row, unit: j, hidden: H)
            let sp = softplus(k)
            out.store8(-sp, at: j)
            out.store8(k - sp + logG(row.load8(candidate + j)), at: H + j)
        }, tail: { j, n in
            for u in j..<(j + n) {
                let (la, lb) = MinimalRNNCell.logCoefficients(lstm: lstm, row: row, unit: u, hidden: H)
                out[u] = la; out[H + u] = lb
            }
        })
    }

    /// Phase (1) of the forward scan for one row: total += la; out = logaddexp(previous + la, lb)
    /// (out = lb at a block's first step, `previous` nil).
    static func scanStep(la: UnsafePointer<Float>, lb: UnsafePointer<Float>, previous: UnsafePointer<Float>?,
                         out: UnsafeMutablePointer<Float>, total: UnsafeMutablePointer<Float>, count H: Int) {
        lanes(H, { j in
            let a = la.load8(j), b = lb.load8(j)
            total.store8(total.load8(j) + a, at: j)
            guard let previous else { out.store8(b, at: j); return }
            let x = previous.load8(j) + a
            let high = x.replacing(with: b, where: b .> x), low = x.replacing(with: b, where: b .<= x)
            // −∞ (the identity) in both: keep −∞ (e^(low − high) would be NaN).
            let sum = high + vectorLog(1 + Float.vectorExp(low - high))
            out.store8(sum.replacing(with: high, where: high .== -.infinity), at: j)
        }, tail: { j, n in
            for u in j..<(j + n) {
                total[u] += la[u]
                out[u] = previous.map { MinimalRNNCell.logAddExp($0[u] + la[u], lb[u]) } ?? lb[u]
            }
        })
    }

    /// Phase (3) for one row: running += la; out = e^running ⊙ start + e^out.
    static func applyStart(la: UnsafePointer<Float>, running: UnsafeMutablePointer<Float>, start: UnsafePointer<Float>,
                           out: UnsafeMutablePointer<Float>, count H: Int) {
        lanes(H, { j in
            let r = running.load8(j) + la.load8(j)
            running.store8(r, at: j)
            out.store8(Float.vectorExp(r) * start.load8(j) + Float.vectorExp(out.load8(j)), at: j)
        }, tail: { j, n in
            for u in j..<(j + n) {
                running[u] += la[u]
                out[u] = Float.exp(running[u]) * start[u] + Float.exp(out[u])
            }
        })
    }

    /// a = σ(−k) (minGRU) or σ(−d) (minLSTM) of one row, times `scale`, into `out` [H].
    static func decay(lstm: Bool, row: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, scale: Float, hidden H: Int) {
        lanes(H, { j in
            out.store8(Float.logistic(-gateLogit(lstm: lstm, row: row, unit: j, hidden: H)) * scale, at: j)
        }, tail: { j, n in
            for u in j..<(j + n) { out[u] = MinimalRNNCell.coefficients(lstm: lstm, row: row, unit: u, hidden: H).0 * scale }
        })
    }

    /// `MinimalRNNCell.backward` for one row, eight units at a time.
    static func backward(lstm: Bool, row: UnsafeMutablePointer<Float>, total: UnsafePointer<Float>,
                         hPrev: UnsafePointer<Float>, hidden H: Int) {
        let candidate = (lstm ? 2 : 1) * H
        let end = H - H % 8
        var j = 0
        while j < end {
            let k = gateLogit(lstm: lstm, row: UnsafePointer(row), unit: j, hidden: H)
            let (value, slope) = g(row.load8(candidate + j))
            let z = Float.logistic(k), gradient = total.load8(j)
            let dk = gradient * (value - hPrev.load8(j)) * z * (1 - z)
            if lstm {
                let kf = row.load8(j), ki = row.load8(H + j)
                row.store8(-dk * Float.logistic(-kf), at: j)
                row.store8(dk * Float.logistic(-ki), at: H + j)
            } else {
                row.store8(dk, at: j)
            }
            row.store8(gradient * z * slope, at: candidate + j)
            j += 8
        }
        if end < H {
            // The tail: the generic scalar form on the same row (it reads each unit before writing it).
            for u in end..<H {
                let k = MinimalRNNCell.gateLogit(lstm: lstm, row: UnsafePointer(row), unit: u, hidden: H)
                let x = row[candidate + u], z = Kernels.sigmoid(k), gradient = total[u]
                let dk = gradient * (MinimalRNNCell.g(x) - hPrev[u]) * z * (1 - z)
                if lstm {
                    let kf = row[u], ki = row[H + u]
                    row[u] = -dk * Kernels.sigmoid(-kf)
                    row[H + u] = dk * Kernels.sigmoid(-ki)
                } else {
                    row[u] = dk
                }
                row[candidate + u] = gradient * z * MinimalRNNCell.gPrime(x)
            }
        }
    }
}
