import ArgumentParser
import Foundation
import RNNLabExperiments
import RNNLabRunStore

/// `rnnlab eval`: a stored run's metrics on another file.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a run's final weights on another file of its task's format; prints JSON.",
        discussion: "Text for language models, piano-roll JSON for music (--split), TSV (sentence, label) for sentiment, CSV for forecasting (--column).")
    @Argument(help: "The run file.") var runFile: String
    @Option(help: "The file to evaluate on.") var data: String
    @Option(help: "Piano-roll split.") var split: String = "test"
    @Option(help: "CSV value column.") var column: String?
    @OptionGroup var dataOptions: DataOptions

    func run() throws {
        let file = try RunFile.read(from: runFile)
        let metrics = try Evaluation.evaluate(file, on: URL(fileURLWithPath: data), split: split, column: column,
                                              data: dataOptions.directory)
        print(metricsJSON(metrics))
    }
}
