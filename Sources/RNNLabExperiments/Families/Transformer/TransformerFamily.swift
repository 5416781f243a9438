import RNNLabLayers
import RNNLabRunStore

/// The Transformer family (`model.kind: transformer`): a small causal `TransformerBody` (pre-LayerNorm blocks
/// of masked multi-head self-attention and a GELU MLP) in a `FeedForwardSequenceModel`, on every sequence task;
/// per-sequence heads read out by mean pooling.
public struct TransformerFamily: FeedForwardFamily {
    public init() {}

    public var name: String { "transformer" }

    public func accepts(_ configuration: RunConfiguration) -> Bool { configuration.model.transformer != nil }

    public func makeBody(_ settings: ModelSettings, inputSize: Int) throws -> any SequenceBody<Float> {
        guard let t = settings.transformer else { throw ModelFamilyError.noFamily(task: "a Transformer family run without Transformer settings") }
        return TransformerBody<Float>(inputSize: inputSize, width: settings.hiddenSize, layers: settings.layers, heads: t.heads,
                                      mlpRatio: t.mlpRatio, context: t.context, positions: t.positions == .learned,
                                      dropout: settings.dropout)
    }
}
