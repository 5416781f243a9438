import RNNLabNumerics

/// Softmax followed by the negative log-likelihood of the target class, as
/// PyTorch's `nn.CrossEntropyLoss(ignore_index:)` with mean reduction.
///
/// loss = (1/M) Σ_{n: target_n ≠ ignore} −log softmax(logits_n)[target_n],
/// where M is the number of targets that are not ignored (the padding index).
/// With M = 0 the loss is 0 and so is its gradient.
public final class SoftmaxCrossEntropy<T: Scalar> {
    /// Targets equal to this index contribute neither loss nor gradient.
    public let ignoreIndex: Int32
    /// softmax(logits) of the last forward pass [N, C].
    public let probabilities = Tensor<T>(shape: [0])
    /// d loss / d logits of the last pass [N, C].
    public let inputGradient = Tensor<T>(shape: [0])
    /// The number of targets that counted in the last forward pass.
    public private(set) var targetCount = 0
    /// The summed (not averaged) NLL of the last forward pass, in nats.
    public private(set) var totalLoss = 0.0
    private var targets: [Int32] = []

    public init(ignoreIndex: Int32 = -100) {
        self.ignoreIndex = ignoreIndex
    }

    // forward: p[n, :] = softmax(z[n, :]); loss = mean_n −log p[n, t_n]
    /// Returns the mean NLL per counted target, in nats.
    @discardableResult
    public func forward(logits: Tensor<T>, targets: [Int32]) -> Double {
        let rows = targets.count
        precondition(rows > 0 && logits.count % rows == 0, "SoftmaxCrossEntropy: logits \(logits.shape) do not match \(rows) targets")
        let classes = logits.count / rows
        self.targets = targets
        probabilities.reshape([rows, classes])
        var total = 0.0
        var counted = 0
        for n in 0..<rows {
            let z = logits.data + n * classes
            let lse = Kernels.softmax(z, probabilities.data + n * classes, count: classes)
            let target = targets[n]
            if target == ignoreIndex { continue }
            precondition(target >= 0 && Int(target) < classes, "SoftmaxCrossEntropy: target \(target) outside 0..<\(classes)")
            total += Double(lse - z[Int(target)])
            counted += 1
        }
        targetCount = counted
        totalLoss = total
        return counted == 0 ? 0 : total / Double(counted)
    }

    // backward: dz[n, :] = (p[n, :] − onehot(t_n)) / M ; ignored rows get 0
    /// The gradient of the mean loss with respect to the logits.
    @discardableResult
    public func backward() -> Tensor<T> {
        let rows = targets.count
        let classes = probabilities.count / max(rows, 1)
        inputGradient.reshape(probabilities.shape)
        let scale = targetCount == 0 ? 0 : 1 / T(targetCount)
        for n in 0..<rows {
            let p = probabilities.data + n * classes
            let dz = inputGradient.data + n * classes
            if targets[n] == ignoreIndex {
                dz.update(repeating: 0, count: classes)
                continue
            }
            for j in 0..<classes { dz[j] = p[j] * scale }
            dz[Int(targets[n])] -= scale
        }
        return inputGradient
    }
}
