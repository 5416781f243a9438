import RNNLabData
import RNNLabTraining

/// How text becomes tokens for language modelling.
public enum Tokenization: Codable, Equatable, Sendable {
    case characters
    /// Whitespace words; `endOfSentence` appends `<eos>` per line; `maxVocabulary` caps the vocabulary.
    case words(endOfSentence: Bool = Tokenization.defaultEndOfSentence, maxVocabulary: Int? = nil)
    /// Byte-level BPE with the given number of merges, trained on the training split.
    case bytePairs(merges: Int = Tokenization.defaultMerges)

    /// Word tokens end each line with `<eos>` unless told otherwise.
    public static let defaultEndOfSentence = true
    /// The number of BPE merges when none is given.
    public static let defaultMerges = 500
}

/// A task described as data: what experiment files name, resolved into a
/// `SequenceTask` by `TaskCatalog.make`.
public enum TaskSpecification: Codable, Equatable, Sendable {
    // The data tasks read a registered data set by name, or, with `file`, a user's data file (then `dataSet`
    // is the file's display name). `file` is nil for registered data and then left out of the encoding, so
    // configurations of registered data keep their run ids.

    /// Next-token prediction on a registered corpus or a user's text file.
    case languageModel(dataSet: String, tokenization: Tokenization = .characters, steps: Int = TaskSpecification.defaultSteps,
                       partitioning: StreamPartitioning = TaskSpecification.defaultPartitioning, embedding: Int? = nil,
                       file: DataFileReference? = nil)
    /// Next-frame prediction on a registered piano-roll data set or a user's piano-roll JSON.
    case music(dataSet: String, file: DataFileReference? = nil)
    /// Sentence classification on a registered labelled data set or a user's TSV or class files.
    case sentiment(dataSet: String, embedding: Int = TaskSpecification.defaultSentimentEmbedding, maxVocabulary: Int? = nil,
                   file: DataFileReference? = nil)
    /// One-step forecasting of a registered series, of `noisy_sine` / `mackey_glass`, or of a user's CSV.
    case forecasting(series: String, window: Int = TaskSpecification.defaultWindow, file: DataFileReference? = nil)
    case adding(length: Int = TaskSpecification.defaultLength, trainingExamples: Int = TaskSpecification.defaultTrainingExamples,
                evaluationExamples: Int = TaskSpecification.defaultEvaluationExamples)
    case copyMemory(delay: Int = TaskSpecification.defaultLength, trainingExamples: Int = TaskSpecification.defaultTrainingExamples,
                    evaluationExamples: Int = TaskSpecification.defaultEvaluationExamples)
    case embeddedReber(trainingExamples: Int = TaskSpecification.defaultReberTrainingExamples,
                       evaluationExamples: Int = TaskSpecification.defaultEvaluationExamples)
    /// Classification of a registered image set read as a sequence (rows, pixels or permuted pixels);
    /// `trainingExamples` nil: every training image not carved out for validation; `testExamples` nil: the whole test set.
    case sequentialImage(dataSet: String, order: ImageOrder, trainingExamples: Int? = nil,
                         validationExamples: Int = TaskSpecification.defaultImageValidationExamples, testExamples: Int? = nil)
    /// A generated sequence-to-sequence task (reversal, sorting, dates, addition), for encoder–decoder models.
    case seq2seq(Seq2SeqTaskSpecification)

    /// Validation images carved from the published training set of a sequential-image task.
    public static let defaultImageValidationExamples = 5_000
    /// The sequence length T of the adding problem and the delay of copy memory.
    public static let defaultLength = 50
    /// Training examples of the generated tasks (embedded Reber: `defaultReberTrainingExamples`).
    public static let defaultTrainingExamples = 10_000
    public static let defaultReberTrainingExamples = 5_000
    /// Validation and test examples (each) of the generated tasks.
    public static let defaultEvaluationExamples = 1_000
    /// Time steps per batch of a language model.
    public static let defaultSteps = 35
    /// How a language model's streams are cut into batches.
    public static let defaultPartitioning = StreamPartitioning.sequential
    /// The input window of forecasting.
    public static let defaultWindow = 24
    /// The word-embedding width of sentiment classification.
    public static let defaultSentimentEmbedding = 64

    /// The registered data set it reads, if any.
    public var dataSet: String? {
        guard dataFile == nil else { return nil }
        switch self {
        case .languageModel(let name, _, _, _, _, _), .music(let name, _), .sentiment(let name, _, _, _),
             .sequentialImage(let name, _, _, _, _): return name
        case .forecasting(let series, _, _): return TaskCatalog.seriesColumns[series] == nil ? nil : series
        case .adding, .copyMemory, .embeddedReber, .seq2seq: return nil
        }
    }

    /// The user's data file it reads, if any.
    public var dataFile: DataFileReference? {
        switch self {
        case .languageModel(_, _, _, _, _, let file), .music(_, let file), .sentiment(_, _, _, let file), .forecasting(_, _, let file): file
        case .sequentialImage: nil
        case .adding, .copyMemory, .embeddedReber, .seq2seq: nil
        }
    }
}
