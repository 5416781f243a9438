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
            again (for its weights) and checks the result against its record. Runs that another live process is \
            computing are left to it: the report is then marked partial, unless --wait waits for them.

            With --jobs N, ending the runner ends its child runs too: SIGINT (Ctrl-C), SIGTERM and SIGHUP are passed \
            on to them, and SIGKILL reaches them as a parent-death signal; each releases its lock, and the next \
            `rnnlab run` resumes every run from its last checkpoint.

            Exit status: 0 every planned run is finished; 1 a run failed, or another error (an invalid experiment \
            file, say); 64 invalid arguments; 75 runs held by other live processes were left out (named in the last \
            lines; with --run: the run is held); 128+N stopped by signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP).
            """)

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var data: DataOptions
    @Option(help: "Runs in parallel (child processes with one BLAS thread each).") var jobs: Int = 1
    @Option(name: .customLong("run"), help: "Compute only this run id.") var runID: String?
    @Option(help: "BLAS threads of this process (job arrays: the CPUs per task).") var blasThreads: Int = 1
    @Flag(help: "With --run: compute a recorded run that has no run file (to get its weights) and check the result against its record, which is kept; a finished run file present is checked instead.")
    var recompute = false
    @Flag(help: "Wait for runs other processes are computing (resuming any they leave unfinished), instead of leaving them out.")
    var wait = false
    @Option(help: "Write TensorBoard event files under DIR: one folder per run, named by its arm and seed; continued correctly after a resume.")
    var tensorboard: String?
    @Flag(help: "Show per-run and overall progress with an ETA (the default on a terminal).") var progress = false

    func run() throws {
        BLAS.setThreads(max(blasThreads, 1))
        RunLock.releaseOnTermination()
        guard RunnerLink.follow() else {
            FileHandle.standardError.write(Data("rnnlab: the runner that started this run has ended; not starting it\n".utf8))
            throw ExitCode.failure
        }
        let experiments = try options.load()
        if recompute, runID == nil { throw ValidationError("--recompute needs --run RUN_ID (the run to compute again)") }
        if let runID, !RunStore.isSafeComponent(runID) {
            throw ValidationError("--run '\(runID)' is not a run id (run ids are 16 hexadecimal digits; no '/' or '..')")
        }
        var failures = 0, held: [(experiment: String, run: HeldRun)] = []
        if runID == nil, experiments.count > 1 || options.all {
            // The whole sweep's size before anything is computed (each experiment repeats its own part).
            let total = try experiments.map { experiment in
                try ExperimentRunner(experiment: experiment, profile: options.profile, store: options.store,
                                     data: data.directory, rnnlabVersion: RNNLabInfo.version).estimate()
            }.reduce(RunEstimate.none, +)
            print("\(experiments.count) experiment\(experiments.count == 1 ? "" : "s"): \(total.runs) run\(total.runs == 1 ? "" : "s") to compute"
                  + (total.runs == 0 ? "" : "; \(total.description)"))
            fflush(nil)
        }
        for experiment in experiments {
            var runner = ExperimentRunner(experiment: experiment, profile: options.profile, store: options.store,
                                          data: data.directory, rnnlabVersion: RNNLabInfo.version)
            runner.log = { print($0); fflush(nil) }   // line by line into Slurm logs, even if the task is killed
            runner.showsProgress = progress || (isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["RNNLAB_PLAIN"] == nil)
            runner.tensorBoard = tensorboard.map { URL(fileURLWithPath: $0).standardizedFileURL }
            runner.waitsForHeldRuns = wait
            if let runID {
                guard let planned = try runner.plan().first(where: { $0.runID == runID }) else {
                    throw ValidationError("\(experiment.file) plans no run \(runID)")
                }
                if try runner.runOne(planned, recompute: recompute) == .heldElsewhere { throw ExitCode(SweepOutcome.partialExitStatus) }
                continue
            }
            let outcome: SweepOutcome
            do { outcome = try runner.runAll(jobs: max(jobs, 1), executable: Bundle.main.executablePath) } catch let stop as SweepInterrupted {
                print("\(experiment.name): \(stop)")
                throw ExitCode(128 + stop.signal)
            }
            failures += outcome.failures
            held += outcome.held.map { (experiment.name, $0) }
            var report = try ExperimentReport.collect(experiment, profile: options.profile, store: options.store)
            report.heldElsewhere = outcome.held.map { (runID: $0.run.runID, owner: $0.owner) }
            report.warnAboutUntrustedFiles()
            let folder = options.store.results.appendingPathComponent(experiment.name)
            try FileWriteError.clarifying(path: folder.path) { try report.write(to: folder) }
            print("report: \(options.store.results.appendingPathComponent(experiment.name).appendingPathComponent("REPORT.md").path)")
        }
        if runID == nil { try ResultsIndex.write(results: options.store, profile: options.profile) }
        if !held.isEmpty {
            print("partial: \(held.count) run\(held.count == 1 ? " is" : "s are") still being computed by other processes and "
                  + "left out of the report\(Set(held.map(\.experiment)).count == 1 ? "" : "s"):")
            for (name, run) in held { print("  \(name) \(run.description)") }
            print("run again once they finish, or pass --wait to wait for them")
        }
        if failures > 0 { throw ExitCode(1) }
        if !held.isEmpty { throw ExitCode(SweepOutcome.partialExitStatus) }
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
