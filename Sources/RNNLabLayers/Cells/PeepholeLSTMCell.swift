import RNNLabNumerics

/// Greff et al.'s peephole LSTM and its variants (`LSTMVariant`), one time step:
///
///     i  = σ(a_i + p_i ⊙ c)            a_· = W_i· x + b_i· + W_h· h + b_h· (+ FGR: W_g· [i, f, o]_prev)
///     f  = σ(a_f + p_f ⊙ c)            (NFG: f = 1; CIFG: f = 1 − i)
///     g  = tanh(a_g)                   (NIAF: g = a_g)
///     c' = f ⊙ c + i ⊙ g               (NIG: i = 1)
///     o  = σ(a_o + p_o ⊙ c')           (NOG: o = 1)
///     h' = o ⊙ tanh(c')                (NOAF: h' = o ⊙ c')
///
/// The peepholes p are diagonal (vectors [H]), as in the paper; the output gate's
/// peephole reads the new cell state c'. Gate buffers are [B, G·H], blocks i, f, o
/// (those present), then g.
enum PeepholeLSTMCell {
    /// The diagonal peephole weights [H] of the gates that have them (nil: none).
    struct Peepholes<T: Scalar> {
        var input: UnsafePointer<T>?
        var forget: UnsafePointer<T>?
        var output: UnsafePointer<T>?
    }

    // forward:
    //   gates [B, G·H]  in: x·W_ihᵀ + b_ih; out: the activated gates (kept for backward)
    //   hp    [B, G·H]  h_prev·W_hhᵀ + b_hh (+ the FGR term)
    //   cPrev [B, H];   c [B, H] out: c';   h [B, H] out: h'
    @inline(__always)
    static func forward<T: Scalar>(
        _ v: LSTMVariant, gates: UnsafeMutablePointer<T>, hp: UnsafePointer<T>, peepholes p: Peepholes<T>,
        cPrev: UnsafePointer<T>, c: UnsafeMutablePointer<T>, h: UnsafeMutablePointer<T>, batch: Int, hidden H: Int
    ) {
        let width = v.gateCount * H
        let bi = v.inputBlock.map { $0 * H }, bf = v.forgetBlock.map { $0 * H }, bo = v.outputBlock.map { $0 * H }
        let bg = v.candidateBlock * H
        for b in 0..<batch {
            let gate = gates + b * width, rec = hp + b * width, row = b * H
            for j in 0..<H {
                let cp = cPrev[row + j]
                var i: T = 1, f: T = 1, o: T = 1
                if let bi {
                    i = Kernels.sigmoid(gate[bi + j] + rec[bi + j] + (p.input.map { $0[j] * cp } ?? 0))
                    gate[bi + j] = i
                }
                if let bf {
                    f = Kernels.sigmoid(gate[bf + j] + rec[bf + j] + (p.forget.map { $0[j] * cp } ?? 0))
                    gate[bf + j] = f
                } else if v.couplesForgetToInput {
                    f = 1 - i
                }
                let ag = gate[bg + j] + rec[bg + j]
                let g = v.inputActivation ? T.tanh(ag) : ag
                gate[bg + j] = g
                let cNew = f * cp + i * g
                if let bo {
                    o = Kernels.sigmoid(gate[bo + j] + rec[bo + j] + (p.output.map { $0[j] * cNew } ?? 0))
                    gate[bo + j] = o
                }
                c[row + j] = cNew
                h[row + j] = o * (v.outputActivation ? T.tanh(cNew) : cNew)
            }
        }
    }

    // backward, given dh = ∂L/∂h', dc = ∂L/∂c' from the next step, and (FGR) dGate = ∂L/∂[i, f, o]
    // from the next step's gate recurrence (rows of stride G·H, nil when absent). With s = tanh(c')
    // (NOAF: s = c', s' = 1):
    //   do   = dh ⊙ s + dGate_o              → da_o = do ⊙ o(1 − o)
    //   dc'  = dc + dh ⊙ o ⊙ s' + da_o ⊙ p_o
    //   di   = dc' ⊙ g + dGate_i (CIFG: dc' ⊙ (g − c) + dGate_i) → da_i = di ⊙ i(1 − i)
    //   df   = dc' ⊙ c + dGate_f             → da_f = df ⊙ f(1 − f)
    //   dg   = dc' ⊙ i                       → da_g = dg ⊙ (1 − g²) (NIAF: dg)
    //   dc_prev = dc' ⊙ f + da_i ⊙ p_i + da_f ⊙ p_f
    //   da [B, G·H] is ∂L/∂(pre-activations), the same for the input and the recurrent part.
    @inline(__always)
    static func backward<T: Scalar>(
        _ v: LSTMVariant, gates: UnsafePointer<T>, peepholes p: Peepholes<T>, cPrev: UnsafePointer<T>, c: UnsafePointer<T>,
        dh: UnsafePointer<T>, dc: UnsafePointer<T>, dGate: UnsafePointer<T>?,
        da: UnsafeMutablePointer<T>, dcPrev: UnsafeMutablePointer<T>, batch: Int, hidden H: Int
    ) {
        let width = v.gateCount * H
        let bi = v.inputBlock.map { $0 * H }, bf = v.forgetBlock.map { $0 * H }, bo = v.outputBlock.map { $0 * H }
        let bg = v.candidateBlock * H
        for b in 0..<batch {
            let gate = gates + b * width, d = da + b * width, row = b * H
            let incoming = dGate.map { $0 + b * width }
            for j in 0..<H {
                let cp = cPrev[row + j], cNew = c[row + j], dhj = dh[row + j]
                let s = v.outputActivation ? T.tanh(cNew) : cNew
                let sPrime = v.outputActivation ? 1 - s * s : 1
                var o: T = 1
                var dcTotal = dc[row + j]
                if let bo {
                    o = gate[bo + j]
                    let daO = (dhj * s + (incoming.map { $0[bo + j] } ?? 0)) * o * (1 - o)
                    d[bo + j] = daO
                    if let po = p.output { dcTotal += daO * po[j] }
                }
                dcTotal += dhj * o * sPrime
                let g = gate[bg + j]
                var i: T = 1, f: T = 1
                var dcp: T = 0
                if let bi {
                    i = gate[bi + j]
                    let di = dcTotal * (v.couplesForgetToInput ? g - cp : g) + (incoming.map { $0[bi + j] } ?? 0)
                    let daI = di * i * (1 - i)
                    d[bi + j] = daI
                    if let pi = p.input { dcp += daI * pi[j] }
                }
                if let bf {
                    f = gate[bf + j]
                    let daF = (dcTotal * cp + (incoming.map { $0[bf + j] } ?? 0)) * f * (1 - f)
                    d[bf + j] = daF
                    if let pf = p.forget { dcp += daF * pf[j] }
                } else if v.couplesForgetToInput {
                    f = 1 - i
                }
                let dg = dcTotal * i
                d[bg + j] = v.inputActivation ? dg * (1 - g * g) : dg
                dcPrev[row + j] = dcTotal * f + dcp
            }
        }
    }
}
