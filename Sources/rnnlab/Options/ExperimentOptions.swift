import ArgumentParser
import Foundation
import RNNLabExperiments
import RNNLabRunStore

/// Options shared by the commands that read experiments and their results.
struct ExperimentOptions: ParsableArguments {
    @Argument(help: "Experiment files or names (NAME means experiments/NAME.yaml).") var experiments: [String] = []
    @Flag(help: "Every experiment in experiments/.") var all = false
    @OptionGroup var profileOption: ProfileOptions
    @OptionGroup var resultsOption: ResultsOptions

    func validate() throws {
        guard all || !experiments.isEmpty else { throw ValidationError("name experiment files, or use --all") }
    }

    var profile: String? { profileOption.profile }
    var results: String { resultsOption.results }
    var store: RunStore { resultsOption.store }

    /// Every named experiment, loaded and validated before anything runs.
    func load(from catalog: ExperimentCatalog = ExperimentCatalog()) throws -> [Experiment] {
        try Self.load(experiments, all: all, profile: profile, from: catalog)
    }

    /// The experiments named by `references` (files or names), then with `all` every file of the catalog;
    /// each must have `profile` when one is given.
    static func load(_ references: [String], all: Bool, profile: String?,
                     from catalog: ExperimentCatalog = ExperimentCatalog()) throws -> [Experiment] {
        var paths = references.map(catalog.path(of:))
        if all { paths += catalog.files }
        let loaded = try paths.map { try Experiment.load(path: $0) }
        if let profile {
            for experiment in loaded where !experiment.profiles.contains(profile) {
                throw ValidationError("\(experiment.file) has no profile '\(profile)' (profiles: \(experiment.profiles.joined(separator: ", ")))")
            }
        }
        return loaded
    }
}
