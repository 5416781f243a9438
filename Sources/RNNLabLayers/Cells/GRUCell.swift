import RNNLabNumerics

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
        if T.self == Float.self {
            forwardFloat(gates: floats(gates), hp: floats(hp), hPrev: floats(hPrev), h: floats(h),
                         hpN: floats(hpN), batch: batch, hidden: hidden)
            return
        }
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
        if T.self == Float.self {
            backwardFloat(gates: floats(gates), hpN: floats(hpN), hPrev: floats(hPrev), dh: floats(dh),
                          dxa: floats(dxa), dha: floats(dha), dhPrev: floats(dhPrev), batch: batch, hidden: hidden)
            return
        }
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

    // The float32 forms of the two passes above, eight units per SIMD step
    // (lane-for-lane the scalar operations), the remaining H mod 8 units scalar.

    @inline(__always)
    static func forwardFloat(
        gates: UnsafeMutablePointer<Float>, hp: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
        h: UnsafeMutablePointer<Float>, hpN: UnsafeMutablePointer<Float>, batch: Int, hidden H: Int
    ) {
        let width = 3 * H, vectorEnd = H - H % 8
        for b in 0..<batch {
            let gr = gates + b * width, gz = gr + H, gn = gz + H
            let rr = hp + b * width, rz = rr + H, rn = rz + H
            let hp0 = hPrev + b * H, hn = h + b * H, keep = hpN + b * H
            var j = 0
            while j < vectorEnd {
                let r = Float.logistic(gr.load8(j) + rr.load8(j))
                let z = Float.logistic(gz.load8(j) + rz.load8(j))
                let recN = rn.load8(j)
                let n = Float.hyperbolicTangent(gn.load8(j) + r * recN)
                gr.store8(r, at: j); gz.store8(z, at: j); gn.store8(n, at: j)
                keep.store8(recN, at: j)
                hn.store8((1 - z) * n + z * hp0.load8(j), at: j)
                j += 8
            }
            while j < H {
                let r = Float.logistic(gr[j] + rr[j])
                let z = Float.logistic(gz[j] + rz[j])
                let recN = rn[j]
                let n = Float.hyperbolicTangent(gn[j] + r * recN)
                gr[j] = r; gz[j] = z; gn[j] = n
                keep[j] = recN
                hn[j] = (1 - z) * n + z * hp0[j]
                j += 1
            }
        }
    }

    @inline(__always)
    static func backwardFloat(
        gates: UnsafePointer<Float>, hpN: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, dh: UnsafePointer<Float>,
        dxa: UnsafeMutablePointer<Float>, dha: UnsafeMutablePointer<Float>, dhPrev: UnsafeMutablePointer<Float>,
        batch: Int, hidden H: Int
    ) {
        let width = 3 * H, vectorEnd = H - H % 8
        for b in 0..<batch {
            let gr = gates + b * width, gz = gr + H, gn = gz + H
            let xr = dxa + b * width, xz = xr + H, xn = xz + H
            let hr = dha + b * width, hz = hr + H, hn = hz + H
            let keep = hpN + b * H, hp0 = hPrev + b * H, dhr = dh + b * H, dhp = dhPrev + b * H
            var j = 0
            while j < vectorEnd {
                let r = gr.load8(j), z = gz.load8(j), n = gn.load8(j)
                let dhj = dhr.load8(j)
                let daN = dhj * (1 - z) * (1 - n * n)
                let daZ = dhj * (hp0.load8(j) - n) * z * (1 - z)
                let daR = daN * keep.load8(j) * r * (1 - r)
                xr.store8(daR, at: j); xz.store8(daZ, at: j); xn.store8(daN, at: j)
                hr.store8(daR, at: j); hz.store8(daZ, at: j); hn.store8(daN * r, at: j)
                dhp.store8(dhj * z, at: j)
                j += 8
            }
            while j < H {
                let r = gr[j], z = gz[j], n = gn[j]
                let dhj = dhr[j]
                let daN = dhj * (1 - z) * (1 - n * n)
                let daZ = dhj * (hp0[j] - n) * z * (1 - z)
                let daR = daN * keep[j] * r * (1 - r)
                xr[j] = daR; xz[j] = daZ; xn[j] = daN
                hr[j] = daR; hz[j] = daZ; hn[j] = daN * r
                dhp[j] = dhj * z
                j += 1
            }
        }
    }
}
