extension TaskSpecification {
    /// The experiment-file name of the task's kind, e.g. "adding", "language_model", "reversal".
    public var kindName: String {
        switch self {
        case .languageModel: "language_model"
        case .music: "music"
        case .sentiment: "sentiment"
        case .forecasting: "forecasting"
        case .adding: "adding"
        case .copyMemory: "copy_memory"
        case .embeddedReber: "embedded_reber"
        case .sequentialImage: "sequential_image"
        case .seq2seq(let task): task.kind.rawValue
        }
    }

    /// The metrics runs of this task report, known from the kind alone (no data is
    /// loaded): the task's own (held-out, at the best epoch), then the last epoch's
    /// training figures the reports add (`train_loss`, `clipped_fraction`, `median_grad_norm`; `train_perplexity`
    /// for language models).
    public var metrics: [MetricDefinition] {
        switch self {
        case .languageModel: LanguageModelTask.metrics + MetricDefinition.trainingDiagnostics + [.trainingPerplexity]
        case .music: PolyphonicMusicTask.metrics + MetricDefinition.trainingDiagnostics
        case .sentiment: SentimentTask.metrics + MetricDefinition.trainingDiagnostics
        case .forecasting: ForecastingTask.metrics + MetricDefinition.trainingDiagnostics
        case .adding: AddingProblem.metrics + MetricDefinition.trainingDiagnostics
        case .copyMemory: CopyMemory.metrics + MetricDefinition.trainingDiagnostics
        case .embeddedReber: EmbeddedReber.metrics + MetricDefinition.trainingDiagnostics
        case .sequentialImage: SequentialImageTask.metrics + MetricDefinition.trainingDiagnostics
        case .seq2seq: Seq2SeqTask.metrics + MetricDefinition.trainingDiagnostics
        }
    }

    /// The declared metric `key` names, if any.
    public func metric(named key: String) -> MetricDefinition? {
        metrics.first { $0.matches(key) }
    }
}
