import RNNLabNumerics

/// A temporal convolutional network (Bai, Kolter & Koltun 2018): `levels` residual `TemporalBlock`s of
/// `channels` channels, the dilation of level i being 2ⁱ, as locuslab/TCN's `TemporalConvNet`.
///
/// Shapes: x [T, B, I] → y [T, B, channels]. The output at t reads the inputs t − R + 1 … t, with the
/// receptive field R = 1 + 2(k − 1)(2^levels − 1). Parameters: `prefix.network.{i}.conv1.weight_g` [C, 1, 1],
/// `….conv1.weight_v` [C, C_in, k], `….conv1.bias` [C], the same for `conv2`, and for level 0 when I ≠ C
/// `prefix.network.0.downsample.weight` [C, I, 1] and `….downsample.bias` [C].
public final class TemporalConvNet<T: Scalar>: SequenceBody {
    public let inputSize: Int
    public let channels: Int
    public let kernelSize: Int
    public let blocks: [TemporalBlock<T>]
    public let parameters: [Parameter<T>]

    public init(inputSize: Int, levels: Int, channels: Int, kernelSize: Int, dropout: Double, name prefix: String = "tcn") {
        precondition(levels >= 1 && channels >= 1 && kernelSize >= 2, "a TCN needs levels ≥ 1, channels ≥ 1, kernel size ≥ 2")
        self.inputSize = inputSize
        self.channels = channels
        self.kernelSize = kernelSize
        let dot = prefix.isEmpty ? "" : "\(prefix)."
        blocks = (0..<levels).map { i in
            TemporalBlock(inputChannels: i == 0 ? inputSize : channels, outputChannels: channels, kernelSize: kernelSize,
                          dilation: 1 << i, dropout: dropout, name: "\(dot)network.\(i)")
        }
        parameters = blocks.flatMap(\.parameters)
    }

    public var outputSize: Int { channels }

    /// R = 1 + 2(k − 1)(2^levels − 1): how many inputs (the current one included) each output reads.
    public var receptiveField: Int { Self.receptiveField(levels: blocks.count, kernelSize: kernelSize) }

    /// The receptive field of a TCN with `levels` levels of kernel size `kernelSize`.
    public static func receptiveField(levels: Int, kernelSize: Int) -> Int {
        1 + 2 * (kernelSize - 1) * ((1 << levels) - 1)
    }

    /// Each output reads R − 1 earlier steps: a continuing stream is exact with that much history.
    public var evaluationWindow: EvaluationWindow { EvaluationWindow(history: receptiveField - 1, stride: nil) }

    // forward: x [T, B, I] → block₀ → … → block_{L−1} → y [T, B, C]
    public func forward(_ x: Tensor<T>, lengths: [Int]?, training: Bool, random: inout RandomStream) -> Tensor<T> {
        var h = x
        for block in blocks { h = block.forward(h, training: training, random: &random) }
        return h
    }

    // backward: through the blocks in reverse
    public func backward(_ dy: Tensor<T>) -> Tensor<T> {
        var d = dy
        for block in blocks.reversed() { d = block.backward(d) }
        return d
    }

    /// Bai et al.'s initialisation: every convolution's v from N(0, 0.01²), g = ‖v‖ (so w = v at the start),
    /// biases U(±1/√fan_in) as PyTorch's `Conv1d`.
    public func initialize(random: inout RandomStream) {
        for block in blocks {
            for conv in [block.conv1, block.conv2] + (block.downsample.map { [$0] } ?? []) {
                let v = conv.direction.value
                for i in 0..<v.count { v[i] = T(0.01 * random.normal()) }
                conv.resetMagnitudeToNorm()
                let bound = 1 / Double(conv.inputChannels * conv.kernelSize).squareRoot()
                for i in 0..<conv.bias.value.count { conv.bias.value[i] = T(random.uniform(-bound, bound)) }
            }
        }
    }
}
