import Foundation

/// summary.csv, rendered from the collected values.
extension ExperimentReport {
    /// The table as CSV: one row per arm, mean and std of every metric.
    public var csv: String {
        var lines = [(["arm", "planned", "complete", "diverged", "exploded", "seconds_per_run"] + metrics.flatMap { ["\($0)_mean", "\($0)_std", "\($0)_baseline"] })
            .joined(separator: ",")]
        for arm in arms {
            var row = [Escaping.csvField(arm.arm), "\(arm.planned)", "\(arm.complete)", "\(arm.diverged)", "\(arm.exploded)",
                       arm.seconds.map { String(format: "%.3f", $0) } ?? ""]
            for metric in metrics {
                let s = SeedStatistics.meanAndStd(arm.values[metric] ?? [])
                row += [s.map { "\($0.mean)" } ?? "", s.map { "\($0.std)" } ?? "", arm.baseline[metric].map { "\($0)" } ?? ""]
            }
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
