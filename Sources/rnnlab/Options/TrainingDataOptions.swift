import ArgumentParser
import Foundation
import RNNLabData
import RNNLabExperiments
import RNNLabRunStore

/// Finding the data file of a run trained on a user's file (`rnnlab eval`, `rnnlab sample`): rebuilding the
/// run's task reads its training data, which the run names by SHA-256 only.
struct TrainingDataOptions: ParsableArguments {
    @Option(help: "The data file the run was trained on, when it was a file of your own that neither the run's experiment file nor rnnlab-data.yaml names.")
    var dataFile: String?

    /// Makes the run's user data file findable: the file given, the project's data registry, and the experiment
    /// file the run belongs to (`experiments/NAME.yaml`) are read, and each file they name is remembered by checksum.
    func prepare(for run: RunFile) throws {
        guard run.configuration.task.dataFile != nil else { return }
        if let dataFile {
            let url = URL(fileURLWithPath: dataFile).standardizedFileURL
            UserDataLocations.shared.add(url, sha256: try DataDirectory.checksum(of: url))
        }
        (try? ProjectDataRegistry.load())?.check()
        let experiment = ExperimentCatalog().path(of: run.experiment)
        if FileManager.default.fileExists(atPath: experiment) { _ = try? Experiment.load(path: experiment) }
    }
}
