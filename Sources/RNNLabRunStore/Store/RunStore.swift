import Foundation
import RNNLabTraining

/// Where an experiment's runs live: `RESULTS/NAME/runs/RUN_ID.h5`.
public struct RunStore: Sendable {
    public let results: URL

    public init(results: URL) { self.results = results }

    public func runsDirectory(_ experiment: String) -> URL {
        results.appendingPathComponent(experiment).appendingPathComponent("runs")
    }

    public func path(_ experiment: String, _ runID: String) -> String {
        runsDirectory(experiment).appendingPathComponent("\(runID).h5").path
    }

    /// The state of a run from its record and its run file: a valid record makes it complete or diverged;
    /// otherwise the run file says missing, complete, diverged, interrupted or corrupt. A record that cannot
    /// be used, with no run file, makes the run corrupt (it is recomputed and the record moved aside).
    public func state(_ experiment: String, runID: String, configuration: RunConfiguration) -> RunState {
        let lookup = record(experiment, runID: runID, configuration: configuration)
        if let record = lookup.record { return record.state }
        let state = fileState(experiment, runID: runID, configuration: configuration)
        if case .invalid(let error) = lookup, state == .missing { return .corrupt(error.description) }
        return state
    }

    /// The state of a run from its run file alone: missing, complete, diverged, interrupted or corrupt.
    public func fileState(_ experiment: String, runID: String, configuration: RunConfiguration) -> RunState {
        guard FileManager.default.fileExists(atPath: path(experiment, runID)) else { return .missing }
        do { return state(of: try read(experiment, runID: runID), configuration: configuration) } catch { return .corrupt("\(error)") }
    }

    /// The run file of a run, if it can be read.
    public func read(_ experiment: String, runID: String) throws -> RunFile {
        try RunFile.read(from: path(experiment, runID))
    }

    /// The state of an already-read run file of a run planned with `configuration`.
    public func state(of file: RunFile, configuration: RunConfiguration) -> RunState {
        guard file.configuration == configuration else { return .corrupt("its configuration differs from the plan") }
        switch file.status {
        case .complete:
            guard !file.finalWeights.isEmpty, !file.finalMetrics.isEmpty else { return .corrupt("complete but without final weights or metrics") }
            return .complete
        case .diverged: return .diverged(file.statusDetail)
        case .running: return .interrupted(completedEpochs: file.checkpoint?.completedEpochs ?? 0)
        }
    }
}
