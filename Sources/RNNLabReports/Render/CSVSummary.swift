import Foundation

/// summary.csv, rendered from the collected values.
extension ExperimentReport {
    /// The table as CSV: one row per arm, mean and std of every metric, then the primary metric's test against its
    /// group's best arm (this arm minus the best, p, 95% CI, `welch` or `paired`; empty for the best arm and where
    /// n < 2), full precision; then the updates and tokens of the complete runs (min and max) and how many of them
    /// were still improving when their budget ended them.
    public var csv: String {
        var lines = [(["arm", "planned", "complete", "diverged", "exploded", "seconds_per_run"] + metrics.flatMap { ["\($0)_mean", "\($0)_std", "\($0)_baseline"] }
                     + ["\(experiment.report.metric)_vs_best_diff", "\(experiment.report.metric)_vs_best_p",
                        "\(experiment.report.metric)_vs_best_ci_low", "\(experiment.report.metric)_vs_best_ci_high",
                        "\(experiment.report.metric)_vs_best_test", "updates_min", "updates_max", "tokens_min", "tokens_max", "still_improving"])
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
                    test.map { "\($0.interval.low)" } ?? "", test.map { "\($0.interval.high)" } ?? "",
                    test.map { $0.method == .welch ? "welch" : "paired" } ?? ""]
            row += [arm.updates.min(), arm.updates.max(), arm.tokens.min(), arm.tokens.max()].map { $0.map(String.init) ?? "" }
            row.append("\(arm.stillImproving)")
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
