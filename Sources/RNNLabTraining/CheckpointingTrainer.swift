import RNNLabLayers
import RNNLabNumerics

/// What recording, checkpointing and resuming a run need of a trainer, whatever
/// its model: the parameters and the optimizer (saved and restored as tensors),
/// the trainer's own state, observers, and the run itself.
public protocol CheckpointingTrainer: AnyObject {
    /// Every trained parameter, in `state_dict` order.
    var trainedParameters: [Parameter<Float>] { get }
    var optimizer: Optimizer<Float> { get }
    func checkpoint() -> TrainingCheckpoint
    func restore(_ checkpoint: TrainingCheckpoint)
    func addObserver(_ observer: TrainingObserver)
    /// Trains to the end, or through epoch `limit` at the latest.
    @discardableResult func run(throughEpoch limit: Int?) -> RunOutcome
}

extension ModelTrainer: CheckpointingTrainer where Procedure.T == Float {
    public var trainedParameters: [Parameter<Float>] { procedure.parameters }
}
