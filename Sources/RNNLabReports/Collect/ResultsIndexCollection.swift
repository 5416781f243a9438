import Foundation
import RNNLabExperiments
import RNNLabRunStore

extension ResultsIndex {
    /// The report of every experiment file in `experiments/` (those with `profile`, if one is given) that has been
    /// reported (its folder exists in the results directory: `rnnlab report` and `rnnlab run` write it before the
    /// index), in order of file name; files that do not load are left out.
    public static func collectReports(profile: String?, store: RunStore) throws -> [ExperimentReport] {
        var reports: [ExperimentReport] = []
        for file in ExperimentCatalog().files {
            guard let experiment = try? Experiment.load(path: file),
                  profile == nil || experiment.profiles.contains(profile ?? ""),
                  FileManager.default.fileExists(atPath: store.results.appendingPathComponent(experiment.name).path) else { continue }
            reports.append(try ExperimentReport.collect(experiment, profile: profile, store: store))
        }
        return reports
    }

    /// `README.md` of the results directory, from the runs in `store`.
    public static func file(profile: String?, store: RunStore) throws -> ReportFile {
        ReportFile(name: "README.md", text: markdown(try collectReports(profile: profile, store: store)))
    }
}
