/// A left-to-right model of the next token, for greedy decoding and beam search.
///
/// The scorer holds `rows` hypotheses at once (the rows of a batch, or the beams
/// of one source). Each call to `advance` feeds one token per row and returns
/// log-probabilities of the next token; `reorder` lets beams continue other
/// beams' states.
public protocol TokenScorer: AnyObject {
    /// V, the number of token ids.
    var vocabularySize: Int { get }
    /// Starts `rows` hypotheses from the initial state.
    func reset(rows: Int)
    /// Feeds `tokens[r]` to row r and writes log p(next token | row r's prefix)
    /// into `logProbabilities` [rows · V], row-major.
    func advance(tokens: [Int32], logProbabilities: inout [Double])
    /// New row r takes the state of old row `parents[r]`.
    func reorder(parents: [Int])
}
