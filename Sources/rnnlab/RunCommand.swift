import ArgumentParser
import Foundation
import RNNLab
import RNNLabExperiments
import RNNLabNumerics
import RNNLabReports
import RNNLabRunStore

/// `rnnlab run`: run declared experiments (resumable) and regenerate their reports.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run experiments: every planned run not yet complete, then the reports.",
        discussion: """
            Runs with a valid record (results/NAME/runs/RUN_ID.json) and complete run files are skipped, and \
            finished run files without a record get one; interrupted runs resume from their last checkpoint; \
            corrupt run files and records are moved aside and recomputed. Before computing, each experiment \
            prints how many runs it will compute and an estimate of their time from its recorded runs. \
            --run RUN_ID computes exactly one run (for job arrays); with --recompute it computes a recorded run \
            again (for its weights) and checks the result against its record.
            """)

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var data: DataOptions
    @Option(help: "Runs in parallel (child processes with one BLAS thread each).") var jobs: Int = 1
    @Option(name: .customLong("run"), help: "Compute only this run id.") var runID: String?
    @Option(help: "BLAS threads of this process (job arrays: the CPUs per task).") var blasThreads: Int = 1
    @Flag(help: "With --run: compute the run even if it has a record (to get its weights), and check the result against the record, which is kept.")
    var recompute = false

    func run() throws {
        BLAS.setThreads(max(blasThreads, 1))
        RunLock.releaseOnTermination()
        let experiments = try options.load()
        if recompute, runID == nil { throw ValidationError("--recompute needs --run RUN_ID (the run to compute again)") }
        if let runID, !RunStore.isSafeComponent(runID) {
            throw ValidationError("--run '\(runID)' is not a run id (run ids are 16 hexadecimal digits; no '/' or '..')")
        }
        var failures = 0
        for experiment in experiments {
            var runner = ExperimentRunner(experiment: experiment, profile: options.profile, store: options.store,
                                          data: data.directory, rnnlabVersion: RNNLabInfo.version)
            runner.log = { print($0); fflush(nil) }   // line by line into Slurm logs, even if the task is killed
            runner.showsProgress = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["RNNLAB_PLAIN"] == nil
            if let runID {
                guard let planned = try runner.plan().first(where: { $0.runID == runID }) else {
                    throw ValidationError("\(experiment.file) plans no run \(runID)")
                }
                try runner.runOne(planned, recompute: recompute)
                continue
            }
            failures += try runner.runAll(jobs: max(jobs, 1), executable: Bundle.main.executablePath)
            let report = try ExperimentReport.collect(experiment, profile: options.profile, store: options.store)
            report.warnAboutUntrustedFiles()
            let folder = options.store.results.appendingPathComponent(experiment.name)
            try FileWriteError.clarifying(path: folder.path) { try report.write(to: folder) }
            print("report: \(options.store.results.appendingPathComponent(experiment.name).appendingPathComponent("REPORT.md").path)")
        }
        if runID == nil { try ResultsIndex.write(results: options.store, profile: options.profile) }
        if failures > 0 { throw ExitCode(1) }
    }
}

extension ExperimentReport {
    /// One line on standard error per run file the report left out because it was not trusted.
    func warnAboutUntrustedFiles() {
        for (path, reason) in untrusted {
            FileHandle.standardError.write(Data("warning: \(path) is not trusted and is not in the report: \(reason)\n".utf8))
        }
    }
}
