import RNNLabNumerics

/// Mean squared error over all elements, as PyTorch's `nn.MSELoss()`.
///
/// loss = (1/M) Σ_i (x_i − y_i)², M the number of elements.
public final class MeanSquaredError<T: Scalar> {
    /// d loss / d predictions of the last pass.
    public let inputGradient = Tensor<T>(shape: [0])
    /// The summed squared error of the last forward pass.
    public private(set) var totalLoss = 0.0
    /// The number of elements of the last forward pass.
    public private(set) var count = 0
    private var predictions: Tensor<T>?
    private var targets: Tensor<T>?

    public init() {}

    // forward: loss = mean (x − y)²
    @discardableResult
    public func forward(predictions: Tensor<T>, targets: Tensor<T>) -> Double {
        precondition(predictions.count == targets.count, "MeanSquaredError: \(predictions.shape) vs \(targets.shape)")
        self.predictions = predictions
        self.targets = targets
        var total = 0.0
        for i in 0..<predictions.count {
            let d = Double(predictions.data[i]) - Double(targets.data[i])
            total += d * d
        }
        totalLoss = total
        count = predictions.count
        return count == 0 ? 0 : total / Double(count)
    }

    // backward: dx = 2 (x − y) / M
    @discardableResult
    public func backward() -> Tensor<T> {
        guard let predictions, let targets else { preconditionFailure("MeanSquaredError.backward called before forward") }
        inputGradient.reshape(predictions.shape)
        let scale = predictions.count == 0 ? 0 : 2 / T(predictions.count)
        for i in 0..<predictions.count {
            inputGradient.data[i] = (predictions.data[i] - targets.data[i]) * scale
        }
        return inputGradient
    }
}
