import RealModule

/// A finished (or length-capped) hypothesis of a beam search.
public struct Hypothesis: Equatable, Sendable {
    /// The tokens, without ⟨bos⟩ and ⟨eos⟩.
    public var tokens: [Int32]
    /// log p(tokens, ⟨eos⟩) (without ⟨eos⟩ when the hypothesis was cut at the maximum length).
    public var logProbability: Double
    /// Whether it ended with ⟨eos⟩ rather than at the maximum length.
    public var isFinished: Bool
    /// The ranking score, logProbability / length^α with length counting ⟨eos⟩.
    public var score: Double
}

/// Beam search with length normalisation (Wu et al. 2016's simple form, score =
/// log p / |y|^α; α = 0 ranks by log-probability, α = 1 by mean log-probability).
///
/// Each step expands the `beamWidth` live hypotheses by every token and sorts the
/// candidates by log-probability (ties: lower beam, then lower token id). Walking
/// that list, a candidate ending in ⟨eos⟩ is finished if it ranks among the first
/// `beamWidth`; other candidates become the next live beams until there are
/// `beamWidth` of them. The search stops when `beamWidth` hypotheses have finished
/// or after `maxLength` steps (live beams then count, unfinished). With width 1
/// this is exactly greedy decoding.
public struct BeamSearch: Sendable {
    public var beamWidth: Int
    public var lengthPenalty: Double
    public var maxLength: Int

    public init(beamWidth: Int, lengthPenalty: Double = 0, maxLength: Int) {
        precondition(beamWidth >= 1 && maxLength >= 1, "beam width and maximum length must be at least 1")
        self.beamWidth = beamWidth
        self.lengthPenalty = lengthPenalty
        self.maxLength = maxLength
    }

    private func score(_ logProbability: Double, length: Int) -> Double {
        lengthPenalty == 0 ? logProbability : logProbability / Double.pow(Double(max(length, 1)), lengthPenalty)
    }

    /// Every finished hypothesis (and, at the length cap, the live ones), best first.
    public func search<S: TokenScorer>(_ scorer: S, beginToken: Int32, endToken: Int32) -> [Hypothesis] {
        let K = beamWidth, V = scorer.vocabularySize
        scorer.reset(rows: K)
        var live: [(tokens: [Int32], logProbability: Double)] = [([], 0)]
        var finished: [Hypothesis] = []
        var lastTokens = [Int32](repeating: beginToken, count: K)
        var logProbabilities = [Double](repeating: 0, count: K * V)
        var candidates: [(logProbability: Double, beam: Int, token: Int)] = []
        candidates.reserveCapacity(K * V)
        for step in 1...maxLength {
            scorer.advance(tokens: lastTokens, logProbabilities: &logProbabilities)
            candidates.removeAll(keepingCapacity: true)
            for (beam, hypothesis) in live.enumerated() {
                for v in 0..<V { candidates.append((hypothesis.logProbability + logProbabilities[beam * V + v], beam, v)) }
            }
            candidates.sort { a, b in
                if a.logProbability != b.logProbability { return a.logProbability > b.logProbability }
                return a.beam != b.beam ? a.beam < b.beam : a.token < b.token
            }
            var next: [(tokens: [Int32], logProbability: Double)] = []
            var parents: [Int] = []
            for (rank, candidate) in candidates.enumerated() {
                let prefix = live[candidate.beam].tokens
                if Int32(candidate.token) == endToken {
                    if rank < K {
                        finished.append(Hypothesis(tokens: prefix, logProbability: candidate.logProbability, isFinished: true,
                                                   score: score(candidate.logProbability, length: prefix.count + 1)))
                    }
                } else if next.count < K {
                    next.append((prefix + [Int32(candidate.token)], candidate.logProbability))
                    parents.append(candidate.beam)
                }
                if next.count == K && rank >= K - 1 { break }
            }
            if finished.count >= K || next.isEmpty { break }
            if step == maxLength {
                finished += next.map { Hypothesis(tokens: $0.tokens, logProbability: $0.logProbability, isFinished: false,
                                                  score: score($0.logProbability, length: $0.tokens.count)) }
                break
            }
            live = next
            for r in 0..<K { lastTokens[r] = r < next.count ? next[r].tokens[next[r].tokens.count - 1] : endToken }
            scorer.reorder(parents: (0..<K).map { $0 < parents.count ? parents[$0] : parents[0] })
        }
        // Stable order: score, then the order in which hypotheses were found.
        return finished.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element)
    }

    /// The best hypothesis's tokens.
    public func decode<S: TokenScorer>(_ scorer: S, beginToken: Int32, endToken: Int32) -> [Int32] {
        search(scorer, beginToken: beginToken, endToken: endToken).first?.tokens ?? []
    }
}
