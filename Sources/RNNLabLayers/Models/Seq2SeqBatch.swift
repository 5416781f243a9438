/// One batch of source/target pairs for an `EncoderDecoder`, time-major.
///
/// Shapes (S source steps, T target steps, B rows):
///   sourceTokens   [S·B]  row s·B + b; positions past `sourceLengths[b]` hold any valid id
///   decoderInputs  [T·B]  ⟨bos⟩ y₁ … y_n (teacher forcing), then padding
///   targets        [T·B]  y₁ … y_n ⟨eos⟩, then `EncoderDecoder.ignoreIndex`
///   targetLengths  [B]    n + 1 per row
public struct Seq2SeqBatch: Sendable {
    public var sourceSteps: Int
    public var targetSteps: Int
    public var batch: Int
    public var sourceTokens: [Int32]
    public var sourceLengths: [Int]
    public var decoderInputs: [Int32]
    public var targets: [Int32]
    public var targetLengths: [Int]

    public init(sourceSteps: Int, targetSteps: Int, batch: Int, sourceTokens: [Int32], sourceLengths: [Int],
                decoderInputs: [Int32], targets: [Int32], targetLengths: [Int]) {
        self.sourceSteps = sourceSteps
        self.targetSteps = targetSteps
        self.batch = batch
        self.sourceTokens = sourceTokens
        self.sourceLengths = sourceLengths
        self.decoderInputs = decoderInputs
        self.targets = targets
        self.targetLengths = targetLengths
    }

    /// Pads token sequences into a batch: decoder inputs ⟨bos⟩ + target, targets
    /// target + ⟨eos⟩. Every source must have at least one token.
    public init(sources: [[Int32]], targets: [[Int32]], beginToken: Int32, endToken: Int32, padToken: Int32) {
        precondition(sources.count == targets.count && !sources.isEmpty, "a batch needs as many sources as targets, at least one")
        precondition(sources.allSatisfy { !$0.isEmpty }, "every source needs at least one token")
        let B = sources.count
        let S = sources.map(\.count).max() ?? 1
        let T = (targets.map(\.count).max() ?? 0) + 1
        var sourceTokens = [Int32](repeating: padToken, count: S * B)
        var inputs = [Int32](repeating: padToken, count: T * B)
        var outputs = [Int32](repeating: EncoderDecoder<Double>.ignoreIndex, count: T * B)
        for b in 0..<B {
            for (s, token) in sources[b].enumerated() { sourceTokens[s * B + b] = token }
            inputs[b] = beginToken
            for (t, token) in targets[b].enumerated() {
                inputs[(t + 1) * B + b] = token
                outputs[t * B + b] = token
            }
            outputs[targets[b].count * B + b] = endToken
        }
        self.init(sourceSteps: S, targetSteps: T, batch: B, sourceTokens: sourceTokens,
                  sourceLengths: sources.map(\.count), decoderInputs: inputs, targets: outputs,
                  targetLengths: targets.map { $0.count + 1 })
    }
}
