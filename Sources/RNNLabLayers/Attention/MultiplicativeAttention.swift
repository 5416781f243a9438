import RNNLabNumerics

/// Luong et al. 2015's multiplicative scores:
///   dot      e[t, b, s] = q[t, b] · k[s, b]          (Q = K)
///   general  e[t, b, s] = q[t, b] · (W_a k[s, b])    W_a.weight [Q, K], no bias
///
/// Shapes: queries [T, B, Q], keys [S, B, K], projected keys kg [S, B, Q], scores [T, B, S].
final class MultiplicativeAttention<T: Scalar> {
    /// W_a for "general"; nil for "dot".
    let keyProjection: Linear<T>?
    var parameters: [Parameter<T>] { keyProjection?.parameters ?? [] }

    private var queries: Tensor<T>?
    private var projectedKeys: Tensor<T>?
    private let projectedKeyGradient = Tensor<T>(shape: [0])   // [S, B, Q]

    init(querySize: Int, keySize: Int, general: Bool, name prefix: String) {
        let dot = prefix.isEmpty ? "" : "\(prefix)."
        keyProjection = general ? Linear(inputSize: keySize, outputSize: querySize, hasBias: false, name: "\(dot)W_a") : nil
    }

    // forward: kg = keys (dot) or keys · W_aᵀ (general)
    //   per row b, one GEMM: E_b [T, S] = Q_b [T, Q] · Kg_bᵀ [Q, S]  (masked positions are overwritten by the softmax)
    func forward(queries: Tensor<T>, keys: Tensor<T>, scores: UnsafeMutablePointer<T>) {
        let (steps, batch, sourceSteps, Q) = (queries.shape[0], queries.shape[1], keys.shape[0], queries.shape[2])
        let kg = keyProjection.map { $0.forward(keys) } ?? keys
        self.queries = queries
        self.projectedKeys = kg
        for b in 0..<batch {
            T.gemm(transA: false, transB: true, m: steps, n: sourceSteps, k: Q,
                   alpha: 1, a: queries.data + b * Q, lda: batch * Q, b: kg.data + b * Q, ldb: batch * Q,
                   beta: 0, c: scores + b * sourceSteps, ldc: batch * sourceSteps)
        }
    }

    // backward, given de [T, B, S] (zero at masked positions):
    //   dQ_b [T, Q] = dE_b · Kg_b          dKg_b [S, Q] = dE_bᵀ · Q_b
    //   dot: dKeys += dKg ;  general: ∂W_a += dKgᵀ·keys, dKeys += dKg · W_a
    /// Writes ∂L/∂queries into `queryGradient` [T, B, Q] and adds ∂L/∂keys into `keyGradient` [S, B, K].
    func backward(scoreGradient: UnsafePointer<T>, queryGradient: Tensor<T>, keyGradient: Tensor<T>) {
        guard let queries, let kg = projectedKeys else { preconditionFailure("attention backward called before forward") }
        let (steps, batch, Q) = (queries.shape[0], queries.shape[1], queries.shape[2])
        let sourceSteps = kg.count / (batch * Q)
        queryGradient.reshape(queries.shape)
        projectedKeyGradient.reshape([sourceSteps, batch, Q])
        for b in 0..<batch {
            T.gemm(transA: false, transB: false, m: steps, n: Q, k: sourceSteps,
                   alpha: 1, a: scoreGradient + b * sourceSteps, lda: batch * sourceSteps,
                   b: kg.data + b * Q, ldb: batch * Q, beta: 0, c: queryGradient.data + b * Q, ldc: batch * Q)
            T.gemm(transA: true, transB: false, m: sourceSteps, n: Q, k: steps,
                   alpha: 1, a: scoreGradient + b * sourceSteps, lda: batch * sourceSteps,
                   b: queries.data + b * Q, ldb: batch * Q, beta: 0, c: projectedKeyGradient.data + b * Q, ldc: batch * Q)
        }
        if let keyProjection {
            let dKeys = keyProjection.backward(projectedKeyGradient)
            Kernels.add(dKeys.data, into: keyGradient.data, count: keyGradient.count)
        } else {
            Kernels.add(projectedKeyGradient.data, into: keyGradient.data, count: keyGradient.count)
        }
    }
}
