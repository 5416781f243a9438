/// A temporal convolutional network (`model.kind: tcn`): `levels` residual blocks of `channels` channels and
/// kernel size `kernelSize`, dilation 2ⁱ at level i; the run's `dropout` acts after every convolution.
public struct TCNModelSettings: Codable, Equatable, Sendable {
    public var levels: Int
    public var channels: Int
    public var kernelSize: Int

    /// Bai et al.'s most common kernel size.
    public static let defaultKernelSize = 7

    public init(levels: Int, channels: Int, kernelSize: Int = defaultKernelSize) {
        self.levels = levels
        self.channels = channels
        self.kernelSize = kernelSize
    }

    /// R = 1 + 2(k − 1)(2^levels − 1): the inputs each output reads, the current one included.
    public var receptiveField: Int { 1 + 2 * (kernelSize - 1) * ((1 << levels) - 1) }
}

/// Position information of a Transformer.
public enum PositionEncoding: String, Codable, Equatable, Sendable, CaseIterable {
    /// A trained table `transformer.wpe.weight` [context, width].
    case learned
    /// Fixed sines and cosines (Vaswani et al. 2017); no parameters.
    case sinusoidal
}

/// A small causal Transformer (`model.kind: transformer`): `layers` pre-LayerNorm blocks of `width` units
/// (the run's `hidden_size`), `heads` attention heads, an MLP of `mlpRatio`·width units, at most `context`
/// positions; the run's `dropout` acts on the embedded input and on each residual branch.
public struct TransformerModelSettings: Codable, Equatable, Sendable {
    public var heads: Int
    public var mlpRatio: Int
    public var context: Int
    public var positions: PositionEncoding

    public static let defaultMLPRatio = 4
    public static let defaultPositions = PositionEncoding.learned

    public init(heads: Int, mlpRatio: Int = defaultMLPRatio, context: Int, positions: PositionEncoding = defaultPositions) {
        self.heads = heads
        self.mlpRatio = mlpRatio
        self.context = context
        self.positions = positions
    }
}
