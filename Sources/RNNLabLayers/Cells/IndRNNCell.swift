import RNNLabNumerics

/// The independently recurrent cell of Li et al. (2018), "Independently Recurrent Neural
/// Network (IndRNN)": each unit sees only its own previous state, through a diagonal
/// recurrent weight u [H]:
///
///     h' = act(W_ih x + b_ih + u ⊙ h)        act = relu (default) or tanh
///
/// One time step over a batch: every buffer below is [B, H] (G = 1).
enum IndRNNCell {
    // forward: h = act(xp + u ⊙ hPrev)
    //   xp [B, H] input pre-activation x·W_ihᵀ + b_ih;  u [H];  hPrev, h [B, H]
    @inline(__always)
    static func forward<T: Scalar>(
        relu: Bool, xp: UnsafePointer<T>, u: UnsafePointer<T>, hPrev: UnsafePointer<T>, h: UnsafeMutablePointer<T>,
        batch: Int, hidden H: Int
    ) {
        for b in 0..<batch {
            let x = xp + b * H, hp = hPrev + b * H, y = h + b * H
            for j in 0..<H {
                let a = x[j] + u[j] * hp[j]
                y[j] = relu ? (a > 0 ? a : 0) : T.tanh(a)
            }
        }
    }

    // backward: da = dh ⊙ act'(a) with act' from the output (relu: [h > 0]; tanh: 1 − h²);
    //   dxp = da (written over the input pre-activations), dhPrev = da ⊙ u,
    //   and ∂u = Σ da ⊙ hPrev, which the sweep sums over all steps at once.
    @inline(__always)
    static func backward<T: Scalar>(
        relu: Bool, h: UnsafePointer<T>, u: UnsafePointer<T>, dh: UnsafePointer<T>,
        da: UnsafeMutablePointer<T>, dhPrev: UnsafeMutablePointer<T>, batch: Int, hidden H: Int
    ) {
        for b in 0..<batch {
            let y = h + b * H, d = dh + b * H, out = da + b * H, back = dhPrev + b * H
            for j in 0..<H {
                let g = relu ? (y[j] > 0 ? d[j] : 0) : d[j] * (1 - y[j] * y[j])
                out[j] = g
                back[j] = g * u[j]
            }
        }
    }
}
