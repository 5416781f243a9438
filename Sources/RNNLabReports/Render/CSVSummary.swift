import Foundation

/// summary.csv, rendered from the collected values.
extension ExperimentReport {
    /// The table as CSV: one row per arm, mean and std of every metric, then the primary metric's Welch test against
    /// its group's best arm (this arm minus the best, p, 95% CI; empty for the best arm and where n < 2), full precision.
    public var csv: String {
        var lines = [(["arm", "planned", "complete", "diverged", "exploded", "seconds_per_run"] + metrics.flatMap { ["\($0)_mean", "\($0)_std", "\($0)_baseline"] }
                     + ["\(experiment.report.metric)_vs_best_diff", "\(experiment.report.metric)_vs_best_p",
                        "\(experiment.report.metric)_vs_best_ci_low", "\(experiment.report.metric)_vs_best_ci_high"])
            .joined(separator: ",")]
        let all = verdicts
        for (index, arm) in arms.enumerated() {
            var row = [Escaping.csvField(arm.arm), "\(arm.planned)", "\(arm.complete)", "\(arm.diverged)", "\(arm.exploded)",
                       arm.seconds.map { String(format: "%.3f", $0) } ?? ""]
            for metric in metrics {
                let s = SeedStatistics.meanAndStd(arm.values[metric] ?? [])
                row += [s.map { "\($0.mean)" } ?? "", s.map { "\($0.std)" } ?? "", arm.baseline[metric].map { "\($0)" } ?? ""]
            }
            let test = all.first { $0.members.contains(index) }?.versusBest[index]
            row += [test.map { "\($0.difference)" } ?? "", test.map { "\($0.p)" } ?? "",
                    test.map { "\($0.interval.low)" } ?? "", test.map { "\($0.interval.high)" } ?? ""]
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
