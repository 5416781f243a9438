/// The LSTM cell, PyTorch's `nn.LSTM`, gate blocks in the order i, f, g, o:
///
///     i  = σ(W_ii x + b_ii + W_hi h + b_hi)
///     f  = σ(W_if x + b_if + W_hf h + b_hf)
///     g  = tanh(W_ig x + b_ig + W_hg h + b_hg)
///     o  = σ(W_io x + b_io + W_ho h + b_ho)
///     c' = f ⊙ c + i ⊙ g
///     h' = o ⊙ tanh(c')
///
/// One time step over a batch of B rows and H units; gate buffers are [B, 4H]
/// with the blocks side by side in each row.
enum LSTMCell {
    // forward:
    //   gates [B, 4H]  in: x·W_ihᵀ + b_ih; out: the activated gates i, f, g, o (kept for backward)
    //   hp    [B, 4H]  h_prev·W_hhᵀ + b_hh
    //   cPrev [B, H]   c_prev;  c [B, H] out: c'
    //   tanhC [B, H]   out: tanh(c') (kept for backward)
    //   h     [B, H]   out: h'
    @inline(__always)
    static func forward<T: Scalar>(
        gates: UnsafeMutablePointer<T>, hp: UnsafePointer<T>,
        cPrev: UnsafePointer<T>, c: UnsafeMutablePointer<T>, tanhC: UnsafeMutablePointer<T>,
        h: UnsafeMutablePointer<T>, batch: Int, hidden: Int
    ) {
        let width = 4 * hidden
        for b in 0..<batch {
            let gate = gates + b * width, rec = hp + b * width
            let row = b * hidden
            for j in 0..<hidden {
                let i = T.logistic(gate[j] + rec[j])
                let f = T.logistic(gate[hidden + j] + rec[hidden + j])
                let g = T.hyperbolicTangent(gate[2 * hidden + j] + rec[2 * hidden + j])
                let o = T.logistic(gate[3 * hidden + j] + rec[3 * hidden + j])
                let cNew = f * cPrev[row + j] + i * g
                let tc = T.hyperbolicTangent(cNew)
                gate[j] = i; gate[hidden + j] = f; gate[2 * hidden + j] = g; gate[3 * hidden + j] = o
                c[row + j] = cNew
                tanhC[row + j] = tc
                h[row + j] = o * tc
            }
        }
    }

    // backward, given dh = ∂L/∂h' and dc = ∂L/∂c' from later steps:
    //   dc'  = dc + dh ⊙ o ⊙ (1 − tanh²(c'))
    //   do   = dh ⊙ tanh(c')       → da_o = do ⊙ o(1 − o)
    //   di   = dc' ⊙ g             → da_i = di ⊙ i(1 − i)
    //   df   = dc' ⊙ c_prev        → da_f = df ⊙ f(1 − f)
    //   dg   = dc' ⊙ i             → da_g = dg ⊙ (1 − g²)
    //   dc_prev = dc' ⊙ f
    //   da [B, 4H] is ∂L/∂(pre-activations), the same for the input and the recurrent part.
    @inline(__always)
    static func backward<T: Scalar>(
        gates: UnsafePointer<T>, cPrev: UnsafePointer<T>, tanhC: UnsafePointer<T>,
        dh: UnsafePointer<T>, dc: UnsafePointer<T>,
        da: UnsafeMutablePointer<T>, dcPrev: UnsafeMutablePointer<T>, batch: Int, hidden: Int
    ) {
        let width = 4 * hidden
        for b in 0..<batch {
            let gate = gates + b * width, d = da + b * width
            let row = b * hidden
            for j in 0..<hidden {
                let i = gate[j], f = gate[hidden + j], g = gate[2 * hidden + j], o = gate[3 * hidden + j]
                let tc = tanhC[row + j]
                let dhj = dh[row + j]
                let dcTotal = dc[row + j] + dhj * o * (1 - tc * tc)
                d[j] = dcTotal * g * i * (1 - i)
                d[hidden + j] = dcTotal * cPrev[row + j] * f * (1 - f)
                d[2 * hidden + j] = dcTotal * i * (1 - g * g)
                d[3 * hidden + j] = dhj * tc * o * (1 - o)
                dcPrev[row + j] = dcTotal * f
            }
        }
    }
}
