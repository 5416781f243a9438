import Foundation
import RNNLabData
import RNNLabRunStore
import RNNLabTraining

/// Runs an experiment's planned runs into its run store, skipping complete
/// runs, resuming interrupted ones, and recomputing corrupt ones.
public struct ExperimentRunner {
    public let experiment: Experiment
    public let profile: String?
    public let store: RunStore
    public let data: DataDirectory
    public let rnnlabVersion: String
    public var log: @Sendable (String) -> Void = { print($0) }
    /// Whether to draw a progress bar (on a terminal) instead of one line per epoch.
    public var showsProgress = false
    /// Heartbeat and staleness of run locks.
    public var lockPolicy = LockPolicy.fromEnvironment()

    public init(experiment: Experiment, profile: String?, store: RunStore, data: DataDirectory, rnnlabVersion: String) {
        self.experiment = experiment
        self.profile = profile
        self.store = store
        self.data = data
        self.rnnlabVersion = rnnlabVersion
    }

    /// The planned runs.
    public func plan() throws -> [PlannedRun] { try experiment.plan(profile: profile) }

    /// Runs every planned run that is not complete. With `jobs` > 1, runs go to
    /// child processes (`executable run FILE --run ID`), `jobs` at a time, each
    /// with one BLAS thread. Returns the number of runs that failed.
    @discardableResult
    public func runAll(jobs: Int, executable: String?) throws -> Int {
        let runs = try plan()
        let unrecorded = runs.filter { store.record(experiment.name, runID: $0.runID, configuration: $0.configuration).record == nil }
        guard !unrecorded.isEmpty else {
            log("\(experiment.name): \(runs.count) runs, \(runs.count) already done, 0 to run (all recorded)")
            return 0
        }
        try checkData(unrecorded)
        try recordFinishedRunFiles(unrecorded)
        let pending = runs.filter { !store.state(experiment.name, $0).isFinished }
        log("\(experiment.name): \(runs.count) runs, \(runs.count - pending.count) already done, \(pending.count) to run"
            + (pending.isEmpty ? "" : " (\(RunEstimate(pending: pending, planned: runs, experiment: experiment.name, store: store).description))"))
        guard jobs > 1, let executable, pending.count > 1 else {
            var failures = 0
            for (index, run) in pending.enumerated() {
                log("[\(index + 1)/\(pending.count)] \(run.arm), seed \(run.seed) (\(run.runID))")
                do { try runOne(run) } catch {
                    failures += 1
                    log("  failed: \(error)")
                }
            }
            return failures
        }
        return runInChildren(pending, jobs: jobs, executable: executable)
    }

    /// Checks that every data set the runs need is available, before any run starts.
    private func checkData(_ runs: [PlannedRun]) throws {
        for name in Set(runs.compactMap(\.configuration.task.dataSet)).sorted() {
            _ = try data.ensure(try DataRegistry.descriptor(named: name))
        }
    }

    /// Writes the records of finished run files that have none (or an unusable one, which is moved aside).
    private func recordFinishedRunFiles(_ runs: [PlannedRun]) throws {
        for run in runs where store.fileState(experiment.name, runID: run.runID, configuration: run.configuration).isFinished {
            let file = try store.read(experiment.name, run)
            try writeRecord(of: file, run)
            log("  \(run.runID): recorded from its finished run file")
        }
    }

    /// Writes the record of a finished run, moving an unusable record aside first.
    private func writeRecord(of file: RunFile, _ run: PlannedRun) throws {
        let path = store.recordPath(experiment.name, run.runID)
        if case .invalid(let error) = store.record(experiment.name, runID: run.runID, configuration: run.configuration) {
            let aside = try store.moveAside(path)
            log("  \(run.runID): its record was not trusted (\(error)); moved to \(aside)")
        }
        guard let record = try RunRecord.make(from: file, of: run, in: experiment, data: data) else { return }
        try store.write(record)
    }

    /// Runs one planned run in this process, under the run's lock, and writes its record. With `recompute`,
    /// a run that has a record is computed again (into its run file, for its weights) and compared with its
    /// record, which is kept; a difference throws `RecomputeMismatch`.
    public func runOne(_ run: PlannedRun, recompute: Bool = false) throws {
        let recorded = store.record(experiment.name, runID: run.runID, configuration: run.configuration).record
        if let recorded, !recompute {
            log("  \(run.runID) is already finished (\(recorded.status.rawValue), recorded): nothing to do")
            return
        }
        let path = try store.checkedPath(experiment.name, run.runID)
        try FileManager.default.createDirectory(at: store.runsDirectory(experiment.name), withIntermediateDirectories: true)
        guard let lock = RunLock(path: path + ".lock", policy: lockPolicy) else {
            let holder = LockOwner.read(lockAt: path + ".lock").map { " (\($0.owner.description))" } ?? ""
            log("  \(run.runID) is being computed by another process\(holder): skipped")
            return
        }
        defer { lock.release() }
        if let (owner, reason) = lock.tookOver {
            log("  \(run.runID): took over the lock of \(owner.description): \(reason)")
        }
        for stale in store.removeStaleTemporaries(of: path) { log("  removed \(stale), left by a killed writer") }
        switch store.fileState(experiment.name, runID: run.runID, configuration: run.configuration) {
        case .complete, .diverged:
            let file = try store.read(experiment.name, run)
            if let recorded {
                try compare(file, run, with: recorded)
            } else {
                try writeRecord(of: file, run)
                log("  \(run.runID) is already finished: recorded from its run file")
            }
            return
        case .corrupt(let reason):
            let aside = try store.moveAside(path)
            log("  \(run.runID): the stored file was not trusted (\(reason)); moved to \(aside) and recomputed")
        case .interrupted(let epochs):
            log("  resuming \(run.runID) after epoch \(epochs)")
        case .missing, .failed, .running, .dead:
            // The run file alone says missing, complete, diverged, interrupted or corrupt.
            break
        }
        let metric = experiment.report.metric, epochs = run.configuration.training.epochs
        let progress = ProgressLine(enabled: showsProgress)
        RunFailure.remove(forRunAt: path)
        let trained: RunFile
        do {
            trained = try RunExecutor.run(run.configuration, experiment: experiment.name, data: data, writingTo: path,
                                       rnnlabVersion: rnnlabVersion, onEpoch: { epoch in
                let value = epoch.validationMetrics[metric].map { String(format: "%.4f", $0) } ?? "–"
                if progress.enabled {
                    progress.update(done: epoch.epoch, of: epochs, seconds: epoch.wallSeconds, detail: "valid \(metric) \(value)")
                } else {
                    log("  epoch \(epoch.epoch): train loss \(String(format: "%.4f", epoch.trainingLoss)), valid \(metric) \(value) (\(String(format: "%.1f", epoch.wallSeconds)) s)")
                }
            }, onStep: { lock.update(step: $0.step, epoch: $0.epoch) })
        } catch {
            progress.finish()
            try? RunFailure(error: "\(error)").write(forRunAt: path)
            throw error
        }
        progress.finish()
        log("  \(trained.status.rawValue)\(trained.statusDetail.isEmpty ? "" : ": \(trained.statusDetail)")")
        // The record is made from the file as stored, so that it is the same whichever process wrote the file.
        let file = try store.read(experiment.name, run)
        if let recorded {
            try compare(file, run, with: recorded)
        } else {
            try writeRecord(of: file, run)
        }
    }

    /// Compares a recomputed run file with the run's record (which is kept either way).
    private func compare(_ file: RunFile, _ run: PlannedRun, with recorded: RunRecord) throws {
        guard let recomputed = try RunRecord.make(from: file, of: run, in: experiment, data: data) else { return }
        let comparison = RecordComparison(recorded: recorded, recomputed: recomputed)
        log("  \(run.runID): \(comparison.summary)")
        if !comparison.isMatch { throw RecomputeMismatch(runID: run.runID, comparison: comparison) }
    }

    private func runInChildren(_ runs: [PlannedRun], jobs: Int, executable: String) -> Int {
        var queue = runs[...]
        var active: [(Process, PlannedRun)] = []
        var failures = 0
        while !queue.isEmpty || !active.isEmpty {
            while active.count < jobs, let run = queue.popFirst() {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                var arguments = ["run", experiment.file, "--run", run.runID, "--results", store.results.path, "--data-dir", data.root.path]
                if let profile { arguments += ["--profile", profile] }
                process.arguments = arguments
                // Children print plain lines (several progress bars would overwrite each other).
                process.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "1", "RNNLAB_PLAIN": "1"]) { $1 }
                do {
                    try process.run()
                    log("started \(run.arm), seed \(run.seed) (\(run.runID)) as process \(process.processIdentifier)")
                    active.append((process, run))
                } catch {
                    failures += 1
                    log("could not start \(run.runID): \(error)")
                }
            }
            if let index = active.firstIndex(where: { !$0.0.isRunning }) {
                let (process, run) = active.remove(at: index)
                if process.terminationStatus != 0 {
                    failures += 1
                    log("\(run.runID) exited with status \(process.terminationStatus)")
                }
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        return failures
    }
}
