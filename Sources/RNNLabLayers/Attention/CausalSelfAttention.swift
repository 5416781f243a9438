import RNNLabNumerics

/// Masked multi-head self-attention over time-major sequences, as a GPT block's attention: one projection to
/// queries, keys and values (`c_attn`), per head a softmax over the steps s ≤ t, and an output projection
/// (`c_proj`). Each head's weights P [T, T] are recomputed in the backward pass rather than stored, so memory
/// stays one T×T workspace whatever B and the head count.
///
/// Shapes: x [T, B, W] → y [T, B, W]; `c_attn.weight` [3W, W], `c_attn.bias` [3W], `c_proj.weight` [W, W],
/// `c_proj.bias` [W]; head h of row b uses columns h·d ..< (h + 1)·d of q, k and v, d = W / heads.
///
///     [q k v] = x W_attnᵀ + b_attn,  S = q kᵀ/√d (s > t masked),  P = softmax_row(S),  o = P v,  y = o W_projᵀ + b_proj
public final class CausalSelfAttention<T: Scalar>: ParameterOwner {
    public let width: Int
    public let heads: Int
    public let inProjection: Linear<T>
    public let outProjection: Linear<T>
    public var parameters: [Parameter<T>] { inProjection.parameters + outProjection.parameters }
    private let mixed = Tensor<T>(shape: [0])          // o [T, B, W]
    private let mixedGradient = Tensor<T>(shape: [0])  // ∂o [T, B, W]
    private let qkvGradient = Tensor<T>(shape: [0])    // ∂[q k v] [T, B, 3W]
    private let weights = Tensor<T>(shape: [0])        // P [T, T] of one head
    private let weightGradient = Tensor<T>(shape: [0]) // ∂P then ∂S [T, T]
    private var shape = (steps: 0, rows: 0)

    public init(width: Int, heads: Int, name prefix: String) {
        precondition(heads >= 1 && width % heads == 0, "width \(width) is not a multiple of \(heads) heads")
        self.width = width
        self.heads = heads
        inProjection = Linear(inputSize: width, outputSize: 3 * width, name: "\(prefix).c_attn")
        outProjection = Linear(inputSize: width, outputSize: width, name: "\(prefix).c_proj")
    }

    /// P [T, T] of head h of row b from the stored projections (rows t, columns s ≤ t; zero above the diagonal).
    private func attentionWeights(row b: Int, head h: Int) {
        let (steps, rows) = shape, W = width, d = W / heads, ld = rows * 3 * W
        let qkv = inProjection.output.data
        weights.reshape([steps, steps])
        T.gemm(transA: false, transB: true, m: steps, n: steps, k: d, alpha: 1 / T(d).squareRoot(),
               a: qkv + b * 3 * W + h * d, lda: ld, b: qkv + b * 3 * W + W + h * d, ldb: ld,
               beta: 0, c: weights.data, ldc: steps)
        for t in 0..<steps {
            let row = weights.data + t * steps
            Kernels.softmax(row, row, count: t + 1)
            for s in (t + 1)..<max(steps, t + 1) { row[s] = 0 }
        }
    }

    // forward: x [T, B, W] → qkv [T, B, 3W] → per (b, h): o_bh = P_bh v_bh → y [T, B, W]
    @discardableResult
    public func forward(_ x: Tensor<T>) -> Tensor<T> {
        let steps = x.shape[0], W = width, rows = x.count / W / max(steps, 1), d = W / heads
        shape = (steps, rows)
        x.reshape([steps * rows, W])
        let qkv = inProjection.forward(x)
        x.reshape([steps, rows, W])
        mixed.reshape([steps * rows, W])
        for b in 0..<rows {
            for h in 0..<heads {
                attentionWeights(row: b, head: h)
                T.gemm(transA: false, transB: false, m: steps, n: d, k: steps, alpha: 1, a: weights.data, lda: steps,
                       b: qkv.data + b * 3 * W + 2 * W + h * d, ldb: rows * 3 * W,
                       beta: 0, c: mixed.data + b * W + h * d, ldc: rows * W)
            }
        }
        let y = outProjection.forward(mixed)
        y.reshape([steps, rows, W])
        return y
    }

    // backward: ∂o = dy W_proj; per (b, h): ∂P = ∂o vᵀ, ∂v = Pᵀ ∂o, ∂S = P ⊙ (∂P − rowsum(∂P ⊙ P)) / √d,
    //           ∂q = ∂S k, ∂k = ∂Sᵀ q;  then dx = ∂qkv W_attn
    @discardableResult
    public func backward(_ dy: Tensor<T>) -> Tensor<T> {
        let (steps, rows) = shape, W = width, d = W / heads, ld = rows * 3 * W
        dy.reshape([steps * rows, W])
        let dMixed = outProjection.backward(dy)
        dy.reshape([steps, rows, W])
        mixedGradient.reshape([steps * rows, W])
        mixedGradient.copy(from: dMixed)
        qkvGradient.reshape([steps * rows, 3 * W])
        qkvGradient.zero()
        let qkv = inProjection.output.data
        weightGradient.reshape([steps, steps])
        let scale = 1 / T(d).squareRoot()
        for b in 0..<rows {
            for h in 0..<heads {
                attentionWeights(row: b, head: h)
                let q = qkv + b * 3 * W + h * d, k = q + W, v = q + 2 * W
                let dq = qkvGradient.data + b * 3 * W + h * d, dk = dq + W, dv = dq + 2 * W
                let dO = mixedGradient.data + b * W + h * d
                T.gemm(transA: false, transB: true, m: steps, n: steps, k: d, alpha: 1, a: dO, lda: rows * W,
                       b: v, ldb: ld, beta: 0, c: weightGradient.data, ldc: steps)
                T.gemm(transA: true, transB: false, m: steps, n: d, k: steps, alpha: 1, a: weights.data, lda: steps,
                       b: dO, ldb: rows * W, beta: 1, c: dv, ldc: ld)
                for t in 0..<steps {
                    let p = weights.data + t * steps, g = weightGradient.data + t * steps
                    var dot = T(0)
                    for s in 0...t { dot += p[s] * g[s] }
                    for s in 0...t { g[s] = p[s] * (g[s] - dot) * scale }
                    for s in (t + 1)..<max(steps, t + 1) { g[s] = 0 }
                }
                T.gemm(transA: false, transB: false, m: steps, n: d, k: steps, alpha: 1, a: weightGradient.data, lda: steps,
                       b: k, ldb: ld, beta: 1, c: dq, ldc: ld)
                T.gemm(transA: true, transB: false, m: steps, n: d, k: steps, alpha: 1, a: weightGradient.data, lda: steps,
                       b: q, ldb: ld, beta: 1, c: dk, ldc: ld)
            }
        }
        let dx = inProjection.backward(qkvGradient)
        dx.reshape([steps, rows, W])
        return dx
    }
}
