import RNNLabNumerics

/// An `EncoderDecoder` as a `TokenScorer`: encodes the sources once per `reset`
/// and then advances the decoder one token at a time.
///
/// `reset(rows:)` needs either one row per source (batched greedy decoding) or a
/// single source, which is then replicated to every row (the beams of a beam search).
/// The attention weights of the last step are in `model.attention?.weights` [1, rows, S].
public final class EncoderDecoderScorer<T: Scalar>: TokenScorer {
    public let model: EncoderDecoder<T>
    public let sources: [[Int32]]
    public let padToken: Int32
    private let keys = Tensor<T>(shape: [0])       // [S, R, K]
    private let hidden = Tensor<T>(shape: [0])     // [L_d, R, H_d]
    private let cell = Tensor<T>(shape: [0])
    private let scratch = Tensor<T>(shape: [0])
    private var lengths: [Int] = []

    public init(model: EncoderDecoder<T>, sources: [[Int32]], padToken: Int32 = 0) {
        precondition(!sources.isEmpty && sources.allSatisfy { !$0.isEmpty }, "every source needs at least one token")
        self.model = model
        self.sources = sources
        self.padToken = padToken
    }

    public var vocabularySize: Int { model.configuration.targetVocabulary }

    public func reset(rows: Int) {
        precondition(rows == sources.count || sources.count == 1, "\(rows) rows for \(sources.count) sources")
        let rowSources = sources.count == 1 ? Array(repeating: sources[0], count: rows) : sources
        let S = rowSources.map(\.count).max() ?? 1
        var tokens = [Int32](repeating: padToken, count: S * rows)
        for (b, source) in rowSources.enumerated() { for (s, token) in source.enumerated() { tokens[s * rows + b] = token } }
        lengths = rowSources.map(\.count)
        var unused = RandomStream(seed: 0, stream: "decoding")
        model.encode(sourceTokens: tokens, lengths: lengths, sourceSteps: S, batch: rows, random: &unused)
        keys.copy(from: model.encoder.output)
        hidden.copy(from: model.initialHidden)
        if model.configuration.decoder.cell.hasCellState { cell.copy(from: model.initialCell) }
    }

    // log p = logits − logΣexp(logits), per row
    public func advance(tokens: [Int32], logProbabilities: inout [Double]) {
        let logits = model.step(tokens: tokens, hidden: hidden,
                                cell: model.configuration.decoder.cell.hasCellState ? cell : nil,
                                keys: keys, sourceLengths: lengths)
        let V = vocabularySize
        for r in 0..<tokens.count {
            let row = logits.data + r * V
            let lse = Double(Kernels.logSumExp(row, count: V))
            for v in 0..<V { logProbabilities[r * V + v] = Double(row[v]) - lse }
        }
    }

    public func reorder(parents: [Int]) {
        func gather(_ t: Tensor<T>, blocks: Int) {
            let rows = parents.count, width = t.count / (blocks * rows)
            scratch.copy(from: t)
            for block in 0..<blocks {
                for (r, parent) in parents.enumerated() {
                    (t.data + (block * rows + r) * width).update(from: scratch.data + (block * rows + parent) * width, count: width)
                }
            }
        }
        let rows = parents.count
        gather(hidden, blocks: hidden.count / (rows * model.configuration.decoder.hiddenSize))
        if model.configuration.decoder.cell.hasCellState {
            gather(cell, blocks: cell.count / (rows * model.configuration.decoder.hiddenSize))
        }
        gather(keys, blocks: keys.shape[0])
        lengths = parents.map { lengths[$0] }
    }
}
