import RNNLabNumerics
import RealModule

/// A recurrent encoder–decoder (Sutskever et al. 2014, Cho et al. 2014), with
/// or without attention (Luong et al. 2015's global attention on the decoder's
/// top layer, with an additive, dot or general score), trained with teacher forcing.
///
/// Shapes (S source steps, T target steps, B rows, E embedding, H_e / H_d encoder /
/// decoder units, D encoder directions, K = D·H_e, V target vocabulary):
///   source embedding   [S, B, E]  → encoder → outputs [S, B, K], h_n [L_e·D, B, H_e]
///   bridge             h_n → decoder h0 [L_d, B, H_d] (and c0), see `EncoderDecoderBridge`
///   target embedding   [T, B, E]  (⟨bos⟩ y₁ … y_n) → decoder → states h [T, B, H_d]
///   fixed context:     logits [T·B, V] = output(h)
///   attention:         c = attend(h, outputs) [T, B, K]; h̃ = tanh(W_c [c; h]) [T·B, H_d]; logits = output(h̃)
///   loss               mean cross-entropy over the counted targets (y₁ … y_n ⟨eos⟩)
///
/// Parameters, in this order: `source_embedding.weight`, `encoder.weight_ih_l0` …,
/// `target_embedding.weight`, `decoder.weight_ih_l0` …, `bridge.weight`, `bridge.bias`
/// (linear bridge), `attention.…` and `attention.W_c.weight` (attention), `output.weight`, `output.bias`.
public final class EncoderDecoder<T: Scalar>: ParameterOwner {
    public let configuration: EncoderDecoderConfiguration
    public let sourceEmbedding: Embedding<T>
    public let targetEmbedding: Embedding<T>
    public let encoder: RecurrentNetwork<T>
    public let decoder: RecurrentNetwork<T>
    /// The linear bridge, nil for `.copy`.
    public let bridge: Linear<T>?
    /// The attention module, nil for a fixed context.
    public let attention: Attention<T>?
    /// W_c [H_d, K + H_d], nil without attention.
    public let combine: Linear<T>?
    public let output: Linear<T>
    public let parameters: [Parameter<T>]
    /// The target value of padded positions.
    public static var ignoreIndex: Int32 { -100 }

    private let crossEntropy = SoftmaxCrossEntropy<T>(ignoreIndex: EncoderDecoder.ignoreIndex)
    /// h0 of the decoder in the last forward pass or `encode` [L_d, B, H_d].
    public let initialHidden = Tensor<T>(shape: [0])
    /// c0 of the decoder [L_d, B, H_d] (LSTM decoders only).
    public let initialCell = Tensor<T>(shape: [0])
    private let bridgeInput = Tensor<T>(shape: [0])        // z [B, L_e·D·H_e]
    private let concatenated = Tensor<T>(shape: [0])       // [c; h] [T·B, K + H_d]
    private let attentional = Tensor<T>(shape: [0])        // h̃ [T·B, H_d]
    private let attentionalGradient = Tensor<T>(shape: [0])
    private let contextGradient = Tensor<T>(shape: [0])    // [T, B, K]
    private let decoderOutputGradient = Tensor<T>(shape: [0])  // [T, B, H_d]
    private let bridgeGradient = Tensor<T>(shape: [0])     // [B, L_d·H_d]
    private let encoderFinalGradient = Tensor<T>(shape: [0])  // [L_e·D, B, H_e]
    private let stepInput = Tensor<T>(shape: [0])
    private var lastBatch: Seq2SeqBatch?

    /// Creates a model with zero parameters; call `resetParameters(random:)` or load values.
    public init(_ configuration: EncoderDecoderConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        let E = configuration.embeddingSize, Hd = configuration.decoder.hiddenSize, K = configuration.encoderOutputSize
        sourceEmbedding = Embedding(vocabularySize: configuration.sourceVocabulary, dimension: E, name: "source_embedding")
        targetEmbedding = Embedding(vocabularySize: configuration.targetVocabulary, dimension: E, name: "target_embedding")
        encoder = RecurrentNetwork(configuration.encoder, name: "encoder")
        decoder = RecurrentNetwork(configuration.decoder, name: "decoder")
        let e = configuration.encoder
        bridge = configuration.bridge == .linear
            ? Linear(inputSize: e.layers * e.directions * e.hiddenSize, outputSize: configuration.decoder.layers * Hd, name: "bridge")
            : nil
        if let kind = configuration.attention {
            attention = Attention(kind: kind, querySize: Hd, keySize: K, attentionSize: configuration.attentionSize, name: "attention")
            combine = Linear(inputSize: K + Hd, outputSize: Hd, hasBias: false, name: "attention.W_c")
        } else {
            attention = nil
            combine = nil
        }
        output = Linear(inputSize: Hd, outputSize: configuration.targetVocabulary, name: "output")
        var list = sourceEmbedding.parameters + encoder.parameters + targetEmbedding.parameters + decoder.parameters
        list += bridge?.parameters ?? []
        list += (attention?.parameters ?? []) + (combine?.parameters ?? [])
        list += output.parameters
        parameters = list
    }

    /// PyTorch's defaults: embeddings N(0, 1), recurrent layers U(±1/√H), every
    /// other weight and bias U(±1/√fan_in).
    public func resetParameters(random: inout RandomStream) {
        for embedding in [sourceEmbedding, targetEmbedding] {
            for i in 0..<embedding.weight.value.count { embedding.weight.value[i] = T(random.normal()) }
        }
        encoder.resetParameters(random: &random)
        decoder.resetParameters(random: &random)
        let linears = [bridge, combine, output].compactMap { $0 }
        for linear in linears {
            let bound = 1 / Double(linear.inputSize).squareRoot()
            for parameter in linear.parameters {
                for i in 0..<parameter.value.count { parameter.value[i] = T(random.uniform(-bound, bound)) }
            }
        }
        attention?.resetParameters(random: &random)
    }

    /// The logits of the last forward pass [T·B, V] (or of the last `step`, [B, V]).
    public var logits: Tensor<T> { output.output }

    /// The summed loss and the number of counted targets of the last forward pass.
    public var lastLossSum: (total: Double, count: Int) { (crossEntropy.totalLoss, crossEntropy.targetCount) }

    // MARK: Encoder and bridge

    // forward: x [S, B, E] = source_embedding(tokens); outputs, h_n, c_n = encoder(x, lengths)
    //   copy:   h0 = h_n, c0 = c_n (both LSTM) or 0
    //   linear: z[b] = (h_n[k, b, :] for k in 0..<L_e·D) [B, L_e·D·H_e]; h0[l, b, :] = tanh(bridge(z))[b, l·H_d ..< (l+1)·H_d]; c0 = 0
    /// Runs the encoder over a source batch and computes the decoder's initial
    /// state into `initialHidden` / `initialCell`. Read the keys from `encoder.output`.
    public func encode(sourceTokens: [Int32], lengths: [Int], sourceSteps: Int, batch: Int,
                       training: Bool = false, random: inout RandomStream) {
        precondition(sourceTokens.count == sourceSteps * batch && lengths.count == batch,
                     "encode: \(sourceTokens.count) tokens and \(lengths.count) lengths for [\(sourceSteps), \(batch)]")
        let E = configuration.embeddingSize
        let x = sourceEmbedding.forward(sourceTokens)
        x.reshape([sourceSteps, batch, E])
        encoder.forward(x, lengths: lengths, training: training, random: &random)
        let e = configuration.encoder, d = configuration.decoder
        initialHidden.reshape([d.layers, batch, d.hiddenSize])
        if d.cell.hasCellState { initialCell.reshape([d.layers, batch, d.hiddenSize]) }
        if let bridge {
            let states = e.layers * e.directions, He = e.hiddenSize
            bridgeInput.reshape([batch, states * He])
            for k in 0..<states {
                for b in 0..<batch {
                    (bridgeInput.data + b * states * He + k * He)
                        .update(from: encoder.finalHidden.data + (k * batch + b) * He, count: He)
                }
            }
            let y = bridge.forward(bridgeInput)   // [B, L_d·H_d]
            let Hd = d.hiddenSize
            for l in 0..<d.layers {
                for b in 0..<batch {
                    let source = y.data + b * d.layers * Hd + l * Hd
                    let destination = initialHidden.data + (l * batch + b) * Hd
                    for j in 0..<Hd { destination[j] = T.tanh(source[j]) }
                }
            }
            if d.cell.hasCellState { initialCell.zero() }
        } else {
            initialHidden.data.update(from: encoder.finalHidden.data, count: initialHidden.count)
            if d.cell.hasCellState {
                if e.cell.hasCellState {
                    initialCell.data.update(from: encoder.finalCell.data, count: initialCell.count)
                } else {
                    initialCell.zero()
                }
            }
        }
    }

    // backward: copy: dh_n = dh0, dc_n = dc0 (both LSTM)
    //   linear: dy = dh0 ⊙ (1 − h0²) [B, L_d·H_d]; dz = bridge.backward(dy); dh_n[k, b] = dz[b, k]
    //   then encoder.backward(outputs gradient, dh_n, dc_n) and the source embedding's scatter.
    private func encoderBackward(outputGradient: Tensor<T>?, batch: Int) {
        let e = configuration.encoder, d = configuration.decoder
        let dh0 = decoder.initialHiddenGradient
        var finalCellGradient: Tensor<T>? = nil
        if let bridge {
            let Hd = d.hiddenSize
            bridgeGradient.reshape([batch, d.layers * Hd])
            for l in 0..<d.layers {
                for b in 0..<batch {
                    let h = initialHidden.data + (l * batch + b) * Hd
                    let g = dh0.data + (l * batch + b) * Hd
                    let destination = bridgeGradient.data + b * d.layers * Hd + l * Hd
                    for j in 0..<Hd { destination[j] = g[j] * (1 - h[j] * h[j]) }
                }
            }
            let dz = bridge.backward(bridgeGradient)
            let states = e.layers * e.directions, He = e.hiddenSize
            encoderFinalGradient.reshape([states, batch, He])
            for k in 0..<states {
                for b in 0..<batch {
                    (encoderFinalGradient.data + (k * batch + b) * He)
                        .update(from: dz.data + b * states * He + k * He, count: He)
                }
            }
        } else {
            encoderFinalGradient.copy(from: dh0)
            if e.cell.hasCellState && d.cell.hasCellState { finalCellGradient = decoder.initialCellGradient }
        }
        encoder.backward(outputGradient: outputGradient, finalHiddenGradient: encoderFinalGradient,
                         finalCellGradient: finalCellGradient, computeInputGradient: true)
        let dx = encoder.inputGradient
        dx.reshape([dx.count / configuration.embeddingSize, configuration.embeddingSize])
        sourceEmbedding.backward(dx)
    }

    // MARK: Output layer

    // forward: fixed context: logits = h · W_outᵀ + b_out
    //   attention: c = attend(h, keys); h̃ = tanh([c; h] · W_cᵀ); logits = h̃ · W_outᵀ + b_out
    private func readout(decoderStates h: Tensor<T>, keys: Tensor<T>, sourceLengths: [Int]) -> Tensor<T> {
        guard let attention, let combine else { return output.forward(h) }
        let (steps, batch) = (h.shape[0], h.shape[1])
        let K = configuration.encoderOutputSize, Hd = configuration.decoder.hiddenSize
        let c = attention.forward(queries: h, keys: keys, lengths: sourceLengths)
        let rows = steps * batch
        concatenated.reshape([rows, K + Hd])
        Kernels.copyBlock(c.data, sourceLD: K, to: concatenated.data, destinationLD: K + Hd, rows: rows, cols: K)
        Kernels.copyBlock(h.data, sourceLD: Hd, to: concatenated.data + K, destinationLD: K + Hd, rows: rows, cols: Hd)
        let pre = combine.forward(concatenated)
        attentional.reshape([rows, Hd])
        Kernels.tanh(pre.data, attentional.data, count: rows * Hd)
        return output.forward(attentional)
    }

    // backward: dh̃ = output.backward(dlogits); dpre = dh̃ ⊙ (1 − h̃²); d[c; h] = combine.backward(dpre);
    //   attention.backward(dc) → dh += ∂h (query path), ∂keys
    /// Returns ∂L/∂decoder states [T, B, H_d]; ∂L/∂keys is then in `attention.keyGradient`.
    private func readoutBackward(_ dLogits: Tensor<T>, steps: Int, batch: Int) -> Tensor<T> {
        let dFeatures = output.backward(dLogits)
        let Hd = configuration.decoder.hiddenSize
        decoderOutputGradient.reshape([steps, batch, Hd])
        guard let attention, let combine else {
            decoderOutputGradient.data.update(from: dFeatures.data, count: decoderOutputGradient.count)
            return decoderOutputGradient
        }
        let K = configuration.encoderOutputSize, rows = steps * batch
        attentionalGradient.reshape([rows, Hd])
        for i in 0..<(rows * Hd) {
            let a = attentional.data[i]
            attentionalGradient.data[i] = dFeatures.data[i] * (1 - a * a)
        }
        let dConcatenated = combine.backward(attentionalGradient)
        contextGradient.reshape([steps, batch, K])
        Kernels.copyBlock(dConcatenated.data, sourceLD: K + Hd, to: contextGradient.data, destinationLD: K, rows: rows, cols: K)
        Kernels.copyBlock(dConcatenated.data + K, sourceLD: K + Hd, to: decoderOutputGradient.data, destinationLD: Hd,
                          rows: rows, cols: Hd)
        attention.backward(contextGradient: contextGradient)
        Kernels.add(attention.queryGradient.data, into: decoderOutputGradient.data, count: decoderOutputGradient.count)
        return decoderOutputGradient
    }

    // MARK: Training (teacher forcing)

    /// Runs the model on a batch with teacher forcing and returns the mean
    /// cross-entropy per counted target token (nats).
    @discardableResult
    public func forward(_ batch: Seq2SeqBatch, training: Bool = false, random: inout RandomStream) -> Double {
        lastBatch = batch
        encode(sourceTokens: batch.sourceTokens, lengths: batch.sourceLengths, sourceSteps: batch.sourceSteps,
               batch: batch.batch, training: training, random: &random)
        let y = targetEmbedding.forward(batch.decoderInputs)
        y.reshape([batch.targetSteps, batch.batch, configuration.embeddingSize])
        let h = decoder.forward(y, lengths: batch.targetLengths, initialHidden: initialHidden,
                                initialCell: configuration.decoder.cell.hasCellState ? initialCell : nil,
                                training: training, random: &random)
        let logits = readout(decoderStates: h, keys: encoder.output, sourceLengths: batch.sourceLengths)
        return crossEntropy.forward(logits: logits, targets: batch.targets)
    }

    /// Runs the model for evaluation (no dropout).
    @discardableResult
    public func forward(_ batch: Seq2SeqBatch) -> Double {
        var unused = RandomStream(seed: 0, stream: "evaluation")
        return forward(batch, training: false, random: &unused)
    }

    /// Back-propagates the loss of the last forward pass through the decoder, the
    /// attention, the bridge and the encoder, accumulating every parameter gradient.
    public func backward() {
        guard let batch = lastBatch else { preconditionFailure("EncoderDecoder.backward called before forward") }
        let dLogits = crossEntropy.backward()
        let dStates = readoutBackward(dLogits, steps: batch.targetSteps, batch: batch.batch)
        decoder.backward(outputGradient: dStates, computeInputGradient: true)
        let dy = decoder.inputGradient
        dy.reshape([batch.targetSteps * batch.batch, configuration.embeddingSize])
        targetEmbedding.backward(dy)
        encoderBackward(outputGradient: attention?.keyGradient, batch: batch.batch)
    }

    // MARK: Step-by-step decoding

    /// One decoding step for R rows: feeds `tokens` [R], advances `hidden` (and
    /// `cell`) [L_d, R, H_d] in place, and returns the logits [R, V]. `keys`
    /// [S, R, K] and `sourceLengths` [R] are the encoder outputs of each row.
    public func step(tokens: [Int32], hidden: Tensor<T>, cell: Tensor<T>?, keys: Tensor<T>, sourceLengths: [Int]) -> Tensor<T> {
        let rows = tokens.count
        let x = targetEmbedding.forward(tokens)
        x.reshape([1, rows, configuration.embeddingSize])
        let h = decoder.forward(x, initialHidden: hidden, initialCell: cell)
        hidden.data.update(from: decoder.finalHidden.data, count: hidden.count)
        if let cell { cell.data.update(from: decoder.finalCell.data, count: cell.count) }
        return readout(decoderStates: h, keys: keys, sourceLengths: sourceLengths)
    }
}
