import RNNLabTraining

/// Keeps every step and epoch record of a run, for its run file.
public final class RunRecorder: TrainingObserver {
    public private(set) var steps: [StepRecord] = []
    public private(set) var epochs: [EpochRecord] = []
    public private(set) var outcome: RunOutcome?
    /// Called after each epoch (for progress lines).
    public var onEpoch: ((EpochRecord) -> Void)?
    /// Set to stop training after the current epoch (its checkpoint could not be written).
    public var requestsStop = false

    public init() {}

    /// Starts from the records of an interrupted run.
    public init(resuming steps: [StepRecord], epochs: [EpochRecord]) {
        self.steps = steps
        self.epochs = epochs
    }

    public func trainerDidFinishStep(_ record: StepRecord) { steps.append(record) }
    public func trainerDidFinishEpoch(_ record: EpochRecord) {
        epochs.append(record)
        onEpoch?(record)
    }
    public func trainerDidFinish(_ outcome: RunOutcome) { self.outcome = outcome }
}
