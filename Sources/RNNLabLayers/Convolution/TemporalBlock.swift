import RNNLabNumerics

/// One residual block of a temporal convolutional network (Bai, Kolter & Koltun 2018, `TemporalBlock` of
/// locuslab/TCN): two weight-normalised dilated causal convolutions, each followed by ReLU and dropout, added
/// to the input (through a 1×1 convolution `downsample` where the widths differ) and passed through ReLU.
///
///     a₁ = relu(conv1(x)),  h₁ = drop(a₁),  a₂ = relu(conv2(h₁)),  h₂ = drop(a₂)
///     y  = relu(h₂ + res(x)),  res(x) = downsample(x) if C ≠ C′ else x
///
/// Shapes: x [T, B, C] → y [T, B, C′]. Parameters under `prefix.conv1.`, `prefix.conv2.`, `prefix.downsample.`.
public final class TemporalBlock<T: Scalar>: ParameterOwner {
    public let conv1: CausalConvolution<T>
    public let conv2: CausalConvolution<T>
    public let downsample: CausalConvolution<T>?
    public let parameters: [Parameter<T>]
    /// The output of the last forward pass [T, B, C′].
    public let output = Tensor<T>(shape: [0])
    private let dropout1: Dropout<T>
    private let dropout2: Dropout<T>
    private let activation1 = Tensor<T>(shape: [0])   // a₁ [T, B, C′]
    private let activation2 = Tensor<T>(shape: [0])   // a₂ [T, B, C′]
    private let gradient = Tensor<T>(shape: [0])      // workspace [T, B, C′]
    /// The input gradient of the last backward pass [T, B, C].
    public let inputGradient = Tensor<T>(shape: [0])
    private var input: Tensor<T>?

    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, dilation: Int, dropout: Double, name prefix: String) {
        conv1 = CausalConvolution(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
                                  dilation: dilation, name: "\(prefix).conv1")
        conv2 = CausalConvolution(inputChannels: outputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
                                  dilation: dilation, name: "\(prefix).conv2")
        downsample = inputChannels == outputChannels ? nil
            : CausalConvolution(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 1,
                                weightNormalized: false, name: "\(prefix).downsample")
        parameters = conv1.parameters + conv2.parameters + (downsample?.parameters ?? [])
        dropout1 = Dropout(probability: dropout)
        dropout2 = Dropout(probability: dropout)
    }

    // forward: x [T, B, C] → y [T, B, C′] (equations above)
    /// Runs the block; dropout only in training, drawn from `random`.
    @discardableResult
    public func forward(_ x: Tensor<T>, training: Bool, random: inout RandomStream) -> Tensor<T> {
        input = x
        let a1 = conv1.forward(x)
        activation1.reshape(a1.shape)
        Kernels.relu(a1.data, activation1.data, count: a1.count)
        let h1 = dropout1.forward(activation1, training: training, random: &random)
        let a2 = conv2.forward(h1)
        activation2.reshape(a2.shape)
        Kernels.relu(a2.data, activation2.data, count: a2.count)
        let h2 = dropout2.forward(activation2, training: training, random: &random)
        let residual = downsample?.forward(x) ?? x
        output.reshape(h2.shape)
        for i in 0..<output.count { output.data[i] = max(h2.data[i] + residual.data[i], 0) }
        return output
    }

    // backward: dz = dy ⊙ [y > 0];  dx = res′ᵀ dz + conv1ᵀ(drop₁ᵀ(relu′(conv2ᵀ(drop₂ᵀ(dz) ⊙ [a₂ > 0])) ⊙ [a₁ > 0]))
    /// Accumulates the parameter gradients for dy [T, B, C′] and returns dx [T, B, C].
    @discardableResult
    public func backward(_ dy: Tensor<T>) -> Tensor<T> {
        guard let x = input else { preconditionFailure("TemporalBlock.backward called before forward") }
        gradient.reshape(dy.shape)
        for i in 0..<dy.count { gradient.data[i] = output.data[i] > 0 ? dy.data[i] : 0 }
        inputGradient.reshape(x.shape)
        if let downsample {
            inputGradient.copy(from: downsample.backward(gradient))
        } else {
            inputGradient.copy(from: gradient)
        }
        let dh2 = dropout2.backward(gradient)
        for i in 0..<dh2.count where activation2.data[i] <= 0 { dh2.data[i] = 0 }
        let dh1 = dropout1.backward(conv2.backward(dh2))
        for i in 0..<dh1.count where activation1.data[i] <= 0 { dh1.data[i] = 0 }
        Kernels.add(conv1.backward(dh1).data, into: inputGradient.data, count: inputGradient.count)
        return inputGradient
    }
}
