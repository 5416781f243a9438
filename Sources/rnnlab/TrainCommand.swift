import ArgumentParser
import Foundation
import RNNLab
import RNNLabExperiments

/// `rnnlab train`: one ad-hoc run from flags, stored as a run file.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train one model on one task and store the run as an HDF5 file.",
        discussion: """
            Tasks: adding, copy_memory, embedded_reber (generated), language_model (--data-set tinyshakespeare, \
            timemachine or ptb), music (jsb_chorales, nottingham), sentiment (mr, sst2), forecasting (sunspots, \
            airline_passengers, daily_min_temperatures, noisy_sine, mackey_glass).
            Example: rnnlab train --task adding --length 50 --cell lstm --hidden 64 --epochs 10
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "The task.") var task: String
    @Option(help: "The data set or series (language_model, music, sentiment, forecasting).") var dataSet: String?
    @Option(help: "Sequence length T (adding) or delay (copy_memory).") var length: Int = 50
    @Option(help: "Steps per batch (language_model) or window (forecasting).") var steps: Int = 35
    @Option(help: "Tokens: characters, words or bpe:MERGES (language_model).") var tokens: String = "characters"
    @Option(help: "Embedding width (language_model: 0 for one-hot; sentiment).") var embedding: Int = 0
    @Option(help: "Cell: rnn_tanh, rnn_relu, lstm, gru.") var cell: String = "lstm"
    @Option(help: "Hidden units per layer.") var hidden: Int = 64
    @Option(help: "Layers.") var layers: Int = 1
    @Flag(help: "Bidirectional layers.") var bidirectional = false
    @Option(help: "Dropout on non-recurrent connections.") var dropout: Double = 0
    @Option(help: "Epochs.") var epochs: Int = 10
    @Option(help: "Batch size.") var batchSize: Int = 32
    @Option(help: "Optimizer: sgd, adam, rmsprop, adagrad.") var optimizer: String = "adam"
    @Option(help: "Learning rate.") var learningRate: Double = 1e-3
    @Option(help: "Global-norm clipping threshold (0: none).") var clip: Double = 5
    @Option(help: "Truncation: full, or k for fixed k-step segments.") var truncation: String = "full"
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(help: "Output run file (default: results/adhoc/runs/RUN_ID.h5).") var output: String?

    func validate() throws {
        guard CellKind(rawValue: cell) != nil else {
            throw ValidationError("unknown cell '\(cell)'; choose one of \(CellKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ["sgd", "adam", "rmsprop", "adagrad"].contains(optimizer) else { throw ValidationError("unknown optimizer '\(optimizer)'") }
        guard hidden > 0, layers > 0, epochs > 0, batchSize > 0 else { throw ValidationError("sizes and counts must be positive") }
    }

    func specification() throws -> TaskSpecification {
        func needDataSet() throws -> String {
            guard let dataSet else { throw ValidationError("--task \(task) needs --data-set") }
            return dataSet
        }
        switch task {
        case "adding": return .adding(length: length)
        case "copy_memory": return .copyMemory(delay: length)
        case "embedded_reber": return .embeddedReber()
        case "music": return .music(dataSet: try needDataSet())
        case "sentiment": return .sentiment(dataSet: try needDataSet(), embedding: embedding > 0 ? embedding : 64)
        case "forecasting": return .forecasting(series: try needDataSet(), window: steps)
        case "language_model":
            let tokenization: Tokenization
            if tokens == "characters" { tokenization = .characters }
            else if tokens == "words" { tokenization = .words() }
            else if tokens.hasPrefix("bpe:"), let merges = Int(tokens.dropFirst(4)) { tokenization = .bytePairs(merges: merges) }
            else { throw ValidationError("--tokens must be characters, words or bpe:MERGES, not '\(tokens)'") }
            return .languageModel(dataSet: try needDataSet(), tokenization: tokenization, steps: steps,
                                  embedding: embedding > 0 ? embedding : nil)
        default:
            throw ValidationError("unknown task '\(task)'")
        }
    }

    func run() throws {
        BLAS.setThreads(1)
        let optimizerConfiguration: OptimizerConfiguration
        switch optimizer {
        case "sgd": optimizerConfiguration = .sgd(learningRate: learningRate)
        case "rmsprop": optimizerConfiguration = .rmsprop(learningRate: learningRate)
        case "adagrad": optimizerConfiguration = .adagrad(learningRate: learningRate)
        default: optimizerConfiguration = .adam(learningRate: learningRate)
        }
        let truncationStyle: TruncationStyle
        if truncation == "full" { truncationStyle = .full }
        else if let k = Int(truncation), k > 0 { truncationStyle = .fixed(k) }
        else { throw ValidationError("--truncation must be full or a positive step count") }
        let configuration = RunConfiguration(
            task: try specification(),
            model: ModelSettings(cell: CellKind(rawValue: cell) ?? .lstm, hiddenSize: hidden, layers: layers,
                                 bidirectional: bidirectional, dropout: dropout),
            training: TrainingConfiguration(epochs: epochs, optimizer: optimizerConfiguration,
                                            clipping: clip > 0 ? .globalNorm(clip) : .none, truncation: truncationStyle, seed: seed),
            batchSize: batchSize)
        let path = try output ?? "results/adhoc/runs/\(configuration.runID()).h5"
        let file = try RunExecutor.run(configuration, data: data.directory, writingTo: path, rnnlabVersion: RNNLabInfo.version) { epoch in
            let metrics = epoch.validationMetrics.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.4f", $0.value))" }
            print("epoch \(epoch.epoch): train loss \(String(format: "%.4f", epoch.trainingLoss)); valid \(metrics.joined(separator: ", ")) "
                  + "(\(String(format: "%.1f", epoch.wallSeconds)) s)")
        }
        print("\(file.status)\(file.statusDetail.isEmpty ? "" : " (\(file.statusDetail))"): \(path)")
        for (name, value) in (file.outcome?.testMetricsAtBestEpoch ?? [:]).sorted(by: { $0.key < $1.key }) {
            print("test \(name) at the best epoch: \(String(format: "%.4f", value))")
        }
    }
}
