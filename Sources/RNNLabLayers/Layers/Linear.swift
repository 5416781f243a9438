import RNNLabNumerics

/// A fully connected layer, y = x·Wᵀ + b, as PyTorch's `nn.Linear`.
///
/// Shapes: x [N, in] → y [N, out]; weight [out, in]; bias [out].
public final class Linear<T: Scalar>: ParameterOwner {
    public let inputSize: Int
    public let outputSize: Int
    /// `weight` [out, in].
    public let weight: Parameter<T>
    /// `bias` [out], or nil for a layer without bias.
    public let bias: Parameter<T>?
    public let parameters: [Parameter<T>]

    /// The output of the last forward pass [N, out], reused across calls.
    public let output = Tensor<T>(shape: [0])
    /// The input gradient of the last backward pass [N, in], reused across calls.
    public let inputGradient = Tensor<T>(shape: [0])
    private var input: Tensor<T>?

    /// Creates a layer whose parameters are named `prefix.weight` and `prefix.bias`.
    public init(inputSize: Int, outputSize: Int, hasBias: Bool = true, name prefix: String = "") {
        self.inputSize = inputSize
        self.outputSize = outputSize
        let dot = prefix.isEmpty ? "" : "\(prefix)."
        weight = Parameter(name: "\(dot)weight", shape: [outputSize, inputSize])
        bias = hasBias ? Parameter(name: "\(dot)bias", shape: [outputSize]) : nil
        parameters = [weight] + (bias.map { [$0] } ?? [])
    }

    // forward: y[N, out] = x[N, in] · Wᵀ[in, out] + b
    /// Computes y for every row of `x` [N, in]; keeps a reference to `x` for `backward`.
    @discardableResult
    public func forward(_ x: Tensor<T>) -> Tensor<T> {
        precondition(x.shape.last == inputSize, "Linear expects rows of \(inputSize), got shape \(x.shape)")
        let rows = x.count / inputSize
        input = x
        output.reshape([rows, outputSize])
        if let bias {
            Kernels.broadcastRows(bias.value.data, to: output.data, rows: rows, cols: outputSize, ld: outputSize)
        }
        T.gemm(transA: false, transB: true, m: rows, n: outputSize, k: inputSize,
               alpha: 1, a: x.data, lda: inputSize, b: weight.value.data, ldb: inputSize,
               beta: bias == nil ? 0 : 1, c: output.data, ldc: outputSize)
        return output
    }

    // backward: dW[out, in] += dyᵀ · x ; db[out] += Σ_rows dy ; dx[N, in] = dy · W
    /// Accumulates the parameter gradients for `dy` [N, out] and returns dx [N, in]
    /// (computed only when `computeInputGradient` is true).
    @discardableResult
    public func backward(_ dy: Tensor<T>, computeInputGradient: Bool = true) -> Tensor<T> {
        guard let x = input else { preconditionFailure("Linear.backward called before forward") }
        let rows = x.count / inputSize
        precondition(dy.count == rows * outputSize, "Linear.backward: dy has shape \(dy.shape), expected [\(rows), \(outputSize)]")
        T.gemm(transA: true, transB: false, m: outputSize, n: inputSize, k: rows,
               alpha: 1, a: dy.data, lda: outputSize, b: x.data, ldb: inputSize,
               beta: 1, c: weight.gradient.data, ldc: inputSize)
        if let bias {
            Kernels.addColumnSums(dy.data, rows: rows, cols: outputSize, ld: outputSize, into: bias.gradient.data)
        }
        inputGradient.reshape([rows, inputSize])
        if computeInputGradient {
            T.gemm(transA: false, transB: false, m: rows, n: inputSize, k: outputSize,
                   alpha: 1, a: dy.data, lda: outputSize, b: weight.value.data, ldb: inputSize,
                   beta: 0, c: inputGradient.data, ldc: inputSize)
        }
        return inputGradient
    }
}
