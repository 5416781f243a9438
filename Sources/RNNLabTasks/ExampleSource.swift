import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining

/// A batch source over a fixed list of examples per split: training examples
/// are shuffled each epoch and cut into batches; evaluation batches are fixed.
struct ExampleSource: BatchSource {
    typealias Element = Float
    let training: [Int]                       // example indices of the training split
    let makeBatch: ([Int]) -> SequenceBatch<Float>
    let validation: [SequenceBatch<Float>]
    let test: [SequenceBatch<Float>]
    let batchSize: Int
    let metrics: () -> MetricSet<Float>

    init(trainingCount: Int, validationCount: Int, testCount: Int, batchSize: Int,
         batch: @escaping (_ split: EvaluationSplit?, _ indices: [Int]) -> SequenceBatch<Float>,
         metrics: @escaping () -> MetricSet<Float>) {
        self.training = Array(0..<trainingCount)
        self.batchSize = batchSize
        self.makeBatch = { batch(nil, $0) }
        func fixed(_ split: EvaluationSplit, _ count: Int) -> [SequenceBatch<Float>] {
            stride(from: 0, to: count, by: batchSize).map { Array($0..<min($0 + batchSize, count)) }.map { batch(split, $0) }
        }
        self.validation = fixed(.validation, validationCount)
        self.test = fixed(.test, testCount)
        self.metrics = metrics
    }

    func trainingBatches(epoch: Int, random: inout RandomStream) -> [SequenceBatch<Float>] {
        let order = shuffled(training, random: &random)
        // Full batches only, so every update averages over the same number of sequences.
        return stride(from: 0, to: order.count - batchSize + 1, by: batchSize).map { makeBatch(Array(order[$0..<($0 + batchSize)])) }
    }

    func evaluationBatches(_ split: EvaluationSplit) -> [SequenceBatch<Float>] {
        split == .validation ? validation : test
    }

    func makeMetrics() -> MetricSet<Float> { metrics() }
}
