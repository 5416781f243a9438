import RNNLabLayers
import RNNLabNumerics

/// The data split an evaluation reads.
public enum EvaluationSplit: String, Codable, Sendable {
    case validation
    case test
}

/// Where the trainer gets its batches: a task's training, validation and test splits.
public protocol BatchSource<Element> {
    associatedtype Element: Scalar
    /// The training batches of epoch `epoch` (from 1), in order; random choices
    /// (shuffling, offsets) draw from `random`, the run's data-order stream.
    func trainingBatches(epoch: Int, random: inout RandomStream) -> [SequenceBatch<Element>]
    /// The batches of an evaluation split, in a fixed order (empty when the task has no such split).
    func evaluationBatches(_ split: EvaluationSplit) -> [SequenceBatch<Element>]
    /// A fresh accumulator of the task's evaluation metrics.
    func makeMetrics() -> MetricSet<Element>
}

extension BatchSource {
    /// By default, the mean loss only.
    public func makeMetrics() -> MetricSet<Element> { MetricSet() }
}

/// A batch source over batches prepared in advance; training batches are
/// shuffled each epoch when `shuffle` is true (never when they carry state).
public struct FixedBatchSource<T: Scalar>: BatchSource {
    public var training: [SequenceBatch<T>]
    public var validation: [SequenceBatch<T>]
    public var test: [SequenceBatch<T>]
    public var shuffle: Bool

    public init(training: [SequenceBatch<T>], validation: [SequenceBatch<T>] = [], test: [SequenceBatch<T>] = [],
                shuffle: Bool = true) {
        self.training = training
        self.validation = validation
        self.test = test
        self.shuffle = shuffle
    }

    public func trainingBatches(epoch: Int, random: inout RandomStream) -> [SequenceBatch<T>] {
        guard shuffle, !training.contains(where: \.continuesPrevious) else { return training }
        var order = training
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, random.index(below: i + 1)) }
        return order
    }

    public func evaluationBatches(_ split: EvaluationSplit) -> [SequenceBatch<T>] {
        split == .validation ? validation : test
    }
}
