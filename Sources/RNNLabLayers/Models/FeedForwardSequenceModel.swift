import RNNLabNumerics

/// Input layer → non-recurrent body (`SequenceBody`: a TCN, a Transformer) → readout → linear head → loss:
/// the non-recurrent baselines on every sequence task, with the same inputs, heads and losses as
/// `SequenceModel`.
///
/// Per-step heads read every step's output; per-sequence heads read the output at each row's last real step
/// (`.finalState`) or the mean over its real steps (`.meanPool`). Parameter names: `embedding.weight`, the
/// body's (`tcn.…`, `transformer.…`), `decoder.weight`, `decoder.bias`.
public final class FeedForwardSequenceModel<T: Scalar>: ParameterOwner, SequencePredictions {
    public let input: SequenceInput
    public let head: SequenceHead
    public let readout: SequenceReadout
    public let embedding: Embedding<T>?
    public let body: any SequenceBody<T>
    public let decoder: Linear<T>
    public let parameters: [Parameter<T>]

    private let loss: HeadLoss<T>
    private let oneHot = Tensor<T>(shape: [0])         // [T·B, V]
    private let pooled = Tensor<T>(shape: [0])         // [B, W]
    private let bodyGradient = Tensor<T>(shape: [0])   // [T, B, W]
    private var lastBatch: SequenceBatch<T>?

    public init(input: SequenceInput, body: any SequenceBody<T>, head: SequenceHead, readout: SequenceReadout) {
        precondition(readout != .attentionPool, "non-recurrent models read out by the last step or the mean")
        self.input = input
        self.head = head
        self.loss = HeadLoss(head)
        self.readout = readout
        if case .embedding(let vocabulary, let dimension) = input {
            embedding = Embedding(vocabularySize: vocabulary, dimension: dimension, name: "embedding")
        } else {
            embedding = nil
        }
        self.body = body
        decoder = Linear(inputSize: body.outputSize, outputSize: head.outputs, name: "decoder")
        parameters = (embedding?.parameters ?? []) + body.parameters + decoder.parameters
    }

    public var predictions: Tensor<T> { decoder.output }

    // forward: x [T, B, I] (embedding, one-hot or dense) → body → y [T, B, W] → readout [T·B or B, W] → logits → loss
    /// Runs the model on a batch and returns the mean loss.
    @discardableResult
    public func forward(_ batch: SequenceBatch<T>, training: Bool, random: inout RandomStream) -> Double {
        lastBatch = batch
        let (steps, rows) = (batch.steps, batch.batch)
        let x = input.forward(batch, embedding: embedding, oneHot: oneHot)
        let y = body.forward(x, lengths: batch.lengths, training: training, random: &random)
        let W = body.outputSize
        let features: Tensor<T>
        if head.isPerStep {
            y.reshape([steps * rows, W])
            features = y
        } else {
            // Readout [B, W]: the output at each row's last real step, or the mean over its real steps.
            pooled.reshape([rows, W])
            pooled.zero()
            for b in 0..<rows {
                let length = batch.lengths?[b] ?? steps
                guard length > 0 else { continue }
                let destination = pooled.data + b * W
                if readout == .meanPool {
                    for t in 0..<length { Kernels.add(y.data + (t * rows + b) * W, into: destination, count: W) }
                    T.scale(count: W, alpha: 1 / T(length), x: destination)
                } else {
                    destination.update(from: y.data + ((length - 1) * rows + b) * W, count: W)
                }
            }
            features = pooled
        }
        let logits = decoder.forward(features)
        y.reshape([steps, rows, W])
        return loss.forward(logits: logits, batch: batch)
    }

    /// Runs the model for evaluation (no dropout).
    @discardableResult
    public func forward(_ batch: SequenceBatch<T>) -> Double {
        var unused = RandomStream(seed: 0, stream: "evaluation")
        return forward(batch, training: false, random: &unused)
    }

    public var lastLossSum: (total: Double, count: Int) {
        loss.lastLossSum
    }

    // backward: dlogits → decoder → readout (scatter to the read steps) → body → embedding
    /// Back-propagates the loss of the last forward pass, accumulating every parameter gradient
    /// (call `zeroGradients()` first). The body's input gradient is left in `inputGradient`.
    public func backward() {
        guard let batch = lastBatch else { preconditionFailure("FeedForwardSequenceModel.backward called before forward") }
        let (steps, rows, W) = (batch.steps, batch.batch, body.outputSize)
        let dLogits = loss.backward()
        let dFeatures = decoder.backward(dLogits)
        let dy: Tensor<T>
        if head.isPerStep {
            dFeatures.reshape([steps, rows, W])
            dy = dFeatures
        } else {
            bodyGradient.reshape([steps, rows, W])
            bodyGradient.zero()
            for b in 0..<rows {
                let length = batch.lengths?[b] ?? steps
                guard length > 0 else { continue }
                let source = dFeatures.data + b * W
                if readout == .meanPool {
                    for t in 0..<length {
                        T.axpy(count: W, alpha: 1 / T(length), x: source, y: bodyGradient.data + (t * rows + b) * W)
                    }
                } else {
                    (bodyGradient.data + ((length - 1) * rows + b) * W).update(from: source, count: W)
                }
            }
            dy = bodyGradient
        }
        inputGradient = body.backward(dy)
        if let embedding, let dx = inputGradient {
            dx.reshape([steps * rows, input.features])
            embedding.backward(dx)
            dx.reshape([steps, rows, input.features])
        }
    }

    /// ∂L/∂x [T, B, I] of the last backward pass (the body's input gradient).
    public private(set) var inputGradient: Tensor<T>?
}
