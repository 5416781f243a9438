import Foundation
import RNNLabData
import RNNLabLayers
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining

/// The encoder–decoder family: an `EncoderDecoder` (recurrent encoder, optional
/// attention, recurrent decoder) on the sequence-to-sequence tasks
/// (`model.kind: seq2seq`; reversal, sorting, dates, addition).
public struct EncoderDecoderFamily: ModelFamily {
    public init() {}

    public var name: String { "seq2seq" }

    /// The sequence-to-sequence tasks.
    public func accepts(_ configuration: RunConfiguration) -> Bool {
        if case .seq2seq = configuration.task { return true }
        return false
    }

    public func makeTraining(for configuration: RunConfiguration, data: DataDirectory) throws -> FamilyTraining {
        let (model, task) = try Self.build(configuration, runID: nil)
        let evaluator = Seq2SeqEvaluator(task: task, batchSize: configuration.batchSize)
        guard task.trainingExamples >= configuration.batchSize else {
            throw TaskError.invalid("\(task.trainingExamples) training examples make no full batch of \(configuration.batchSize)")
        }
        let trainer = try Seq2SeqTrainer(model: model, configuration: configuration.training,
                                         trainingBatches: { _, random in evaluator.trainingBatches(random: &random) },
                                         evaluate: { model, split in evaluator.evaluate(model, split) })
        return FamilyTraining(trainer: trainer, tokenizer: nil)
    }

    /// Copying the source.
    public func baseline(of configuration: RunConfiguration, data: DataDirectory) throws -> [String: Double] {
        Seq2SeqEvaluator(task: try Self.specification(of: configuration, runID: nil).makeTask(), batchSize: configuration.batchSize).baseline()
    }

    /// Not supported: sequence-to-sequence runs are evaluated on their generated test sets only.
    public func evaluate(_ run: RunFile, on file: EvaluationFile, data: DataDirectory) throws -> EvaluationResult {
        throw Self.notASequenceModel(run.configuration)
    }

    /// The decoded `request.input` (greedy, or beam search with a beam width above 1).
    public func generate(from run: RunFile, _ request: GenerationRequest, data: DataDirectory) throws -> Generation {
        guard let input = request.input else { throw GenerationError.missingInput }
        let (model, task) = try run.makeEncoderDecoder()
        return .text(try Seq2SeqSampler.decode(model: model, task: task, input: input, beamWidth: request.beamWidth,
                                               lengthPenalty: request.lengthPenalty, maxLength: request.length))
    }

    /// Not supported: encoder–decoders decode a given input, they do not continue a prime.
    public func sampleText(from run: RunFile, _ settings: SampleSettings, data: DataDirectory) throws -> String {
        throw Self.notASequenceModel(run.configuration)
    }

    public func heatMaps(of run: RunFile, data: DataDirectory) -> [HeatMapExample] {
        Self.attentionHeatMaps(of: run)
    }

    /// The task of `configuration` and an untrained encoder–decoder for its vocabulary.
    static func build(_ configuration: RunConfiguration, runID: String?) throws -> (model: EncoderDecoder<Float>, task: Seq2SeqTask) {
        let task = try specification(of: configuration, runID: runID).makeTask()
        let model = try EncoderDecoder<Float>(try configuration.model.encoderDecoderConfiguration(vocabulary: task.vocabulary.size))
        return (model, task)
    }

    private static func specification(of configuration: RunConfiguration, runID: String?) throws -> Seq2SeqTaskSpecification {
        guard case .seq2seq(let specification) = configuration.task else {
            throw TaskError.invalid("\(runID ?? "this run") is not a sequence-to-sequence run (task: \(configuration.task))")
        }
        return specification
    }

    /// What asking a sequence-to-sequence run for a sequence model's services has always said.
    private static func notASequenceModel(_ configuration: RunConfiguration) -> TaskError {
        let kind: String
        if case .seq2seq(let specification) = configuration.task { kind = specification.kind.rawValue } else { kind = "\(configuration.task)" }
        return TaskError.invalid("\(kind) is a sequence-to-sequence task: it trains encoder–decoder models (model.kind: seq2seq), not sequence models")
    }
}
