import RNNLabLayers
import RNNLabRunStore
import RNNLabTasks

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
