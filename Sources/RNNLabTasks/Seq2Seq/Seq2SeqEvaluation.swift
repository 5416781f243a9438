import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining

/// A task's training batches and evaluation metrics for an `EncoderDecoder`.
///
/// Metrics of a split: `loss` (teacher-forced cross-entropy per target token,
/// ⟨eos⟩ included, nats), `exact_match` and `token_accuracy` of greedy decoding
/// (at most 2·|target| + 5 tokens), and on the test split the same two per size
/// as `exact_match_len_N` / `token_accuracy_len_N` (dates: N is the source length
/// rounded down to a multiple of 5).
public struct Seq2SeqEvaluator: Sendable {
    public let task: Seq2SeqTask
    public let batchSize: Int
    private let training: [Seq2SeqExample]
    private let validation: [Seq2SeqExample]
    private let test: [Seq2SeqExample]

    public init(task: Seq2SeqTask, batchSize: Int) {
        self.task = task
        self.batchSize = batchSize
        training = task.examples(nil)
        validation = task.examples(.validation)
        test = task.examples(.test)
    }

    /// The size bucket an example is reported under.
    public func bucket(_ example: Seq2SeqExample) -> Int { task.kind == .dates ? example.size / 5 * 5 : example.size }

    /// The examples of a split (nil: training).
    public func examples(_ split: EvaluationSplit?) -> [Seq2SeqExample] {
        switch split {
        case nil: training
        case .validation: validation
        case .test: test
        }
    }

    /// One epoch's training batches: the examples shuffled with `random`, full batches only.
    public func trainingBatches(random: inout RandomStream) -> [Seq2SeqBatch] {
        let order = shuffled(Array(training.indices), random: &random)
        return stride(from: 0, to: order.count - batchSize + 1, by: batchSize).compactMap {
            try? task.batch(order[$0..<($0 + batchSize)].map { training[$0] })
        }
    }

    /// Greedy decodings of `examples`, in batches.
    public func decode<T: Scalar>(_ model: EncoderDecoder<T>, _ examples: [Seq2SeqExample]) -> [String] {
        let vocabulary = task.vocabulary
        var outputs: [String] = []
        for start in stride(from: 0, to: examples.count, by: batchSize) {
            let chunk = Array(examples[start..<min(start + batchSize, examples.count)])
            guard let sources = try? chunk.map({ try vocabulary.encode($0.source) }) else {
                outputs += chunk.map { _ in "" }
                continue
            }
            let maxLength = 2 * (chunk.map(\.target.count).max() ?? 1) + 5
            let decoded = GreedyDecoder.decode(EncoderDecoderScorer(model: model, sources: sources), rows: chunk.count,
                                               beginToken: Seq2SeqVocabulary.beginToken, endToken: Seq2SeqVocabulary.endToken,
                                               maxLength: maxLength)
            outputs += decoded.map { vocabulary.decode($0) }
        }
        return outputs
    }

    /// The metrics of a split (see the type's documentation).
    public func evaluate<T: Scalar>(_ model: EncoderDecoder<T>, _ split: EvaluationSplit) -> [String: Double] {
        let examples = examples(split)
        var lossTotal = 0.0, lossCount = 0
        for start in stride(from: 0, to: examples.count, by: batchSize) {
            guard let batch = try? task.batch(Array(examples[start..<min(start + batchSize, examples.count)])) else { continue }
            model.forward(batch)
            lossTotal += model.lastLossSum.total
            lossCount += model.lastLossSum.count
        }
        let vocabulary = task.vocabulary
        var overall = SequenceAccuracy()
        var bySize: [Int: SequenceAccuracy] = [:]
        for (example, output) in zip(examples, decode(model, examples)) {
            let prediction = (try? vocabulary.encode(output)) ?? []
            let reference = (try? vocabulary.encode(example.target)) ?? []
            overall.add(prediction: prediction, reference: reference)
            if split == .test { bySize[bucket(example), default: SequenceAccuracy()].add(prediction: prediction, reference: reference) }
        }
        var metrics = ["loss": lossCount > 0 ? lossTotal / Double(lossCount) : .nan,
                       "exact_match": overall.exactMatch, "token_accuracy": overall.tokenAccuracy]
        for (size, accuracy) in bySize {
            metrics["exact_match_len_\(size)"] = accuracy.exactMatch
            metrics["token_accuracy_len_\(size)"] = accuracy.tokenAccuracy
        }
        return metrics
    }

    /// The trivial baseline on the test split: output the source unchanged.
    public func baseline() -> [String: Double] {
        let vocabulary = task.vocabulary
        var overall = SequenceAccuracy()
        var bySize: [Int: SequenceAccuracy] = [:]
        for example in test {
            let prediction = (try? vocabulary.encode(example.source)) ?? []
            let reference = (try? vocabulary.encode(example.target)) ?? []
            overall.add(prediction: prediction, reference: reference)
            bySize[bucket(example), default: SequenceAccuracy()].add(prediction: prediction, reference: reference)
        }
        var metrics = ["exact_match": overall.exactMatch, "token_accuracy": overall.tokenAccuracy]
        for (size, accuracy) in bySize {
            metrics["exact_match_len_\(size)"] = accuracy.exactMatch
            metrics["token_accuracy_len_\(size)"] = accuracy.tokenAccuracy
        }
        return metrics
    }
}
