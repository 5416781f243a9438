import Foundation
import RNNLabData
import RNNLabRunStore
import RNNLabTraining

/// Runs an experiment's planned runs into its run store, skipping recorded and
/// complete runs, resuming interrupted ones, recomputing corrupt ones, and writing
/// the record of every run that finishes.
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
    /// Whether `runAll` waits for runs other processes hold instead of leaving them out.
    public var waitsForHeldRuns = false
    /// Where to write TensorBoard event files (a folder per run, `TensorBoardRun`), if anywhere.
    public var tensorBoard: URL?

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
    /// with one BLAS thread. Runs another live process holds are left to it (or,
    /// with `waitsForHeldRuns`, waited for and resumed if it stops them unfinished).
    /// Throws `SweepInterrupted` when SIGINT, SIGTERM or SIGHUP stopped the children.
    @discardableResult
    public func runAll(jobs: Int, executable: String?) throws -> SweepOutcome {
        let runs = try plan()
        let unrecorded = runs.filter { store.record(experiment.name, runID: $0.runID, configuration: $0.configuration).record == nil }
        removeDeadLocks(of: runs.filter { run in !unrecorded.contains { $0.runID == run.runID } })
        guard !unrecorded.isEmpty else {
            log("\(experiment.name): \(runs.count) runs, \(runs.count) already done, 0 to run (all recorded)")
            return SweepOutcome()
        }
        try checkData(unrecorded)
        let recordingFailures = recordFinishedRunFiles(unrecorded)
        let pending = runs.filter { !store.state(experiment.name, $0).isFinished }
        log("\(experiment.name): \(runs.count) runs, \(runs.count - pending.count) already done, \(pending.count) to run"
            + (pending.isEmpty ? "" : " (\(RunEstimate(pending: pending, planned: runs, experiment: experiment.name, store: store).description))"))
        var outcome = SweepOutcome(failures: recordingFailures), round = pending, waiting = false
        while true {
            var candidates = outcome.held.map(\.run)
            if !round.isEmpty {
                let result = try runRound(round, jobs: jobs, executable: executable)
                outcome.failures += result.failures
                candidates = result.held + candidates
            }
            (round, outcome.held) = sortHeld(candidates)
            if round.isEmpty && (outcome.held.isEmpty || !waitsForHeldRuns) { return outcome }
            if round.isEmpty {
                if !waiting { log("waiting for runs held by other processes: " + outcome.held.map(\.description).joined(separator: "; ")) }
                waiting = true
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }

    /// The runs `runAll` would compute (no valid record and no finished run file), with an estimate of their
    /// time from the experiment's recorded runs.
    public func estimate() throws -> RunEstimate {
        let runs = try plan()
        let pending = runs.filter { run in
            store.record(experiment.name, runID: run.runID, configuration: run.configuration).record == nil
                && !store.fileState(experiment.name, runID: run.runID, configuration: run.configuration).isFinished
        }
        return RunEstimate(pending: pending, planned: runs, experiment: experiment.name, store: store)
    }

    /// Checks that every data set the runs need is available, before any run starts.
    private func checkData(_ runs: [PlannedRun]) throws {
        for name in Set(runs.compactMap(\.configuration.task.dataSet)).sorted() {
            _ = try data.ensure(try DataRegistry.descriptor(named: name))
        }
        for file in Set(runs.compactMap(\.configuration.task.dataFile)).sorted(by: { $0.name < $1.name }) {
            _ = try data.locate(file)
        }
    }

    /// Removes the locks of recorded runs whose owner is gone (a runner killed between writing the record and
    /// releasing its lock): harmless, since any later attempt takes them over, but misleading beside a finished run.
    private func removeDeadLocks(of recorded: [PlannedRun]) {
        for run in recorded {
            let lock = store.path(experiment.name, run.runID) + ".lock"
            guard let (owner, _) = LockOwner.read(lockAt: lock), owner.staleness(policy: lockPolicy) != nil else { continue }
            if unlink(lock) == 0 { log("  removed \(lock): the lock of a recorded run whose owner is gone (\(owner.description))") }
        }
    }

    /// Writes the records of finished run files that have none (or an unusable one, which is moved aside), each
    /// under the run's lock (a run another process holds is left to it). Returns the runs whose recording failed;
    /// their errors are logged and the sweep goes on.
    private func recordFinishedRunFiles(_ runs: [PlannedRun]) -> Int {
        var failures = 0
        for run in runs where store.fileState(experiment.name, runID: run.runID, configuration: run.configuration).isFinished {
            let path = store.path(experiment.name, run.runID)
            guard let lock = RunLock(path: path + ".lock", policy: lockPolicy) else { continue }
            defer { lock.release() }
            do {
                for stale in store.removeStaleTemporaries(of: store.recordPath(experiment.name, run.runID)) {
                    log("  removed \(stale), left by a killed writer")
                }
                guard store.record(experiment.name, runID: run.runID, configuration: run.configuration).record == nil else { continue }
                try writeRecord(of: try store.read(experiment.name, run), run)
                log("  \(run.runID): recorded from its finished run file")
            } catch {
                failures += 1
                log("  \(run.runID): its finished run file could not be recorded: \(error)")
            }
        }
        return failures
    }

    /// Writes the record of a finished run, moving an unusable record aside first. A record of a newer schema
    /// version is never moved aside: this rnnlab stops and says to upgrade.
    private func writeRecord(of file: RunFile, _ run: PlannedRun) throws {
        let path = store.recordPath(experiment.name, run.runID)
        if case .invalid(let error) = store.record(experiment.name, runID: run.runID, configuration: run.configuration) {
            if case .unsupportedVersion = error { throw error }
            if FileManager.default.fileExists(atPath: path) {   // another process may have moved it aside already
                let aside = try store.moveAside(path)
                log("  \(run.runID): its record was not trusted (\(error)); moved to \(aside)")
            }
        }
        guard let record = try RunRecord.make(from: file, of: run, in: experiment, data: data) else { return }
        try store.write(record)
    }

    /// Runs one planned run in this process, under the run's lock, and writes its record. With `recompute`,
    /// a run that has a record but no finished run file is computed again (into its run file, for its weights)
    /// and compared with its record, which is kept; a finished run file present is compared instead (use
    /// `rnnlab verify` to recompute in a scratch directory). A difference throws `RecomputeMismatch`.
    @discardableResult
    public func runOne(_ run: PlannedRun, recompute: Bool = false) throws -> RunAttempt {
        let recorded = store.record(experiment.name, runID: run.runID, configuration: run.configuration).record
        if let recorded, !recompute {
            log("  \(run.runID) is already finished: nothing to do (\(recorded.status.rawValue), recorded)")
            return .alreadyFinished
        }
        let path = try store.checkedPath(experiment.name, run.runID)
        try FileManager.default.createDirectory(at: store.runsDirectory(experiment.name), withIntermediateDirectories: true)
        guard let lock = RunLock(path: path + ".lock", policy: lockPolicy) else {
            let holder = LockOwner.read(lockAt: path + ".lock").map { " (\($0.owner.description))" } ?? ""
            log("  \(run.runID) is being computed by another process\(holder): skipped")
            return .heldElsewhere
        }
        defer { lock.release() }
        if let (owner, reason) = lock.tookOver {
            log("  \(run.runID): took over the lock of \(owner.description): \(reason)")
        }
        for stale in store.removeStaleTemporaries(of: path) + store.removeStaleTemporaries(of: store.recordPath(experiment.name, run.runID)) {
            log("  removed \(stale), left by a killed writer")
        }
        switch store.fileState(experiment.name, runID: run.runID, configuration: run.configuration) {
        case .complete, .diverged:
            let file = try store.read(experiment.name, run)
            if let recorded {
                try compare(file, run, with: recorded)
            } else {
                try writeRecord(of: file, run)
                log("  \(run.runID) is already finished: recorded from its run file")
            }
            return .alreadyFinished
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
        let observers = tensorBoard.map { [TensorBoardRun(directory: $0, arm: run.arm, seed: run.seed)] } ?? []
        RunFailure.remove(forRunAt: path)
        let trained: RunFile
        do {
            trained = try RunExecutor.run(run.configuration, experiment: experiment.name, data: data, writingTo: path,
                                       rnnlabVersion: rnnlabVersion, observers: observers, onEpoch: { epoch in
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
        if let failure = observers.lazy.compactMap(\.failure).first {
            log("  warning: the TensorBoard logs of \(run.runID) stopped: \(failure)")
        }
        log("  \(trained.status.rawValue)\(trained.statusDetail.isEmpty ? "" : ": \(trained.statusDetail)")")
        // The record is made from the file as stored, so that it is the same whichever process wrote the file.
        let file = try store.read(experiment.name, run)
        if let recorded {
            try compare(file, run, with: recorded)
        } else {
            try writeRecord(of: file, run)
        }
        return .computed
    }

    /// Compares a recomputed run file with the run's record (which is kept either way).
    private func compare(_ file: RunFile, _ run: PlannedRun, with recorded: RunRecord) throws {
        guard let recomputed = try RunRecord.make(from: file, of: run, in: experiment, data: data) else { return }
        let (tolerance, reason) = RunVerifier.tolerance(for: recorded, here: Provenance.current(rnnlabVersion: rnnlabVersion))
        if let reason { log("  \(run.runID): bit-identity not expected (\(reason)); compared within relative tolerance \(tolerance ?? 0)") }
        let comparison = RecordComparison(recorded: recorded, recomputed: recomputed, tolerance: tolerance)
        log("  \(run.runID): \(comparison.summary)")
        if !comparison.isMatch { throw RecomputeMismatch(runID: run.runID, comparison: comparison) }
    }
}
