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
    /// Whether `runAll` waits for runs other processes hold instead of leaving them out.
    public var waitsForHeldRuns = false

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
        try checkData(runs)
        let pending = runs.filter { !store.state(experiment.name, $0).isFinished }
        log("\(experiment.name): \(runs.count) runs, \(runs.count - pending.count) already done, \(pending.count) to run")
        var outcome = SweepOutcome(), round = pending, waiting = false
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

    /// Checks that every data set the runs need is available, before any run starts.
    private func checkData(_ runs: [PlannedRun]) throws {
        for name in Set(runs.compactMap(\.configuration.task.dataSet)).sorted() {
            _ = try data.ensure(try DataRegistry.descriptor(named: name))
        }
    }

    /// Runs one planned run in this process, under the run's lock.
    @discardableResult
    public func runOne(_ run: PlannedRun) throws -> RunAttempt {
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
        for stale in store.removeStaleTemporaries(of: path) { log("  removed \(stale), left by a killed writer") }
        switch store.state(experiment.name, run) {
        case .complete, .diverged:
            log("  \(run.runID) is already finished: nothing to do")
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
        RunFailure.remove(forRunAt: path)
        let file: RunFile
        do {
            file = try RunExecutor.run(run.configuration, experiment: experiment.name, data: data, writingTo: path,
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
        log("  \(file.status.rawValue)\(file.statusDetail.isEmpty ? "" : ": \(file.statusDetail)")")
        return .computed
    }
}
