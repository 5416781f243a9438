import RNNLabNumerics
import RealModule

/// Attention pooling, a readout of many-to-one models (Yang et al. 2016's word
/// attention without the context query): a learned score per position, a
/// softmax over the real steps, and the weighted mean of the states.
///
///     u[s, b] = tanh(W h[s, b] + b_W)     e[b, s] = vᵀ u[s, b]
///     α[b, :] = softmax over s < len_b    r[b] = Σ_s α[b, s] h[s, b]
///
/// Shapes (S steps, B rows, H features, A attention units):
///   states [S, B, H]  weights [1, B, S]  readout [B, H]
///   W.weight [A, H]   W.bias [A]   v.weight [1, A]     (under `prefix.`, e.g. `pooling.W.weight`)
public final class AttentionPooling<T: Scalar>: ParameterOwner {
    public let inputSize: Int
    public let attentionSize: Int
    public let projection: Linear<T>
    public let v: Parameter<T>
    public let parameters: [Parameter<T>]

    /// α of the last forward pass [1, B, S]; 0 at padded steps.
    public let weights = Tensor<T>(shape: [0])
    /// r of the last forward pass [B, H].
    public let readout = Tensor<T>(shape: [0])
    /// ∂L/∂states of the last backward pass [S, B, H].
    public let inputGradient = Tensor<T>(shape: [0])
    private let hidden = Tensor<T>(shape: [0])            // u [S, B, A]
    private let hiddenGradient = Tensor<T>(shape: [0])    // ∂L/∂(W h + b) [S, B, A]
    private let scoreGradient = Tensor<T>(shape: [0])     // [1, B, S]
    private var states: Tensor<T>?
    private var lengths: [Int]?

    public init(inputSize: Int, attentionSize: Int, name prefix: String = "pooling") {
        let dot = prefix.isEmpty ? "" : "\(prefix)."
        self.inputSize = inputSize
        self.attentionSize = attentionSize
        projection = Linear(inputSize: inputSize, outputSize: attentionSize, hasBias: true, name: "\(dot)W")
        v = Parameter(name: "\(dot)v.weight", shape: [1, attentionSize])
        parameters = projection.parameters + [v]
    }

    // forward: p [S·B, A] = states · Wᵀ + b (one GEMM); u = tanh(p); e[b, s] = v · u[s, b]
    //          α = masked softmax; r = α · states  (one GEMM per row)
    /// Pools `states` [S, B, H] over the first lengths[b] steps of each row (all ≥ 1).
    @discardableResult
    public func forward(_ states: Tensor<T>, lengths: [Int]?) -> Tensor<T> {
        precondition(states.shape.count == 3 && states.shape[2] == inputSize,
                     "AttentionPooling expects states [S, B, \(inputSize)], got \(states.shape)")
        let (steps, batch, A) = (states.shape[0], states.shape[1], attentionSize)
        if let lengths {
            precondition(lengths.count == batch && lengths.allSatisfy { $0 >= 1 && $0 <= steps },
                         "pooling lengths must give 1...\(steps) for each of the \(batch) rows")
        }
        self.states = states
        self.lengths = lengths
        let p = projection.forward(states)
        hidden.reshape([steps, batch, A])
        weights.reshape([1, batch, steps])
        for b in 0..<batch {
            for s in 0..<(lengths?[b] ?? steps) {
                let row = (s * batch + b) * A
                var e: T = 0
                for j in 0..<A {
                    let u = T.tanh(p.data[row + j])
                    hidden.data[row + j] = u
                    e += v.value.data[j] * u
                }
                weights.data[b * steps + s] = e
            }
        }
        AttentionWeights.softmax(weights.data, queries: 1, batch: batch, sourceSteps: steps, lengths: lengths)
        readout.reshape([1, batch, inputSize])
        AttentionWeights.context(weights: weights.data, values: states.data, context: readout.data,
                                 queries: 1, batch: batch, sourceSteps: steps, features: inputSize)
        readout.reshape([batch, inputSize])
        return readout
    }

    // backward, given dr [B, H]:
    //   dα = dr · statesᵀ, ∂states = αᵀ · dr;  de = α ⊙ (dα − Σ α dα)
    //   dp[s, b] = de[b, s] · v ⊙ (1 − u²);  ∂v += Σ de · u;  ∂W += dpᵀ·states, ∂b += Σ dp, ∂states += dp · W
    /// Fills `inputGradient` [S, B, H] and accumulates the parameter gradients.
    @discardableResult
    public func backward(_ readoutGradient: Tensor<T>) -> Tensor<T> {
        guard let states else { preconditionFailure("AttentionPooling.backward called before forward") }
        let (steps, batch, A) = (states.shape[0], states.shape[1], attentionSize)
        precondition(readoutGradient.count == batch * inputSize, "readoutGradient must be [\(batch), \(inputSize)]")
        inputGradient.reshape(states.shape)
        inputGradient.zero()
        scoreGradient.reshape([1, batch, steps])
        AttentionWeights.contextBackward(weights: weights.data, values: states.data, contextGradient: readoutGradient.data,
                                         weightGradient: scoreGradient.data, valueGradient: inputGradient.data,
                                         queries: 1, batch: batch, sourceSteps: steps, features: inputSize)
        AttentionWeights.softmaxBackward(weights: weights.data, gradient: scoreGradient.data, queries: 1,
                                         batch: batch, sourceSteps: steps, lengths: lengths)
        hiddenGradient.reshape([steps, batch, A])
        hiddenGradient.zero()
        for b in 0..<batch {
            for s in 0..<(lengths?[b] ?? steps) {
                let de = scoreGradient.data[b * steps + s]
                let row = (s * batch + b) * A
                for j in 0..<A {
                    let u = hidden.data[row + j]
                    v.gradient.data[j] += de * u
                    hiddenGradient.data[row + j] = de * v.value.data[j] * (1 - u * u)
                }
            }
        }
        let dStates = projection.backward(hiddenGradient)
        Kernels.add(dStates.data, into: inputGradient.data, count: inputGradient.count)
        return inputGradient
    }

    /// PyTorch-style initialisation: U(±1/√fan_in) for every weight and bias.
    public func resetParameters(random: inout RandomStream) {
        for parameter in parameters {
            let fanIn = parameter.shape.count > 1 ? parameter.shape[1] : inputSize
            let bound = 1 / Double(max(fanIn, 1)).squareRoot()
            for i in 0..<parameter.value.count { parameter.value[i] = T(random.uniform(-bound, bound)) }
        }
    }
}
