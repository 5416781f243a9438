import RNNLabNumerics

/// The parts every attention mechanism shares: the masked softmax that turns
/// scores into weights, and the weighted sum of the values (the context).
///
/// Shapes (T queries, B rows, S source positions, H value features), time-major:
///   scores, weights  [T, B, S]   row (t·B + b) holds one query's S scores
///   values           [S, B, H]   the encoder outputs
///   context          [T, B, H]
/// Source position s of row b is masked when s ≥ lengths[b]: its weight is 0
/// and no gradient reaches its score or its value.
enum AttentionWeights {
    // forward: α[t, b, s] = exp(e[t, b, s]) / Σ_{s' < len_b} exp(e[t, b, s'])  for s < len_b, 0 otherwise
    /// Overwrites `scores` [T, B, S] with the weights.
    static func softmax<T: Scalar>(
        _ scores: UnsafeMutablePointer<T>, queries: Int, batch: Int, sourceSteps: Int, lengths: [Int]?
    ) {
        for t in 0..<queries {
            for b in 0..<batch {
                let row = scores + (t * batch + b) * sourceSteps
                let length = lengths?[b] ?? sourceSteps
                Kernels.softmax(row, row, count: length)
                if length < sourceSteps { (row + length).update(repeating: 0, count: sourceSteps - length) }
            }
        }
    }

    // backward: de[s] = α[s] · (dα[s] − Σ_{s'} α[s'] dα[s'])   (zero wherever α is zero, i.e. masked)
    /// Overwrites `gradient` [T, B, S] (∂L/∂α on entry) with ∂L/∂e.
    static func softmaxBackward<T: Scalar>(
        weights: UnsafePointer<T>, gradient: UnsafeMutablePointer<T>, queries: Int, batch: Int, sourceSteps: Int,
        lengths: [Int]?
    ) {
        for t in 0..<queries {
            for b in 0..<batch {
                let offset = (t * batch + b) * sourceSteps
                let a = weights + offset, d = gradient + offset
                let length = lengths?[b] ?? sourceSteps
                var inner: T = 0
                for s in 0..<length { inner += a[s] * d[s] }
                for s in 0..<length { d[s] = a[s] * (d[s] - inner) }
                if length < sourceSteps { (d + length).update(repeating: 0, count: sourceSteps - length) }
            }
        }
    }

    // forward: c[t, b, :] = Σ_s α[t, b, s] · v[s, b, :]
    //   per row b, one GEMM: C_b [T, H] = A_b [T, S] · V_b [S, H]  (strided views of the time-major tensors)
    static func context<T: Scalar>(
        weights: UnsafePointer<T>, values: UnsafePointer<T>, context: UnsafeMutablePointer<T>,
        queries: Int, batch: Int, sourceSteps: Int, features: Int
    ) {
        for b in 0..<batch {
            T.gemm(transA: false, transB: false, m: queries, n: features, k: sourceSteps,
                   alpha: 1, a: weights + b * sourceSteps, lda: batch * sourceSteps,
                   b: values + b * features, ldb: batch * features,
                   beta: 0, c: context + b * features, ldc: batch * features)
        }
    }

    // backward: dα_b [T, S] = dC_b [T, H] · V_bᵀ ;  dV_b [S, H] += A_bᵀ [S, T] · dC_b [T, H]
    static func contextBackward<T: Scalar>(
        weights: UnsafePointer<T>, values: UnsafePointer<T>, contextGradient: UnsafePointer<T>,
        weightGradient: UnsafeMutablePointer<T>, valueGradient: UnsafeMutablePointer<T>,
        queries: Int, batch: Int, sourceSteps: Int, features: Int
    ) {
        for b in 0..<batch {
            T.gemm(transA: false, transB: true, m: queries, n: sourceSteps, k: features,
                   alpha: 1, a: contextGradient + b * features, lda: batch * features,
                   b: values + b * features, ldb: batch * features,
                   beta: 0, c: weightGradient + b * sourceSteps, ldc: batch * sourceSteps)
            T.gemm(transA: true, transB: false, m: sourceSteps, n: features, k: queries,
                   alpha: 1, a: weights + b * sourceSteps, lda: batch * sourceSteps,
                   b: contextGradient + b * features, ldb: batch * features,
                   beta: 1, c: valueGradient + b * features, ldc: batch * features)
        }
    }
}
