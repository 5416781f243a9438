import Foundation
import RNNLabTraining

/// What the store says about one run: its run file, its lock and its failure record together.
/// The same for runs computed locally and by Slurm.
public struct RunStatus: Sendable {
    public var runID: String
    public var state: RunState
    /// The test metrics at the best epoch, for finished runs.
    public var finalMetrics: [String: Double]
    /// Whether the run has a valid record (reports show only recorded runs).
    public var isRecorded: Bool

    public init(runID: String, state: RunState, finalMetrics: [String: Double] = [:], isRecorded: Bool = false) {
        self.runID = runID
        self.state = state
        self.finalMetrics = finalMetrics
        self.isRecorded = isRecorded
    }

    /// Whether a finished run file still lacks its record (a writer stopped between the two): reports leave the
    /// run out until the next `rnnlab run` records it from the file, without computing.
    public var awaitsRecord: Bool { state.isFinished && !isRecorded }

    /// Whether the next `rnnlab run` or `rnnlab slurm` has work on this run: computing it (see
    /// `RunState.needsComputing`), or recording a finished run file.
    public var needsComputing: Bool { state.needsComputing || awaitsRecord }

    /// The details after the state's name (see `RunState.detail`).
    public var detail: String {
        awaitsRecord ? [state.detail, "not recorded yet: the next rnnlab run records it from its run file"].filter { !$0.isEmpty }.joined(separator: "; ")
            : state.detail
    }
}

extension RunStore {
    /// The status of one run planned with `configuration`, from its files.
    public func status(_ experiment: String, runID: String, configuration: RunConfiguration, policy: LockPolicy = .fromEnvironment(),
                       now: Double = Date().timeIntervalSince1970) -> RunStatus {
        let lookup = record(experiment, runID: runID, configuration: configuration)
        if let record = lookup.record {
            return RunStatus(runID: runID, state: record.state, finalMetrics: record.status == .complete ? record.finalMetrics : [:],
                             isRecorded: true)
        }
        let path = self.path(experiment, runID)
        let exists = FileManager.default.fileExists(atPath: path)
        let file: RunFile?
        let base: RunState
        if !exists {
            (file, base) = (nil, .missing)
        } else {
            do {
                let read = try RunFile.read(from: path)
                (file, base) = (read, state(of: read, configuration: configuration))
            } catch let error as RunFileUnknownStatus {
                (file, base) = (nil, .corrupt(error.description))
            } catch {
                (file, base) = (nil, .corrupt("the file cannot be read as a run file: \(error)"))
            }
        }
        var status = RunStatus(runID: runID, state: .missing)
        let epochs: Int
        switch base {
        case .complete:
            status.state = .complete
            status.finalMetrics = file?.finalMetrics ?? [:]
            return status
        case .diverged(let detail):
            status.state = .diverged(detail)
            return status
        case .interrupted(let completed): epochs = completed
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
        case .interrupted(let completed): status.state = .interrupted(completedEpochs: completed)
        case .corrupt(let reason): status.state = .corrupt(reason)
        default:
            if case .invalid(let error) = lookup { status.state = .corrupt(error.description) } else { status.state = .missing }
        }
        return status
    }
}
