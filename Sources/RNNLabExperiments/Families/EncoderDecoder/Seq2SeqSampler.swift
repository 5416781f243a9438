import RNNLabLayers
import RNNLabNumerics
import RNNLabTasks

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
