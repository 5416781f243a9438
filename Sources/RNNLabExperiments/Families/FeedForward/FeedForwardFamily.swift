import Foundation
import RNNLabData
import RNNLabLayers
import RNNLabNumerics
import RNNLabRunStore
import RNNLabTasks
import RNNLabTraining

/// What the non-recurrent families (`Families/TCN`, `Families/Transformer`) share: a
/// `FeedForwardSequenceModel` around the family's `SequenceBody` on any sequence task of `TaskCatalog`,
/// trained by `FeedForwardTraining`. A family supplies only its body and its default readout.
public protocol FeedForwardFamily: ModelFamily {
    /// The family's body for `settings`, reading `inputSize` features per step.
    func makeBody(_ settings: ModelSettings, inputSize: Int) throws -> any SequenceBody<Float>
}

extension FeedForwardFamily {
    public func makeTraining(for configuration: RunConfiguration, data: DataDirectory) throws -> FamilyTraining {
        let (model, task) = try build(configuration, data: data)
        if let limit = (model.body as? TransformerBody<Float>)?.maxSteps, let longest = Self.longestSequence(of: task), longest > limit {
            throw TaskError.invalid("\(task.name) has sequences of \(longest) steps, more than the Transformer's context of \(limit) "
                                    + "learned positions (raise model.context or use positions: sinusoidal)")
        }
        let trainer = try ModelTrainer(model: model, configuration: configuration.training,
                                       source: task.makeSource(batchSize: configuration.batchSize))
        return FamilyTraining(trainer: trainer, tokenizer: SequenceFamily.tokenizer(of: task))
    }

    public func baseline(of configuration: RunConfiguration, data: DataDirectory) throws -> [String: Double] {
        try TaskCatalog.make(configuration.task, data: data).baseline(.test)
    }

    /// Not supported yet for non-recurrent runs: they are evaluated on their task's splits only.
    public func evaluate(_ run: RunFile, on file: EvaluationFile, data: DataDirectory) throws -> EvaluationResult {
        throw TaskError.invalid("\(run.runID): evaluating \(name) runs on other files is not supported")
    }

    public func generate(from run: RunFile, _ request: GenerationRequest, data: DataDirectory) throws -> Generation {
        .text(try sample(run, prime: request.prime, length: request.length, temperature: request.temperature,
                         seed: request.seed, data: data))
    }

    public func sampleText(from run: RunFile, _ settings: SampleSettings, data: DataDirectory) throws -> String {
        try sample(run, prime: settings.prime, length: settings.length, temperature: settings.temperature, seed: 1, data: data)
    }

    public func heatMaps(of run: RunFile, data: DataDirectory) -> [HeatMapExample] { [] }

    /// The longest sequence of a task whose sequences vary in length (sentiment, music); nil for the others, whose
    /// lengths the experiment file fixes (checked when it is read).
    static func longestSequence(of task: any SequenceTask) -> Int? {
        if let sentiment = task as? SentimentTask {
            return (sentiment.training + sentiment.validation + sentiment.test).map(\.tokens.count).max()
        }
        if let music = task as? PolyphonicMusicTask {
            return (music.training + music.validation + music.test).map(\.count).max()
        }
        return nil
    }

    /// The task of `configuration` and an untrained model of its architecture.
    func build(_ configuration: RunConfiguration, data: DataDirectory) throws
        -> (model: FeedForwardSequenceModel<Float>, task: any SequenceTask) {
        let task = try TaskCatalog.make(configuration.task, data: data)
        let body = try makeBody(configuration.model, inputSize: task.input.features)
        return (FeedForwardSequenceModel(input: task.input, body: body, head: task.head, readout: configuration.model.readout), task)
    }

    /// Language-model text: each new token is predicted from the last steps in the body's evaluation window.
    func sample(_ run: RunFile, prime: String, length: Int, temperature: Double, seed: UInt64, data: DataDirectory) throws -> String {
        let (model, _) = try build(run.configuration, data: data)
        try run.loadFinalWeights(into: model.parameters)
        guard case .classPerStep(let classes) = model.head, let tokenizer = run.tokenizer, classes == tokenizer.size else {
            throw GenerationError.notGenerative
        }
        var random = RandomStream(seed: seed, stream: "sampling")
        var ids = try tokenizer.encode(prime)
        if ids.isEmpty { ids = [0] }
        let window = model.body.evaluationWindow.history + 1
        var generated: [Int32] = []
        for _ in 0..<length {
            let context = Array(ids.suffix(window))
            model.forward(SequenceBatch<Float>(steps: context.count, batch: 1, tokens: context,
                                               classTargets: [Int32](repeating: SequenceModel<Float>.ignoreIndex, count: context.count)))
            let next = Int32(Sampler.draw(model.predictions.data + (context.count - 1) * classes, count: classes,
                                          temperature: temperature, random: &random))
            generated.append(next)
            ids.append(next)
        }
        return prime + tokenizer.decode(generated)
    }
}
