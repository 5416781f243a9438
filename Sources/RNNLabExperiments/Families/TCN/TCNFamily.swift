import RNNLabLayers
import RNNLabRunStore

/// The temporal-convolution family (`model.kind: tcn`): a `TemporalConvNet` (Bai, Kolter & Koltun 2018) in a
/// `FeedForwardSequenceModel`, on every sequence task; per-sequence heads read the last real step.
public struct TCNFamily: FeedForwardFamily {
    public init() {}

    public var name: String { "tcn" }

    public func accepts(_ configuration: RunConfiguration) -> Bool { configuration.model.tcn != nil }

    public func makeBody(_ settings: ModelSettings, inputSize: Int) throws -> any SequenceBody<Float> {
        guard let tcn = settings.tcn else { throw ModelFamilyError.noFamily(task: "a TCN family run without TCN settings") }
        return TemporalConvNet<Float>(inputSize: inputSize, levels: tcn.levels, channels: tcn.channels,
                                      kernelSize: tcn.kernelSize, dropout: settings.dropout)
    }
}
