import RNNLabNumerics

/// Attention of a sequence of queries over a masked set of keys, which are also
/// the values: additive (Bahdanau et al. 2015) or multiplicative dot / general
/// (Luong et al. 2015) scores, a softmax over the unmasked source positions,
/// and the weighted sum of the keys.
///
/// Shapes (T queries, B rows, S source positions, Q query features, K key features):
///   queries [T, B, Q]     the decoder's top-layer states
///   keys    [S, B, K]     the encoder's outputs (keys and values)
///   weights [T, B, S]     α, kept after every forward pass for inspection; 0 at masked positions
///   context [T, B, K]     c[t, b] = Σ_s α[t, b, s] k[s, b]
///
/// Parameter names, under `prefix.` (e.g. `attention.`): additive `W_q.weight` [A, Q],
/// `W_k.weight` [A, K], `W_k.bias` [A], `v.weight` [1, A]; general `W_a.weight` [Q, K]; dot none.
public final class Attention<T: Scalar>: ParameterOwner {
    public let kind: AttentionKind
    public let querySize: Int
    public let keySize: Int
    public let parameters: [Parameter<T>]
    private let additive: AdditiveAttention<T>?
    private let multiplicative: MultiplicativeAttention<T>?

    /// α of the last forward pass [T, B, S].
    public let weights = Tensor<T>(shape: [0])
    /// The context vectors of the last forward pass [T, B, K].
    public let context = Tensor<T>(shape: [0])
    /// ∂L/∂queries of the last backward pass [T, B, Q].
    public let queryGradient = Tensor<T>(shape: [0])
    /// ∂L/∂keys of the last backward pass [S, B, K].
    public let keyGradient = Tensor<T>(shape: [0])
    private let scoreGradient = Tensor<T>(shape: [0])   // ∂L/∂α, then ∂L/∂e [T, B, S]
    private var keys: Tensor<T>?
    private var lengths: [Int]?

    /// Creates an attention module with zero parameters. `attentionSize` (A) is
    /// used by the additive score only; "dot" needs `querySize == keySize`.
    public init(kind: AttentionKind, querySize: Int, keySize: Int, attentionSize: Int, name prefix: String = "attention") {
        precondition(kind != .dot || querySize == keySize,
                     "dot attention needs equal query and key sizes, got \(querySize) and \(keySize)")
        self.kind = kind
        self.querySize = querySize
        self.keySize = keySize
        switch kind {
        case .additive:
            let module = AdditiveAttention<T>(querySize: querySize, keySize: keySize, attentionSize: attentionSize, name: prefix)
            additive = module
            multiplicative = nil
            parameters = module.parameters
        case .dot, .general:
            let module = MultiplicativeAttention<T>(querySize: querySize, keySize: keySize, general: kind == .general, name: prefix)
            additive = nil
            multiplicative = module
            parameters = module.parameters
        }
    }

    // forward: e = score(queries, keys) [T, B, S]; α = masked softmax_s(e); c = α · keys  [T, B, K]
    /// Attends from every query to the keys of its row; source position s of row
    /// b takes part only when s < lengths[b] (every length must be ≥ 1).
    @discardableResult
    public func forward(queries: Tensor<T>, keys: Tensor<T>, lengths: [Int]?) -> Tensor<T> {
        precondition(queries.shape.count == 3 && queries.shape[2] == querySize,
                     "Attention expects queries [T, B, \(querySize)], got \(queries.shape)")
        precondition(keys.shape.count == 3 && keys.shape[2] == keySize && keys.shape[1] == queries.shape[1],
                     "Attention expects keys [S, \(queries.shape[1]), \(keySize)], got \(keys.shape)")
        let (steps, batch, sourceSteps) = (queries.shape[0], queries.shape[1], keys.shape[0])
        if let lengths {
            precondition(lengths.count == batch && lengths.allSatisfy { $0 >= 1 && $0 <= sourceSteps },
                         "attention lengths must give 1...\(sourceSteps) for each of the \(batch) rows")
        }
        self.keys = keys
        self.lengths = lengths
        weights.reshape([steps, batch, sourceSteps])
        if let additive {
            additive.forward(queries: queries, keys: keys, lengths: lengths, scores: weights.data)
        } else if let multiplicative {
            multiplicative.forward(queries: queries, keys: keys, scores: weights.data)
        }
        AttentionWeights.softmax(weights.data, queries: steps, batch: batch, sourceSteps: sourceSteps, lengths: lengths)
        context.reshape([steps, batch, keySize])
        AttentionWeights.context(weights: weights.data, values: keys.data, context: context.data,
                                 queries: steps, batch: batch, sourceSteps: sourceSteps, features: keySize)
        return context
    }

    // backward, given dc [T, B, K]:
    //   dα = dc · keysᵀ, ∂keys = αᵀ · dc (values path); de = α ⊙ (dα − Σ α dα);
    //   then the score's backward adds its query and key gradients.
    /// Fills `queryGradient` and `keyGradient` and accumulates the parameter gradients.
    public func backward(contextGradient: Tensor<T>) {
        guard let keys else { preconditionFailure("Attention.backward called before forward") }
        let (steps, batch, sourceSteps) = (weights.shape[0], weights.shape[1], weights.shape[2])
        precondition(contextGradient.count == steps * batch * keySize, "contextGradient must be [\(steps), \(batch), \(keySize)]")
        scoreGradient.reshape(weights.shape)
        keyGradient.reshape(keys.shape)
        keyGradient.zero()
        AttentionWeights.contextBackward(weights: weights.data, values: keys.data, contextGradient: contextGradient.data,
                                         weightGradient: scoreGradient.data, valueGradient: keyGradient.data,
                                         queries: steps, batch: batch, sourceSteps: sourceSteps, features: keySize)
        AttentionWeights.softmaxBackward(weights: weights.data, gradient: scoreGradient.data, queries: steps,
                                         batch: batch, sourceSteps: sourceSteps, lengths: lengths)
        queryGradient.reshape([steps, batch, querySize])
        if let additive {
            additive.backward(scoreGradient: scoreGradient.data, queryGradient: queryGradient, keyGradient: keyGradient)
        } else if let multiplicative {
            multiplicative.backward(scoreGradient: scoreGradient.data, queryGradient: queryGradient, keyGradient: keyGradient)
        }
        queryGradient.reshape([steps, batch, querySize])
    }

    /// PyTorch-style initialisation: U(±1/√fan_in) for every weight and bias.
    public func resetParameters(random: inout RandomStream) {
        for parameter in parameters {
            let fanIn = parameter.shape.count > 1 ? parameter.shape[1] : (parameter.shape.first ?? 1)
            let bound = 1 / Double(max(fanIn, 1)).squareRoot()
            for i in 0..<parameter.value.count { parameter.value[i] = T(random.uniform(-bound, bound)) }
        }
    }
}
