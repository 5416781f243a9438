import RNNLabNumerics

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
    //   cPrev [B, H]   c_prev;  c [B, H] out: c' (kept for backward, which recomputes tanh(c'))
    //   h     [B, H]   out: h'
    @inline(__always)
    static func forward<T: Scalar>(
        gates: UnsafeMutablePointer<T>, hp: UnsafePointer<T>,
        cPrev: UnsafePointer<T>, c: UnsafeMutablePointer<T>,
        h: UnsafeMutablePointer<T>, batch: Int, hidden: Int
    ) {
        if T.self == Float.self {
            forwardFloat(gates: floats(gates), hp: floats(hp), cPrev: floats(cPrev), c: floats(c),
                         h: floats(h), batch: batch, hidden: hidden)
            return
        }
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
                h[row + j] = o * tc
            }
        }
    }

    // backward, given dh = ∂L/∂h' and dc = ∂L/∂c' from later steps, and c' from forward:
    //   dc'  = dc + dh ⊙ o ⊙ (1 − tanh²(c'))   (tanh(c') recomputed: the same value forward used)
    //   do   = dh ⊙ tanh(c')       → da_o = do ⊙ o(1 − o)
    //   di   = dc' ⊙ g             → da_i = di ⊙ i(1 − i)
    //   df   = dc' ⊙ c_prev        → da_f = df ⊙ f(1 − f)
    //   dg   = dc' ⊙ i             → da_g = dg ⊙ (1 − g²)
    //   dc_prev = dc' ⊙ f
    //   da [B, 4H] is ∂L/∂(pre-activations), the same for the input and the recurrent part.
    @inline(__always)
    static func backward<T: Scalar>(
        gates: UnsafePointer<T>, cPrev: UnsafePointer<T>, c: UnsafePointer<T>,
        dh: UnsafePointer<T>, dc: UnsafePointer<T>,
        da: UnsafeMutablePointer<T>, dcPrev: UnsafeMutablePointer<T>, batch: Int, hidden: Int
    ) {
        if T.self == Float.self {
            backwardFloat(gates: floats(gates), cPrev: floats(cPrev), c: floats(c), dh: floats(dh),
                          dc: floats(dc), da: floats(da), dcPrev: floats(dcPrev), batch: batch, hidden: hidden)
            return
        }
        let width = 4 * hidden
        for b in 0..<batch {
            let gate = gates + b * width, d = da + b * width
            let row = b * hidden
            for j in 0..<hidden {
                let i = gate[j], f = gate[hidden + j], g = gate[2 * hidden + j], o = gate[3 * hidden + j]
                let tc = T.hyperbolicTangent(c[row + j])
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

    // The float32 forms of the two passes above: eight units at a time in
    // SIMD lanes (the same operations in the same order, so each lane gives
    // what the scalar loop gives), the remaining H mod 8 units scalar.

    @inline(__always)
    static func forwardFloat(
        gates: UnsafeMutablePointer<Float>, hp: UnsafePointer<Float>,
        cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
        h: UnsafeMutablePointer<Float>, batch: Int, hidden H: Int
    ) {
        let width = 4 * H, vectorEnd = H - H % 8
        for b in 0..<batch {
            let gi = gates + b * width, gf = gi + H, gg = gf + H, go = gg + H
            let ri = hp + b * width, rf = ri + H, rg = rf + H, ro = rg + H
            let cp = cPrev + b * H, cn = c + b * H, hn = h + b * H
            var j = 0
            while j < vectorEnd {
                let i = Float.logistic(gi.load8(j) + ri.load8(j))
                let f = Float.logistic(gf.load8(j) + rf.load8(j))
                let g = Float.hyperbolicTangent(gg.load8(j) + rg.load8(j))
                let o = Float.logistic(go.load8(j) + ro.load8(j))
                let cNew = f * cp.load8(j) + i * g
                let t = Float.hyperbolicTangent(cNew)
                gi.store8(i, at: j); gf.store8(f, at: j); gg.store8(g, at: j); go.store8(o, at: j)
                cn.store8(cNew, at: j)
                hn.store8(o * t, at: j)
                j += 8
            }
            while j < H {
                let i = Float.logistic(gi[j] + ri[j])
                let f = Float.logistic(gf[j] + rf[j])
                let g = Float.hyperbolicTangent(gg[j] + rg[j])
                let o = Float.logistic(go[j] + ro[j])
                let cNew = f * cp[j] + i * g
                let t = Float.hyperbolicTangent(cNew)
                gi[j] = i; gf[j] = f; gg[j] = g; go[j] = o
                cn[j] = cNew
                hn[j] = o * t
                j += 1
            }
        }
    }

    @inline(__always)
    static func backwardFloat(
        gates: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, c: UnsafePointer<Float>,
        dh: UnsafePointer<Float>, dc: UnsafePointer<Float>,
        da: UnsafeMutablePointer<Float>, dcPrev: UnsafeMutablePointer<Float>, batch: Int, hidden H: Int
    ) {
        let width = 4 * H, vectorEnd = H - H % 8
        for b in 0..<batch {
            let gi = gates + b * width, gf = gi + H, gg = gf + H, go = gg + H
            let di = da + b * width, df = di + H, dg = df + H, dO = dg + H
            let cp = cPrev + b * H, cn = c + b * H, dhr = dh + b * H, dcr = dc + b * H, dcp = dcPrev + b * H
            var j = 0
            while j < vectorEnd {
                let i = gi.load8(j), f = gf.load8(j), g = gg.load8(j), o = go.load8(j)
                let t = Float.hyperbolicTangent(cn.load8(j)), dhj = dhr.load8(j)
                let dcTotal = dcr.load8(j) + dhj * o * (1 - t * t)
                di.store8(dcTotal * g * i * (1 - i), at: j)
                df.store8(dcTotal * cp.load8(j) * f * (1 - f), at: j)
                dg.store8(dcTotal * i * (1 - g * g), at: j)
                dO.store8(dhj * t * o * (1 - o), at: j)
                dcp.store8(dcTotal * f, at: j)
                j += 8
            }
            while j < H {
                let i = gi[j], f = gf[j], g = gg[j], o = go[j]
                let t = Float.hyperbolicTangent(cn[j]), dhj = dhr[j]
                let dcTotal = dcr[j] + dhj * o * (1 - t * t)
                di[j] = dcTotal * g * i * (1 - i)
                df[j] = dcTotal * cp[j] * f * (1 - f)
                dg[j] = dcTotal * i * (1 - g * g)
                dO[j] = dhj * t * o * (1 - o)
                dcp[j] = dcTotal * f
                j += 1
            }
        }
    }
}
