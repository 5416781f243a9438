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

    public init(attention: AttentionKind?, embedding: Int, decoderCell: CellKind, decoderHiddenSize: Int,
                decoderLayers: Int = 1, attentionSize: Int? = nil) {
        self.attention = attention
        self.embedding = embedding
        self.decoderCell = decoderCell
        self.decoderHiddenSize = decoderHiddenSize
        self.decoderLayers = decoderLayers
        self.attentionSize = attentionSize
    }
}

extension ModelSettings {
    /// The encoder–decoder architecture for a vocabulary of `vocabulary` ids (shared by source and target).
    public func encoderDecoderConfiguration(vocabulary: Int) throws -> EncoderDecoderConfiguration {
        guard let s = seq2seq else {
            throw TaskError.invalid("this run's model is not an encoder–decoder (model.kind: seq2seq)")
        }
        let configuration = EncoderDecoderConfiguration(
            sourceVocabulary: vocabulary, targetVocabulary: vocabulary, embeddingSize: s.embedding,
            encoderCell: cell, encoderHiddenSize: hiddenSize, encoderLayers: layers, bidirectionalEncoder: bidirectional,
            decoderCell: s.decoderCell, decoderHiddenSize: s.decoderHiddenSize, decoderLayers: s.decoderLayers,
            attention: s.attention, attentionSize: s.attentionSize, dropout: dropout)
        try configuration.validate()
        return configuration
    }
}
