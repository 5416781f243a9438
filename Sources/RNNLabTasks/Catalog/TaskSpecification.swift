@_exported import RNNLabData

/// How text becomes tokens for language modelling.
public enum Tokenization: Codable, Equatable, Sendable {
    case characters
    /// Whitespace words; `endOfSentence` appends `<eos>` per line; `maxVocabulary` caps the vocabulary.
    case words(endOfSentence: Bool = true, maxVocabulary: Int? = nil)
    /// Byte-level BPE with the given number of merges, trained on the training split.
    case bytePairs(merges: Int)
}

/// A task described as data: what experiment files name, resolved into a
/// `SequenceTask` by `TaskCatalog.make`.
public enum TaskSpecification: Codable, Equatable, Sendable {
    /// Next-token prediction on a registered corpus.
    case languageModel(dataSet: String, tokenization: Tokenization, steps: Int,
                       partitioning: StreamPartitioning = .sequential, embedding: Int? = nil)
    /// Next-frame prediction on a registered piano-roll data set.
    case music(dataSet: String)
    /// Sentence classification on a registered labelled data set.
    case sentiment(dataSet: String, embedding: Int, maxVocabulary: Int? = nil)
    /// One-step forecasting of a registered series or of `noisy_sine` / `mackey_glass`.
    case forecasting(series: String, window: Int)
    case adding(length: Int, trainingExamples: Int = 10_000, evaluationExamples: Int = 1_000)
    case copyMemory(delay: Int, trainingExamples: Int = 10_000, evaluationExamples: Int = 1_000)
    case embeddedReber(trainingExamples: Int = 5_000, evaluationExamples: Int = 1_000)
    /// A generated sequence-to-sequence task (reversal, sorting, dates, addition), for encoder–decoder models.
    case seq2seq(Seq2SeqTaskSpecification)

    /// The registered data set it reads, if any.
    public var dataSet: String? {
        switch self {
        case .languageModel(let name, _, _, _, _), .music(let name), .sentiment(let name, _, _): name
        case .forecasting(let series, _): TaskCatalog.seriesColumns[series] == nil ? nil : series
        case .adding, .copyMemory, .embeddedReber, .seq2seq: nil
        }
    }
}
