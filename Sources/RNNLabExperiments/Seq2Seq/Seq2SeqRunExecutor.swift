import Foundation

/// Trains a sequence-to-sequence run into its run file, like `RunExecutor` does
/// for sequence models: the same file layout, per-epoch checkpoints written
/// atomically, and resumption from the last checkpoint with identical numbers.
enum Seq2SeqRunExecutor {
    static func run(_ configuration: RunConfiguration, experiment: String, writingTo path: String, rnnlabVersion: String,
                    onEpoch: ((EpochRecord) -> Void)?, onStep: ((StepRecord) -> Void)?) throws -> RunFile {
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
        var file = RunFile(runID: try configuration.runID(), configuration: configuration, status: .running, statusDetail: "",
                           tokenizer: nil, provenance: Provenance.current(rnnlabVersion: rnnlabVersion),
                           steps: [], epochs: [], outcome: nil,
                           initialWeights: RunFile.weights(of: model.parameters), finalWeights: [])
        file.experiment = experiment
        file.created = RunExecutor.timestamp()
        return try RunExecutor.record(trainer, into: file, at: path, onEpoch: onEpoch, onStep: onStep)
    }
}
