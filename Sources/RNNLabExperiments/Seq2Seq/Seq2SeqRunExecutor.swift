import Foundation

/// Trains a sequence-to-sequence run into its run file, like `RunExecutor` does
/// for sequence models: the same file layout, per-epoch checkpoints written
/// atomically, and resumption from the last checkpoint with identical numbers.
enum Seq2SeqRunExecutor {
    static func run(_ configuration: RunConfiguration, experiment: String, writingTo path: String, rnnlabVersion: String,
                    onEpoch: ((EpochRecord) -> Void)?) throws -> RunFile {
        guard case .seq2seq(let specification) = configuration.task else {
            throw TaskError.invalid("not a sequence-to-sequence run")
        }
        let task = try specification.makeTask()
        let model = try EncoderDecoder<Float>(try configuration.model.encoderDecoderConfiguration(vocabulary: task.vocabulary.size))
        let evaluator = Seq2SeqEvaluator(task: task, batchSize: configuration.batchSize)
        guard task.trainingExamples >= configuration.batchSize else {
            throw TaskError.invalid("\(task.trainingExamples) training examples make no full batch of \(configuration.batchSize)")
        }
        let trainer = try Seq2SeqTrainer(model: model, configuration: configuration.training,
                                         trainingBatches: { _, random in evaluator.trainingBatches(random: &random) },
                                         evaluate: { model, split in evaluator.evaluate(model, split) })
        var file = RunFile(runID: try configuration.runID(), configuration: configuration, status: "running", statusDetail: "",
                           tokenizer: nil, provenance: Provenance.current(rnnlabVersion: rnnlabVersion),
                           steps: [], epochs: [], outcome: nil,
                           initialWeights: RunFile.weights(of: model.parameters), finalWeights: [])
        file.experiment = experiment
        file.created = RunExecutor.timestamp()
        var recorder = RunRecorder()
        if let previous = try? RunFile.read(from: path), previous.status == "running", previous.configuration == configuration,
           let checkpoint = previous.checkpoint {
            try restore(previous, parameters: model.parameters, optimizer: trainer.optimizer)
            trainer.restore(checkpoint)
            recorder = RunRecorder(resuming: previous.steps.filter { $0.step <= checkpoint.stepCount }, epochs: previous.epochs)
            file.initialWeights = previous.initialWeights
            file.created = previous.created
        }
        recorder.onEpoch = { epoch in
            var snapshot = file
            snapshot.steps = recorder.steps
            snapshot.epochs = recorder.epochs
            snapshot.finalWeights = RunFile.weights(of: model.parameters)
            snapshot.checkpoint = trainer.checkpoint()
            snapshot.optimizerState = trainer.optimizer.state.map { ($0.name, $0.tensor.shape, $0.tensor.array) }
            snapshot.updated = RunExecutor.timestamp()
            try? snapshot.write(to: path)
            onEpoch?(epoch)
        }
        trainer.addObserver(recorder)
        let outcome = trainer.run()
        recorder.onEpoch = nil
        switch outcome.status {
        case .complete: (file.status, file.statusDetail) = ("complete", "")
        case .diverged(let step, let reason): (file.status, file.statusDetail) = ("diverged", "diverged at step \(step): \(reason)")
        }
        file.steps = recorder.steps
        file.epochs = recorder.epochs
        file.outcome = outcome
        file.finalWeights = RunFile.weights(of: model.parameters)
        file.updated = RunExecutor.timestamp()
        try file.write(to: path)
        return file
    }

    private static func restore(_ previous: RunFile, parameters: [Parameter<Float>], optimizer: Optimizer<Float>) throws {
        let weights = Dictionary(uniqueKeysWithValues: previous.finalWeights.map { ($0.name, $0) })
        for parameter in parameters {
            guard let w = weights[parameter.name], w.shape == parameter.shape else {
                throw HDF5Error.mismatch(file: previous.runID, object: "/weights/final/\(parameter.name)", reason: "missing from the checkpoint")
            }
            parameter.value.copy(from: Tensor(shape: w.shape, values: w.values))
        }
        let state = Dictionary(uniqueKeysWithValues: previous.optimizerState.map { ($0.name, $0) })
        for entry in optimizer.state {
            guard let s = state[entry.name], s.shape == entry.tensor.shape else {
                throw HDF5Error.mismatch(file: previous.runID, object: "/checkpoint/optimizer/\(entry.name)", reason: "missing from the checkpoint")
            }
            entry.tensor.copy(from: Tensor(shape: s.shape, values: s.values))
        }
    }
}
