import RNNLabNumerics

/// Inverted dropout: in training, each element is zeroed with probability p
/// and the survivors are scaled by 1/(1 − p), so evaluation is the identity.
public final class Dropout<T: Scalar> {
    /// The probability of zeroing an element, in [0, 1).
    public let probability: Double
    /// The output of the last forward pass, reused across calls.
    public let output = Tensor<T>(shape: [0])
    /// The input gradient of the last backward pass, reused across calls.
    public let inputGradient = Tensor<T>(shape: [0])
    /// The mask of the last training pass: 0 or 1/(1 − p) per element.
    public let mask = Tensor<T>(shape: [0])
    private var wasTraining = false

    public init(probability: Double) {
        precondition(probability >= 0 && probability < 1, "dropout probability \(probability) outside [0, 1)")
        self.probability = probability
    }

    // forward: y = x ⊙ m, m_i = 1/(1−p) with probability 1−p, else 0 (training); y = x (evaluation)
    /// Applies dropout to `x`, drawing the mask from `random` in training.
    @discardableResult
    public func forward(_ x: Tensor<T>, training: Bool, random: inout RandomStream) -> Tensor<T> {
        output.reshape(x.shape)
        wasTraining = training && probability > 0
        guard wasTraining else {
            output.data.update(from: x.data, count: x.count)
            return output
        }
        mask.reshape(x.shape)
        let keep = T(1 / (1 - probability))
        for i in 0..<x.count {
            mask.data[i] = random.nextUnit() < probability ? 0 : keep
            output.data[i] = x.data[i] * mask.data[i]
        }
        return output
    }

    // backward: dx = dy ⊙ m
    /// The gradient with respect to the input of the last forward pass.
    @discardableResult
    public func backward(_ dy: Tensor<T>) -> Tensor<T> {
        inputGradient.reshape(dy.shape)
        if wasTraining {
            for i in 0..<dy.count { inputGradient.data[i] = dy.data[i] * mask.data[i] }
        } else {
            inputGradient.data.update(from: dy.data, count: dy.count)
        }
        return inputGradient
    }
}
