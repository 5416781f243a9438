import RNNLabNumerics

/// minGRU and minLSTM of Feng et al. (2024), "Were RNNs All We Needed?", in their
/// log-space form: gates from the input only, so that every step is
///
///     h_t = a_t ⊙ h_{t−1} + b_t
///
/// with a_t, b_t from x_t alone. The candidate goes through the paper's
/// g(x) = x + 1/2 (x ≥ 0), σ(x) (x < 0), which keeps it positive (so b_t > 0 and
/// log b_t exists):
///
///     minGRU   blocks (k, h̃):      z = σ(k);                 a = 1 − z,  b = z ⊙ g(h̃)
///     minLSTM  blocks (k_f, k_i, h̃): f = σ(k_f), i = σ(k_i);  a = f/(f + i),  b = i/(f + i) ⊙ g(h̃)
///
/// In log space (as the paper's code): log a = −softplus(k), log b = −softplus(−k) + log g(h̃)
/// for minGRU; for minLSTM, with d = softplus(−k_f) − softplus(−k_i) = log(i/f),
/// log a = −softplus(d), log b = −softplus(−d) + log g(h̃) (so minLSTM is minGRU with k := d).
/// This file holds the element-wise parts; `ScanSweep` runs the scan.
enum MinimalRNNCell {
    /// softplus(x) = log(1 + eˣ), without overflow.
    @inline(__always)
    static func softplus<T: Scalar>(_ x: T) -> T { x > 0 ? x + T.log(onePlus: T.exp(-x)) : T.log(onePlus: T.exp(x)) }

    /// log(eˣ + eʸ), with −∞ as the identity.
    @inline(__always)
    static func logAddExp<T: Scalar>(_ x: T, _ y: T) -> T {
        let (high, low) = x > y ? (x, y) : (y, x)
        if high == -T.infinity { return high }
        return high + T.log(onePlus: T.exp(low - high))
    }

    /// The paper's g(x): x + 1/2 for x ≥ 0, σ(x) otherwise (continuous, positive).
    @inline(__always)
    static func g<T: Scalar>(_ x: T) -> T { x >= 0 ? x + T(0.5) : Kernels.sigmoid(x) }

    /// log g(x) = log(x + 1/2) for x ≥ 0, −softplus(−x) otherwise.
    @inline(__always)
    static func logG<T: Scalar>(_ x: T) -> T { x >= 0 ? T.log(x + T(0.5)) : -softplus(-x) }

    /// g′(x) = 1 for x ≥ 0, σ(x)(1 − σ(x)) otherwise.
    @inline(__always)
    static func gPrime<T: Scalar>(_ x: T) -> T {
        if x >= 0 { return 1 }
        let s = Kernels.sigmoid(x)
        return s * (1 - s)
    }

    /// The update gate's pre-activation: k for minGRU; d = softplus(−k_f) − softplus(−k_i) for minLSTM.
    /// `row` points at one row of pre-activations [G·H]; j is the unit.
    @inline(__always)
    static func gateLogit<T: Scalar>(lstm: Bool, row: UnsafePointer<T>, unit j: Int, hidden H: Int) -> T {
        lstm ? softplus(-row[j]) - softplus(-row[H + j]) : row[j]
    }

    /// The candidate's pre-activation h̃ (the last block).
    @inline(__always)
    static func candidate<T: Scalar>(lstm: Bool, row: UnsafePointer<T>, unit j: Int, hidden H: Int) -> T {
        row[(lstm ? 2 : 1) * H + j]
    }

    /// (log a, log b) of one element, from its row of pre-activations.
    @inline(__always)
    static func logCoefficients<T: Scalar>(lstm: Bool, row: UnsafePointer<T>, unit j: Int, hidden H: Int) -> (T, T) {
        let k = gateLogit(lstm: lstm, row: row, unit: j, hidden: H)
        return (-softplus(k), -softplus(-k) + logG(candidate(lstm: lstm, row: row, unit: j, hidden: H)))
    }

    /// (a, b) of one element in linear space (the sequential form): a = 1 − z = σ(−k), b = z ⊙ g(h̃).
    @inline(__always)
    static func coefficients<T: Scalar>(lstm: Bool, row: UnsafePointer<T>, unit j: Int, hidden H: Int) -> (T, T) {
        let k = gateLogit(lstm: lstm, row: row, unit: j, hidden: H)
        return (Kernels.sigmoid(-k), Kernels.sigmoid(k) * g(candidate(lstm: lstm, row: row, unit: j, hidden: H)))
    }

    // backward of one row, given G = ∂L/∂h_t (total) and h_{t−1}: with z = σ(k) and c = g(h̃),
    //   h_t = (1 − z) h_{t−1} + z c   ⇒   dk = G (c − h_{t−1}) z(1 − z),  dh̃ = G z g′(h̃)
    //   minLSTM: dk_f = dk · ∂d/∂k_f = −dk σ(−k_f),  dk_i = dk · ∂d/∂k_i = dk σ(−k_i)
    // `row` holds the pre-activations and is overwritten with their gradients.
    @inline(__always)
    static func backward<T: Scalar>(
        lstm: Bool, row: UnsafeMutablePointer<T>, total: UnsafePointer<T>, hPrev: UnsafePointer<T>, hidden H: Int
    ) {
        for j in 0..<H {
            let k = gateLogit(lstm: lstm, row: UnsafePointer(row), unit: j, hidden: H)
            let x = candidate(lstm: lstm, row: UnsafePointer(row), unit: j, hidden: H)
            let z = Kernels.sigmoid(k), gradient = total[j]
            let dk = gradient * (g(x) - hPrev[j]) * z * (1 - z)
            if lstm {
                let kf = row[j], ki = row[H + j]
                row[j] = -dk * Kernels.sigmoid(-kf)
                row[H + j] = dk * Kernels.sigmoid(-ki)
                row[2 * H + j] = gradient * z * gPrime(x)
            } else {
                row[j] = dk
                row[H + j] = gradient * z * gPrime(x)
            }
        }
    }
}
