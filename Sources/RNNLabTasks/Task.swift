import RNNLabLayers
import RNNLabNumerics
import RNNLabTraining

/// A task turns a data set (or a generator) into batches and defines the
/// model's input and head (hence the loss), the metrics, and the trivial
/// baseline every report shows beside the models.
public protocol SequenceTask {
    /// A short identifier, e.g. "adding".
    var name: String { get }
    /// What the model reads.
    var input: SequenceInput { get }
    /// What the model predicts (and so its loss).
    var head: SequenceHead { get }
    /// The metrics the task reports, the primary one first; known without
    /// loading data, so that experiment files are checked against them.
    static var metrics: [MetricDefinition] { get }
    /// The batches of every split, in batches of `batchSize` sequences (or rows of a stream).
    func makeSource(batchSize: Int) -> any BatchSource<Float>
    /// The trivial baseline's metrics on a split (same names as `metrics`).
    func baseline(_ split: EvaluationSplit) -> [String: Double]
}

/// Fisher–Yates shuffle with a run's random stream (deterministic).
func shuffled<E>(_ items: [E], random: inout RandomStream) -> [E] {
    var result = items
    for i in stride(from: result.count - 1, to: 0, by: -1) { result.swapAt(i, random.index(below: i + 1)) }
    return result
}
