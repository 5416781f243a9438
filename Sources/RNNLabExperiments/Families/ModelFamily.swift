import Foundation
import RNNLabData
import RNNLabRunStore
import RNNLabTraining

/// Everything about runs that depends on the kind of model: a model family.
///
/// The run executor, the trainer, sampling, evaluation and the reports talk only
/// to this protocol; `ModelFamilies` resolves a run configuration to its family.
/// Sequence models (`Families/Sequence`) and encoder–decoders
/// (`Families/EncoderDecoder`) are the two families today.
///
/// A new family is one folder `Families/<Name>/` plus one line in
/// `ModelFamilies.all`. It implements exactly:
///
/// 1. `name`: the family's name in messages.
/// 2. `accepts(_:)`: whether it trains a run configuration (its `model.kind` or task kind). The
///    registry takes the first family that accepts, so a family claims only its own configurations.
/// 3. `makeTraining(for:data:)`: builds the task and an untrained model from the configuration and
///    returns a `ModelTrainer` over the family's `TrainingProcedure` (RNNLabTraining: its parameters,
///    their initialisation, one epoch of forward/backward passes each ending in
///    `TrainingSession.update`, and the metrics of a split), plus the tokenizer the run file stores.
///    The shared trainer does the optimizer, clipping, schedule, early stopping, budgets, divergence and
///    checkpoints; `RunExecutor` records, checkpoints and resumes any family's trainer.
/// 4. `baseline(of:data:)`: the task's trivial baseline on the test split (the report's baseline row).
/// 5. `evaluate(_:on:data:)`: the metrics of a stored run's final weights on another file.
/// 6. `generate(from:_:data:)`: what `rnnlab sample` produces from a stored run (text, a piano roll,
///    a decoded input), and `sampleText(from:_:data:)`: the text of a report's samples section.
/// 7. `heatMaps(of:data:)`: the family's report figures for one run, as plain values (the
///    reports render them).
public protocol ModelFamily: Sendable {
    /// The family's name in messages.
    var name: String { get }
    /// Whether this family trains runs of `configuration`.
    func accepts(_ configuration: RunConfiguration) -> Bool
    /// The trainer of a freshly initialised model for `configuration`, and the run file's tokenizer.
    func makeTraining(for configuration: RunConfiguration, data: DataDirectory) throws -> FamilyTraining
    /// The trivial baseline's metrics on the test split of `configuration`'s task.
    func baseline(of configuration: RunConfiguration, data: DataDirectory) throws -> [String: Double]
    /// The metrics of `run`'s final weights on another file of its task's format.
    func evaluate(_ run: RunFile, on file: EvaluationFile, data: DataDirectory) throws -> EvaluationResult
    /// What a stored run generates (`rnnlab sample`).
    func generate(from run: RunFile, _ request: GenerationRequest, data: DataDirectory) throws -> Generation
    /// Text continuing a prime, for a report's samples section.
    func sampleText(from run: RunFile, _ settings: SampleSettings, data: DataDirectory) throws -> String
    /// The heat maps a report shows for `run` (titles and captions without the arm's name, which the report
    /// adds); none when the run has none.
    func heatMaps(of run: RunFile, data: DataDirectory) -> [HeatMapExample]
}

/// What a family builds to train one run: the trainer (model, task, procedure) and
/// the tokenizer the run file stores (nil when the task has none).
public struct FamilyTraining {
    public var trainer: any CheckpointingTrainer
    public var tokenizer: StoredTokenizer?

    public init(trainer: any CheckpointingTrainer, tokenizer: StoredTokenizer? = nil) {
        self.trainer = trainer
        self.tokenizer = tokenizer
    }
}

/// Another file of a run's task format to evaluate it on (`rnnlab eval`).
public struct EvaluationFile: Sendable {
    public var url: URL
    /// The split of a piano-roll JSON file.
    public var split: String
    /// The value column of a CSV file (nil: `value`).
    public var column: String?
    /// What tokenizing the file does with symbols the run's tokenizer has no id for
    /// (nil: `UnknownSymbolPolicy.default(for:)` of the run's tokenizer).
    public var unknown: UnknownSymbolPolicy?

    public init(url: URL, split: String = "test", column: String? = nil, unknown: UnknownSymbolPolicy? = nil) {
        self.url = url
        self.split = split
        self.column = column
        self.unknown = unknown
    }
}

/// What evaluating a run on another file gives: the metrics, and, for tokenized files, what was done
/// with the symbols the run's tokenizer has no id for.
public struct EvaluationResult: Equatable, Sendable {
    public var metrics: [String: Double]
    /// The policy the file was tokenized with (nil: the file was not tokenized).
    public var unknownPolicy: UnknownSymbolPolicy?
    /// How many symbols (characters, words) had no id; with `skip` they were left out, with `map` they became
    /// the unknown token.
    public var unknownCount: Int
    /// The distinct symbols that had no id, in the order they first occur.
    public var unknownSymbols: [String]

    public init(metrics: [String: Double], unknownPolicy: UnknownSymbolPolicy? = nil, unknownCount: Int = 0,
                unknownSymbols: [String] = []) {
        self.metrics = metrics
        self.unknownPolicy = unknownPolicy
        self.unknownCount = unknownCount
        self.unknownSymbols = unknownSymbols
    }
}

/// The options of `rnnlab sample`; each family reads the ones it uses.
public struct GenerationRequest: Sendable {
    /// Text to start from (language models).
    public var prime: String
    /// Tokens or frames to generate; the maximum output length when decoding.
    public var length: Int
    /// Sampling temperature (0: always the most likely token).
    public var temperature: Double
    /// Seed of the sampling stream.
    public var seed: UInt64
    /// The source string to decode (sequence-to-sequence runs).
    public var input: String?
    /// Beam width (1: greedy decoding).
    public var beamWidth: Int
    /// Length penalty α of beam search.
    public var lengthPenalty: Double

    public init(prime: String = "", length: Int = 200, temperature: Double = 1, seed: UInt64 = 1, input: String? = nil,
                beamWidth: Int = 1, lengthPenalty: Double = 0) {
        self.prime = prime
        self.length = length
        self.temperature = temperature
        self.seed = seed
        self.input = input
        self.beamWidth = beamWidth
        self.lengthPenalty = lengthPenalty
    }
}

/// What a stored run generated.
public enum Generation: Equatable, Sendable {
    /// Generated or decoded text.
    case text(String)
    /// Piano-roll frames, each the MIDI pitches that sound.
    case pianoRoll([[Int]])
}

/// Why a stored run generates nothing for a request.
public enum GenerationError: Error, Equatable, CustomStringConvertible {
    /// A sequence-to-sequence run needs the string to decode.
    case missingInput
    /// A language-model head without a stored tokenizer.
    case noTokenizer
    /// The run's model does not generate (neither a language nor a music model).
    case notGenerative

    public var description: String {
        switch self {
        case .missingInput: "the run decodes a given input: give the string to decode"
        case .noTokenizer: "the run stores no tokenizer"
        case .notGenerative: "only language and music models generate"
        }
    }
}
