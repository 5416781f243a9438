import RNNLabLayers
import RNNLabNumerics

/// Accumulates evaluation metrics over the batches of a split.
///
/// The base class reports `loss`, the mean loss over every counted target of
/// the split (not a mean of batch means). Tasks subclass it to add their own
/// metrics (perplexity, accuracy, frame accuracy, MAE, …).
open class MetricSet<T: Scalar> {
    /// The summed loss and the number of units it averages over, so far.
    public private(set) var lossTotal = 0.0
    public private(set) var lossCount = 0

    public init() {}

    /// Adds one evaluated batch; `model` holds its forward pass (predictions, loss sums).
    open func add(_ batch: SequenceBatch<T>, model: any SequencePredictions<T>) {
        let sum = model.lastLossSum
        lossTotal += sum.total
        lossCount += sum.count
    }

    /// The mean loss per counted unit (nan when nothing was counted).
    public var meanLoss: Double { lossCount > 0 ? lossTotal / Double(lossCount) : .nan }

    /// Every metric by name; always includes `loss`.
    open var values: [String: Double] { ["loss": meanLoss] }
}
