import Foundation
import RNNLabRunStore

/// The store's status of one planned run of an experiment.
public struct PlannedRunStatus: Sendable {
    public var run: PlannedRun
    public var status: RunStatus

    public var state: RunState { status.state }
    /// The test metrics at the best epoch, for finished runs.
    public var finalMetrics: [String: Double] { status.finalMetrics }
    /// Whether the next `rnnlab run` or `rnnlab slurm` computes this run.
    public var needsComputing: Bool { status.needsComputing }
    /// The details after the state's name.
    public var detail: String { status.detail }
}

extension RunStore {
    /// The status of one planned run, from its files.
    public func status(_ experiment: String, _ run: PlannedRun, policy: LockPolicy = .fromEnvironment(),
                       now: Double = Date().timeIntervalSince1970) -> PlannedRunStatus {
        PlannedRunStatus(run: run, status: status(experiment, runID: run.runID, configuration: run.configuration, policy: policy, now: now))
    }

    /// The state of a planned run from its run file alone.
    public func state(_ experiment: String, _ run: PlannedRun) -> RunState {
        state(experiment, runID: run.runID, configuration: run.configuration)
    }

    /// The run file of a planned run, if it can be read.
    public func read(_ experiment: String, _ run: PlannedRun) throws -> RunFile {
        try read(experiment, runID: run.runID)
    }
}
