import RNNLabData
import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining
import RealModule

/// Next-token prediction on a token stream (characters, words or BPE units).
///
/// Training batches cut the training stream by `partitioning` (sequential
/// streams carry the state across batches); evaluation reads the validation
/// and test streams sequentially with the state carried, covering every token.
/// Metrics: mean NLL per token in nats (`loss`), perplexity = exp(loss), bits
/// per token (bits per character for character models). Baseline: the
/// unigram distribution of the training stream (add-one smoothed).
public struct LanguageModelTask: SequenceTask {
    public let name: String
    public let vocabularySize: Int
    public let training: [Int32]
    public let validation: [Int32]
    public let test: [Int32]
    /// Steps per batch (the unroll length).
    public let steps: Int
    public let partitioning: StreamPartitioning
    /// Embedding width, or nil to feed one-hot vectors.
    public let embeddingDimension: Int?
    /// How text maps to ids, when the streams came from text (stored with runs for sampling).
    public let tokenizer: StoredTokenizer?

    public init(name: String, vocabularySize: Int, training: [Int32], validation: [Int32], test: [Int32],
                steps: Int, partitioning: StreamPartitioning = .sequential, embeddingDimension: Int? = nil,
                tokenizer: StoredTokenizer? = nil) throws {
        for (split, stream) in [("training", training), ("validation", validation), ("test", test)] {
            guard stream.count > steps else {
                throw TaskError.invalid("the \(split) stream of '\(name)' has \(stream.count) tokens, fewer than steps + 1 = \(steps + 1)")
            }
            if let bad = stream.first(where: { $0 < 0 || Int($0) >= vocabularySize }) {
                throw TaskError.invalid("the \(split) stream of '\(name)' holds token id \(bad) outside 0..<\(vocabularySize)")
            }
        }
        self.name = name
        self.vocabularySize = vocabularySize
        self.training = training
        self.validation = validation
        self.test = test
        self.steps = steps
        self.partitioning = partitioning
        self.embeddingDimension = embeddingDimension
        self.tokenizer = tokenizer
    }

    public var input: SequenceInput {
        embeddingDimension.map { .embedding(vocabulary: vocabularySize, dimension: $0) } ?? .oneHot(vocabulary: vocabularySize)
    }
    public var head: SequenceHead { .classPerStep(classes: vocabularySize) }
    public static var metrics: [MetricDefinition] {
        [MetricDefinition("perplexity", lowerIsBetter: true, "exp(mean NLL per token)"),
         MetricDefinition("bits_per_token", lowerIsBetter: true, "mean NLL per token / ln 2 (bits per character for characters)"),
         MetricDefinition("loss", lowerIsBetter: true, "mean NLL per token, nats")]
    }

    public func makeSource(batchSize: Int) -> any BatchSource<Float> {
        StreamSource(task: self, batchSize: batchSize)
    }

    /// The add-one-smoothed unigram model of the training stream, scored on a split
    /// exactly as the models are (every target of the sequential batches).
    public func baseline(_ split: EvaluationSplit) -> [String: Double] {
        var counts = [Double](repeating: 1, count: vocabularySize)
        for id in training { counts[Int(id)] += 1 }
        let total = counts.reduce(0, +)
        let stream = split == .validation ? validation : test
        // The same targets as evaluation: tokens 1...perRow·B of the stream cut into rows.
        var nll = 0.0, n = 0
        for batch in StreamBatcher.sequential(stream: stream, batch: 1, steps: steps) as [SequenceBatch<Float>] {
            for target in batch.classTargets ?? [] { nll -= Double.log(counts[Int(target)] / total); n += 1 }
        }
        let loss = nll / Double(max(n, 1))
        return ["loss": loss, "perplexity": Double.exp(loss), "bits_per_token": loss / Double.log(2)]
    }
}

/// The batches of a language-modelling task.
struct StreamSource: BatchSource {
    typealias Element = Float
    let task: LanguageModelTask
    let batchSize: Int

    func trainingBatches(epoch: Int, random: inout RandomStream) -> [SequenceBatch<Float>] {
        StreamBatcher.batches(stream: task.training, batch: batchSize, steps: task.steps,
                              partitioning: task.partitioning, random: &random)
    }

    func evaluationBatches(_ split: EvaluationSplit) -> [SequenceBatch<Float>] {
        // One row per evaluation stream keeps every token in one unbroken context.
        StreamBatcher.sequential(stream: split == .validation ? task.validation : task.test, batch: 1, steps: task.steps)
    }

    func makeMetrics() -> MetricSet<Float> { LanguageModelMetrics() }
}
