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

extension RunFile {
    /// The encoder–decoder of a sequence-to-sequence run with its final weights, and its task.
    public func makeEncoderDecoder() throws -> (model: EncoderDecoder<Float>, task: Seq2SeqTask) {
        guard case .seq2seq(let specification) = configuration.task else {
            throw TaskError.invalid("\(runID) is not a sequence-to-sequence run (task: \(configuration.task))")
        }
        let task = try specification.makeTask()
        let model = try EncoderDecoder<Float>(try configuration.model.encoderDecoderConfiguration(vocabulary: task.vocabulary.size))
        try loadFinalWeights(into: model.parameters)
        return (model, task)
    }
}

/// Decoding strings with a trained encoder–decoder.
public enum Seq2SeqSampler {
    /// The decoded output for `input`: greedy with beam width 1, else beam search
    /// with the given length penalty α; at most `maxLength` tokens.
    public static func decode(model: EncoderDecoder<Float>, task: Seq2SeqTask, input: String, beamWidth: Int = 1,
                              lengthPenalty: Double = 0, maxLength: Int = 100) throws -> String {
        guard beamWidth >= 1, maxLength >= 1 else { throw TaskError.invalid("beam width and maximum length must be at least 1") }
        guard !input.isEmpty else { throw TaskError.invalid("the input is empty") }
        let source = try task.vocabulary.encode(input)
        let scorer = EncoderDecoderScorer(model: model, sources: [source])
        let tokens = beamWidth == 1
            ? GreedyDecoder.decode(scorer, rows: 1, beginToken: Seq2SeqVocabulary.beginToken, endToken: Seq2SeqVocabulary.endToken,
                                   maxLength: maxLength)[0]
            : BeamSearch(beamWidth: beamWidth, lengthPenalty: lengthPenalty, maxLength: maxLength)
                .decode(scorer, beginToken: Seq2SeqVocabulary.beginToken, endToken: Seq2SeqVocabulary.endToken)
        return task.vocabulary.decode(tokens)
    }

    /// Greedy decoding of `input` with the attention weights of every output step:
    /// the output tokens (⟨eos⟩ included when produced) and weights[step][source position].
    /// The weights are empty for models without attention.
    public static func decodeWithAttention(model: EncoderDecoder<Float>, task: Seq2SeqTask, input: String,
                                           maxLength: Int = 100) throws -> (tokens: [Int32], weights: [[Double]]) {
        let source = try task.vocabulary.encode(input)
        guard !source.isEmpty else { throw TaskError.invalid("the input is empty") }
        let scorer = EncoderDecoderScorer(model: model, sources: [source])
        scorer.reset(rows: 1)
        var token = Seq2SeqVocabulary.beginToken
        var tokens: [Int32] = [], weights: [[Double]] = []
        var logProbabilities = [Double](repeating: 0, count: scorer.vocabularySize)
        for _ in 0..<maxLength {
            scorer.advance(tokens: [token], logProbabilities: &logProbabilities)
            if let attention = model.attention { weights.append(attention.weights.array.map(Double.init)) }
            var best = 0
            for v in 1..<logProbabilities.count where logProbabilities[v] > logProbabilities[best] { best = v }
            token = Int32(best)
            tokens.append(token)
            if token == Seq2SeqVocabulary.endToken { break }
        }
        return (tokens, weights)
    }
}
