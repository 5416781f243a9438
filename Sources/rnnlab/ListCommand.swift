import ArgumentParser
import Foundation
import RNNLabExperiments

/// `rnnlab list`: the declared experiments and the state of their runs.
struct ListExperiments: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the experiments and the state of their runs.")
    @OptionGroup var resultsOption: ResultsOptions
    @OptionGroup var profileOption: ProfileOptions

    func run() throws {
        let catalog = ExperimentCatalog()
        let store = resultsOption.store
        for file in catalog.files {
            do {
                let experiment = try Experiment.load(path: file)
                let counts = try catalog.stateCounts(of: experiment, profile: profileOption.profile, store: store)   // as `rnnlab status`
                print("\(experiment.name): \(counts)  — \(experiment.title)")
            } catch {
                print("\(URL(fileURLWithPath: file).lastPathComponent): invalid: \(error)")
            }
        }
    }
}
