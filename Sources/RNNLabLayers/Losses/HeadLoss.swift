import RNNLabNumerics

/// The loss of a sequence model's head, shared by every model family: softmax cross-entropy for class heads,
/// sigmoid binary cross-entropy for multi-label (piano-roll) heads, mean squared error for regression heads.
final class HeadLoss<T: Scalar> {
    let head: SequenceHead
    private let crossEntropy = SoftmaxCrossEntropy<T>(ignoreIndex: SequenceModel<T>.ignoreIndex)
    private let binaryCrossEntropy = SigmoidBinaryCrossEntropy<T>()
    private let squaredError = MeanSquaredError<T>()

    init(_ head: SequenceHead) { self.head = head }

    // forward:
    //   logits [N, C]: the decoder's output, N = T·B rows for per-step heads, B for per-sequence heads
    //   the batch's classTargets [N] (class heads) or valueTargets [N, C] (binary and regression heads)
    /// The mean loss of `logits` against the batch's targets (the head decides which).
    func forward(logits: Tensor<T>, batch: SequenceBatch<T>) -> Double {
        switch head {
        case .classPerStep, .classPerSequence:
            guard let targets = batch.classTargets else { preconditionFailure("class heads need classTargets") }
            return crossEntropy.forward(logits: logits, targets: targets)
        case .binaryPerStep:
            guard let targets = batch.valueTargets else { preconditionFailure("binary heads need valueTargets") }
            return binaryCrossEntropy.forward(logits: logits, targets: targets, rowMask: batch.stepMask)
        case .regressionPerStep, .regressionPerSequence:
            guard let targets = batch.valueTargets else { preconditionFailure("regression heads need valueTargets") }
            return squaredError.forward(predictions: logits, targets: targets)
        }
    }

    // backward: dlogits [N, C] = ∂(mean loss)/∂logits of the last forward pass
    /// The gradient of the last forward pass's mean loss with respect to its logits.
    func backward() -> Tensor<T> {
        switch head {
        case .classPerStep, .classPerSequence: crossEntropy.backward()
        case .binaryPerStep: binaryCrossEntropy.backward()
        case .regressionPerStep, .regressionPerSequence: squaredError.backward()
        }
    }

    /// The summed loss and the number of units it averages over in the last forward pass (targets for class heads,
    /// rows for binary heads, elements for regression), for exact averages over many batches.
    var lastLossSum: (total: Double, count: Int) {
        switch head {
        case .classPerStep, .classPerSequence: (crossEntropy.totalLoss, crossEntropy.targetCount)
        case .binaryPerStep: (binaryCrossEntropy.totalLoss, binaryCrossEntropy.rowCount)
        case .regressionPerStep, .regressionPerSequence: (squaredError.totalLoss, squaredError.count)
        }
    }
}
