import ArgumentParser
import Foundation
import RNNLabRunStore

/// `--results`: the results directory, shared by every command that reads or writes runs.
struct ResultsOptions: ParsableArguments {
    @Option(help: "The results directory.") var results: String = "results"

    /// The run store in the results directory.
    var store: RunStore { RunStore(results: URL(fileURLWithPath: results)) }
}
