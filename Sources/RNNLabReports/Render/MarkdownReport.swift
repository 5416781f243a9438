import Foundation
import RNNLabExperiments
import RNNLabRunStore

/// REPORT.md and its comparison tables, rendered from the collected values.
extension ExperimentReport {
    /// The comparison table in Markdown (one row per arm, the baseline last).
    public var markdownTable: String {
        let success = experiment.report.success.map { ["success (\($0.description))"] } ?? []
        let metricHeaders = metrics.map { $0.hasPrefix("train_") ? "last-epoch \($0)" : "test \($0)" }
        let header = ["arm", "n", metricHeaders[0], "vs best"] + metricHeaders.dropFirst() + success
            + ["epochs (best)", "diverged", "exploded", "time per run (s)"]
        var lines = ["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
        let all = verdicts
        let best = all.filter(\.marksBest).map(\.best)
        for (index, arm) in arms.enumerated() {
            var row = ["`\(arm.arm)`", "\(arm.complete)/\(arm.planned)"]
            for (m, metric) in metrics.enumerated() {
                let text = cell(arm.values[metric])
                row.append(m == 0 && best.contains(index) ? "**\(text)**" : text)
                if m == 0 { row.append(versusBestCell(index, in: all)) }
            }
            if !success.isEmpty { row.append("\(arm.successes)/\(arm.finished)") }
            row += [epochsCell(arm.epochs), "\(arm.diverged)", "\(arm.exploded)", arm.seconds.map { String(format: "%.1f", $0) } ?? "–"]
            lines.append("| " + row.joined(separator: " | ") + " |")
        }
        let groups = baselineGroups(missing: "–")
        for group in groups {
            let label = groups.count == 1 ? "trivial baseline" : "baseline for " + group.members.map { "`\(arms[$0].arm)`" }.joined(separator: ", ")
            let values = [group.values[0], "–"] + group.values.dropFirst()
            lines.append("| \(label) | – | " + values.joined(separator: " | ") + String(repeating: " | –", count: success.count + 4) + " |")
        }
        return lines.joined(separator: "\n")
    }

    /// "100 (87)", or ranges over the runs, "93–100 (83–100)": epochs trained and the best validation epoch.
    func epochsCell(_ epochs: [(run: Int, best: Int, stoppedEarly: Bool)]) -> String {
        func range(_ values: [Int]) -> String {
            guard let low = values.min(), let high = values.max() else { return "–" }
            return low == high ? "\(low)" : "\(low)–\(high)"
        }
        return epochs.isEmpty ? "–" : "\(range(epochs.map(\.run))) (\(range(epochs.map(\.best))))"
    }

    /// Says what ended the complete runs, early stopping or their budget, and how many were still improving at
    /// their last epoch, so that a reader knows which numbers a longer budget could still change.
    var budgetNote: String? {
        let all = arms.flatMap(\.epochs)
        guard !all.isEmpty else { return nil }
        let early = all.filter(\.stoppedEarly).count, improving = all.filter { $0.best == $0.run }.count
        if early == all.count { return "Early stopping ended all \(all.count) complete runs." }
        return "Of the \(all.count) complete runs, early stopping ended \(early) and their budget (epochs, steps or wall clock) "
            + "\(all.count - early); " + (improving == 0 ? "none had its best validation epoch at its last."
                : "\(improving) had their best validation epoch at their last, so more epochs could still improve them.")
    }

    /// Published values beside ours, with whether ours falls within the stated tolerance.
    public var referenceTable: String? {
        guard !experiment.references.isEmpty else { return nil }
        var lines = ["| arm | metric | published | ours (mean over seeds) | difference | within tolerance? | source |",
                     "|---|---|---|---|---|---|---|"]
        for reference in experiment.references {
            for arm in arms where reference.matches(arm.settings) {
                let ours = SeedStatistics.meanAndStd(arm.values[reference.metric] ?? [])
                let verdict: String
                if let ours {
                    verdict = abs(ours.mean - reference.value) <= reference.tolerance ? "yes (±\(format(reference.tolerance)))"
                                                                                        : "**no** (±\(format(reference.tolerance)))"
                } else {
                    verdict = "no complete run"
                }
                lines.append("| `\(arm.arm)` | \(reference.metric) | \(format(reference.value)) | \(cell(arm.values[reference.metric])) | "
                             + "\(ours.map { format($0.mean - reference.value) } ?? "–") | \(verdict) | \(reference.source) |")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// "; wall clock …" from the stored start and end times of the runs.
    var wallClockText: String {
        guard let (start, end) = wallClock else { return "" }
        let iso = ISO8601DateFormatter()
        return "; wall clock from the first run's start to the last run's end: \(String(format: "%.0f", end.timeIntervalSince(start))) s "
            + "(\(iso.string(from: start)) to \(iso.string(from: end)))"
    }

    /// The whole REPORT.md.
    public var markdown: String {
        let direction = experiment.report.lowerIsBetter ? "lower is better" : "higher is better"
        let command = "rnnlab run \(experiment.file)" + (profile.map { " --profile \($0)" } ?? "")
        var text = """
        # \(experiment.title)

        \(experiment.description)

        Primary metric: test `\(experiment.report.metric)` at the best validation epoch (\(direction)); mean ± sample standard \
        deviation over seeds, n = complete runs / planned runs; epochs (best): the epochs the complete runs trained, and \
        the validation epoch their test values are from. \(boldNote) Generated from the run records (`runs/RUN_ID.json`) by \
        `rnnlab report`; do not edit.\(profile.map { "\n\n**Profile `\($0)`: a shrunken configuration, not comparable with published numbers.**" } ?? "")\(partialNote)

        \(markdownTable)
        \(significanceText.isEmpty ? "" : "\n" + significanceText + "\n")
        ![test \(experiment.report.metric) per run and arm](final.svg)

        Measured training time: \(String(format: "%.0f", totalSeconds)) s in total over all runs (one BLAS thread per run)\(wallClockText).\(budgetNote.map { "\n\n" + $0 } ?? "")
        \(referenceTable.map { "\n## Published values\n\nOurs is the test value of the metric at the best validation epoch (for `train_` metrics: the last epoch's training value), averaged over seeds, computed on the splits and with the configuration above; a miss is reported as a miss.\n\n\($0)\n" } ?? "")

        ![learning curves](curves.svg)

        """
        if experiment.report.plots.contains("grad_norm") { text += "\n![gradient norms](grad_norm.svg)\n" }
        if let settings = experiment.report.samples {
            text += "\n## Samples\n\nGenerated from each arm's first complete run (prime \"\(settings.prime)\", \(settings.length) tokens, "
                + "temperature \(settings.temperature), sampling seed 1; `rnnlab sample` gives the same text).\n"
            for arm in arms {
                guard let sample = arm.sample else { continue }
                text += "\n`\(arm.arm)` (run `\(sample.runID)`):\n\n```text\n\(sample.text)\n```\n"
            }
        }
        text += seq2seqMarkdown
        text += "\n## Reproduce\n\n```sh\n\(command)\n```\n"
        if let p = provenance {
            text += "\n## Provenance\n\nRNNLab \(p.rnnlabVersion), git \(p.gitCommit)\(p.gitDirty ? " (with uncommitted changes)" : ""); \(p.blas); HDF5 \(p.hdf5); \(p.cpu).\n"
        }
        text += "\n## Runs\n\n" + arms.map { arm in
            "- `\(arm.arm)`: " + (arm.runIDs.isEmpty ? "no recorded run yet" : arm.runIDs.map { "`\($0)`" }.joined(separator: ", "))
        }.joined(separator: "\n") + "\n"
        return text
    }

    /// "**Partial report: …**" naming the runs other processes were still computing, or nothing.
    var partialNote: String {
        guard !heldElsewhere.isEmpty else { return "" }
        return "\n\n**Partial report: \(heldElsewhere.count) planned run\(heldElsewhere.count == 1 ? " was" : "s were") still being "
            + "computed by other processes and \(heldElsewhere.count == 1 ? "is" : "are") not in it: "
            + heldElsewhere.map { "`\($0.runID)` (\($0.owner))" }.joined(separator: ", ") + ". `rnnlab report` redoes it once they finish.**"
    }

    /// What the bold entries and the `vs best` column of the table mean.
    var boldNote: String {
        let what = baselineGroups(missing: "–").count > 1
            ? "The arms' tasks differ (one baseline row each); the best arm of each is in bold"
            : "The best arm is in bold"
        return what + " only where it beats the runner-up by Welch's t-test (two-sided, α = 0.05); `vs best`: this arm's mean "
            + "minus the best arm's, with the test's p (n < 2: no test possible). See docs/experiments.md, \"How to read a report\"."
    }
}
