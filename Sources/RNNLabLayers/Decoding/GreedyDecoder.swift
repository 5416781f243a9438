/// Greedy decoding: at every step each row takes its most probable token (the
/// lowest id among equals), until ⟨eos⟩ or `maxLength` tokens.
public enum GreedyDecoder {
    /// The decoded tokens of each of `rows` rows, without ⟨bos⟩ and ⟨eos⟩.
    public static func decode<S: TokenScorer>(
        _ scorer: S, rows: Int, beginToken: Int32, endToken: Int32, maxLength: Int
    ) -> [[Int32]] {
        let V = scorer.vocabularySize
        scorer.reset(rows: rows)
        var tokens = [Int32](repeating: beginToken, count: rows)
        var outputs = [[Int32]](repeating: [], count: rows)
        var finished = [Bool](repeating: false, count: rows)
        var logProbabilities = [Double](repeating: 0, count: rows * V)
        for _ in 0..<maxLength {
            scorer.advance(tokens: tokens, logProbabilities: &logProbabilities)
            for r in 0..<rows where !finished[r] {
                var best = 0
                for v in 1..<V where logProbabilities[r * V + v] > logProbabilities[r * V + best] { best = v }
                tokens[r] = Int32(best)
                if Int32(best) == endToken { finished[r] = true } else { outputs[r].append(Int32(best)) }
            }
            if !finished.contains(false) { break }
        }
        return outputs
    }
}
