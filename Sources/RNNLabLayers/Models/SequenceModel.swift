import RNNLabNumerics

/// What a sequence model reads at each step.
public enum SequenceInput: Codable, Equatable, Sendable {
    /// Token ids looked up in an `embedding.weight` [vocabulary, dimension] table.
    case embedding(vocabulary: Int, dimension: Int)
    /// Token ids fed as one-hot vectors of the vocabulary size (no embedding parameters).
    case oneHot(vocabulary: Int)
    /// Dense feature vectors (piano-roll frames, time-series values).
    case dense(features: Int)

    /// The number of features the recurrent network sees per step.
    public var features: Int {
        switch self {
        case .embedding(_, let dimension): dimension
        case .oneHot(let vocabulary): vocabulary
        case .dense(let features): features
        }
    }
}

extension SequenceInput {
    // forward: the batch's tokens [T·B] (embedding, one-hot) or features [T, B, I] (dense) → x [T, B, I]
    /// The input layer of every sequence model: the embedded tokens, the one-hot rows written into `oneHot` (a
    /// reused buffer), or the dense features, shaped [T, B, features].
    func forward<T: Scalar>(_ batch: SequenceBatch<T>, embedding: Embedding<T>?, oneHot: Tensor<T>) -> Tensor<T> {
        var x: Tensor<T>
        switch self {
        case .embedding:
            guard let tokens = batch.tokens, let embedding else { preconditionFailure("embedding input needs tokens") }
            x = embedding.forward(tokens)
        case .oneHot(let vocabulary):
            guard let tokens = batch.tokens else { preconditionFailure("one-hot input needs tokens") }
            oneHot.reshape([batch.steps * batch.batch, vocabulary])
            oneHot.zero()
            for (n, id) in tokens.enumerated() where id >= 0 { oneHot[n * vocabulary + Int(id)] = 1 }
            x = oneHot
        case .dense:
            guard let dense = batch.features else { preconditionFailure("dense input needs features") }
            x = dense
        }
        x.reshape([batch.steps, batch.batch, features])
        return x
    }
}

/// What a sequence model predicts, and the loss it is trained with.
public enum SequenceHead: Codable, Equatable, Sendable {
    /// A class at every step (language modelling), softmax cross-entropy.
    case classPerStep(classes: Int)
    /// Independent binary units at every step (piano rolls), sigmoid cross-entropy summed over units.
    case binaryPerStep(units: Int)
    /// A real vector at every step (time series, the adding problem), mean squared error.
    case regressionPerStep(outputs: Int)
    /// One class per sequence from its final state(s) (sentiment), softmax cross-entropy.
    case classPerSequence(classes: Int)
    /// One real vector per sequence from its final state(s), mean squared error.
    case regressionPerSequence(outputs: Int)

    /// The width of the output layer.
    public var outputs: Int {
        switch self {
        case .classPerStep(let n), .binaryPerStep(let n), .regressionPerStep(let n),
             .classPerSequence(let n), .regressionPerSequence(let n): n
        }
    }

    /// Whether the head reads every step's output rather than the final state.
    public var isPerStep: Bool {
        switch self {
        case .classPerStep, .binaryPerStep, .regressionPerStep: true
        case .classPerSequence, .regressionPerSequence: false
        }
    }
}

/// How a per-sequence head reads the recurrent network.
public enum SequenceReadout: String, Codable, Equatable, Sendable {
    /// The last layer's final state of each direction, concatenated [B, D·H]
    /// (for bidirectional networks: the forward state after the last real step
    /// and the reverse state after the first).
    case finalState = "final_state"
    /// The mean of the last layer's outputs over each sequence's real steps [B, D·H].
    case meanPool = "mean_pool"
    /// Attention pooling over the last layer's outputs at each sequence's real
    /// steps [B, D·H] (`AttentionPooling`, parameters `pooling.W.weight`,
    /// `pooling.W.bias`, `pooling.v.weight`, with D·H attention units).
    case attentionPool = "attention"
}

/// The architecture of a `SequenceModel`.
public struct SequenceModelConfiguration: Codable, Equatable, Sendable {
    public var input: SequenceInput
    public var recurrent: RecurrentConfiguration
    public var head: SequenceHead
    /// How per-sequence heads read the network (ignored by per-step heads).
    public var readout: SequenceReadout
    /// Dropout on the embedding output and on the last recurrent layer's output
    /// (the non-recurrent connections, as Zaremba et al. 2014); the network's own
    /// `dropout` acts between its layers.
    public var dropout: Double

    public init(input: SequenceInput, cell: CellKind, hiddenSize: Int, layers: Int = 1,
                bidirectional: Bool = false, head: SequenceHead, readout: SequenceReadout = .finalState,
                dropout: Double = 0, recurrentMax: Double? = nil) {
        self.input = input
        self.recurrent = RecurrentConfiguration(cell: cell, inputSize: input.features, hiddenSize: hiddenSize,
                                                layers: layers, bidirectional: bidirectional, dropout: dropout,
                                                recurrentMax: recurrentMax)
        self.head = head
        self.readout = readout
        self.dropout = dropout
    }
}

/// One batch for a `SequenceModel`, time-major.
///
/// Exactly one of `tokens` (for `.embedding`/`.oneHot` inputs) and `features`
/// (for `.dense`) is set. Targets match the head: `classTargets` for class
/// heads ([T·B] per step, [B] per sequence, `ignoreIndex` for padding),
/// `valueTargets` for binary and regression heads ([T·B, K] or [B, K]).
public struct SequenceBatch<T: Scalar> {
    public var steps: Int
    public var batch: Int
    public var tokens: [Int32]?
    public var features: Tensor<T>?
    public var lengths: [Int]?
    public var classTargets: [Int32]?
    public var valueTargets: Tensor<T>?
    /// Whether each row continues the row of the previous batch (sequential
    /// partitioning of a stream), so that its final state carries over.
    public var continuesPrevious: Bool

    public init(steps: Int, batch: Int, tokens: [Int32]? = nil, features: Tensor<T>? = nil, lengths: [Int]? = nil,
                classTargets: [Int32]? = nil, valueTargets: Tensor<T>? = nil, continuesPrevious: Bool = false) {
        self.steps = steps
        self.batch = batch
        self.tokens = tokens
        self.features = features
        self.lengths = lengths
        self.classTargets = classTargets
        self.valueTargets = valueTargets
        self.continuesPrevious = continuesPrevious
    }

    /// The steps `range` of this batch (a truncation segment). Per-sequence
    /// targets are kept whole; lengths are clipped to the segment.
    public func slice(steps range: Range<Int>, perStepTargets: Bool) -> SequenceBatch<T> {
        if range == 0..<steps { return self }
        let B = batch, rows = (range.lowerBound * B)..<(range.upperBound * B)
        func sliceRows(_ t: Tensor<T>?, _ rowCount: Int) -> Tensor<T>? {
            guard let t else { return nil }
            let width = t.count / rowCount
            let result = Tensor<T>(shape: [rows.count, width])
            result.data.update(from: t.data + rows.lowerBound * width, count: rows.count * width)
            return result
        }
        var result = SequenceBatch(steps: range.count, batch: B)
        result.tokens = tokens.map { Array($0[rows]) }
        result.features = sliceRows(features, steps * B)
        result.lengths = lengths.map { $0.map { min(max($0 - range.lowerBound, 0), range.count) } }
        result.classTargets = perStepTargets ? classTargets.map { Array($0[rows]) } : classTargets
        result.valueTargets = perStepTargets ? sliceRows(valueTargets, steps * B) : valueTargets
        result.continuesPrevious = continuesPrevious
        return result
    }

    /// Per-step rows that count in the loss (all when there is no padding).
    public var stepMask: [Bool]? {
        guard let lengths else { return nil }
        return (0..<(steps * batch)).map { row in row / batch < lengths[row % batch] }
    }
}

/// Input layer → recurrent network → dropout → linear head → loss: the model
/// every RNNLab task trains, from character language models to sentiment.
///
/// Parameter names follow a PyTorch module with attributes `embedding`, `rnn`
/// and `decoder`: `embedding.weight`, `rnn.weight_ih_l0`, …, `decoder.weight`,
/// `decoder.bias`.
public final class SequenceModel<T: Scalar>: ParameterOwner {
    public let configuration: SequenceModelConfiguration
    public let embedding: Embedding<T>?
    public let network: RecurrentNetwork<T>
    public let decoder: Linear<T>
    /// The attention-pooling readout, for per-sequence heads with `.attentionPool`.
    public let pooling: AttentionPooling<T>?
    public let parameters: [Parameter<T>]
    /// The class used for padded targets of class heads.
    public static var ignoreIndex: Int32 { -100 }

    private let inputDropout: Dropout<T>
    private let outputDropout: Dropout<T>
    private let loss: HeadLoss<T>
    private let oneHot = Tensor<T>(shape: [0])
    private let readout = Tensor<T>(shape: [0])           // [B, D·H] final states, per-sequence heads
    private let readoutGradient = Tensor<T>(shape: [0])   // [L·D, B, H] or [T, B, D·H]
    private var lastBatch: SequenceBatch<T>?
    private var usedDropout = false

    public init(_ configuration: SequenceModelConfiguration) {
        self.configuration = configuration
        self.loss = HeadLoss(configuration.head)
        if case .embedding(let vocabulary, let dimension) = configuration.input {
            embedding = Embedding(vocabularySize: vocabulary, dimension: dimension, name: "embedding")
        } else {
            embedding = nil
        }
        network = RecurrentNetwork(configuration.recurrent, name: "rnn")
        decoder = Linear(inputSize: configuration.recurrent.directions * configuration.recurrent.hiddenSize,
                         outputSize: configuration.head.outputs, name: "decoder")
        let width = configuration.recurrent.directions * configuration.recurrent.hiddenSize
        pooling = !configuration.head.isPerStep && configuration.readout == .attentionPool
            ? AttentionPooling(inputSize: width, attentionSize: width, name: "pooling") : nil
        parameters = (embedding?.parameters ?? []) + network.parameters + (pooling?.parameters ?? []) + decoder.parameters
        inputDropout = Dropout(probability: configuration.dropout)
        outputDropout = Dropout(probability: configuration.dropout)
    }

    /// The outputs of the last forward pass: logits or predictions, [T·B, K] or [B, K].
    public var predictions: Tensor<T> { decoder.output }

    // MARK: Forward

    /// Runs the model on a batch and returns the mean loss (see each loss for its
    /// reduction). `initialHidden`/`initialCell` carry state across truncated
    /// segments; read the final states from `network.finalHidden`/`finalCell`.
    @discardableResult
    public func forward(
        _ batch: SequenceBatch<T>, initialHidden: Tensor<T>? = nil, initialCell: Tensor<T>? = nil,
        training: Bool = false, random: inout RandomStream
    ) -> Double {
        lastBatch = batch
        let (steps, rows) = (batch.steps, batch.batch)
        usedDropout = training && configuration.dropout > 0

        // Input layer → x [T, B, I]
        var x = configuration.input.forward(batch, embedding: embedding, oneHot: oneHot)
        if usedDropout, embedding != nil { x = inputDropout.forward(x, training: true, random: &random) }

        var oneHotIndices: [Int32]?
        if case .oneHot = configuration.input { oneHotIndices = batch.tokens }
        let output = network.forward(x, oneHotIndices: oneHotIndices, lengths: batch.lengths, initialHidden: initialHidden,
                                     initialCell: initialCell, training: training, random: &random)
        let D = configuration.recurrent.directions, H = configuration.recurrent.hiddenSize
        var features2D: Tensor<T>
        if configuration.head.isPerStep {
            features2D = output
        } else if let pooling {
            // Readout: attention pooling over each sequence's real steps [B, D·H].
            readout.reshape([rows, D * H])
            readout.copy(from: pooling.forward(output, lengths: batch.lengths))
            features2D = readout
        } else if configuration.readout == .meanPool {
            // Readout: mean of the outputs over each sequence's real steps [B, D·H].
            readout.reshape([rows, D * H])
            readout.zero()
            for b in 0..<rows {
                let length = batch.lengths?[b] ?? steps
                guard length > 0 else { continue }
                let destination = readout.data + b * D * H
                for t in 0..<length { Kernels.add(output.data + (t * rows + b) * D * H, into: destination, count: D * H) }
                T.scale(count: D * H, alpha: 1 / T(length), x: destination)
            }
            features2D = readout
        } else {
            // Readout: the last layer's final state of each direction, concatenated [B, D·H].
            readout.reshape([rows, D * H])
            let last = (configuration.recurrent.layers - 1) * D
            for b in 0..<rows {
                for d in 0..<D {
                    (readout.data + b * D * H + d * H)
                        .update(from: network.finalHidden.data + ((last + d) * rows + b) * H, count: H)
                }
            }
            features2D = readout
        }
        features2D.reshape([features2D.count / (D * H), D * H])
        if usedDropout { features2D = outputDropout.forward(features2D, training: true, random: &random) }
        let logits = decoder.forward(features2D)
        output.reshape([steps, rows, D * H])

        return loss.forward(logits: logits, batch: batch)
    }

    /// Runs the model for evaluation (no dropout).
    @discardableResult
    public func forward(_ batch: SequenceBatch<T>, initialHidden: Tensor<T>? = nil, initialCell: Tensor<T>? = nil) -> Double {
        var unused = RandomStream(seed: 0, stream: "evaluation")
        return forward(batch, initialHidden: initialHidden, initialCell: initialCell, training: false, random: &unused)
    }

    /// The summed loss and the number of units it averages over in the last
    /// forward pass (targets for class heads, rows for binary heads, elements for
    /// regression), for exact averages over many batches.
    public var lastLossSum: (total: Double, count: Int) {
        loss.lastLossSum
    }

    // MARK: Backward

    /// Back-propagates the loss of the last forward pass, accumulating every
    /// parameter gradient (call `zeroGradients()` first for a fresh step).
    /// Gradients stop at the initial states: truncated BPTT detaches there.
    ///
    /// - Parameters:
    ///   - stateGradientScale: see `RecurrentNetwork.backward`.
    ///   - inputGradient: also compute ∂L/∂input into `network.inputGradient`
    ///     for one-hot and dense inputs (embeddings always need it).
    public func backward(stateGradientScale: Double = 1, inputGradient: Bool = false) {
        guard let batch = lastBatch else { preconditionFailure("SequenceModel.backward called before forward") }
        let (steps, rows) = (batch.steps, batch.batch)
        let D = configuration.recurrent.directions, H = configuration.recurrent.hiddenSize
        let dLogits = loss.backward()
        var dFeatures = decoder.backward(dLogits)
        if usedDropout { dFeatures = outputDropout.backward(dFeatures) }
        let needsInputGradient = embedding != nil || inputGradient
        if configuration.head.isPerStep {
            dFeatures.reshape([steps, rows, D * H])
            network.backward(outputGradient: dFeatures, computeInputGradient: needsInputGradient,
                             stateGradientScale: stateGradientScale)
        } else if let pooling {
            dFeatures.reshape([rows, D * H])
            let dOutput = pooling.backward(dFeatures)
            network.backward(outputGradient: dOutput, computeInputGradient: needsInputGradient,
                             stateGradientScale: stateGradientScale)
        } else if configuration.readout == .meanPool {
            // d output[t, b] = d features[b] / length for the real steps, 0 for padding.
            readoutGradient.reshape([steps, rows, D * H])
            readoutGradient.zero()
            for b in 0..<rows {
                let length = batch.lengths?[b] ?? steps
                guard length > 0 else { continue }
                for t in 0..<length {
                    let destination = readoutGradient.data + (t * rows + b) * D * H
                    T.axpy(count: D * H, alpha: 1 / T(length), x: dFeatures.data + b * D * H, y: destination)
                }
            }
            network.backward(outputGradient: readoutGradient, computeInputGradient: needsInputGradient,
                             stateGradientScale: stateGradientScale)
        } else {
            readoutGradient.reshape([configuration.recurrent.layers * D, rows, H])
            readoutGradient.zero()
            let last = (configuration.recurrent.layers - 1) * D
            for b in 0..<rows {
                for d in 0..<D {
                    (readoutGradient.data + ((last + d) * rows + b) * H)
                        .update(from: dFeatures.data + b * D * H + d * H, count: H)
                }
            }
            network.backward(outputGradient: nil, finalHiddenGradient: readoutGradient,
                             computeInputGradient: needsInputGradient, stateGradientScale: stateGradientScale)
        }
        if let embedding {
            var dx = network.inputGradient
            if usedDropout { dx = inputDropout.backward(dx) }
            dx.reshape([steps * rows, configuration.input.features])
            embedding.backward(dx)
        }
    }
}
