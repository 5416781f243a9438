import RNNLabData
import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining
import RealModule

/// Many-to-one text classification (sentence polarity, SST-2).
///
/// Sequences have their own lengths: batches are padded and masked, and built
/// by length bucketing (training sequences are shuffled, grouped 32 batches at
/// a time, sorted by length inside each group, and the resulting batches are
/// shuffled), so little compute goes to padding. The model reads the last
/// state, a mean over steps, or both directions' final states (see
/// `SequenceReadout`). Metrics: accuracy and cross-entropy; baseline: the
/// majority class of the training split.
public struct SentimentTask: SequenceTask {
    public struct Example: Equatable, Sendable {
        public var tokens: [Int32]
        public var label: Int
        public init(tokens: [Int32], label: Int) { self.tokens = tokens; self.label = label }
    }

    public let name: String
    public let vocabularySize: Int
    public let classes: Int
    public let training: [Example]
    public let validation: [Example]
    public let test: [Example]
    public let embeddingDimension: Int
    /// How text maps to ids, when the examples came from text (stored with runs for evaluation).
    public let tokenizer: StoredTokenizer?

    public init(name: String, vocabularySize: Int, classes: Int, training: [Example], validation: [Example],
                test: [Example], embeddingDimension: Int, tokenizer: StoredTokenizer? = nil) throws {
        for (split, examples) in [("training", training), ("validation", validation), ("test", test)] {
            guard !examples.isEmpty else { throw TaskError.invalid("the \(split) split of '\(name)' is empty") }
            if let bad = examples.firstIndex(where: { $0.tokens.isEmpty }) {
                throw TaskError.invalid("\(name) \(split) example \(bad) has no tokens")
            }
            if let bad = examples.first(where: { $0.label < 0 || $0.label >= classes }) {
                throw TaskError.invalid("\(name) \(split): label \(bad.label) outside 0..<\(classes)")
            }
        }
        self.name = name
        self.vocabularySize = vocabularySize
        self.classes = classes
        self.training = training
        self.validation = validation
        self.test = test
        self.embeddingDimension = embeddingDimension
        self.tokenizer = tokenizer
    }

    public var input: SequenceInput { .embedding(vocabulary: vocabularySize, dimension: embeddingDimension) }
    public var head: SequenceHead { .classPerSequence(classes: classes) }
    public static var metrics: [MetricDefinition] {
        [MetricDefinition("accuracy", lowerIsBetter: false, "fraction of sentences classified correctly"),
         MetricDefinition("loss", lowerIsBetter: true, "cross-entropy per sentence, nats")]
    }

    /// A padded batch (padding token 0, masked by the lengths).
    public static func batch(_ examples: [Example]) -> SequenceBatch<Float> {
        let B = examples.count, T = examples.map(\.tokens.count).max() ?? 1
        var tokens = [Int32](repeating: 0, count: T * B)
        for (b, e) in examples.enumerated() { for (t, id) in e.tokens.enumerated() { tokens[t * B + b] = id } }
        return SequenceBatch(steps: T, batch: B, tokens: tokens, lengths: examples.map(\.tokens.count),
                             classTargets: examples.map { Int32($0.label) })
    }

    public func makeSource(batchSize: Int) -> any BatchSource<Float> {
        SentimentSource(task: self, batchSize: batchSize)
    }

    /// Always the majority class of the training split; its loss is the
    /// cross-entropy of the training class frequencies.
    public func baseline(_ split: EvaluationSplit) -> [String: Double] {
        var counts = [Double](repeating: 0, count: classes)
        for e in training { counts[e.label] += 1 }
        let majority = counts.indices.max { counts[$0] < counts[$1] } ?? 0
        let examples = split == .validation ? validation : test
        let frequencies = counts.map { max($0, 1) / Double(training.count) }
        let loss = examples.reduce(0.0) { $0 - Double.log(frequencies[$1.label]) } / Double(examples.count)
        let accuracy = Double(examples.filter { $0.label == majority }.count) / Double(examples.count)
        return ["accuracy": accuracy, "loss": loss]
    }
}

struct SentimentSource: BatchSource {
    typealias Element = Float
    let task: SentimentTask
    let batchSize: Int

    func trainingBatches(epoch: Int, random: inout RandomStream) -> [SequenceBatch<Float>] {
        let order = shuffled(Array(task.training.indices), random: &random)
        var batches: [[Int]] = []
        let group = 32 * batchSize
        for start in stride(from: 0, to: order.count, by: group) {
            let bucket = order[start..<min(start + group, order.count)]
                .sorted { task.training[$0].tokens.count < task.training[$1].tokens.count }
            for first in stride(from: 0, to: bucket.count, by: batchSize) {
                batches.append(Array(bucket[(bucket.startIndex + first)..<min(bucket.startIndex + first + batchSize, bucket.endIndex)]))
            }
        }
        return shuffled(batches, random: &random).map { SentimentTask.batch($0.map { task.training[$0] }) }
    }

    func evaluationBatches(_ split: EvaluationSplit) -> [SequenceBatch<Float>] {
        let examples = (split == .validation ? task.validation : task.test).sorted { $0.tokens.count < $1.tokens.count }
        return stride(from: 0, to: examples.count, by: batchSize).map {
            SentimentTask.batch(Array(examples[$0..<min($0 + batchSize, examples.count)]))
        }
    }

    func makeMetrics() -> MetricSet<Float> { ClassificationMetrics() }
}
