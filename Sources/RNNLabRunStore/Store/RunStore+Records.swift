import Foundation

/// What the store holds as the record of one run.
public enum RecordLookup: Sendable {
    /// No record file.
    case none
    /// A record that passed every check and matches the planned configuration.
    case valid(RunRecord)
    /// A record file that cannot be used, and why; it is never used.
    case invalid(RunRecordError)

    /// The record, when it can be used.
    public var record: RunRecord? {
        if case .valid(let record) = self { record } else { nil }
    }
}

/// Run records: `RESULTS/NAME/runs/RUN_ID.json`, beside the run files.
extension RunStore {
    /// The path of a run's record.
    public func recordPath(_ experiment: String, _ runID: String) -> String {
        runsDirectory(experiment).appendingPathComponent("\(runID).json").path
    }

    /// The record of a run, checked against the experiment and (when given) the planned configuration.
    public func record(_ experiment: String, runID: String, configuration: RunConfiguration? = nil) -> RecordLookup {
        let path = recordPath(experiment, runID)
        guard FileManager.default.fileExists(atPath: path) else { return .none }
        let record: RunRecord
        do { record = try RunRecord.read(from: path) } catch { return .invalid(error) }
        guard record.runID == runID else {
            return .invalid(.inconsistent(path: path, reason: "it is the record of run \(record.runID)"))
        }
        guard record.experiment == experiment else {
            return .invalid(.inconsistent(path: path, reason: "it is a record of experiment \(record.experiment)"))
        }
        if let configuration, configuration != record.configuration {
            return .invalid(.inconsistent(path: path, reason: "its configuration differs from the plan"))
        }
        return .valid(record)
    }

    /// Writes a run's record atomically.
    public func write(_ record: RunRecord) throws {
        _ = try checkedPath(record.experiment, record.runID)
        try FileManager.default.createDirectory(at: runsDirectory(record.experiment), withIntermediateDirectories: true)
        try FileWriteError.clarifying(path: recordPath(record.experiment, record.runID)) {
            try record.write(to: recordPath(record.experiment, record.runID))
        }
    }

    /// The run ids of every record file of an experiment (valid or not), sorted.
    public func recordedRunIDs(_ experiment: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsDirectory(experiment).path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }
}
