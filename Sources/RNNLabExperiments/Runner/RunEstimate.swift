import Foundation
import RNNLabRunStore

/// How long runs still to compute will take, from the recorded training times of the same experiment's runs:
/// each run is estimated by the mean of its arm's recorded runs, or else of the experiment's.
public struct RunEstimate: Sendable {
    /// Runs to compute.
    public var runs: Int
    /// Estimated seconds of training for the runs that have an estimate.
    public var seconds: Double
    /// Runs with no recorded run of their experiment to estimate from.
    public var unknown: Int

    /// The estimate for `pending`, from the records of the `planned` runs of the experiment `name`.
    public init(pending: [PlannedRun], planned: [PlannedRun], experiment name: String, store: RunStore) {
        var byArm: [String: [Double]] = [:], all: [Double] = []
        for run in planned {
            guard let record = store.record(name, runID: run.runID).record else { continue }
            byArm[run.arm, default: []].append(record.trainingSeconds)
            all.append(record.trainingSeconds)
        }
        func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
        runs = pending.count
        seconds = 0
        unknown = 0
        for run in pending {
            if let estimate = mean(byArm[run.arm] ?? []) ?? mean(all) { seconds += estimate } else { unknown += 1 }
        }
    }

    /// No runs to compute.
    public static let none = RunEstimate(runs: 0, seconds: 0, unknown: 0)

    private init(runs: Int, seconds: Double, unknown: Int) {
        self.runs = runs
        self.seconds = seconds
        self.unknown = unknown
    }

    /// Adds another experiment's estimate.
    public static func + (a: RunEstimate, b: RunEstimate) -> RunEstimate {
        var sum = a
        sum.runs += b.runs
        sum.seconds += b.seconds
        sum.unknown += b.unknown
        return sum
    }

    /// E.g. "estimated 1.2 CPU-hours from recorded runs; 3 runs without an estimate".
    public var description: String {
        let known = runs - unknown
        var parts: [String] = []
        if known > 0 {
            let text = seconds >= 3600 ? String(format: "%.1f CPU-hours", seconds / 3600)
                : seconds >= 60 ? String(format: "%.0f CPU-minutes", seconds / 60) : String(format: "%.0f CPU-seconds", seconds)
            parts.append("estimated \(text) for \(known) run\(known == 1 ? "" : "s") from recorded runs")
        }
        if unknown > 0 { parts.append("\(unknown) run\(unknown == 1 ? "" : "s") without an estimate (no recorded run of their experiment)") }
        return parts.joined(separator: "; ")
    }
}
