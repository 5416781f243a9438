/// The GRU cell, PyTorch's `nn.GRU`, gate blocks in the order r, z, n:
///
///     r  = σ(W_ir x + b_ir + W_hr h + b_hr)
///     z  = σ(W_iz x + b_iz + W_hz h + b_hz)
///     n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
///     h' = (1 − z) ⊙ n + z ⊙ h
///
/// The reset gate multiplies the recurrent term *after* its bias, which is why
/// PyTorch keeps two bias vectors. Gate buffers are [B, 3H].
enum GRUCell {
    // forward:
    //   gates [B, 3H]  in: x·W_ihᵀ + b_ih; out: the activated r, z, n (kept for backward)
    //   hp    [B, 3H]  h_prev·W_hhᵀ + b_hh
    //   hPrev [B, H];  h [B, H] out: h'
    //   hpN   [B, H]   out: W_hn h_prev + b_hn (kept for backward)
    @inline(__always)
    static func forward<T: Scalar>(
        gates: UnsafeMutablePointer<T>, hp: UnsafePointer<T>, hPrev: UnsafePointer<T>,
        h: UnsafeMutablePointer<T>, hpN: UnsafeMutablePointer<T>, batch: Int, hidden: Int
    ) {
        let width = 3 * hidden
        for b in 0..<batch {
            let gate = gates + b * width, rec = hp + b * width
            let row = b * hidden
            for j in 0..<hidden {
                let r = T.logistic(gate[j] + rec[j])
                let z = T.logistic(gate[hidden + j] + rec[hidden + j])
                let recN = rec[2 * hidden + j]
                let n = T.hyperbolicTangent(gate[2 * hidden + j] + r * recN)
                gate[j] = r; gate[hidden + j] = z; gate[2 * hidden + j] = n
                hpN[row + j] = recN
                h[row + j] = (1 - z) * n + z * hPrev[row + j]
            }
        }
    }

    // backward, given dh = ∂L/∂h':
    //   dn = dh ⊙ (1 − z)       → da_n = dn ⊙ (1 − n²)         (input part of n)
    //   dz = dh ⊙ (h_prev − n)  → da_z = dz ⊙ z(1 − z)
    //   dr = da_n ⊙ hpN         → da_r = dr ⊙ r(1 − r)
    //   dxa [B, 3H]: ∂L/∂(x·W_ihᵀ + b_ih) = (da_r, da_z, da_n)
    //   dha [B, 3H]: ∂L/∂(h·W_hhᵀ + b_hh) = (da_r, da_z, da_n ⊙ r)
    //   dhPrev [B, H]: the direct path, dh ⊙ z (the caller adds dha·W_hh)
    @inline(__always)
    static func backward<T: Scalar>(
        gates: UnsafePointer<T>, hpN: UnsafePointer<T>, hPrev: UnsafePointer<T>, dh: UnsafePointer<T>,
        dxa: UnsafeMutablePointer<T>, dha: UnsafeMutablePointer<T>, dhPrev: UnsafeMutablePointer<T>,
        batch: Int, hidden: Int
    ) {
        let width = 3 * hidden
        for b in 0..<batch {
            let gate = gates + b * width, dx = dxa + b * width, dr = dha + b * width
            let row = b * hidden
            for j in 0..<hidden {
                let r = gate[j], z = gate[hidden + j], n = gate[2 * hidden + j]
                let dhj = dh[row + j]
                let daN = dhj * (1 - z) * (1 - n * n)
                let daZ = dhj * (hPrev[row + j] - n) * z * (1 - z)
                let daR = daN * hpN[row + j] * r * (1 - r)
                dx[j] = daR; dx[hidden + j] = daZ; dx[2 * hidden + j] = daN
                dr[j] = daR; dr[hidden + j] = daZ; dr[2 * hidden + j] = daN * r
                dhPrev[row + j] = dhj * z
            }
        }
    }
}
