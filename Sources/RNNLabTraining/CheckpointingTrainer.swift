/// What recording, checkpointing and resuming a run need of a trainer, whatever
/// its model: the parameters and the optimizer (saved and restored as tensors),
/// the trainer's own state, observers, and the run itself.
public protocol CheckpointingTrainer: AnyObject {
    /// Every trained parameter, in `state_dict` order.
    var trainedParameters: [Parameter<Float>] { get }
    var optimizer: Optimizer<Float> { get }
    func checkpoint() -> Trainer<Float>.Checkpoint
    func restore(_ checkpoint: Trainer<Float>.Checkpoint)
    func addObserver(_ observer: TrainingObserver)
    @discardableResult func run() -> RunOutcome
}

extension Trainer: CheckpointingTrainer where T == Float {
    public var trainedParameters: [Parameter<Float>] { model.parameters }
}

extension Seq2SeqTrainer: CheckpointingTrainer where T == Float {
    public var trainedParameters: [Parameter<Float>] { model.parameters }
}
