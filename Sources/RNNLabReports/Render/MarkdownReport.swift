import Foundation
import RNNLabExperiments
import RNNLabRunStore

/// REPORT.md and its comparison tables, rendered from the collected values.
extension ExperimentReport {
    /// The comparison table in Markdown (one row per arm, the baseline last).
    public var markdownTable: String {
        let success = experiment.report.success.map { ["success (\($0.description))"] } ?? []
        let metricHeaders = metrics.map(Self.columnHeader)
        let header = ["arm", "n", metricHeaders[0], "vs best"] + metricHeaders.dropFirst() + success
            + ["updates", "tokens", "epochs (best)", "diverged", "exploded", "time per run (s)"]
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
            row += [Self.countRange(arm.updates), Self.countRange(arm.tokens), epochsCell(arm), "\(arm.diverged)", "\(arm.exploded)",
                    arm.seconds.map { String(format: "%.1f", $0) } ?? "–"]
            lines.append("| " + row.joined(separator: " | ") + " |")
        }
        let groups = baselineGroups(missing: "–")
        for group in groups {
            let label = groups.count == 1 ? "trivial baseline" : "baseline for " + group.members.map { "`\(arms[$0].arm)`" }.joined(separator: ", ")
            let values = [group.values[0], "–"] + group.values.dropFirst()
            lines.append("| \(label) | – | " + values.joined(separator: " | ") + String(repeating: " | –", count: success.count + 6) + " |")
        }
        return lines.joined(separator: "\n")
    }

    /// A column's header: "test NAME" for the task's metrics at the best validation epoch, "last-epoch train_loss",
    /// and the clipping diagnostics (over every update) by their names.
    static func columnHeader(_ metric: String) -> String {
        if metric == "clipped_fraction" || metric == "median_grad_norm" { return metric }
        return metric.hasPrefix("train_") ? "last-epoch \(metric)" : "test \(metric)"
    }

    /// "100 (87)", or ranges over the runs, "93–100 (83–100)": epochs trained and the best validation epoch; then
    /// "still improving (2/3)" where complete runs were still improving when their budget ended them.
    func epochsCell(_ arm: ArmSummary) -> String {
        let epochs = arm.epochs
        func range(_ values: [Int]) -> String {
            guard let low = values.min(), let high = values.max() else { return "–" }
            return low == high ? "\(low)" : "\(low)–\(high)"
        }
        guard !epochs.isEmpty else { return "–" }
        let flag = arm.isBudgetLimited ? " **still improving** (\(arm.stillImproving)/\(epochs.count))" : ""
        return "\(range(epochs.map(\.run))) (\(range(epochs.map(\.best))))" + flag
    }

    /// A count or the range of counts over runs, "2000" or "1810–2000"; large counts with a k, M or G suffix at 3
    /// significant digits ("1.25M"); "–" for none.
    static func countRange(_ counts: [Int]) -> String {
        guard let low = counts.min(), let high = counts.max() else { return "–" }
        return low == high ? countText(low) : "\(countText(low))–\(countText(high))"
    }

    /// 950, 12400, 12.4k… : exact below 100 000, else 3 significant digits with k, M or G.
    static func countText(_ count: Int) -> String {
        guard count >= 100_000 else { return "\(count)" }
        for (scale, suffix) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] where Double(count) >= scale {
            let value = Double(count) / scale
            return String(format: value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value) + suffix
        }
        return "\(count)"
    }

    /// Says what ended the complete runs, early stopping or their budget, and how many were still improving at
    /// their last epoch, so that a reader knows which numbers a longer budget could still change.
    var budgetNote: String? {
        let all = arms.flatMap(\.epochs)
        guard !all.isEmpty else { return nil }
        let patiences = Set(arms.map { $0.patience.map { "\($0) epochs" } ?? "none" })
        let patience = " Early stopping's patience: " + patiences.sorted().joined(separator: ", ") + "."
        let early = all.filter(\.stoppedEarly).count
        let improving = arms.reduce(0) { $0 + $1.stillImproving }
        if early == all.count { return "Early stopping ended all \(all.count) complete runs." + patience }
        return "Of the \(all.count) complete runs, early stopping ended \(early) and their budget (epochs, steps, tokens or wall clock) "
            + "\(all.count - early); " + (improving == 0 ? "none was still improving at its end (best validation epoch in the last 10% of the epochs trained)."
                : "\(improving) \(improving == 1 ? "was" : "were") still improving at its end (best validation epoch in the last 10% of the epochs "
                  + "trained), flagged **still improving** in the table: more training could change their numbers.") + patience
    }

    /// What the arms held equal (`budget.equalize`), and the declared reason where their updates differ.
    var heldEqualNote: String {
        let budget = experiment.budget
        var text: String
        if let equalize = budget.equalize {
            text = "Held equal across arms: \(equalize.statement)" + (budget.isDeclared ? "" : " (the default; the file does not declare `budget.equalize`)")
        } else {
            text = "Held equal across arms: no budget (the arms differ in their epochs, which are part of what they compare; the file does not "
                + "declare `budget.equalize`)"
        }
        text += "; `updates` and `tokens` are each complete run's parameter updates and training input tokens (time steps × batch rows)."
        if let reason = budget.unequalUpdates { text += " The arms' numbers of updates differ by design: \(reason)" }
        if let spread = updateSpread, budget.unequalUpdates == nil {
            text += " **The arms' mean numbers of updates differ by \(String(format: "%.2g", spread.ratio))× (`\(spread.high)` against `\(spread.low)`), "
                + "more than 10%, although the file does not say why: read the comparison with care.**"
        }
        return text
    }

    /// The widest ratio of two arms' mean updates within a group of comparable arms, where above 1.1.
    var updateSpread: (ratio: Double, high: String, low: String)? {
        var widest: (ratio: Double, high: String, low: String)?
        for group in baselineGroups(missing: "–") {
            let means = group.members.compactMap { index -> (String, Double)? in
                let updates = arms[index].updates
                return updates.isEmpty ? nil : (arms[index].arm, Double(updates.reduce(0, +)) / Double(updates.count))
            }
            guard let low = means.min(by: { $0.1 < $1.1 }), let high = means.max(by: { $0.1 < $1.1 }), low.1 > 0 else { continue }
            let ratio = high.1 / low.1
            if ratio > 1.1, ratio > (widest?.ratio ?? 0) { widest = (ratio, high.0, low.0) }
        }
        return widest
    }

    /// Published values beside ours, with whether ours falls within our stated tolerance, flagged "budget-limited"
    /// where the arm was still improving and "not the paper's configuration" where the reference declares
    /// deviations; the declared deviations are listed below the table.
    public var referenceTable: String? {
        guard !experiment.references.isEmpty else { return nil }
        var lines = ["| arm | metric | published | ours (mean over seeds) | difference | within our tolerance? | source |",
                     "|---|---|---|---|---|---|---|"]
        var deviations: [String] = []
        for (number, reference) in experiment.references.enumerated() {
            let note = reference.deviations.isEmpty ? "" : " [\(number + 1)]"
            if !reference.deviations.isEmpty {
                deviations.append("\(number + 1). \(reference.source), \(reference.metric): " + reference.deviations.joined(separator: " "))
            }
            for arm in arms where reference.matches(arm.settings) {
                let ours = SeedStatistics.meanAndStd(arm.values[reference.metric] ?? [])
                var verdict: String
                if let ours {
                    verdict = abs(ours.mean - reference.value) <= reference.tolerance ? "yes (±\(format(reference.tolerance)))"
                                                                                        : "**no** (±\(format(reference.tolerance)))"
                    if arm.isBudgetLimited { verdict += "; budget-limited (still improving)" }
                    if !reference.deviations.isEmpty { verdict += "; not the paper's configuration\(note)" }
                } else {
                    verdict = "no complete run"
                }
                lines.append("| `\(arm.arm)` | \(reference.metric) | \(format(reference.value)) | \(cell(arm.values[reference.metric])) | "
                             + "\(ours.map { format($0.mean - reference.value) } ?? "–") | \(verdict) | \(reference.source)\(note) |")
            }
        }
        if !deviations.isEmpty {
            lines += ["", "Declared deviations from the cited configurations (a miss there compares different set-ups, not our engine with theirs):", ""]
                + deviations
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

        \(experiment.description)\(receptiveFieldNote.map { "\n\n" + $0 } ?? "")

        Primary metric: test `\(experiment.report.metric)` at the best validation epoch (\(direction)); mean ± sample standard \
        deviation over seeds, n = complete runs / planned runs; epochs (best): the epochs the complete runs trained, and \
        the validation epoch their test values are from. \(boldNote) Generated from the run records (`runs/RUN_ID.json`) by \
        `rnnlab report`; do not edit.\(profile.map { "\n\n**Profile `\($0)`: a shrunken configuration, not comparable with published numbers.**" } ?? "")\(partialNote)

        \(markdownTable)
        \(significanceText.isEmpty ? "" : "\n" + significanceText + "\n")
        \(heldEqualNote)

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
        return what + " only where it beats the runner-up by a two-sided t-test at α = 0.05 (paired by seed where the two arms' runs "
            + "share their seeds and data order, Welch's otherwise); `vs best`: this arm's mean minus the best arm's, with the test's p "
            + "(n < 2: no test possible). See docs/experiments.md, \"How to read a report\"."
    }
}
