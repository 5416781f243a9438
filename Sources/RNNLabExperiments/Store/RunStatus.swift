import Foundation

/// What the store says about one planned run: its run file, its lock and its
/// failure record together. The same for runs computed locally and by Slurm.
public struct RunStatus: Sendable {
    public enum State: Equatable, Sendable {
        case missing
        case complete
        case diverged(String)
        /// The last attempt stopped with this error; the next attempt resumes from the checkpoint, if any.
        case failed(String)
        /// A live process holds the lock.
        case running(step: Int?, epoch: Int?, heartbeatAge: Double, owner: LockOwner)
        /// Partly computed and nobody on it: resumes after `completedEpochs`.
        case interrupted(completedEpochs: Int)
        /// A lock whose owner stopped without releasing it (crash, kill, node lost).
        case dead(completedEpochs: Int, reason: String, owner: LockOwner)
        /// The run file cannot be trusted: it will be moved aside and recomputed.
        case corrupt(String)

        /// One word: complete, running, diverged, failed, interrupted, dead, corrupt, missing.
        public var name: String {
            switch self {
            case .missing: "missing"
            case .complete: "complete"
            case .diverged: "diverged"
            case .failed: "failed"
            case .running: "running"
            case .interrupted: "interrupted"
            case .dead: "dead"
            case .corrupt: "corrupt"
            }
        }
    }

    public var run: PlannedRun
    public var state: State
    /// The test metrics at the best epoch, for finished runs.
    public var finalMetrics: [String: Double]

    /// Whether the next `rnnlab run` or `rnnlab slurm` computes this run
    /// (everything but finished runs and runs a live process is on).
    public var needsComputing: Bool {
        switch state {
        case .complete, .diverged, .running: false
        default: true
        }
    }

    /// The details after the state's name, e.g. "step 420 (epoch 3), heartbeat 4 s ago, node1 pid 812".
    public var detail: String {
        switch state {
        case .missing, .complete: return ""
        case .diverged(let text), .failed(let text), .corrupt(let text): return text
        case .running(let step, let epoch, let age, let owner):
            let progress = step.map { "step \($0)" + (epoch.map { " (epoch \($0))" } ?? "") } ?? "starting"
            return "\(progress), heartbeat \(Int(age.rounded())) s ago, \(owner.description)"
        case .interrupted(let epochs):
            return "after epoch \(epochs); resumes from its checkpoint"
        case .dead(let epochs, let reason, _):
            return "\(reason); redone by the next run or submit (from epoch \(epochs))"
        }
    }
}

extension RunStore {
    /// The status of one planned run, from its files.
    public func status(_ experiment: String, _ run: PlannedRun, policy: LockPolicy = .fromEnvironment(),
                       now: Double = Date().timeIntervalSince1970) -> RunStatus {
        let path = self.path(experiment, run.runID)
        let exists = FileManager.default.fileExists(atPath: path)
        let file = exists ? try? RunFile.read(from: path) : nil
        let base = state(of: file, exists: exists, run: run)
        var status = RunStatus(run: run, state: .missing, finalMetrics: [:])
        let epochs: Int
        switch base {
        case .complete:
            status.state = .complete
            status.finalMetrics = file?.finalMetrics ?? [:]
            return status
        case .diverged(let detail):
            status.state = .diverged(detail)
            return status
        case .running(let completed): epochs = completed
        default: epochs = 0
        }
        if let (owner, _) = LockOwner.read(lockAt: path + ".lock") {
            if let reason = owner.staleness(now: now, policy: policy) {
                status.state = .dead(completedEpochs: epochs, reason: reason, owner: owner)
            } else {
                let step = owner.step ?? file?.checkpoint?.stepCount
                status.state = .running(step: step, epoch: owner.epoch ?? (step == nil ? nil : epochs),
                                        heartbeatAge: max(0, now - owner.heartbeat), owner: owner)
            }
            return status
        }
        if let failure = RunFailure.read(forRunAt: path) {
            status.state = .failed(failure.error + (failure.host.isEmpty ? "" : " (on \(failure.host)\(failure.slurmJob.map { ", slurm job \($0)" } ?? ""), \(failure.time))"))
            return status
        }
        switch base {
        case .running(let completed): status.state = .interrupted(completedEpochs: completed)
        case .corrupt(let reason): status.state = .corrupt(reason)
        default: status.state = .missing
        }
        return status
    }
}
