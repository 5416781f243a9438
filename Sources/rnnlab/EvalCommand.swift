import ArgumentParser
import Foundation
import RNNLabData
import RNNLabExperiments
import RNNLabRunStore

/// `rnnlab eval`: a stored run's metrics on another file.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a run's final weights on another file of its task's format; prints JSON.",
        discussion: """
            Text for language models, piano-roll JSON for music (--split), TSV (sentence, label) for sentiment, CSV for \
            forecasting (--column). A character the run's vocabulary lacks is an error naming the file, the line and the \
            character; --unknown skip leaves such characters out and reports how many on standard error. Word models map \
            unseen words to <unk> (--unknown map, their default).
            """)
    @Argument(help: "The run file.") var runFile: String
    @Option(help: "The file to evaluate on.") var data: String
    @Option(help: "Piano-roll split.") var split: String = "test"
    @Option(help: "CSV value column.") var column: String?
    @Option(help: ArgumentHelp("Symbols not in the run's vocabulary: error, skip, or map (to the tokenizer's unknown token, word models only). Default: map where the tokenizer has an unknown token, else error.",
                               valueName: "error|skip|map"))
    var unknown: UnknownSymbolPolicy?
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var trainingData: TrainingDataOptions

    func run() throws {
        let file = try RunFile.read(from: runFile)
        try trainingData.prepare(for: file)
        let result = try Evaluation.evaluate(file, on: URL(fileURLWithPath: data), split: split, column: column,
                                             unknown: unknown, data: dataOptions.directory)
        if let note = Self.unknownSymbolNote(result, tokenizer: file.tokenizer) {
            FileHandle.standardError.write(Data((note + "\n").utf8))
        }
        print(metricsJSON(result.metrics))
    }

    /// What was done with symbols the run's vocabulary lacks: always with `skip`, with `map` when there were any.
    static func unknownSymbolNote(_ result: EvaluationResult, tokenizer: StoredTokenizer?) -> String? {
        guard let policy = result.unknownPolicy, policy == .skip || (policy == .map && result.unknownCount > 0) else { return nil }
        let isCharacters: Bool
        if case .characters = tokenizer { isCharacters = true } else { isCharacters = false }
        let noun = (isCharacters ? "character" : "word") + (result.unknownCount == 1 ? "" : "s")
        let shownLimit = 10
        var shown = result.unknownSymbols.prefix(shownLimit).map { isCharacters ? quotedSymbol($0) : "'\($0)'" }.joined(separator: ", ")
        if result.unknownSymbols.count > shownLimit { shown += ", and \(result.unknownSymbols.count - shownLimit) more" }
        let verb = policy == .skip ? "skipped" : "mapped"
        let target = policy == .map ? " to \(tokenizer?.unknownToken ?? "the unknown token")" : ""
        return "\(verb) \(result.unknownCount) \(noun) not in the run's vocabulary\(target)" + (shown.isEmpty ? "" : ": \(shown)")
    }
}

extension UnknownSymbolPolicy: ExpressibleByArgument {}
