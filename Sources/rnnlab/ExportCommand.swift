import ArgumentParser
import Foundation
import RNNLabExperiments

/// `rnnlab export`: results in other tools' formats.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export results in other tools' formats.", subcommands: [TensorBoard.self])

    struct TensorBoard: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tensorboard",
            abstract: "Write TensorBoard event files of an experiment's recorded runs (one folder per arm and seed).",
            discussion: "Epoch scalars come from the run records; step scalars from the finished run files where they are there, else from the records' step series (bucket means).")
        @Argument(help: "The experiment file or name.") var experiment: String
        @Argument(help: "The folder to write to (e.g. the one `tensorboard --logdir` watches).") var directory: String
        @OptionGroup var profileOption: ProfileOptions
        @OptionGroup var resultsOption: ResultsOptions

        func run() throws {
            let loaded = try ExperimentCatalog().load(experiment)
            let folders = try TensorBoardExport.write(loaded, profile: profileOption.profile, store: resultsOption.store,
                                                      to: URL(fileURLWithPath: directory).standardizedFileURL)
            for folder in folders { print("wrote \(folder.path)") }
            if folders.isEmpty { print("\(loaded.name): no recorded run to export") }
        }
    }
}
