/// How the decoder's initial state is made from the encoder's final states.
public enum EncoderDecoderBridge: String, Codable, Sendable {
    /// h0 of decoder layer k is h_n of encoder layer k (and c0 = c_n when both
    /// are LSTMs; otherwise c0 = 0). Used when the encoder is unidirectional
    /// with the decoder's layer count and hidden size (Sutskever et al. 2014).
    case copy
    /// h0 [L_dec, B, H_dec] = tanh(bridge(z)), z [B, L_enc·D·H_enc] the encoder's
    /// final hidden states of every layer and direction, concatenated; c0 = 0.
    /// Used otherwise (bidirectional encoders, different sizes).
    case linear
}

/// The errors of an invalid encoder–decoder architecture.
public enum EncoderDecoderError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message): "invalid encoder–decoder configuration: \(message)"
        }
    }
}

/// The architecture of an `EncoderDecoder`.
public struct EncoderDecoderConfiguration: Codable, Equatable, Sendable {
    /// Source tokens 0..<sourceVocabulary.
    public var sourceVocabulary: Int
    /// Target tokens 0..<targetVocabulary, including ⟨bos⟩ and ⟨eos⟩.
    public var targetVocabulary: Int
    /// The width E of both embeddings.
    public var embeddingSize: Int
    /// The encoder (input size E; may be bidirectional and multi-layer).
    public var encoder: RecurrentConfiguration
    /// The decoder (input size E; unidirectional).
    public var decoder: RecurrentConfiguration
    /// The attention score, or nil for a fixed context (the bridged final state only).
    public var attention: AttentionKind?
    /// Units A of the additive score.
    public var attentionSize: Int

    public init(sourceVocabulary: Int, targetVocabulary: Int, embeddingSize: Int,
                encoderCell: CellKind, encoderHiddenSize: Int, encoderLayers: Int = 1, bidirectionalEncoder: Bool = false,
                decoderCell: CellKind, decoderHiddenSize: Int, decoderLayers: Int = 1,
                attention: AttentionKind? = nil, attentionSize: Int? = nil, dropout: Double = 0) {
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
        self.embeddingSize = embeddingSize
        encoder = RecurrentConfiguration(cell: encoderCell, inputSize: embeddingSize, hiddenSize: encoderHiddenSize,
                                         layers: encoderLayers, bidirectional: bidirectionalEncoder, dropout: dropout)
        decoder = RecurrentConfiguration(cell: decoderCell, inputSize: embeddingSize, hiddenSize: decoderHiddenSize,
                                         layers: decoderLayers, bidirectional: false, dropout: dropout)
        self.attention = attention
        self.attentionSize = attentionSize ?? decoderHiddenSize
    }

    /// The width of the encoder's outputs, D·H_enc (the attention's keys).
    public var encoderOutputSize: Int { encoder.directions * encoder.hiddenSize }

    /// How the decoder's initial state is made (see `EncoderDecoderBridge`).
    public var bridge: EncoderDecoderBridge {
        !encoder.bidirectional && encoder.layers == decoder.layers && encoder.hiddenSize == decoder.hiddenSize
            ? .copy : .linear
    }

    /// Throws when the sizes cannot work together.
    public func validate() throws {
        func fail(_ message: String) -> EncoderDecoderError { .invalidConfiguration(message) }
        guard sourceVocabulary >= 1, targetVocabulary >= 2 else {
            throw fail("vocabularies must hold at least 1 source and 2 target tokens")
        }
        guard embeddingSize >= 1, encoder.hiddenSize >= 1, decoder.hiddenSize >= 1, attentionSize >= 1 else {
            throw fail("embedding, hidden and attention sizes must be positive")
        }
        guard encoder.layers >= 1, decoder.layers >= 1 else { throw fail("encoder and decoder need at least one layer") }
        guard !decoder.bidirectional else { throw fail("the decoder cannot be bidirectional") }
        if attention == .dot, encoderOutputSize != decoder.hiddenSize {
            throw fail("dot attention needs the encoder output size (\(encoderOutputSize)) to equal the decoder hidden size (\(decoder.hiddenSize)); use general or additive")
        }
    }
}
