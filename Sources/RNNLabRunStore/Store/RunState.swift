/// A run's state in the store, from its run file, its lock and its failure record.
/// The same for runs computed locally and by Slurm; `rnnlab run`, `status`, `list`, `slurm` and the reports use it.
public enum RunState: Equatable, Sendable {
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

    /// The states' names, as `rnnlab status`, `list` and `slurm` print them.
    public enum Kind: String, Sendable, CaseIterable {
        case missing, complete, diverged, failed, running, interrupted, dead, corrupt
    }

    public var kind: Kind {
        switch self {
        case .missing: .missing
        case .complete: .complete
        case .diverged: .diverged
        case .failed: .failed
        case .running: .running
        case .interrupted: .interrupted
        case .dead: .dead
        case .corrupt: .corrupt
        }
    }

    /// One word: complete, running, diverged, failed, interrupted, dead, corrupt, missing.
    public var name: String { kind.rawValue }

    /// Whether the run is finished (complete or diverged): nothing more to compute.
    public var isFinished: Bool {
        switch self {
        case .complete, .diverged: true
        default: false
        }
    }

    /// Whether the next `rnnlab run` or `rnnlab slurm` computes this run
    /// (everything but finished runs and runs a live process is on).
    public var needsComputing: Bool {
        switch self {
        case .complete, .diverged, .running: false
        default: true
        }
    }

    /// The details after the state's name, e.g. "step 420 (epoch 3), heartbeat 4 s ago, node1 pid 812".
    public var detail: String {
        switch self {
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
