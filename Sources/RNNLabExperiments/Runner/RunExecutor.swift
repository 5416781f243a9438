import Foundation
import RNNLabData
import RNNLabHDF5
import RNNLabLayers
import RNNLabNumerics
import RNNLabRunStore
import RNNLabTraining

/// Trains one run configuration, of any model family, into its run file, resuming from the file's
/// checkpoint when an earlier attempt was interrupted.
///
/// After every epoch the whole run file is rewritten (temporary file, sync,
/// rename) with status `running` and a checkpoint; at the end it is written
/// with status `complete` or `diverged`. A checkpoint that cannot be written
/// stops training and throws `CheckpointNotWritten`. Because the checkpoint holds the
/// weights, the optimizer's state and every random stream, a resumed run ends
/// with exactly the numbers of an uninterrupted one.
public enum RunExecutor {
    @discardableResult
    public static func run(_ configuration: RunConfiguration, experiment: String = "adhoc", data: DataDirectory,
                           writingTo path: String, rnnlabVersion: String, throughEpoch limit: Int? = nil,
                           observers: [any RunObserver] = [],
                           onEpoch: ((EpochRecord) -> Void)? = nil,
                           onStep: ((StepRecord) -> Void)? = nil) throws -> RunFile {
        let training = try ModelFamilies.family(for: configuration).makeTraining(for: configuration, data: data)
        var file = RunFile(runID: try configuration.runID(), configuration: configuration, status: .running, statusDetail: "",
                           tokenizer: training.tokenizer, provenance: Provenance.current(rnnlabVersion: rnnlabVersion),
                           steps: [], epochs: [], outcome: nil,
                           initialWeights: RunFile.weights(of: training.trainer.trainedParameters), finalWeights: [])
        file.experiment = experiment
        file.created = timestamp()
        return try record(training.trainer, into: file, at: path, throughEpoch: limit, observers: observers, onEpoch: onEpoch, onStep: onStep)
    }

    /// Runs `trainer` into the run file at `path`: resumes from the checkpoint a running file there holds,
    /// writes the whole file atomically after every epoch (a checkpoint) and at the end.
    static func record(_ trainer: some CheckpointingTrainer, into initial: RunFile, at path: String, throughEpoch limit: Int? = nil,
                       observers: [any RunObserver] = [], onEpoch: ((EpochRecord) -> Void)?, onStep: ((StepRecord) -> Void)?) throws -> RunFile {
        var file = initial
        let parameters = trainer.trainedParameters
        var recorder = RunRecorder()
        if let previous = try? RunFile.read(from: path), previous.status == .running, previous.configuration == file.configuration,
           var checkpoint = previous.checkpoint {
            try restore(previous, parameters: parameters, optimizer: trainer.optimizer)
            // Checkpoints of older files lack the seconds trained so far; their epoch records have them.
            checkpoint.trainingSeconds = checkpoint.trainingSeconds ?? previous.trainingSeconds
            trainer.restore(checkpoint)
            recorder = RunRecorder(resuming: previous.steps.filter { $0.step <= checkpoint.stepCount }, epochs: previous.epochs)
            file.initialWeights = previous.initialWeights
            file.created = previous.created
        }
        let snapshot = file
        var checkpointFailure: CheckpointNotWritten?
        recorder.onEpoch = { epoch in
            var snapshot = snapshot
            snapshot.steps = recorder.steps
            snapshot.epochs = recorder.epochs
            snapshot.finalWeights = RunFile.weights(of: parameters)
            snapshot.checkpoint = trainer.checkpoint()
            snapshot.optimizerState = trainer.optimizer.state.map { ($0.name, $0.tensor.shape, $0.tensor.array) }
            snapshot.updated = timestamp()
            // A checkpoint that cannot be written (a full disk, say) stops the run after this epoch and
            // fails it: training on without checkpoints would risk every later epoch. The file on disk
            // keeps the previous checkpoint, so the next attempt resumes from it to the same numbers.
            do { try snapshot.write(to: path) } catch {
                checkpointFailure = CheckpointNotWritten(epoch: epoch.epoch, path: path, reason: "\(error)")
                recorder.requestsStop = true
            }
            onEpoch?(epoch)
        }
        trainer.addObserver(recorder)
        if let onStep { trainer.addObserver(StepForwarder(onStep)) }
        // Observers (TensorBoard logs) hear first what a resumed run already holds, up to its checkpoint.
        for observer in observers {
            try observer.begin(resumingWith: recorder.steps, epochs: recorder.epochs)
            trainer.addObserver(observer)
        }
        let outcome = trainer.run(throughEpoch: limit)
        recorder.onEpoch = nil   // the closure holds the trainer, which holds the recorder
        if let checkpointFailure { throw checkpointFailure }
        switch outcome.status {
        case .complete: (file.status, file.statusDetail) = (.complete, "")
        case .diverged(let step, let reason): (file.status, file.statusDetail) = (.diverged, "diverged at step \(step): \(reason)")
        }
        file.steps = recorder.steps
        file.epochs = recorder.epochs
        file.outcome = outcome
        file.finalWeights = RunFile.weights(of: parameters)
        file.updated = timestamp()
        try file.write(to: path)
        return file
    }

    /// Puts a checkpoint's weights and optimizer state into a fresh trainer.
    private static func restore(_ previous: RunFile, parameters: [Parameter<Float>], optimizer: Optimizer<Float>) throws {
        try previous.loadFinalWeights(into: parameters)
        let state = Dictionary(uniqueKeysWithValues: previous.optimizerState.map { ($0.name, $0) })
        for entry in optimizer.state {
            guard let s = state[entry.name], s.shape == entry.tensor.shape else {
                throw HDF5Error.mismatch(file: previous.runID, object: "/checkpoint/optimizer/\(entry.name)", reason: "missing from the checkpoint")
            }
            entry.tensor.copy(from: Tensor(shape: s.shape, values: s.values))
        }
    }

    static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}

/// Passes each finished step to a closure (for lock heartbeats).
private final class StepForwarder: TrainingObserver {
    let onStep: (StepRecord) -> Void
    init(_ onStep: @escaping (StepRecord) -> Void) { self.onStep = onStep }
    func trainerDidFinishStep(_ record: StepRecord) { onStep(record) }
}
