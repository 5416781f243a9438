import ArgumentParser
import Foundation
import RNNLabExperiments
import RNNLabRunStore

/// `rnnlab status`: the state of every planned run, from the store.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show each planned run's state: complete, running (last step, heartbeat age), diverged, failed, interrupted, dead, missing.",
        discussion: """
            Read from the run records, run files, their locks and failure records only, so it is the same for local and Slurm \
            sweeps. A run is dead when its lock's owner is gone (same host) or its heartbeat is older than \
            RNNLAB_STALE_AFTER_SECONDS (default 300); the next rnnlab run or rnnlab slurm --submit redoes it.
            """)

    @Argument(help: "Experiment files or names (default: every experiment in experiments/).") var experiments: [String] = []
    @OptionGroup var profileOption: ProfileOptions
    @OptionGroup var resultsOption: ResultsOptions

    func run() throws {
        let catalog = ExperimentCatalog()
        let store = resultsOption.store
        let profile = profileOption.profile
        let now = Date().timeIntervalSince1970
        let loaded = try ExperimentOptions.load(experiments, all: experiments.isEmpty, profile: profile, from: catalog)
        if loaded.isEmpty { print("no experiments: name an experiment file, or run this where experiments/ is") }
        for experiment in loaded {
            let statuses = try catalog.runStatuses(of: experiment, profile: profile, store: store, now: now)
            print("\(experiment.name): \(statuses.count) runs — \(RunStateCounts(statuses))")
            let metric = experiment.report.metric
            for status in statuses {
                var detail = status.detail
                if case .complete = status.state, let value = status.finalMetrics[metric] {
                    detail = "test \(metric) \(String(format: "%.6g", value))"
                }
                print("  \(status.run.runID)  \(status.state.name.padding(toLength: 11, withPad: " ", startingAt: 0))  "
                      + "\(status.run.arm.isEmpty ? "" : status.run.arm + ", ")seed \(status.run.seed)\(detail.isEmpty ? "" : ": " + detail)")
            }
        }
    }
}
