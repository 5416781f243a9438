import RNNLabLayers

/// The decoder and attention of an encoder–decoder run (`model.kind: seq2seq`);
/// the encoder is the run's `cell`, `hidden_size`, `layers` and `bidirectional`.
public struct Seq2SeqModelSettings: Codable, Equatable, Sendable {
    /// nil: a fixed context (the bridged final encoder state only).
    public var attention: AttentionKind?
    /// The width of both embeddings.
    public var embedding: Int
    public var decoderCell: CellKind
    public var decoderHiddenSize: Int
    public var decoderLayers: Int
    /// Units of the additive score (nil: the decoder's hidden size).
    public var attentionSize: Int?

    /// The embedding width when none is given.
    public static let defaultEmbedding = 32

    public init(attention: AttentionKind?, embedding: Int = defaultEmbedding, decoderCell: CellKind, decoderHiddenSize: Int,
                decoderLayers: Int = 1, attentionSize: Int? = nil) {
        self.attention = attention
        self.embedding = embedding
        self.decoderCell = decoderCell
        self.decoderHiddenSize = decoderHiddenSize
        self.decoderLayers = decoderLayers
        self.attentionSize = attentionSize
    }
}
