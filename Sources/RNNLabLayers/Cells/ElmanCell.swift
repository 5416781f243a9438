import RNNLabNumerics

/// The Elman RNN cell, PyTorch's `nn.RNN` (nonlinearity "tanh" or "relu").
///
///     h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)
///
/// One time step over a batch: every buffer below is [B, H] (G = 1).
enum ElmanCell {
    // forward: h = act(xp + hp)
    //   xp [B, H]  input pre-activation x·W_ihᵀ + b_ih
    //   hp [B, H]  recurrent pre-activation h_prev·W_hhᵀ + b_hh
    //   h  [B, H]  output (the new hidden state)
    @inline(__always)
    static func forward<T: Scalar>(
        relu: Bool, xp: UnsafePointer<T>, hp: UnsafePointer<T>, h: UnsafeMutablePointer<T>, count: Int
    ) {
        if relu {
            for i in 0..<count { let a = xp[i] + hp[i]; h[i] = a > 0 ? a : 0 }
        } else if T.self == Float.self {
            let x = floats(xp), r = floats(hp), y = floats(h), vectorEnd = count - count % 8
            var i = 0
            while i < vectorEnd { y.store8(Float.hyperbolicTangent(x.load8(i) + r.load8(i)), at: i); i += 8 }
            while i < count { y[i] = Float.hyperbolicTangent(x[i] + r[i]); i += 1 }
        } else {
            for i in 0..<count { h[i] = T.hyperbolicTangent(xp[i] + hp[i]) }
        }
    }

    // backward: da = dh ⊙ act'(a), with act' written in terms of the output h:
    //   tanh: 1 − h²      relu: 1 if h > 0 else 0
    //   dxp = dhp = da  (the same pre-activation feeds both weight matrices)
    @inline(__always)
    static func backward<T: Scalar>(
        relu: Bool, h: UnsafePointer<T>, dh: UnsafePointer<T>, da: UnsafeMutablePointer<T>, count: Int
    ) {
        if relu {
            for i in 0..<count { da[i] = h[i] > 0 ? dh[i] : 0 }
        } else {
            for i in 0..<count { da[i] = dh[i] * (1 - h[i] * h[i]) }
        }
    }
}
