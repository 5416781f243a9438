import Foundation

/// Trains one run configuration and stores it as a run file.
public enum RunExecutor {
    /// Trains `configuration` on data from `data`, writes the run file to
    /// `path` (atomically) and returns it. Bad configurations and unavailable
    /// data throw before any training starts.
    @discardableResult
    public static func run(_ configuration: RunConfiguration, data: DataDirectory, writingTo path: String,
                           rnnlabVersion: String, onEpoch: ((EpochRecord) -> Void)? = nil) throws -> RunFile {
        let task = try TaskCatalog.make(configuration.task, data: data)
        let model = SequenceModel<Float>(configuration.model.configuration(for: task))
        let trainer = try Trainer(model: model, configuration: configuration.training,
                                  source: task.makeSource(batchSize: configuration.batchSize))
        let initial = RunFile.weights(of: model.parameters)
        let recorder = RunRecorder()
        recorder.onEpoch = onEpoch
        trainer.addObserver(recorder)
        let outcome = trainer.run()
        let status: String, detail: String
        switch outcome.status {
        case .complete: (status, detail) = ("complete", "")
        case .diverged(let step, let reason): (status, detail) = ("diverged", "diverged at step \(step): \(reason)")
        }
        let file = RunFile(runID: try configuration.runID(), configuration: configuration, status: status, statusDetail: detail,
                           tokenizer: (task as? LanguageModelTask)?.tokenizer,
                           provenance: Provenance.current(rnnlabVersion: rnnlabVersion),
                           steps: recorder.steps, epochs: recorder.epochs, outcome: outcome,
                           initialWeights: initial, finalWeights: RunFile.weights(of: model.parameters))
        try file.write(to: path)
        return file
    }
}
