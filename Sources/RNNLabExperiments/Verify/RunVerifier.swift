import Foundation
import RNNLabData
import RNNLabRunStore
import RNNLabTraining

/// Recomputes recorded runs of an experiment in a scratch directory and compares them with their records
/// (`rnnlab verify`). Committed records and run files are never touched.
public struct RunVerifier {
    /// The relative tolerance used where bit-identity is not expected (another CPU model or BLAS core).
    public static let defaultTolerance = 1e-3

    public let experiment: Experiment
    public let profile: String?
    public let store: RunStore
    public let data: DataDirectory
    /// Where recomputed run files go (removed by the caller).
    public let scratch: URL
    public let rnnlabVersion: String

    /// The tolerance to compare a recomputed run with `record` within here, and why: nil (bit for bit) where
    /// the record was computed on this CPU model and BLAS core, else `defaultTolerance`.
    public static func tolerance(for record: RunRecord, here: Provenance) -> (tolerance: Double?, reason: String?) {
        guard let theirs = record.provenance else { return (nil, nil) }
        if theirs.cpu != here.cpu { return (defaultTolerance, "recorded on CPU \"\(theirs.cpu)\", here \"\(here.cpu)\"") }
        if theirs.blas != here.blas { return (defaultTolerance, "recorded with \(theirs.blas), here \(here.blas)") }
        return (nil, nil)
    }

    /// What verifying one run found.
    public enum Outcome: Sendable {
        case compared(RecordComparison)
        /// The run cannot be compared, and why (no record, a record that cannot be used, a failed recompute).
        case cannotCompare(String)
    }

    /// One verified run.
    public struct Result: Sendable {
        public var run: PlannedRun
        public var outcome: Outcome
        /// Seconds the recompute took.
        public var seconds: Double
        /// Why bit-identity is not expected, when numbers were compared within a tolerance.
        public var toleranceReason: String?

        /// Whether the run recomputed differently from its record.
        public var isDifferent: Bool {
            if case .compared(let comparison) = outcome { return !comparison.isMatch }
            return false
        }

        /// One line: run, arm, seed and what was found.
        public var line: String {
            let what: String
            switch outcome {
            case .compared(let comparison): what = comparison.summary
            case .cannotCompare(let reason): what = "cannot compare: \(reason)"
            }
            let note = toleranceReason.map { " [\($0)]" } ?? ""
            return "\(run.runID)  \(run.arm.isEmpty ? "" : run.arm + ", ")seed \(run.seed): \(what)\(note)"
                + String(format: " (%.1f s)", seconds)
        }
    }

    public init(experiment: Experiment, profile: String?, store: RunStore, data: DataDirectory, scratch: URL, rnnlabVersion: String) {
        self.experiment = experiment
        self.profile = profile
        self.store = store
        self.data = data
        self.scratch = scratch
        self.rnnlabVersion = rnnlabVersion
    }

    /// What to verify of an experiment: the first `count` planned runs that have valid records, in plan
    /// order (all when nil); every planned run whose record cannot be used (always reported: a record
    /// that fails its checksum fails the verification); and the number of planned runs.
    public struct Selection: Sendable {
        public var chosen: [PlannedRun]
        public var untrusted: [(run: PlannedRun, error: RunRecordError)]
        public var planned: Int
        /// Planned runs with no valid record.
        public var unrecorded: Int
    }

    public func selection(count: Int?) throws -> Selection {
        let runs = try experiment.plan(profile: profile)
        var recorded: [PlannedRun] = [], untrusted: [(run: PlannedRun, error: RunRecordError)] = []
        for run in runs {
            switch store.record(experiment.name, runID: run.runID, configuration: run.configuration) {
            case .valid: recorded.append(run)
            case .invalid(let error): untrusted.append((run, error))
            case .none: break
            }
        }
        return Selection(chosen: count.map { Array(recorded.prefix($0)) } ?? recorded, untrusted: untrusted, planned: runs.count,
                         unrecorded: runs.count - recorded.count)
    }

    /// The result line of a run whose record cannot be used.
    public static func untrusted(_ run: PlannedRun, _ error: RunRecordError) -> Result {
        Result(run: run, outcome: .cannotCompare("\(error)"), seconds: 0, toleranceReason: nil)
    }

    /// Recomputes `run` (through epoch `limit` at most) and compares it with its record. With no
    /// `tolerance`, runs whose record was computed on another CPU model or BLAS core are compared within
    /// `defaultTolerance`, and the result says why.
    public func verify(_ run: PlannedRun, throughEpoch limit: Int?, tolerance: Double? = nil,
                       onEpoch: ((EpochRecord) -> Void)? = nil) -> Result {
        let start = Date()
        func result(_ outcome: Outcome, _ reason: String? = nil) -> Result {
            Result(run: run, outcome: outcome, seconds: Date().timeIntervalSince(start), toleranceReason: reason)
        }
        let recorded: RunRecord
        switch store.record(experiment.name, runID: run.runID, configuration: run.configuration) {
        case .none: return result(.cannotCompare("no record"))
        case .invalid(let error): return result(.cannotCompare("\(error)"))
        case .valid(let record): recorded = record
        }
        let (expected, reason) = Self.tolerance(for: recorded, here: Provenance.current(rnnlabVersion: rnnlabVersion))
        let effectiveTolerance = tolerance ?? expected
        let note = reason.map { "bit-identity not expected: \($0); compared within relative tolerance \(effectiveTolerance ?? 0)" }
        do {
            let directory = scratch.appendingPathComponent(experiment.name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("\(run.runID).h5").path
            try? FileManager.default.removeItem(atPath: path)
            _ = try RunExecutor.run(run.configuration, experiment: experiment.name, data: data, writingTo: path,
                                    rnnlabVersion: rnnlabVersion, throughEpoch: limit, onEpoch: onEpoch)
            var file = try RunFile.read(from: path)
            file.experiment = experiment.name
            guard let recomputed = RunRecord(file, report: RunRecord.ReportInputs()) else {
                return result(.cannotCompare("the recompute did not finish"), note)
            }
            try? FileManager.default.removeItem(atPath: path)
            let comparison = RecordComparison(recorded: recorded, recomputed: recomputed, throughEpoch: limit,
                                              tolerance: effectiveTolerance)
            return result(.compared(comparison), note)
        } catch {
            return result(.cannotCompare("the recompute failed: \(error)"), note)
        }
    }
}
