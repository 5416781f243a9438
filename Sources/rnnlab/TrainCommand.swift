import ArgumentParser
import Foundation
import RNNLab
import RNNLabExperiments
import RNNLabLayers
import RNNLabNumerics
import RNNLabRunStore
import RNNLabTasks

/// `rnnlab train`: one ad-hoc run from flags, stored as a run file.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train one model on one task and store the run as an HDF5 file.",
        discussion: """
            Tasks: adding, copy_memory, embedded_reber (generated), language_model (--data-set tinyshakespeare, \
            timemachine or ptb), music (jsb_chorales, nottingham), sentiment (mr, sst2), forecasting (sunspots, \
            airline_passengers, daily_min_temperatures, noisy_sine, mackey_glass).
            Your own data: --data-file PATH instead of --data-set (text for language_model, piano-roll JSON for music, \
            a TSV for sentiment, a CSV for forecasting), with the format's options as --data-option KEY=VALUE \
            (e.g. lowercase=true, text_column=review, value_column=temp); the file's SHA-256 is part of the run id.
            Example: rnnlab train --task adding --length 50 --cell lstm --hidden 64 --epochs 10
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "The task.") var task: String
    @Option(help: "The data set or series (language_model, music, sentiment, forecasting).") var dataSet: String?
    @Option(help: "A data file of your own instead of --data-set (paths relative to the working directory).") var dataFile: String?
    @Option(help: ArgumentHelp("An option of --data-file, e.g. lowercase=true, text_column=review, value_column=temp (repeatable).",
                               valueName: "key=value"))
    var dataOption: [String] = []
    @Option(help: "Write TensorBoard event files under DIR (one subdirectory per run).") var tensorboard: String?
    @Option(help: "Sequence length T (adding) or delay (copy_memory) (default: \(TaskSpecification.defaultLength)).") var length: Int?
    @Option(help: "Steps per batch (language_model, default: \(TaskSpecification.defaultSteps)) or window (forecasting, default: \(TaskSpecification.defaultWindow)).")
    var steps: Int?
    @Option(help: "Tokens: characters (the default), words, bpe (\(Tokenization.defaultMerges) merges) or bpe:MERGES (language_model).")
    var tokens: String?
    @Option(help: "Embedding width (0: the task's default, one-hot for language_model and \(TaskSpecification.defaultSentimentEmbedding) for sentiment).")
    var embedding: Int = 0
    @Option(help: "Cell: \(CellKind.allCases.map(\.rawValue).joined(separator: ", ")) (docs/models.md).") var cell: String = "lstm"
    @Option(help: "Hidden units per layer.") var hidden: Int = 64
    @Option(help: "Layers (default: \(ModelSettings.defaultLayers)).") var layers: Int?
    @Flag(help: "Bidirectional layers.") var bidirectional = false
    @Option(help: "Dropout on non-recurrent connections (default: \(ModelSettings.defaultDropout)).") var dropout: Double?
    @Option(help: "Epochs.") var epochs: Int = 10
    @Option(help: "Batch size (default: \(RunConfiguration.defaultBatchSize)).") var batchSize: Int?
    @Option(help: "Optimizer: sgd, adam, rmsprop, adagrad.") var optimizer: String = "adam"
    @Option(help: "Learning rate (default: the optimizer's, as in experiment files; sgd needs one).") var learningRate: Double?
    @Option(help: "Global-norm clipping threshold (0: none).") var clip: Double = 0
    @Option(help: "Truncation: full (the default), or k for fixed k-step segments.") var truncation: String?
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(help: "Output run file (default: results/adhoc/runs/RUN_ID.h5).") var output: String?

    func validate() throws {
        guard CellKind(rawValue: cell) != nil else {
            throw ValidationError("unknown cell '\(cell)'; choose one of \(CellKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ["sgd", "adam", "rmsprop", "adagrad"].contains(optimizer) else { throw ValidationError("unknown optimizer '\(optimizer)'") }
        guard hidden > 0, (layers ?? 1) > 0, epochs > 0, (batchSize ?? 1) > 0 else { throw ValidationError("sizes and counts must be positive") }
    }

    /// The flags as the dotted settings an experiment file would hold, each with the flag it comes from.
    /// Left-out flags are left out, so that the defaults are the experiment files' own.
    func settings() throws -> [(flag: String, key: String, value: String)] {
        var settings: [(flag: String, key: String, value: String)] = [("--task", "task.kind", task)]
        func add(_ flag: String, _ key: String, _ value: (any CustomStringConvertible)?) {
            if let value { settings.append((flag, key, value.description)) }
        }
        func addData() throws {
            switch (dataSet, dataFile) {
            case (let name?, nil): add("--data-set", "task.data", name)
            case (nil, let path?):
                add("--data-file", "task.data.path", path)
                for option in dataOption {
                    let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--data-option must be KEY=VALUE, not '\(option)'") }
                    add("--data-option \(parts[0])", "task.data.\(parts[0])", parts[1])
                }
            case (.some, .some): throw ValidationError("give --data-set or --data-file, not both")
            case (nil, nil): throw ValidationError("--task \(task) needs --data-set (a registered data set) or --data-file (your own)")
            }
        }
        if dataFile == nil, !dataOption.isEmpty { throw ValidationError("--data-option needs --data-file") }
        switch task {
        case "adding": add("--length", "task.length", length)
        case "copy_memory": add("--length", "task.delay", length)
        case "embedded_reber": break
        case "music": try addData()
        case "sentiment":
            try addData()
            add("--embedding", "task.embedding", embedding > 0 ? embedding : nil)
        case "forecasting":
            try addData()
            add("--steps", "task.window", steps)
        case "language_model":
            try addData()
            switch tokens {
            case nil: break
            case "characters", "words", "bpe": add("--tokens", "task.tokens", tokens)
            case let tokens? where tokens.hasPrefix("bpe:") && Int(tokens.dropFirst(4)) != nil:
                add("--tokens", "task.tokens", "bpe")
                add("--tokens", "task.merges", String(tokens.dropFirst(4)))
            case let tokens?: throw ValidationError("--tokens must be characters, words, bpe or bpe:MERGES, not '\(tokens)'")
            }
            add("--steps", "task.steps", steps)
            add("--embedding", "task.embedding", embedding > 0 ? embedding : nil)
        default:
            throw ValidationError("unknown task '\(task)'")
        }
        add("--cell", "model.cell", cell)
        add("--hidden", "model.hidden_size", hidden)
        add("--layers", "model.layers", layers)
        add("--bidirectional", "model.bidirectional", bidirectional ? true : nil)
        add("--dropout", "model.dropout", dropout)
        add("--epochs", "training.epochs", epochs)
        add("--batch-size", "training.batch_size", batchSize)
        add("--optimizer", "training.optimizer.kind", optimizer)
        add("--learning-rate", "training.optimizer.learning_rate", learningRate)
        if clip > 0 {
            add("--clip", "training.clipping.kind", "global_norm")
            add("--clip", "training.clipping.threshold", clip)
        }
        switch truncation {
        case nil, "full": break
        case let text?:
            guard let k = Int(text), k > 0 else { throw ValidationError("--truncation must be full or a positive step count") }
            add("--truncation", "training.truncation.kind", "fixed")
            add("--truncation", "training.truncation.length", k)
        }
        return settings
    }

    /// The run's configuration, read from `settings()` exactly as an experiment file's sections.
    func configuration() throws -> RunConfiguration {
        let flagged = try settings()
        do {
            return try RunConfiguration.read(settings: flagged.map { ($0.key, $0.value) }, seed: seed, source: "rnnlab train")
        } catch let error as ExperimentError {
            let flag = flagged.first { $0.key == error.key }?.flag ?? Self.flags[error.key]
                ?? (error.key.hasPrefix("task.data.") ? "--data-option \(error.key.dropFirst("task.data.".count))" : error.key)
            throw ValidationError("\(flag): \(error.message)")
        }
    }

    /// The flag of a setting that can be missing from `settings()`.
    static let flags = ["training.optimizer.learning_rate": "--learning-rate", "task.data": "--data-set"]

    func run() throws {
        BLAS.setThreads(1)
        let configuration = try configuration()
        let path = try output ?? "results/adhoc/runs/\(configuration.runID()).h5"
        let board = tensorboard.map { TensorBoardRun(directory: URL(fileURLWithPath: $0), arm: "adhoc", seed: seed) }
        let file = try RunExecutor.run(configuration, data: data.directory, writingTo: path, rnnlabVersion: RNNLabInfo.version,
                                       observers: board.map { [$0] } ?? []) { epoch in
            let metrics = epoch.validationMetrics.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.4f", $0.value))" }
            print("epoch \(epoch.epoch): train loss \(String(format: "%.4f", epoch.trainingLoss)); valid \(metrics.joined(separator: ", ")) "
                  + "(\(String(format: "%.1f", epoch.wallSeconds)) s)")
        }
        if let failure = board?.failure { print("warning: the TensorBoard logs stopped: \(failure)") }
        print("\(file.status)\(file.statusDetail.isEmpty ? "" : " (\(file.statusDetail))"): \(path)")
        for (name, value) in (file.outcome?.testMetricsAtBestEpoch ?? [:]).sorted(by: { $0.key < $1.key }) {
            print("test \(name) at the best epoch: \(String(format: "%.4f", value))")
        }
    }
}
