import RNNLabNumerics
import RealModule

/// Bahdanau et al. 2015's additive score, e[t, b, s] = vᵀ tanh(W_q q[t, b] + W_k k[s, b] + b_k).
///
/// Shapes (T queries, B rows, S source positions, Q query features, K key features, A attention units):
///   queries [T, B, Q]   keys [S, B, K]   scores [T, B, S]
///   W_q.weight [A, Q]   W_k.weight [A, K]   W_k.bias [A]   v.weight [1, A]
///   u [T, B, S, A]      tanh(W_q q + W_k k + b_k), kept for backward
final class AdditiveAttention<T: Scalar> {
    let queryProjection: Linear<T>   // W_q, no bias
    let keyProjection: Linear<T>     // W_k, b_k
    let v: Parameter<T>
    let parameters: [Parameter<T>]
    let attentionSize: Int

    private let hidden = Tensor<T>(shape: [0])              // u [T, B, S, A]
    private let queryProjectionGradient = Tensor<T>(shape: [0])  // [T·B, A]
    private let keyProjectionGradient = Tensor<T>(shape: [0])    // [S·B, A]
    private var sizes = (queries: 0, batch: 0, sourceSteps: 0)
    private var lengths: [Int]?

    init(querySize: Int, keySize: Int, attentionSize: Int, name prefix: String) {
        let dot = prefix.isEmpty ? "" : "\(prefix)."
        self.attentionSize = attentionSize
        queryProjection = Linear(inputSize: querySize, outputSize: attentionSize, hasBias: false, name: "\(dot)W_q")
        keyProjection = Linear(inputSize: keySize, outputSize: attentionSize, hasBias: true, name: "\(dot)W_k")
        v = Parameter(name: "\(dot)v.weight", shape: [1, attentionSize])
        parameters = queryProjection.parameters + keyProjection.parameters + [v]
    }

    // forward:
    //   qp [T·B, A] = queries · W_qᵀ        kp [S·B, A] = keys · W_kᵀ + b_k      (two GEMMs)
    //   u[t, b, s, :] = tanh(qp[t, b] + kp[s, b])   e[t, b, s] = v · u[t, b, s, :]   (unmasked s only)
    func forward(queries: Tensor<T>, keys: Tensor<T>, lengths: [Int]?, scores: UnsafeMutablePointer<T>) {
        let (steps, batch, sourceSteps) = (queries.shape[0], queries.shape[1], keys.shape[0])
        let A = attentionSize
        sizes = (steps, batch, sourceSteps)
        self.lengths = lengths
        let qp = queryProjection.forward(queries), kp = keyProjection.forward(keys)
        hidden.reshape([steps, batch, sourceSteps, A])
        for t in 0..<steps {
            for b in 0..<batch {
                let q = qp.data + (t * batch + b) * A
                let row = t * batch + b
                for s in 0..<(lengths?[b] ?? sourceSteps) {
                    let k = kp.data + (s * batch + b) * A
                    let u = hidden.data + (row * sourceSteps + s) * A
                    var e: T = 0
                    for j in 0..<A {
                        let value = T.tanh(q[j] + k[j])
                        u[j] = value
                        e += v.value.data[j] * value
                    }
                    scores[row * sourceSteps + s] = e
                }
            }
        }
    }

    // backward, given de [T, B, S] (zero at masked positions):
    //   dpre[t, b, s, :] = de · v ⊙ (1 − u²)        ∂v += Σ de · u
    //   dqp[t, b] = Σ_s dpre        dkp[s, b] = Σ_t dpre
    //   ∂W_q += dqpᵀ·queries, dQueries = dqp · W_q ;  ∂W_k += dkpᵀ·keys, ∂b_k += Σ dkp, dKeys += dkp · W_k
    /// Writes ∂L/∂queries into `queryGradient` [T, B, Q] and adds ∂L/∂keys into `keyGradient` [S, B, K].
    func backward(scoreGradient: UnsafePointer<T>, queryGradient: Tensor<T>, keyGradient: Tensor<T>) {
        let (steps, batch, sourceSteps) = sizes
        let A = attentionSize
        queryProjectionGradient.reshape([steps * batch, A])
        queryProjectionGradient.zero()
        keyProjectionGradient.reshape([sourceSteps * batch, A])
        keyProjectionGradient.zero()
        let vData = v.value.data, dv = v.gradient.data
        for t in 0..<steps {
            for b in 0..<batch {
                let row = t * batch + b
                let dq = queryProjectionGradient.data + row * A
                for s in 0..<(lengths?[b] ?? sourceSteps) {
                    let de = scoreGradient[row * sourceSteps + s]
                    let u = hidden.data + (row * sourceSteps + s) * A
                    let dk = keyProjectionGradient.data + (s * batch + b) * A
                    for j in 0..<A {
                        dv[j] += de * u[j]
                        let dpre = de * vData[j] * (1 - u[j] * u[j])
                        dq[j] += dpre
                        dk[j] += dpre
                    }
                }
            }
        }
        let dQueries = queryProjection.backward(queryProjectionGradient)
        queryGradient.copy(from: dQueries)
        let dKeys = keyProjection.backward(keyProjectionGradient)
        Kernels.add(dKeys.data, into: keyGradient.data, count: keyGradient.count)
    }
}
