import Foundation

/// The report's statements about significance: the `vs best` cells, the verdict of each group, the minimum
/// detectable difference; rendered from `verdicts`.
extension ExperimentReport {
    /// The arms whose primary-metric cell is bold: the best of each group where it is alone or beats the runner-up at α.
    var markedArms: [Int] { verdicts.filter(\.marksBest).map(\.best) }

    /// The `vs best` cell of an arm: "+0.0099 (p = 0.21)", "–" for the best arm itself (or an arm without runs),
    /// "n < 2" where this arm or the best has fewer than 2 complete runs.
    func versusBestCell(_ index: Int, in verdicts: [GroupVerdict]) -> String {
        guard let verdict = verdicts.first(where: { $0.members.contains(index) }), index != verdict.best,
              !(arms[index].values[experiment.report.metric] ?? []).isEmpty else { return "–" }
        guard let test = verdict.versusBest[index] else { return "n < 2" }
        let paired = test.method == .welch ? "" : ", paired"
        return "\(UncertaintyFormatting.signedDifference(test.difference, standardError: test.standardError)) (\(UncertaintyFormatting.pText(test.p))\(paired))"
    }

    /// One sentence per group: whether its best arm beats the runner-up (with Δ, the 95% CI and p), is tied with
    /// it, or could not be tested; then the minimum detectable difference at the group's n.
    var significanceText: String {
        let metric = experiment.report.metric
        let all = verdicts
        var sentences: [String] = []
        for verdict in all {
            let best = "`\(arms[verdict.best].arm)`"
            guard let runnerUp = verdict.runnerUp.map({ "`\(arms[$0].arm)`" }) else {
                if all.count > 1 { sentences.append("\(best) is the only arm of its task with complete runs.") }
                continue
            }
            let test = verdict.runnerUp.flatMap { verdict.versusBest[$0] }
            switch verdict.standing {
            case .significant:
                if let test {
                    sentences.append("\(best) beats the runner-up \(runnerUp) at α = 0.05 (\(testText(test))): \(differenceText(test, metric: metric)).")
                }
            case .tied(let p):
                sentences.append("No significant difference between \(best) and \(runnerUp) (" + (test.map(testText) ?? UncertaintyFormatting.pText(p))
                                 + ")" + (test.map { ": \(differenceText($0, metric: metric))" } ?? "") + "; neither is in bold.")
            case .untestable:
                sentences.append("\(best) and the runner-up \(runnerUp) cannot be tested against each other (n < 2); neither is in bold.")
            case .alone:
                break
            }
            if let limited = budgetLimitedText(verdict) { sentences.append(limited) }
            if let mdd = verdict.minimumDetectableDifference, let s = verdict.pooledStd, let n = verdict.smallestN {
                let task = all.count > 1 ? " for \(best)'s task" : ""
                if verdict.isPaired {
                    sentences.append("At n = \(n) seeds paired between these two arms and the std of their per-seed differences s_d = \(format(s)), "
                                     + "the minimum detectable difference (two-sided α = 0.05, 80% power) is (t_{0.975,\(n - 1)} + t_{0.8,\(n - 1)}) "
                                     + "· s_d / √n = \(format(mdd)) \(metric)\(task).")
                } else {
                    let df = 2 * n - 2
                    sentences.append("At n = \(n) runs per arm and the pooled std of these two arms s = \(format(s)), the minimum detectable difference "
                                     + "(two-sided α = 0.05, 80% power) is (t_{0.975,\(df)} + t_{0.8,\(df)}) · s · √(2/n) = \(format(mdd)) \(metric)\(task).")
                }
            }
        }
        return sentences.joined(separator: " ")
    }

    /// The arms of a verdict's group that were still improving when their budget ended them, as a sentence that
    /// qualifies the verdict; nil where none was.
    func budgetLimitedText(_ verdict: GroupVerdict) -> String? {
        let limited = verdict.members.filter { arms[$0].isBudgetLimited && !(arms[$0].values[experiment.report.metric] ?? []).isEmpty }
        guard !limited.isEmpty else { return nil }
        let names = limited.map { "`\(arms[$0].arm)` (\(arms[$0].stillImproving)/\(arms[$0].epochs.count) runs)" }
        return "Budget-limited: " + names.joined(separator: ", ") + (limited.count == 1 ? " was" : " were")
            + " still improving when the budget ended training (best validation epoch in the last 10% of the epochs trained), so this "
            + "comparison says what each arm reaches within this budget, not what it can reach."
    }

    /// Whether the verdict's best arm or runner-up is budget-limited: then the headline carries the flag.
    func isBudgetLimited(_ verdict: GroupVerdict) -> Bool {
        ([verdict.best] + (verdict.runnerUp.map { [$0] } ?? [])).contains { arms[$0].isBudgetLimited }
    }

    /// "Welch's t-test, p = 0.81, df = 2.6" or "paired t-test over 3 seeds, p = 0.04, df = 2".
    func testText(_ test: DifferenceTest) -> String {
        "\(test.name), \(UncertaintyFormatting.pText(test.p)), df = \(String(format: test.method == .welch ? "%.1f" : "%.0f", test.degreesOfFreedom))"
    }

    /// "Δ = -0.003 accuracy (runner-up minus best), 95% CI [-0.047, +0.040]".
    func differenceText(_ test: DifferenceTest, metric: String) -> String {
        let digitsLike = test.standardError
        return "Δ = \(UncertaintyFormatting.signedDifference(test.difference, standardError: digitsLike)) \(metric) (runner-up minus best), "
            + "95% CI [\(UncertaintyFormatting.signedDifference(test.interval.low, standardError: digitsLike)), "
            + "\(UncertaintyFormatting.signedDifference(test.interval.high, standardError: digitsLike))]"
    }
}
