import Foundation
import RNNLabData
import RNNLabLayers
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining

/// The sequence-model family: a `SequenceModel` (recurrent network and head) on
/// any sequence task of `TaskCatalog` (`model.kind: sequence`, the default).
public struct SequenceFamily: ModelFamily {
    public init() {}

    public var name: String { "sequence" }

    /// Every task but the sequence-to-sequence ones, with recurrent models (no TCN or Transformer settings).
    public func accepts(_ configuration: RunConfiguration) -> Bool {
        if case .seq2seq = configuration.task { return false }
        return configuration.model.tcn == nil && configuration.model.transformer == nil
    }

    public func makeTraining(for configuration: RunConfiguration, data: DataDirectory) throws -> FamilyTraining {
        let (model, task) = try Self.build(configuration, data: data)
        let trainer = try Trainer(model: model, configuration: configuration.training,
                                  source: task.makeSource(batchSize: configuration.batchSize))
        return FamilyTraining(trainer: trainer, tokenizer: Self.tokenizer(of: task))
    }

    public func baseline(of configuration: RunConfiguration, data: DataDirectory) throws -> [String: Double] {
        try TaskCatalog.make(configuration.task, data: data).baseline(.test)
    }

    public func generate(from run: RunFile, _ request: GenerationRequest, data: DataDirectory) throws -> Generation {
        let (model, _) = try run.makeModel(data: data)
        switch model.configuration.head {
        case .classPerStep:
            guard let tokenizer = run.tokenizer else { throw GenerationError.noTokenizer }
            return .text(try Sampler.text(model: model, tokenizer: tokenizer, prime: request.prime, length: request.length,
                                          temperature: request.temperature, seed: request.seed))
        case .binaryPerStep:
            return .pianoRoll(try Sampler.pianoRoll(model: model, length: request.length, seed: request.seed))
        default:
            throw GenerationError.notGenerative
        }
    }

    public func sampleText(from run: RunFile, _ settings: SampleSettings, data: DataDirectory) throws -> String {
        let (model, _) = try run.makeModel(data: data)
        guard let tokenizer = run.tokenizer else { throw GenerationError.noTokenizer }
        return try Sampler.text(model: model, tokenizer: tokenizer, prime: settings.prime, length: settings.length,
                                temperature: settings.temperature, seed: 1)
    }

    public func heatMaps(of run: RunFile, data: DataDirectory) -> [HeatMapExample] {
        Self.poolingHeatMaps(of: run, data: data)
    }

    /// The task of `configuration` and an untrained model of its architecture.
    static func build(_ configuration: RunConfiguration, data: DataDirectory) throws -> (model: SequenceModel<Float>, task: any SequenceTask) {
        let task = try TaskCatalog.make(configuration.task, data: data)
        return (SequenceModel<Float>(configuration.model.configuration(for: task)), task)
    }

    /// The tokenizer a task's run files store: language models' and sentiment tasks'.
    static func tokenizer(of task: any SequenceTask) -> StoredTokenizer? {
        (task as? LanguageModelTask)?.tokenizer ?? (task as? SentimentTask)?.tokenizer
    }
}
