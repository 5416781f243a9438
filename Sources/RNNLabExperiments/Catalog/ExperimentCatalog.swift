import Foundation
import RNNLabRunStore

/// The declared experiments: the `.yaml` files of one folder (`experiments/`
/// by default, relative to the working directory).
///
/// The one place that lists experiment files, turns a name into a file
/// (NAME means `experiments/NAME.yaml`) and reads the state of an experiment's
/// planned runs from a store.
public struct ExperimentCatalog: Sendable {
    /// The folder of the experiment files, as written in paths and messages ("experiments").
    public var directory: String

    /// The catalog of the experiment files in `directory`.
    public init(directory: String = "experiments") {
        self.directory = directory
    }

    /// The path of every experiment file in the folder (`DIRECTORY/NAME.yaml`),
    /// sorted by file name; none when the folder is missing or unreadable.
    public var files: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { "\(directory)/\($0)" }
    }

    /// The file of an experiment given by file or name: a reference that ends in
    /// `.yaml` or contains `/` is a path and is returned as is; NAME means
    /// `DIRECTORY/NAME.yaml`.
    public func path(of reference: String) -> String {
        reference.hasSuffix(".yaml") || reference.contains("/") ? reference : "\(directory)/\(reference).yaml"
    }

    /// Loads the experiment given by file or name (see `path(of:)`); an unknown
    /// name is an `ExperimentError` at line 1 of the file it stands for.
    public func load(_ reference: String) throws -> Experiment {
        try Experiment.load(path: path(of: reference))
    }

    /// The store's status of every run `experiment` plans under `profile`, in plan order,
    /// all read at the same time `now`.
    public func runStatuses(of experiment: Experiment, profile: String?, store: RunStore,
                            now: Double = Date().timeIntervalSince1970) throws -> [PlannedRunStatus] {
        try experiment.plan(profile: profile).map { store.status(experiment.name, $0, now: now) }
    }

    /// How many of the runs `experiment` plans under `profile` are in each state.
    public func stateCounts(of experiment: Experiment, profile: String?, store: RunStore) throws -> RunStateCounts {
        RunStateCounts(try runStatuses(of: experiment, profile: profile, store: store))
    }
}
